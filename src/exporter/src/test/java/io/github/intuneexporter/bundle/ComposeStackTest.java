package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and what it mounts, as far as a machine without a Docker engine can check: the file parses,
 * every mounted path exists, Prometheus' config (with the rules it mounts) passes promtool, Grafana provisioning
 * points at the mounted dashboards, the Dockerfile builds a non-root jlink/distroless image.
 */
class ComposeStackTest {
    static final Path COMPOSE = Bundle.ROOT.resolve("docker-compose.yml");

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) {
        Map<String, Object> services =
                (Map<String, Object>) Bundle.yamlMap(COMPOSE).get("services");
        Map<String, Object> s = (Map<String, Object>) services.get(name);
        assertTrue(s != null, "service " + name + " in docker-compose.yml");
        return s;
    }

    @SuppressWarnings("unchecked")
    static List<String> volumes(String service) {
        return (List<String>) service(service).getOrDefault("volumes", List.of());
    }

    /** The container path a host path is mounted at, e.g. ./grafana-dashboards -> /etc/grafana/dashboards/intune. */
    static String mountTarget(String service, String hostPath) {
        for (String v : volumes(service)) {
            String[] parts = v.split(":");
            if (parts[0].equals(hostPath)) {
                return parts[1];
            }
        }
        throw new AssertionError(service + " does not mount " + hostPath);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stackHasTheFourServicesWithPinnedImagesOnLoopbackPorts() {
        Map<String, Object> services =
                (Map<String, Object>) Bundle.yamlMap(COMPOSE).get("services");
        // Services with a profile (the monthly report) run only on request: the stack is the four others.
        List<String> stack = services.keySet().stream()
                .filter(n -> !service(n).containsKey("profiles"))
                .toList();
        assertEquals(List.of("intune-exporter", "prometheus", "alertmanager", "grafana"), stack);
        for (String name : services.keySet()) {
            Map<String, Object> s = service(name);
            Object image = s.get("image");
            if (!image.toString().equals("intune-exporter:local")) {
                assertTrue(
                        image != null && image.toString().matches("[a-z0-9./-]+:v?[0-9][0-9.]*"),
                        name + ": image pinned to a version, not " + image);
            }
            for (Object port : (List<Object>) s.getOrDefault("ports", List.of())) {
                assertTrue(port.toString().startsWith("127.0.0.1:"), name + ": publish on 127.0.0.1 only, not " + port);
            }
        }
    }

    /** The report profile runs the report command for the previous month against the stack's Prometheus, into a volume. */
    @Test
    @SuppressWarnings("unchecked")
    void reportProfileWritesThePreviousMonthToAVolume() {
        Map<String, Object> report = service("intune-report");
        assertEquals(List.of("report"), report.get("profiles"), "runs only with --profile report");
        List<String> command = (List<String>) report.get("command");
        assertEquals("report", command.get(0));
        assertEquals("http://prometheus:9090", command.get(command.indexOf("--prometheus") + 1));
        assertEquals("previous", command.get(command.indexOf("--month") + 1));
        String output = command.get(command.indexOf("--output") + 1);
        String volume = volumes("intune-report").stream()
                .filter(v -> output.startsWith(v.split(":")[1]))
                .findFirst()
                .orElseThrow(() -> new AssertionError("--output " + output + " is not on a volume"));
        Map<String, Object> named =
                (Map<String, Object>) Bundle.yamlMap(COMPOSE).get("volumes");
        assertTrue(named.containsKey(volume.split(":")[0]), "a named volume keeps the reports: " + volume);
        assertEquals(Boolean.TRUE, report.get("read_only"));
    }

    @Test
    void everyMountedPathExists() {
        List<String> missing = new ArrayList<>();
        for (String service : List.of("intune-exporter", "prometheus", "alertmanager", "grafana")) {
            for (String v : volumes(service)) {
                String source = v.split(":")[0];
                if (source.startsWith("./") && !Files.exists(Bundle.ROOT.resolve(source))) {
                    missing.add(service + ": " + source);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void exporterRunsDemoModeWithoutCredentialsAndRealModeFromEnv() throws IOException {
        Map<String, Object> exporter = service("intune-exporter");
        assertEquals(".", exporter.get("build"));
        String command = String.valueOf(exporter.get("command"));
        Matcher m = Pattern.compile("^\\$\\{INTUNE_EXPORTER_ARGS:-(.*)}$").matcher(command);
        assertTrue(m.matches(), "command defaults through ${INTUNE_EXPORTER_ARGS:-...}: " + command);
        assertTrue(
                m.group(1).contains("--demo") && m.group(1).contains("--web.listen-address=0.0.0.0:9786"),
                "default command is demo mode: " + m.group(1));
        assertEquals(Boolean.TRUE, exporter.get("read_only"), "read-only root filesystem");

        String env = Files.readString(Bundle.ROOT.resolve(".env.example"));
        String compose = Files.readString(COMPOSE);
        Matcher keys = Pattern.compile("(?m)^#?\\s*([A-Z_]+)=").matcher(env);
        List<String> unused = new ArrayList<>();
        while (keys.find()) {
            if (!compose.contains("${" + keys.group(1))) {
                unused.add(keys.group(1));
            }
        }
        assertEquals(List.of(), unused, ".env.example keys that docker-compose.yml does not use");
        Matcher args = Pattern.compile("(?m)^INTUNE_EXPORTER_ARGS=(.*)$").matcher(env);
        assertTrue(
                args.find()
                        && !args.group(1).contains("--demo")
                        && args.group(1).contains("--web.listen-address"),
                ".env.example leaves demo mode");
        assertFalse(env.matches("(?s).*AZURE_CLIENT_SECRET=.*"), ".env.example must not invite a plain secret");
        String secretDir = mountTarget("intune-exporter", "./deploy/exporter/secrets");
        assertTrue(
                env.contains("AZURE_CLIENT_SECRET_FILE=" + secretDir + "/"),
                "the secret file lives in the mounted secrets directory");
    }

    /** Lays out Prometheus' container files from the compose mounts and runs promtool check config on them. */
    @Test
    void prometheusConfigPassesPromtoolWithTheMountedRules() throws IOException {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        Path root = Files.createTempDirectory("prometheus-container");
        try {
            for (String v : volumes("prometheus")) {
                String[] parts = v.split(":");
                if (!parts[0].startsWith("./")) {
                    continue;
                }
                copy(Bundle.ROOT.resolve(parts[0]), root.resolve(parts[1].substring(1)));
            }
            Path config = root.resolve("etc/prometheus/prometheus.yml");
            Tools.Result r = Tools.run(root, 60, promtool.toString(), "check", "config", config.toString());
            assertTrue(r.ok(), r.output());
            assertTrue(
                    r.output().contains("3 rule files found"),
                    "thresholds, recording rules and alerts are loaded: " + r.output());
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheExporterAndKeepsAWeekOfHistory() {
        Map<String, Object> prom = Bundle.yamlMap(Bundle.ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Map<String, Object> job = ((List<Map<String, Object>>) prom.get("scrape_configs")).get(0);
        assertTrue(job.get("job_name").toString().contains("intune"), "IntuneExporterDown selects jobs named *intune*");
        assertTrue(job.toString().contains("intune-exporter:9786"));
        List<String> command = (List<String>) service("prometheus").get("command");
        String retention = command.stream()
                .filter(c -> c.startsWith("--storage.tsdb.retention.time="))
                .findFirst()
                .orElse("");
        Matcher days = Pattern.compile("=(\\d+)d$").matcher(retention);
        assertTrue(
                days.find() && Integer.parseInt(days.group(1)) > 7,
                "the enrollment alerts need more than 7 days: " + retention);
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedWithTheDataSourceAndTheMountedDashboards() {
        Path provisioning = Bundle.ROOT.resolve("deploy/grafana/provisioning");
        assertEquals("/etc/grafana/provisioning", mountTarget("grafana", "./deploy/grafana/provisioning"));
        Map<String, Object> ds = ((List<Map<String, Object>>)
                        Bundle.yamlMap(provisioning.resolve("datasources/intune.yml"))
                                .get("datasources"))
                .get(0);
        assertEquals("prometheus", ds.get("type"));
        assertEquals("http://prometheus:9090", ds.get("url"));
        Map<String, Object> prom = Bundle.yamlMap(Bundle.ROOT.resolve("deploy/prometheus/prometheus.yml"));
        assertEquals(
                ((Map<String, Object>) prom.get("global")).get("scrape_interval"),
                ((Map<String, Object>) ds.get("jsonData")).get("timeInterval"),
                "$__rate_interval needs the data source's scrape interval");
        Map<String, Object> provider = ((List<Map<String, Object>>)
                        Bundle.yamlMap(provisioning.resolve("dashboards/intune.yml"))
                                .get("providers"))
                .get(0);
        String dashboardsInContainer = mountTarget("grafana", "./grafana-dashboards");
        assertEquals(dashboardsInContainer, ((Map<String, Object>) provider.get("options")).get("path"));
        Map<String, Object> env = (Map<String, Object>) service("grafana").get("environment");
        String home = String.valueOf(env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"));
        assertTrue(
                home.startsWith(dashboardsInContainer + "/")
                        && Files.exists(Bundle.DASHBOARDS.resolve(home.substring(dashboardsInContainer.length() + 1))),
                "home dashboard " + home);
    }

    @Test
    void alertmanagerGetsItsConfigAndSecrets() throws IOException {
        assertEquals(
                "/etc/alertmanager/alertmanager.yml",
                mountTarget("alertmanager", "./deploy/alertmanager/alertmanager.yml"));
        String secrets = mountTarget("alertmanager", "./deploy/alertmanager/secrets");
        String config = Files.readString(AlertmanagerConfigTest.CONFIG);
        Matcher m = Pattern.compile("_file: (\\S+)").matcher(config);
        while (m.find()) {
            assertTrue(
                    m.group(1).startsWith(secrets + "/"), "secret " + m.group(1) + " lies in the mounted " + secrets);
        }
    }

    @Test
    void dockerfileBuildsANonRootJlinkImage() throws IOException {
        String df = Files.readString(Bundle.ROOT.resolve("Dockerfile"));
        long stages = df.lines().filter(l -> l.startsWith("FROM ")).count();
        assertTrue(stages >= 3, "multi-stage: build, jlink, runtime");
        assertTrue(
                df.contains("jlink ")
                        && df.contains("jdk.httpserver")
                        && df.contains("jdk.crypto.ec")
                        && df.contains("jdk.management"),
                "jlink runtime with jdk.httpserver, jdk.crypto.ec and jdk.management");
        String last = df.substring(df.lastIndexOf("\nFROM "));
        assertTrue(last.contains("distroless") && last.contains("nonroot"), "distroless nonroot runtime");
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(last);
        assertTrue(
                user.find() && !user.group(1).startsWith("0") && !user.group(1).startsWith("root"), "non-root USER");
        assertTrue(
                last.matches("(?s).*\\nENTRYPOINT \\[\"[^\"]+java\".*"),
                "exec-form ENTRYPOINT so the JVM gets SIGTERM");
        assertTrue(Files.exists(Bundle.ROOT.resolve(".dockerignore")));
    }

    /**
     * The image runs as uid 65532, and Docker creates a named volume's root as root:root 0755 unless the image has a
     * directory at the mount point, whose ownership it copies: so every named volume an exporter-image service writes to
     * must be mounted on a directory the Dockerfile gives the nonroot user (COPY --chown=65532:65532 ... DIR).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyNamedVolumeOfTheExporterImageIsADirectoryOwnedByTheNonrootUser() throws IOException {
        String df = Files.readString(Bundle.ROOT.resolve("Dockerfile"));
        String last = df.substring(df.lastIndexOf("\nFROM "));
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(last);
        assertTrue(user.find(), "numeric USER");
        List<String> owned = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY .*--chown=" + user.group(1) + "\\S* \\S+ (\\S+)$")
                .matcher(last);
        while (copy.find()) {
            owned.add(copy.group(1));
        }
        Map<String, Object> services =
                (Map<String, Object>) Bundle.yamlMap(COMPOSE).get("services");
        Map<String, Object> named =
                (Map<String, Object>) Bundle.yamlMap(COMPOSE).get("volumes");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String name : services.keySet()) {
            if (!"intune-exporter:local".equals(service(name).get("image"))) {
                continue;
            }
            for (String v : volumes(name)) {
                String[] parts = v.split(":");
                if (named.containsKey(parts[0]) && !(parts.length > 2 && parts[2].contains("ro"))) {
                    checked++;
                    if (!owned.contains(parts[1])) {
                        problems.add(
                                name + ": " + v + " (the image gives uid " + user.group(1) + " only " + owned + ")");
                    }
                }
            }
        }
        assertTrue(checked >= 2, "the state and report volumes");
        assertEquals(List.of(), problems);
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
