package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped exporter workload (the base Deployment, the msp-sharded StatefulSet), alone and with each component that
 * patches workloads, without kubectl: a component applies to every workload kind (a patch whose target misses the
 * StatefulSet leaves the sharded overlay silently without it), every file path its arguments and environment name lies
 * on one of its volumes, and no volume is mounted inside a ConfigMap or Secret volume (those are read-only, so the
 * kubelet cannot create the mount point and the container never starts).
 */
class KubernetesWorkloadsTest {
    static final Path K8S = Bundle.ROOT.resolve("deploy/kubernetes");
    static final List<String> WORKLOADS = List.of("base/deployment.yaml", "overlays/msp-sharded/statefulset.yaml");
    private static final Pattern PATH = Pattern.compile("(?:^|=)(/[A-Za-z0-9._/-]+)$");

    /** Components whose patches target a workload (Deployment, StatefulSet, ...). */
    @SuppressWarnings("unchecked")
    static List<Path> workloadComponents() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(K8S.resolve("components"))) {
            for (Path dir : dirs.sorted().toList()) {
                Map<String, Object> k = Bundle.yamlMap(dir.resolve("kustomization.yaml"));
                for (Map<String, Object> p : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
                    Map<String, Object> target = (Map<String, Object>) p.get("target");
                    if (Stream.of("Deployment", "StatefulSet").anyMatch(kind -> KustomizePatches.selects(target, kind))
                            && !out.contains(dir)) {
                        out.add(dir);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyComponentThatPatchesAWorkloadPatchesEveryWorkload() throws IOException {
        assertTrue(workloadComponents().stream().anyMatch(d -> d.endsWith("web-security")), "found web-security");
        List<String> missed = new ArrayList<>();
        for (Path component : workloadComponents()) {
            for (String w : WORKLOADS) {
                if (KustomizePatches.apply(Bundle.yamlMap(K8S.resolve(w)), component.resolve("kustomization.yaml"))
                        == 0) {
                    missed.add(K8S.relativize(component) + " does not patch " + w);
                }
            }
        }
        assertEquals(List.of(), missed);
    }

    @Test
    void everyWorkloadAloneAndWithEachComponentReadsItsFilesFromItsVolumesAndNestsNoMountInAReadOnlyVolume()
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (String w : WORKLOADS) {
            problems.addAll(problems(w, Bundle.yamlMap(K8S.resolve(w))));
            for (Path component : workloadComponents()) {
                Map<String, Object> doc = Bundle.yamlMap(K8S.resolve(w));
                KustomizePatches.apply(doc, component.resolve("kustomization.yaml"));
                problems.addAll(problems(w + " + " + K8S.relativize(component), doc));
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The checks themselves find a path off every volume and a mount inside a Secret volume. */
    @Test
    void theChecksFindAFileOffTheVolumesAndANestedMount() {
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml()
                .load(
                        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - args: [\"--config.file=/etc/x/a.conf\"]\n"
                                + "          volumeMounts: [{name: s, mountPath: /etc/s}, {name: t, mountPath: /etc/s/t}]\n"
                                + "      volumes: [{name: s, secret: {secretName: s}}, {name: t, emptyDir: {}}]\n");
        List<String> found = problems("test", doc);
        assertEquals(2, found.size(), found.toString());
    }

    @SuppressWarnings("unchecked")
    static List<String> problems(String name, Map<String, Object> doc) {
        Map<String, Object> pod = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("template")).get("spec");
        Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) c.getOrDefault("volumeMounts", List.of());
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of());
        List<String> problems = new ArrayList<>();
        List<String> values = new ArrayList<>();
        ((List<Object>) c.getOrDefault("args", List.of())).forEach(a -> values.add(a.toString()));
        for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
            if (e.containsKey("value")) {
                values.add(e.get("value").toString());
            }
        }
        for (String v : values) {
            Matcher m = PATH.matcher(v);
            if (m.find()
                    && mounts.stream()
                            .noneMatch(mt -> Path.of(m.group(1))
                                    .startsWith(mt.get("mountPath").toString()))) {
                problems.add(name + ": " + v + " lies on no volume");
            }
        }
        for (Map<String, Object> inner : mounts) {
            for (Map<String, Object> outer : mounts) {
                Path in = Path.of(inner.get("mountPath").toString());
                Path out = Path.of(outer.get("mountPath").toString());
                if (in.startsWith(out) && !in.equals(out)) {
                    Map<String, Object> volume = volumes.stream()
                            .filter(v -> v.get("name").equals(outer.get("name")))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(name + ": no volume " + outer.get("name")));
                    if (Stream.of("configMap", "secret", "projected", "downwardAPI")
                            .anyMatch(volume::containsKey)) {
                        problems.add(name + ": " + in + " is mounted inside the read-only " + outer.get("name")
                                + " volume at " + out);
                    }
                }
            }
        }
        return problems;
    }
}
