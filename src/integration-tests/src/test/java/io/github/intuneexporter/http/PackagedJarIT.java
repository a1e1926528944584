package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped jar, started as a user starts it ({@code java -jar target/intune-exporter.jar}), not the test
 * classpath: a dependency that only the tests have (snakeyaml once was) fails here.
 */
class PackagedJarIT {
    @TempDir
    Path dir;

    private Process process;
    private Path log;

    static Path jar() {
        Path jar = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
        assertTrue(Files.isRegularFile(jar), "packaged jar " + jar + " exists (run mvn verify, not mvn test)");
        return jar;
    }

    private int start(String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toString(),
                "--demo",
                "--demo-devices",
                "200",
                "--listen",
                "127.0.0.1:" + port));
        command.addAll(List.of(args));
        log = dir.resolve("exporter.log");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return port;
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private String output() throws IOException {
        return Files.readString(log);
    }

    private HttpResponse<String> waitFor(HttpClient client, String url, String authorization) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertTrue(process.isAlive(), "exporter is running: " + output());
            try {
                return get(client, url, authorization, Duration.ofSeconds(5));
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "exporter answered within 60 s: " + output());
                Thread.sleep(200);
            }
        }
    }

    /** Waits until every collector has finished its first run (/-/ready answers 200). */
    private void waitForReady(HttpClient client, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (waitFor(client, base + "/-/ready", null).statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "exporter ready within 120 s: " + output());
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String authorization, Duration timeout)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
    }

    @Test
    void webConfigWithTlsAndBasicAuthServesHttps() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "RSA", false);
        Path web = Files.writeString(
                dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        + "basic_auth_users:\n  prometheus: '" + bcrypt("scrape-pass") + "'\n");
        int port = start("--web.config.file", web.toString());
        HttpClient https = HttpClient.newBuilder()
                .sslContext(TestCertificates.clientContext(server, null))
                .build();
        String base = "https://127.0.0.1:" + port;
        String right = basic("prometheus", "scrape-pass");
        assertEquals(200, waitFor(https, base + "/-/healthy", right).statusCode(), output());
        assertEquals(
                401, get(https, base + "/metrics", null, Duration.ofSeconds(10)).statusCode());
        assertEquals(
                401,
                get(https, base + "/metrics", basic("prometheus", "wrong"), Duration.ofSeconds(10))
                        .statusCode());
        assertEquals(
                401,
                get(https, base + "/metrics", basic("nobody", "scrape-pass"), Duration.ofSeconds(10))
                        .statusCode());
        HttpResponse<String> metrics = get(https, base + "/metrics", right, Duration.ofSeconds(10));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("intune_exporter_build_info"), metrics.body());
        assertTrue(process.isAlive(), output());
    }

    /**
     * Clients that open a connection, send one byte (or, with TLS, the first byte of a handshake) and wait: before the
     * fix, four of them stalled every endpoint. Each must answer within a second while they hang on.
     */
    @ParameterizedTest
    @ValueSource(ints = {16, 100})
    void stalledClientsDoNotStallScrapes(int stalled) throws Exception {
        int port = start();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        String base = "http://127.0.0.1:" + port;
        // Measured once the first collections are done: their CPU is not what this test is about.
        waitForReady(http, base);
        assertStillAnswers(port, stalled, http, base);
    }

    @Test
    void stalledTlsHandshakesDoNotStallScrapes() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "EC", true);
        Path web = Files.writeString(
                dir.resolve("web.yml"), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
        int port = start("--web.config.file", web.toString());
        SSLContext trust = TestCertificates.clientContext(server, null);
        HttpClient https = HttpClient.newBuilder()
                .sslContext(trust)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        String base = "https://127.0.0.1:" + port;
        // Measured once the first collections are done: their CPU is not what this test is about.
        waitForReady(https, base);
        assertStillAnswers(port, 100, https, base);
    }

    /**
     * What an outside-in probe of the jar found: a Basic credential that is not base64 (or has no ':') got no answer
     * at all; HEAD /-/reload made the JDK print a two-line warning outside logfmt; Prometheus' own default Accept
     * header missed the cached text format. Each request gets its answer, and the log stays logfmt.
     */
    @Test
    void carelessRequestsGetAnAnswerAndTheLogStaysLogfmt() throws Exception {
        Path web = Files.writeString(
                dir.resolve("web.yml"), "basic_auth_users:\n  prometheus: '" + bcrypt("scrape-pass") + "'\n");
        int port = start("--web.config.file", web.toString(), "--web.enable-lifecycle");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        String right = basic("prometheus", "scrape-pass");
        assertEquals(200, waitFor(http, base + "/-/healthy", right).statusCode(), output());

        for (String credential :
                List.of("Basic !!!", "Basic " + Base64.getEncoder().encodeToString("x".getBytes()))) {
            String answer = raw(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: " + credential + "\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 401 "), credential + ": '" + answer + "'");
        }
        String head = raw(port, "HEAD /-/reload HTTP/1.1\r\nHost: x\r\nAuthorization: " + right + "\r\n");
        assertTrue(head.startsWith("HTTP/1.1 405 "), head);

        HttpResponse<String> prometheus = http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .header("Authorization", right)
                        .header(
                                "Accept",
                                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                                        + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, prometheus.statusCode());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                prometheus.headers().firstValue("Content-Type").orElse(""));

        assertTrue(process.isAlive(), output());
        for (String line : output().lines().toList()) {
            boolean banner = line.startsWith("Demo mode: ") || line.startsWith("Metrics: ");
            assertTrue(banner || line.startsWith("ts="), "every log line is logfmt: " + line);
        }
    }

    /** Sends {@code requestHead} (ended here) and returns the status line and headers of the answer, or "". */
    private static String raw(int port, String requestHead) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write((requestHead + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            StringBuilder answer = new StringBuilder();
            int c;
            while (!answer.toString().endsWith("\r\n\r\n")
                    && (c = socket.getInputStream().read()) >= 0) {
                answer.append((char) c);
            }
            return answer.toString();
        }
    }

    private void assertStillAnswers(int port, int stalled, HttpClient client, String base) throws Exception {
        // One scrape first: the first /metrics (above all over TLS) pays class loading and JIT, up to seconds on a
        // loaded machine; what is measured below is whether stalled clients starve scrapes.
        get(client, base + "/metrics", null, Duration.ofSeconds(30));
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                out.write(base.startsWith("https") ? 0x16 : 'G'); // a TLS record header's first byte, or an HTTP verb's
                out.flush();
                idle.add(s);
            }
            Thread.sleep(300); // the server has taken every one of them in
            for (String path : List.of("/-/healthy", "/metrics", "/-/healthy")) {
                long start = System.nanoTime();
                HttpResponse<String> r = get(client, base + path, null, Duration.ofSeconds(3));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(200, r.statusCode(), path);
                System.out.println("PackagedJarIT: " + path + " answered in " + millis + " ms with " + stalled
                        + " stalled " + (base.startsWith("https") ? "TLS handshakes" : "clients"));
                assertTrue(millis < 1000, path + " answered in " + millis + " ms with " + stalled + " stalled clients");
            }
            // The read timeout frees what they hold: the server closes them.
            Socket first = idle.get(0);
            first.setSoTimeout(15_000);
            // It may first get a TLS alert or an HTTP error; then the connection ends.
            first.getInputStream().readAllBytes();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertTrue(process.isAlive(), output());
    }
}
