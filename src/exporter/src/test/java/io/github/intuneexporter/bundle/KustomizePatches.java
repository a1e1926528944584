package io.github.intuneexporter.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The JSON 6902 patches (add, replace) of a kustomization or component, applied to a parsed manifest the way kustomize
 * applies them, so that tests without kubectl (CI) see what an overlay or component really makes of a workload.
 */
public final class KustomizePatches {
    private KustomizePatches() {}

    /** Whether a patch target's kind (a regular expression in kustomize, e.g. Deployment|StatefulSet) selects kind. */
    public static boolean selects(Map<String, Object> target, String kind) {
        Object k = target.get("kind");
        return k == null || Pattern.matches(k.toString(), kind);
    }

    /** Applies the patches of {@code kustomization} that select {@code doc}'s kind; returns how many did. */
    @SuppressWarnings("unchecked")
    public static int apply(Map<String, Object> doc, Path kustomization) throws IOException {
        Map<String, Object> k = new Yaml().load(Files.readString(kustomization));
        int applied = 0;
        for (Map<String, Object> p : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            if (!selects((Map<String, Object>) p.get("target"), String.valueOf(doc.get("kind")))) {
                continue;
            }
            applied++;
            for (Map<String, Object> op : (List<Map<String, Object>>) new Yaml().load((String) p.get("patch"))) {
                String[] path = op.get("path").toString().substring(1).split("/");
                Object parent = doc;
                for (int i = 0; i < path.length - 1; i++) {
                    parent = parent instanceof List<?> l
                            ? l.get(Integer.parseInt(path[i]))
                            : ((Map<String, Object>) parent).get(path[i]);
                }
                String last = path[path.length - 1];
                switch (op.get("op").toString()) {
                    case "add" -> {
                        if (last.equals("-")) {
                            ((List<Object>) parent).add(op.get("value"));
                        } else {
                            ((Map<String, Object>) parent).put(last, op.get("value"));
                        }
                    }
                    case "replace" -> {
                        if (!((Map<String, Object>) parent).containsKey(last)) {
                            throw new AssertionError(kustomization + ": replace of a missing " + op.get("path"));
                        }
                        ((Map<String, Object>) parent).put(last, op.get("value"));
                    }
                    default -> throw new AssertionError(kustomization + ": unsupported op " + op);
                }
            }
        }
        return applied;
    }
}
