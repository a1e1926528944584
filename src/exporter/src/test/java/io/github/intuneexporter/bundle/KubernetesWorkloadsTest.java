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

    /**
     * The {@code kubectl create secret} command in each overlay's header creates every key the workload reads from that
     * Secret (env secretKeyRef, volume items) and, for the sharded overlay, every secret file its tenants file names.
     * A key it leaves out is an optional reference that is silently empty: the exporter then stops at start-up.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theOverlaysCreateSecretCommandsCreateEveryKeyTheWorkloadReads() throws IOException {
        Map<String, String> overlays = Map.of(
                "overlays/kube-prometheus-stack", "base/deployment.yaml",
                "overlays/msp-sharded", "overlays/msp-sharded/statefulset.yaml");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> o : overlays.entrySet()) {
            String header = Files.readString(K8S.resolve(o.getKey()).resolve("kustomization.yaml"))
                    .replaceAll("\\\\\n#\\s*", " ");
            Matcher create = Pattern.compile("create secret generic (\\S+)(.*)").matcher(header);
            Map<String, List<String>> created = new java.util.HashMap<>();
            while (create.find()) {
                List<String> keys = new ArrayList<>();
                Matcher key =
                        Pattern.compile("--from-(?:literal|file)=([^=\\s]+)=").matcher(create.group(2));
                while (key.find()) {
                    keys.add(key.group(1));
                }
                created.put(create.group(1), keys);
            }
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                                    Bundle.yamlMap(K8S.resolve(o.getValue())).get("spec"))
                            .get("template"))
                    .get("spec");
            List<String[]> reads = new ArrayList<>();
            Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
            for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
                Map<String, Object> from = (Map<String, Object>) e.get("valueFrom");
                if (from != null && from.containsKey("secretKeyRef")) {
                    Map<String, Object> ref = (Map<String, Object>) from.get("secretKeyRef");
                    reads.add(new String[] {
                        ref.get("name").toString(), ref.get("key").toString()
                    });
                }
            }
            for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
                Map<String, Object> secret = (Map<String, Object>) v.get("secret");
                if (secret == null) {
                    continue;
                }
                for (Map<String, Object> item : (List<Map<String, Object>>) secret.getOrDefault("items", List.of())) {
                    reads.add(new String[] {
                        secret.get("secretName").toString(), item.get("key").toString()
                    });
                }
            }
            Path tenants = K8S.resolve(o.getKey()).resolve("tenants.conf");
            if (Files.exists(tenants)) {
                for (com.typesafe.config.Config t : com.typesafe.config.ConfigFactory.parseFile(tenants.toFile())
                        .getConfigList("intune.tenants")) {
                    reads.add(new String[] {
                        "intune-exporter-tenants",
                        Path.of(t.getString("auth.client-secret-file"))
                                .getFileName()
                                .toString()
                    });
                }
            }
            assertTrue(!reads.isEmpty(), o.getKey());
            for (String[] r : reads) {
                if (!created.getOrDefault(r[0], List.of()).contains(r[1])) {
                    missing.add(
                            o.getKey() + ": the Secret " + r[0] + " needs the key " + r[1] + ", created: " + created);
                }
            }
        }
        assertEquals(List.of(), missing);
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
