package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's Java runtime is cut by jlink from the Dockerfile's JAVA_MODULES: a module the product needs and that
 * list lacks fails only inside the image (as jdk.crypto.ec once did: no ECDHE, every sign-in a handshake_failure).
 * So: every module jdeps finds in the packaged jar is in the list, and the packaged jar, started on a runtime jlinked
 * from exactly that list with the image's ENTRYPOINT flags, serves the demo over TLS (EC key, TLS 1.2 ECDHE and TLS 1.3),
 * exports the JVM metrics, and reaches an HTTPS sign-in endpoint through the handshake to the certificate check.
 */
class ContainerRuntimeIT {
    private static final Path JAR = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    static Set<String> dockerfileModules() throws IOException {
        Matcher m = Pattern.compile("(?m)^ARG JAVA_MODULES=(\\S+)$").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "Dockerfile: ARG JAVA_MODULES=...");
        String df = Files.readString(Path.of("Dockerfile"));
        assertTrue(df.contains("jlink --add-modules \"${JAVA_MODULES}\""), "the jlink stage uses JAVA_MODULES");
        return new TreeSet<>(Arrays.asList(m.group(1).split(",")));
    }

    @Test
    void everyModuleJdepsFindsInThePackagedJarIsInTheImage() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "packaged jar " + JAR + " exists (run mvn verify, not mvn test)");
        Result r = run(
                300,
                JDK.resolve("bin/jdeps").toString(),
                "--ignore-missing-deps",
                "--multi-release",
                "17",
                "--print-module-deps",
                JAR.toString());
        assertEquals(0, r.code(), r.output());
        String last = r.output().strip().lines().reduce((a, b) -> b).orElse("");
        Set<String> needed = new TreeSet<>(Arrays.asList(last.split(",")));
        assertTrue(needed.contains("java.base"), "jdeps answered a module list: " + r.output());
        needed.removeAll(dockerfileModules());
        assertEquals(Set.of(), needed, "modules the jar uses that the Dockerfile's JAVA_MODULES lacks");
    }

    @Test
    void thePackagedJarServesTlsAndSignsInOverTlsOnTheJlinkedRuntime() throws Exception {
        Path jmods = JDK.resolve("jmods");
        assumeTrue(Files.isDirectory(jmods) || System.getenv("CI") != null, "no jmods in " + JDK);
        assertTrue(Files.isDirectory(jmods), "jlink needs " + jmods + " (Debian: openjdk-17-jmods)");
        Path jre = dir.resolve("jre");
        Result jlink = run(
                300,
                JDK.resolve("bin/jlink").toString(),
                "--add-modules",
                String.join(",", dockerfileModules()),
                "--strip-debug",
                "--no-man-pages",
                "--no-header-files",
                "--output",
                jre.toString());
        assertEquals(0, jlink.code(), jlink.output());

        TestCertificates server = TestCertificates.create(dir, "server", "EC", true);
        Files.writeString(
                dir.resolve("web.yml"), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        int port = freePort();
        Process demo = start(
                jre,
                "demo",
                List.of(),
                "--demo",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.config.file=" + dir.resolve("web.yml"));
        try {
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(server, null))
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            String base = "https://127.0.0.1:" + port;
            awaitOk(demo, https, base + "/-/ready");
            String metrics = get(https, base + "/metrics").body();
            assertTrue(metrics.contains("\nintune_managed_devices{"), "demo data");
            assertTrue(metrics.contains("\njvm_memory_used_bytes{"), "JVM metrics (jdk.management)");
            assertTrue(metrics.contains("\nprocess_cpu_seconds_total"), "process metrics");
            SSLParameters tls12 = new SSLParameters(
                    new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"}, new String[] {"TLSv1.2"});
            HttpClient ecdhe = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(server, null))
                    .sslParameters(tls12)
                    .build();
            assertEquals(200, get(ecdhe, base + "/-/healthy").statusCode(), "TLS 1.2 ECDHE with an EC key");

            // A sign-in over HTTPS from the jlinked runtime: the handshake completes up to the certificate check
            // (the demo's certificate is not trusted), so the TLS client has what it needs.
            String secret = "Zq8~jlink-never-log-this-7Hc";
            Path secretFile = Files.writeString(dir.resolve("client-secret"), secret + "\n");
            int other = freePort();
            Process real = start(
                    jre,
                    "real",
                    List.of(
                            "AZURE_TENANT_ID=00000000-0000-0000-0000-000000000001",
                            "AZURE_CLIENT_ID=00000000-0000-0000-0000-000000000002",
                            "AZURE_CLIENT_SECRET_FILE=" + secretFile),
                    "--web.listen-address=127.0.0.1:" + other,
                    "--log.level=debug",
                    "--collector.disable-defaults",
                    "--collector.compliance",
                    "--set=intune.graph.authority-host=" + base,
                    "--set=intune.graph.max-retries=0");
            try {
                String log = "";
                for (int i = 0; i < 240 && !log.contains("collector compliance failed"); i++) {
                    assertTrue(real.isAlive(), "the exporter runs: " + log);
                    Thread.sleep(250);
                    log = Files.readString(dir.resolve("real.log"));
                }
                assertTrue(log.contains("collector compliance failed"), log);
                assertTrue(
                        log.contains("certification path") || log.contains("PKIX"),
                        "the TLS handshake reached the certificate check: " + log);
                assertFalse(log.contains("handshake_failure"), log);
                assertFalse(log.contains(secret), "the client secret is never logged");
            } finally {
                stop(real);
            }
        } finally {
            stop(demo);
        }
    }

    /** The jar on the jlinked runtime with the image's ENTRYPOINT JVM flags; the environment is only {@code env}. */
    private Process start(Path jre, String name, List<String> env, String... args) throws IOException {
        String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElseThrow();
        List<String> command = new ArrayList<>(List.of(jre.resolve("bin/java").toString()));
        Matcher flag = Pattern.compile("\"(-X[^\"]+)\"").matcher(entrypoint);
        while (flag.find()) {
            command.add(flag.group(1));
        }
        command.add("-Xmx256m");
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().clear();
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        return pb.start();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitOk(Process p, HttpClient client, String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertTrue(p.isAlive(), "the exporter runs: " + Files.readString(dir.resolve("demo.log")));
            try {
                if (get(client, url).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, url + ": " + Files.readString(dir.resolve("demo.log")));
            Thread.sleep(250);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Result(int code, String output) {}

    private Result run(int seconds, String... command) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }
}
