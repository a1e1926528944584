package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Where the event collectors' state files (counters and watermarks that must survive restarts) land in each shipped
 * deployment. Every {@code state-file} setting of reference.conf is resolved as the container resolves it: its default
 * (relative to the working directory: the Dockerfile's WORKDIR, or the deployment's), the environment (the Dockerfile's
 * ENV, then the deployment's), the configuration file the deployment passes with {@code --config.file}, and a tenant's
 * own override. Each must lie on a writable volume (the root filesystem is read-only, /tmp is memory), and no two tenants
 * of one exporter may share a file (each would load the other's counters).
 */
class ContainerStateFilesTest {
    static final Path REFERENCE = Bundle.ROOT.resolve("src/exporter-core/src/main/resources/reference.conf");
    static final Path K8S = Bundle.ROOT.resolve("deploy/kubernetes");

    /** One state-file setting: its collector, default and environment variable (null: none). */
    record StateFile(String collector, String defaultValue, String env) {
        String key() {
            return "collectors." + collector + ".state-file";
        }
    }

    /** What a container gives the exporter: working directory (null: the base image's), env, writable mounts, config. */
    record Container(String name, String workdir, Map<String, String> env, List<String> writableMounts, Config file) {}

    static List<StateFile> stateFiles() throws IOException {
        List<String> lines = Files.readAllLines(REFERENCE);
        Config reference = ConfigFactory.parseFile(REFERENCE.toFile())
                .resolve(ConfigResolveOptions.noSystem().setAllowUnresolved(true));
        Config collectors = reference.getConfig("intune.collectors");
        List<StateFile> out = new ArrayList<>();
        for (String c : collectors.root().keySet()) {
            if (!collectors.hasPath(c + ".state-file")) {
                continue;
            }
            // The default's line; reference.conf puts "state-file = ${?ENV}" on the next one.
            int line = collectors.getValue(c + ".state-file").origin().lineNumber();
            Matcher env = Pattern.compile("\\s*state-file\\s*=\\s*\\$\\{\\?(\\w+)}\\s*")
                    .matcher(line < lines.size() ? lines.get(line) : "");
            out.add(new StateFile(c, collectors.getString(c + ".state-file"), env.matches() ? env.group(1) : null));
        }
        return out;
    }

    @Test
    void referenceConfHasTheEventCollectorsStateFiles() throws IOException {
        List<String> names =
                stateFiles().stream().map(StateFile::collector).sorted().toList();
        assertTrue(names.containsAll(List.of("app_troubleshooting", "audit", "enrollment")), names.toString());
        for (StateFile f : stateFiles()) {
            assertTrue(f.env() != null, f.key() + " can be set from the environment");
        }
    }

    @Test
    void everyStateFileOfTheComposeExporterLiesOnItsVolume() throws IOException {
        assertStateFilesOnVolumes(composeExporter());
    }

    @Test
    void everyStateFileOfTheKubernetesDeploymentLiesOnItsVolume() throws IOException {
        assertStateFilesOnVolumes(kubernetes("base/deployment.yaml", null));
    }

    @Test
    void everyTenantOfTheShardedStatefulSetHasStateFilesOfItsOwnOnTheVolume() throws IOException {
        Container sts = kubernetes("overlays/msp-sharded/statefulset.yaml", K8S.resolve("overlays/msp-sharded"));
        assertTrue(sts.file().hasPath("intune.tenants"), "the overlay's tenants file is read");
        assertStateFilesOnVolumes(sts);
    }

    /** The check itself: a state file on the image's working directory (read-only root) is found. */
    @Test
    void aRelativeStateFileWithoutAWorkdirOnAVolumeIsFound() throws IOException {
        Container c = new Container("test", null, Map.of(), List.of("/var/lib/intune-exporter"), ConfigFactory.empty());
        assertFalse(problems(c).isEmpty());
        Container shared = new Container(
                "test",
                "/var/lib/intune-exporter",
                Map.of(),
                List.of("/var/lib/intune-exporter"),
                ConfigFactory.parseString("intune.tenants = [{name = a}, {name = b}]"));
        assertTrue(
                problems(shared).stream().anyMatch(p -> p.contains("shared")),
                problems(shared).toString());
    }

    private static void assertStateFilesOnVolumes(Container c) throws IOException {
        assertEquals(List.of(), problems(c), c.name());
    }

    static List<String> problems(Container c) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Config> tenants = c.file().hasPath("intune.tenants")
                ? new ArrayList<>(c.file().getConfigList("intune.tenants"))
                : List.of(ConfigFactory.parseString("name = default"));
        Map<Path, String> owners = new LinkedHashMap<>();
        for (Config tenant : tenants) {
            for (StateFile f : stateFiles()) {
                String where = c.name() + ": tenant " + tenant.getString("name") + ", " + f.key();
                String value = value(c, tenant, f);
                if (value.isEmpty()) {
                    problems.add(where + " is memory only: its counters start over at every restart");
                    continue;
                }
                Path path;
                if (Path.of(value).isAbsolute()) {
                    path = Path.of(value).normalize();
                } else if (c.workdir() == null) {
                    problems.add(where + " = " + value + " is relative to the image's working directory (no WORKDIR),"
                            + " on the read-only root filesystem");
                    continue;
                } else {
                    path = Path.of(c.workdir()).resolve(value).normalize();
                }
                if (c.writableMounts().stream().noneMatch(m -> !m.equals("/tmp") && path.startsWith(Path.of(m)))) {
                    problems.add(where + " = " + path + " is on no writable volume " + c.writableMounts());
                }
                String other = owners.putIfAbsent(path, tenant.getString("name"));
                if (other != null && !other.equals(tenant.getString("name"))) {
                    problems.add(where + " = " + path + " is shared with tenant " + other);
                }
            }
        }
        return problems;
    }

    /** The setting as the exporter resolves it: the tenant's own, the config file's, the environment's, the default. */
    static String value(Container c, Config tenant, StateFile f) {
        return tenant.hasPath(f.key())
                ? tenant.getString(f.key())
                : c.file().hasPath("intune." + f.key())
                        ? c.file().getString("intune." + f.key())
                        : c.env().getOrDefault(f.env(), f.defaultValue());
    }

    /** The resolution above agrees with the exporter's own loader on the sharded overlay's tenants file. */
    @Test
    void theExporterLoadsTheShardedTenantsStateFilesAsResolvedHere() throws IOException {
        Container sts = kubernetes("overlays/msp-sharded/statefulset.yaml", K8S.resolve("overlays/msp-sharded"));
        Path dir = Files.createTempDirectory("tenants");
        try {
            // The secret files the tenants name must exist to load; stand-ins in a temporary directory.
            String conf = Files.readString(K8S.resolve("overlays/msp-sharded/tenants.conf"))
                    .replace("/var/run/secrets/intune-exporter/", dir + "/");
            for (Config t : sts.file().getConfigList("intune.tenants")) {
                Files.writeString(dir.resolve(t.getString("name")), "stand-in\n");
            }
            Path file = Files.writeString(dir.resolve("tenants.conf"), conf);
            ExporterSettings settings = SettingsLoader.load(
                    Optional.of(file),
                    ConfigFactory.parseString("intune.auth.client-id = \"00000000-0000-0000-0000-00000000000a\""),
                    false);
            Map<String, Config> byName = new LinkedHashMap<>();
            sts.file().getConfigList("intune.tenants").forEach(t -> byName.put(t.getString("name"), t));
            assertEquals(
                    byName.keySet().stream().toList(),
                    settings.tenants().stream()
                            .map(ExporterSettings.Tenant::name)
                            .toList());
            for (ExporterSettings.Tenant t : settings.tenants()) {
                CollectorSettings loaded = t.settings().collectors();
                Map<String, Path> actual = Map.of(
                        "enrollment", loaded.enrollment().stateFile(),
                        "app_troubleshooting", loaded.appTroubleshooting().stateFile(),
                        "audit", loaded.audit().stateFile());
                for (StateFile f : stateFiles()) {
                    assertEquals(
                            Path.of(value(sts, byName.get(t.name()), f)),
                            actual.get(f.collector()),
                            t.name() + " " + f.key());
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The final stage's WORKDIR (null: none) and ENV of the Dockerfile. */
    static Container image() throws IOException {
        String df = Files.readString(Bundle.ROOT.resolve("Dockerfile")).replace("\\\n", " ");
        String last = df.substring(df.lastIndexOf("\nFROM "));
        String workdir = null;
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : last.lines().map(String::strip).toList()) {
            if (line.startsWith("WORKDIR ")) {
                workdir = line.substring("WORKDIR ".length()).strip();
            } else if (line.startsWith("ENV ")) {
                for (String pair : line.substring(4).strip().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return new Container("Dockerfile", workdir, env, List.of(), ConfigFactory.empty());
    }

    @SuppressWarnings("unchecked")
    static Container composeExporter() throws IOException {
        Container image = image();
        Map<String, Object> s = ComposeStackTest.service("intune-exporter");
        Map<String, String> env = new LinkedHashMap<>(image.env());
        ((Map<String, Object>) s.getOrDefault("environment", Map.of()))
                .forEach((k, v) -> env.put(k, String.valueOf(v).replaceAll("\\$\\{\\w+:-([^}]*)}", "$1")));
        List<String> writable = new ArrayList<>();
        for (String v : ComposeStackTest.volumes("intune-exporter")) {
            String[] parts = v.split(":");
            if (parts.length < 3 || !parts[2].contains("ro")) {
                writable.add(parts[1]);
            }
        }
        String workdir = (String) s.getOrDefault("working_dir", image.workdir());
        return new Container("docker-compose.yml intune-exporter", workdir, env, writable, ConfigFactory.empty());
    }

    /** The first container of a Deployment or StatefulSet; {@code configDir}: where its --config.file comes from. */
    @SuppressWarnings("unchecked")
    static Container kubernetes(String manifest, Path configDir) throws IOException {
        Container image = image();
        Map<String, Object> d = Bundle.yamlMap(K8S.resolve(manifest));
        Map<String, Object> pod = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) d.get("spec")).get("template")).get("spec");
        Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        Map<String, String> env = new LinkedHashMap<>(image.env());
        for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            }
        }
        List<String> writable = new ArrayList<>();
        for (Map<String, Object> m : (List<Map<String, Object>>) c.getOrDefault("volumeMounts", List.of())) {
            if (!Boolean.TRUE.equals(m.get("readOnly"))) {
                writable.add((String) m.get("mountPath"));
            }
        }
        Config file = ConfigFactory.empty();
        for (Object arg : (List<Object>) c.getOrDefault("args", List.of())) {
            if (arg.toString().startsWith("--config.file=")) {
                String name = Path.of(arg.toString().substring("--config.file=".length()))
                        .getFileName()
                        .toString();
                assertTrue(configDir != null, manifest + " reads " + arg + ": name the directory it comes from");
                file = ConfigFactory.parseFile(configDir.resolve(name).toFile());
            }
        }
        String workdir = (String) c.getOrDefault("workingDir", image.workdir());
        return new Container(manifest, workdir, env, writable, file);
    }
}
