package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.bundle.KustomizePatches;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The packaged jar started exactly as each shipped deployment starts it: the arguments and environment of the
 * Kubernetes manifests (with the overlays' and components' patches applied), the Dockerfile and docker-compose.yml, with
 * every container path they name (secret and config mounts) mapped to a temporary directory filled the way the
 * Secret, ConfigMap or bind mount fills it. Each setting must take effect (a flag that is accepted but never applied,
 * like --shard once, fails here), and each probe and scrape path answers on the container port.
 */
class ShippedDeploymentsIT {
    private static final Path JAR = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
    private static final Path K8S = Path.of("deploy/kubernetes");
    private static final String SECRET = "Zq8~deployment-never-log-this-7Hc";

    @TempDir
    Path dir;

    /** A container as a manifest starts it. */
    record Container(List<String> args, Map<String, String> env, Map<String, Object> spec, Map<String, Object> pod) {}

    // ---- Kubernetes ------------------------------------------------------------------------------------------------

    @Test
    void theDemoOverlayAnswersItsProbesAndTheServiceMonitorScrapesItsPort() throws Exception {
        Map<String, Object> deployment = manifest("base/deployment.yaml");
        applyPatches(deployment, "overlays/demo/kustomization.yaml", "Deployment");
        Container c = container(deployment, Map.of());
        assertTrue(c.args().contains("--demo"), c.args().toString());
        checkPortsAgree(c);
        try (Daemon d = start(c, Map.of())) {
            probe(d, c, "readinessProbe", Duration.ofSeconds(120));
            probe(d, c, "livenessProbe", Duration.ofSeconds(10));
            @SuppressWarnings("unchecked")
            Map<String, Object> endpoint = ((List<Map<String, Object>>)
                            ((Map<String, Object>) manifest("components/prometheus-operator/servicemonitor.yaml")
                                            .get("spec"))
                                    .get("endpoints"))
                    .get(0);
            HttpResponse<String> scrape = get(d.client, "http://127.0.0.1:" + d.port + endpoint.get("path"), Map.of());
            assertEquals(200, scrape.statusCode(), "ServiceMonitor path " + endpoint.get("path"));
            assertTrue(scrape.body().contains("\nintune_managed_devices{"), "demo data on the scrape path");
        }
    }

    /** The web-security component: TLS and basic auth, with probes that still answer 200 with their header. */
    @Test
    @SuppressWarnings("unchecked")
    void theWebSecurityComponentsProbesAnswerOverTlsWithTheirAuthorizationHeader() throws Exception {
        Map<String, Object> deployment = manifest("base/deployment.yaml");
        applyPatches(deployment, "overlays/demo/kustomization.yaml", "Deployment");
        applyPatches(deployment, "components/web-security/kustomization.yaml", "Deployment");
        Container c = container(deployment, Map.of());
        // The Secret intune-exporter-web as the component's comment tells to create it; the probes' password is the
        // one in their header (probe:CHANGE-ME until the user replaces both).
        Map<String, Object> readiness = (Map<String, Object>) c.spec().get("readinessProbe");
        Map<String, Object> get = (Map<String, Object>) readiness.get("httpGet");
        String header =
                ((List<Map<String, String>>) get.get("httpHeaders")).get(0).get("value");
        String[] user = new String(
                        Base64.getDecoder().decode(header.substring("Basic ".length())), StandardCharsets.UTF_8)
                .split(":", 2);
        Path web = mountDir(c, "web-config");
        TestCertificates server = TestCertificates.create(web, "tls", "EC", true);
        Files.writeString(
                web.resolve("web.yml"),
                "tls_server_config: { cert_file: tls.crt, key_file: tls.key }\nbasic_auth_users: { prometheus: '"
                        + bcrypt("scrape") + "', " + user[0] + ": '" + bcrypt(user[1]) + "' }\n");
        HttpClient https = HttpClient.newBuilder()
                .sslContext(TestCertificates.clientContext(server, null))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        try (Daemon d = start(c, Map.of("web-config", web), https)) {
            probe(d, c, "readinessProbe", Duration.ofSeconds(120));
            probe(d, c, "livenessProbe", Duration.ofSeconds(10));
            assertEquals(
                    401,
                    get(https, "https://127.0.0.1:" + d.port + "/metrics", Map.of())
                            .statusCode(),
                    "without credentials");
        }
    }

    /** The base Deployment (real tenant): the client secret is read from where the Secret volume puts it. */
    @Test
    void theBaseDeploymentReadsTheClientSecretFromItsSecretVolume() throws Exception {
        Map<String, String> secret = Map.of(
                "tenant-id", "00000000-0000-0000-0000-0000000000a1",
                "client-id", "00000000-0000-0000-0000-0000000000a2",
                "client-secret", SECRET);
        Container c = container(manifest("base/deployment.yaml"), secret);
        Path credentials = secretVolume(c, "credentials", secret);
        Result r = configCheck(c, Map.of("credentials", credentials), Map.of());
        assertEquals(0, r.code(), r.output());
        assertTrue(
                r.output().contains("tenant default: client-secret, tenant id 00000000-0000-0000-0000-0000000000a1"),
                r.output());
        assertTrue(r.output().contains("listen address: 0.0.0.0:9786"), r.output());
        assertFalse(r.output().contains(SECRET), "the secret is never printed");
        // The same without the secret file: the exporter says what is missing (so the check above really read it).
        Files.delete(credentials.resolve("client-secret"));
        Result missing = configCheck(c, Map.of("credentials", credentials), Map.of());
        assertEquals(2, missing.code(), missing.output());
    }

    /** The sharded overlay: replica i of N (HOSTNAME = pod name) reads its share; together every tenant exactly once. */
    @Test
    @SuppressWarnings("unchecked")
    void everyReplicaOfTheShardedOverlayReadsItsShareAndTogetherEveryTenantOnce() throws Exception {
        Map<String, Object> sts = manifest("overlays/msp-sharded/statefulset.yaml");
        Map<String, String> secret = new LinkedHashMap<>(Map.of("client-id", "00000000-0000-0000-0000-0000000000b2"));
        Container c = container(sts, secret);
        // The ConfigMap from the overlay's configMapGenerator, mounted at the config volume.
        Path config = mountDir(c, "config");
        Path overlay = K8S.resolve("overlays/msp-sharded");
        Map<String, Object> kustomization = yaml(overlay.resolve("kustomization.yaml"));
        for (Map<String, Object> gen : (List<Map<String, Object>>) kustomization.get("configMapGenerator")) {
            for (Object f : (List<Object>) gen.get("files")) {
                Files.copy(
                        overlay.resolve(f.toString()),
                        config.resolve(Path.of(f.toString()).getFileName()));
            }
        }
        Path credentialsMount = Path.of(mountPath(c, "credentials"));
        List<String> tenants = new ArrayList<>();
        for (Config t : ConfigFactory.parseFile(overlay.resolve("tenants.conf").toFile())
                .getConfigList("intune.tenants")) {
            tenants.add(t.getString("name"));
            Path file = Path.of(t.getString("auth.client-secret-file"));
            assertTrue(file.startsWith(credentialsMount), file + " lies in the Secret's mount " + credentialsMount);
            secret.put(file.getFileName().toString(), SECRET);
        }
        Path credentials = secretVolume(c, "credentials", secret);
        int replicas = ((Number) ((Map<String, Object>) sts.get("spec")).get("replicas")).intValue();
        String podPrefix = ((Map<String, Object>) sts.get("metadata")).get("name") + "-";
        List<String> read = new ArrayList<>();
        Pattern tenantLine = Pattern.compile("(?m)^  tenant (\\S+)(?: \\([^)]*\\))?: client-secret");
        for (int i = 0; i < replicas; i++) {
            Result r = configCheck(
                    c, Map.of("config", config, "credentials", credentials), Map.of("HOSTNAME", podPrefix + i));
            assertEquals(0, r.code(), podPrefix + i + ": " + r.output());
            assertFalse(r.output().contains(SECRET), "the secret is never printed");
            Matcher m = tenantLine.matcher(r.output());
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertEquals(new TreeSet<>(tenants), new TreeSet<>(read), "every tenant is read");
        assertEquals(tenants.size(), read.size(), "by exactly one replica: " + read);
    }

    // ---- Prometheus: per-tenant scraping (deploy/prometheus/msp)
    // -----------------------------------------------------

    /**
     * The per-tenant example scrapes each tenant's /probe and each replica's /metrics filtered to the process-level
     * families (name[] params). Together they must serve every series the alert rules and dashboards use: a family
     * missing from both (or a name[] that names no family) leaves an alert or panel empty, e.g. no
     * intune_exporter_build_info makes IntuneExporterAbsent fire for good and inhibit every Intune alert.
     */
    @Test
    @SuppressWarnings("unchecked")
    void thePerTenantScrapeConfigCollectsEverySeriesTheRulesAndDashboardsUse() throws Exception {
        Map<String, Object> config = yaml(Path.of("deploy/prometheus/msp/prometheus-per-tenant.yml"));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        Map<String, Object> process = jobs.stream()
                .filter(j -> "/metrics".equals(j.get("metrics_path")))
                .findFirst()
                .orElseThrow();
        List<String> names = (List<String>) ((Map<String, Object>) process.get("params")).get("name[]");
        Container demo = new Container(
                List.of("--demo", "--set=intune.demo.tenants=2", "--web.listen-address=127.0.0.1:0"),
                Map.of(),
                Map.of(),
                Map.of());
        try (Daemon d = start(demo, Map.of())) {
            String base = "http://127.0.0.1:" + d.port;
            awaitReady(d, base + "/-/ready");
            java.util.Set<String> all =
                    sampleNames(get(d.client, base + "/metrics", Map.of()).body());
            java.util.Set<String> scraped = new TreeSet<>();
            StringBuilder query = new StringBuilder();
            for (String n : names) {
                query.append(query.length() == 0 ? "?" : "&").append("name[]=").append(n);
                java.util.Set<String> one = sampleNames(
                        get(d.client, base + "/metrics?name[]=" + n, Map.of()).body());
                assertFalse(one.isEmpty(), "name[]=" + n + " selects no family of /metrics");
            }
            scraped.addAll(sampleNames(
                    get(d.client, base + "/metrics" + query, Map.of()).body()));
            Matcher tenant = Pattern.compile("(?m)^intune_tenant_info\\{[^}]*tenant=\"([^\"]+)\"")
                    .matcher(get(d.client, base + "/metrics", Map.of()).body());
            int tenants = 0;
            while (tenant.find()) {
                tenants++;
                HttpResponse<String> probe = get(d.client, base + "/probe?tenant=" + tenant.group(1), Map.of());
                assertEquals(200, probe.statusCode());
                scraped.addAll(sampleNames(probe.body()));
            }
            assertEquals(2, tenants, "two demo tenants");
            java.util.Set<String> used = new TreeSet<>();
            List<Path> sources = new ArrayList<>();
            try (var files = Files.list(Path.of("alert-rules"))) {
                files.filter(f -> f.toString().endsWith(".yml")).forEach(sources::add);
            }
            try (var files = Files.list(Path.of("grafana-dashboards"))) {
                files.filter(f -> f.toString().endsWith(".json")).forEach(sources::add);
            }
            for (Path f : sources) {
                Matcher m = Pattern.compile("(?<![:\\w])((?:intune|jvm|process)_[a-z0-9_]+)")
                        .matcher(Files.readString(f));
                while (m.find()) {
                    if (all.contains(m.group(1))) {
                        used.add(m.group(1));
                    }
                }
            }
            assertTrue(used.contains("intune_exporter_build_info"), used.toString());
            used.removeAll(scraped);
            assertEquals(
                    java.util.Set.of(),
                    used,
                    "series the rules and dashboards use that neither /probe nor name[] collects");
        }
    }

    private static java.util.Set<String> sampleNames(String exposition) {
        java.util.Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        return out;
    }

    private void awaitReady(Daemon d, String url) throws Exception {
        for (int i = 0; i < 480; i++) {
            assertTrue(d.process.isAlive(), "the exporter runs: " + Files.readString(d.log));
            try {
                if (get(d.client, url, Map.of()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " never ready: " + Files.readString(d.log));
    }

    // ---- Dockerfile and docker-compose.yml -------------------------------------------------------------------------

    @Test
    void theImagesDefaultCommandAndEnvironmentTakeEffect() throws Exception {
        String df = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Map<String, String> env = new LinkedHashMap<>();
        Matcher envLine = Pattern.compile("(?m)^ENV (.*)$").matcher(df.substring(df.lastIndexOf("\nFROM ")));
        while (envLine.find()) {
            for (String pair : envLine.group(1).strip().split("\\s+")) {
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Matcher cmd = Pattern.compile("(?m)^CMD \\[(.*)]$").matcher(df);
        assertTrue(cmd.find(), "exec-form CMD");
        List<String> args = new ArrayList<>();
        for (String a : cmd.group(1).split(",")) {
            args.add(a.strip().replaceAll("^\"|\"$", ""));
        }
        args.addAll(List.of("--demo", "--config.check"));
        env.remove("JAVA_HOME");
        Result r = run(args, env);
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("listen address: 0.0.0.0:9786"), r.output());
        Matcher expose = Pattern.compile("(?m)^EXPOSE (\\d+)$").matcher(df);
        assertTrue(expose.find() && r.output().contains(":" + expose.group(1) + ","), "EXPOSE is the listen port");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeStartsTheDemoByDefaultAndTheRealTenantFromEnvExample() throws Exception {
        Map<String, Object> compose = yaml(Path.of("docker-compose.yml"));
        Map<String, Object> service =
                (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("intune-exporter");
        Map<String, String> dotEnv = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (line.matches("[A-Z_]+=.*")) {
                dotEnv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        // The secrets directory as bind-mounted, with the file .env.example names.
        String mount = ((List<String>) service.get("volumes"))
                .stream()
                        .filter(v -> v.startsWith("./deploy/exporter/secrets:"))
                        .findFirst()
                        .orElseThrow()
                        .split(":")[1];
        Path secrets = Files.createDirectories(dir.resolve("compose-secrets"));
        Files.writeString(
                secrets.resolve(Path.of(dotEnv.get("AZURE_CLIENT_SECRET_FILE")).getFileName()), SECRET + "\n");
        for (Map<String, String> vars : List.of(Map.<String, String>of(), dotEnv)) {
            String command = interpolate(String.valueOf(service.get("command")), vars);
            Map<String, String> env = new LinkedHashMap<>();
            ((Map<String, Object>) service.get("environment"))
                    .forEach((k, v) ->
                            env.put(k, interpolate(String.valueOf(v), vars).replace(mount, secrets.toString())));
            List<String> args = new ArrayList<>(List.of(command.split("\\s+")));
            args.add("--config.check");
            Result r = run(args, env);
            assertEquals(0, r.code(), vars.isEmpty() ? "demo: " : "real: " + r.output());
            assertTrue(r.output().contains("listen address: 0.0.0.0:9786"), r.output());
            assertFalse(r.output().contains(SECRET), "the secret is never printed");
            if (vars.isEmpty()) {
                assertTrue(r.output().contains("simulated"), "no .env: demo mode: " + r.output());
            } else {
                assertTrue(
                        r.output()
                                .contains("tenant default: client-secret, tenant id " + dotEnv.get("AZURE_TENANT_ID")),
                        "the .env.example tenant, signing in with the mounted secret file: " + r.output());
            }
        }
    }

    /** Compose's ${VAR:-default} and ${VAR}, with the .env file's values. */
    private static String interpolate(String s, Map<String, String> vars) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)(?::-([^}]*))?}").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.getOrDefault(m.group(1), "");
            m.appendReplacement(
                    out, Matcher.quoteReplacement(value.isEmpty() && m.group(2) != null ? m.group(2) : value));
        }
        return m.appendTail(out).toString();
    }

    // ---- Manifests -------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(file));
    }

    private static Map<String, Object> manifest(String file) throws IOException {
        return yaml(K8S.resolve(file));
    }

    private static void applyPatches(Map<String, Object> doc, String kustomization, String kind) throws IOException {
        assertEquals(kind, doc.get("kind"));
        assertTrue(KustomizePatches.apply(doc, K8S.resolve(kustomization)) > 0, kustomization + " patches the " + kind);
    }

    /** The first container; env values from secretKeyRef come from {@code secret} (absent: unset, as optional). */
    @SuppressWarnings("unchecked")
    private static Container container(Map<String, Object> workload, Map<String, String> secret) {
        Map<String, Object> pod = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) workload.get("spec")).get("template")).get("spec");
        Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertFalse(c.containsKey("command"), "the image's ENTRYPOINT runs");
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) c.getOrDefault("env", List.of())) {
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            } else {
                Map<String, Object> ref =
                        (Map<String, Object>) ((Map<String, Object>) e.get("valueFrom")).get("secretKeyRef");
                if (secret.containsKey(ref.get("key").toString())) {
                    env.put((String) e.get("name"), secret.get(ref.get("key").toString()));
                }
            }
        }
        List<String> args = ((List<Object>) c.getOrDefault("args", List.of()))
                .stream().map(Object::toString).toList();
        return new Container(args, env, c, pod);
    }

    @SuppressWarnings("unchecked")
    private static String mountPath(Container c, String volume) {
        return ((List<Map<String, Object>>) c.spec().get("volumeMounts"))
                .stream()
                        .filter(m -> volume.equals(m.get("name")))
                        .map(m -> m.get("mountPath").toString())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private Path mountDir(Container c, String volume) throws IOException {
        mountPath(c, volume);
        return Files.createDirectories(dir.resolve("volume-" + volume));
    }

    /** A Secret volume as the kubelet fills it: each key a file, or only the listed items under their path. */
    @SuppressWarnings("unchecked")
    private Path secretVolume(Container c, String volume, Map<String, String> secret) throws IOException {
        Path d = mountDir(c, volume);
        Map<String, Object> v = ((List<Map<String, Object>>) c.pod().get("volumes"))
                .stream().filter(x -> volume.equals(x.get("name"))).findFirst().orElseThrow();
        Map<String, Object> s = (Map<String, Object>) v.get("secret");
        List<Map<String, Object>> items = (List<Map<String, Object>>) s.get("items");
        if (items == null) {
            for (Map.Entry<String, String> e : secret.entrySet()) {
                Files.writeString(d.resolve(e.getKey()), e.getValue());
            }
        } else {
            for (Map<String, Object> item : items) {
                Files.writeString(
                        d.resolve(item.get("path").toString()),
                        secret.get(item.get("key").toString()));
            }
        }
        return d;
    }

    /** The container port the probes and the Service name, and the listen address of the arguments, are one. */
    @SuppressWarnings("unchecked")
    private static void checkPortsAgree(Container c) throws IOException {
        Map<String, Object> port = ((List<Map<String, Object>>) c.spec().get("ports")).get(0);
        String listen = c.args().stream()
                .filter(a -> a.startsWith("--web.listen-address="))
                .findFirst()
                .orElseThrow();
        assertTrue(listen.endsWith(":" + port.get("containerPort")), listen + " vs " + port);
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> get =
                    (Map<String, Object>) ((Map<String, Object>) c.spec().get(probe)).get("httpGet");
            assertEquals(port.get("name"), get.get("port"), probe);
        }
        Map<String, Object> servicePort = ((List<Map<String, Object>>)
                        ((Map<String, Object>) manifest("base/service.yaml").get("spec")).get("ports"))
                .get(0);
        assertEquals(port.get("name"), servicePort.get("targetPort"), "Service targetPort");
        Map<String, Object> endpoint = ((List<Map<String, Object>>)
                        ((Map<String, Object>) manifest("components/prometheus-operator/servicemonitor.yaml")
                                        .get("spec"))
                                .get("endpoints"))
                .get(0);
        assertEquals(servicePort.get("name"), endpoint.get("port"), "ServiceMonitor port");
    }

    // ---- Processes -------------------------------------------------------------------------------------------------

    private record Daemon(Process process, int port, HttpClient client, Path log) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertFalse(Files.readString(log).contains(SECRET), "the secret is never logged");
        }
    }

    private Daemon start(Container c, Map<String, Path> mounts) throws Exception {
        return start(
                c,
                mounts,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** Starts the jar with the container's arguments, its listen address moved to a free loopback port. */
    private Daemon start(Container c, Map<String, Path> mounts, HttpClient client) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>();
        for (String a : mapped(c, mounts, c.args())) {
            args.add(a.startsWith("--web.listen-address=") ? "--web.listen-address=127.0.0.1:" + port : a);
        }
        Path log = Files.createTempFile(dir, "daemon", ".log");
        Process p = process(args, mapped(c, mounts, c.env()), log);
        return new Daemon(p, port, client, log);
    }

    private Result configCheck(Container c, Map<String, Path> mounts, Map<String, String> extraEnv) throws Exception {
        List<String> args = new ArrayList<>(mapped(c, mounts, c.args()));
        args.add("--config.check");
        Map<String, String> env = new LinkedHashMap<>(mapped(c, mounts, c.env()));
        env.putAll(extraEnv);
        // A config file the args name is read from its mount: rewrite the container paths inside it too.
        for (String a : args) {
            if (a.startsWith("--config.file=")) {
                Path file = Path.of(a.substring("--config.file=".length()));
                Files.writeString(
                        file, mapped(c, mounts, List.of(Files.readString(file))).get(0));
            }
        }
        return run(args, env);
    }

    private List<String> mapped(Container c, Map<String, Path> mounts, List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (Map.Entry<String, Path> m : mounts.entrySet()) {
                v = v.replace(mountPath(c, m.getKey()), m.getValue().toString());
            }
            out.add(v);
        }
        return out;
    }

    private Map<String, String> mapped(Container c, Map<String, Path> mounts, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, mapped(c, mounts, List.of(v)).get(0)));
        // Writable paths the exporter may use (state files) stay inside the test's directory.
        out.replaceAll((k, v) -> v.startsWith("/var/lib/intune-exporter/")
                ? dir.resolve(v.substring(1)).toString()
                : v);
        return out;
    }

    private Process process(List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    record Result(int code, String output) {}

    private Result run(List<String> args, Map<String, String> env) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "packaged jar " + JAR + " exists (run mvn verify, not mvn test)");
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = process(args, env, log);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    /** Polls a probe of the container (path, scheme, headers) until it answers 200. */
    @SuppressWarnings("unchecked")
    private void probe(Daemon d, Container c, String probe, Duration limit) throws Exception {
        Map<String, Object> get =
                (Map<String, Object>) ((Map<String, Object>) c.spec().get(probe)).get("httpGet");
        String scheme = String.valueOf(get.getOrDefault("scheme", "HTTP")).toLowerCase(java.util.Locale.ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map<String, String> h : (List<Map<String, String>>) get.getOrDefault("httpHeaders", List.of())) {
            headers.put(h.get("name"), h.get("value"));
        }
        String url = scheme + "://127.0.0.1:" + d.port + get.get("path");
        long deadline = System.nanoTime() + limit.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            assertTrue(d.process.isAlive(), "the exporter runs: " + Files.readString(d.log));
            try {
                last = get(d.client, url, headers).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(probe + " " + url + " answered " + last + ", not 200: " + Files.readString(d.log));
    }

    private static HttpResponse<String> get(HttpClient client, String url, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
    }
}
