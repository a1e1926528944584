package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure modes of the shipped jar, started as a process: memory, bad TLS material, stop signals. */
class HardeningIT {
    @TempDir
    Path dir;

    private Process process;
    private Path log;

    private Process start(List<String> jvm, String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", PackagedJarIT.jar().toString()));
        command.addAll(List.of(args));
        log = dir.resolve("exporter.log");
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return process;
    }

    private static String listen() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    private String output() throws IOException {
        return Files.readString(log);
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int status(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Item 3: the 1M-device demo in 256 MiB, started without -XX:+ExitOnOutOfMemoryError (the default handler must do
     * it). Before, the out-of-memory error killed the HTTP dispatcher and the process stayed up answering nothing.
     * Now it either runs and answers, or exits non-zero with one clear line.
     */
    @Test
    void oneMillionDevicesInTooLittleMemoryRunOrExitNeverAZombie() throws Exception {
        String address = listen();
        start(List.of("-Xmx256m"), "--demo", "--demo-devices", "1000000", "--listen", address);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                break;
            }
            if (status("http://" + address + "/-/healthy") == -1 && output().contains("serving http")) {
                // Not answering while alive: only acceptable for a moment, on the way to exiting.
                assertTrue(
                        process.waitFor(20, TimeUnit.SECONDS),
                        "alive but not answering /-/healthy for 20 s:\n" + tail());
            }
        }
        if (process.isAlive()) {
            assertEquals(200, status("http://" + address + "/-/healthy"), tail());
            assertEquals(200, status("http://" + address + "/metrics"), tail());
            System.out.println("HardeningIT: the 1M-device demo runs in -Xmx256m");
        } else {
            int code = process.exitValue();
            String out = output();
            assertTrue(code != 0, "exited non-zero: " + code);
            assertTrue(
                    out.contains("intune-exporter: fatal error in thread ")
                                    && out.contains("java.lang.OutOfMemoryError")
                            || out.contains("intune-exporter: fatal error: out of memory"),
                    "one clear line (exit code " + code + "):\n" + tail());
            System.out.println("HardeningIT: the 1M-device demo in -Xmx256m exited with " + code + ": "
                    + out.lines()
                            .filter(l -> l.startsWith("intune-exporter: fatal"))
                            .findFirst()
                            .orElse(""));
        }
    }

    private String tail() throws IOException {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Item 5: a key that is not the certificate's is refused at start with one line and exit 2 (before: accepted, every handshake failed). */
    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRefusedAtStart() throws Exception {
        TestCertificates.create(dir, "server", "RSA", false);
        TestCertificates.create(dir, "other", "RSA", false);
        Path web = Files.writeString(
                dir.resolve("web.yml"), "tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n");
        start(
                List.of("-Xmx128m"),
                "--demo",
                "--demo-devices",
                "50",
                "--listen",
                listen(),
                "--web.config.file",
                web.toString());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits");
        assertEquals(2, process.exitValue(), output());
        List<String> errors =
                output().lines().filter(l -> l.startsWith("intune-exporter:")).toList();
        assertEquals(
                List.of("intune-exporter: configuration error: intune.web.config-file (" + web
                        + "): tls_server_config.key_file does not match the certificate in cert_file"),
                errors,
                output());
        assertFalse(output().contains("\tat "), "no stack trace:\n" + output());
    }

    /** Item 9: an empty web config file fails closed (before: served without TLS or auth). */
    @Test
    void anEmptyWebConfigIsRefusedAtStart() throws Exception {
        Path web = Files.writeString(dir.resolve("web.yml"), "\n");
        start(
                List.of("-Xmx128m"),
                "--demo",
                "--demo-devices",
                "50",
                "--listen",
                listen(),
                "--web.config.file",
                web.toString());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits");
        assertEquals(2, process.exitValue(), output());
        assertTrue(output().contains("intune.web.config-file (" + web + "): the file is empty"), output());
    }

    /** Item 9: SIGTERM while the exporter is still starting exits 0 (before: 143, the JVM's default). */
    @Test
    void sigtermDuringStartUpExitsZero() throws Exception {
        start(List.of("-Xmx512m"), "--demo", "--demo-devices", "1000000", "--listen", listen());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // The simulator is up, the collectors and the HTTP server are still being built.
        while (!output().contains("Graph tenant simulator listening") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops");
        assertEquals(0, process.exitValue(), output());
    }

    /** Item 9: a normal stop logs no WARN (before: "collections still running after 0 ms" on every stop). */
    @Test
    void aNormalStopLogsNoWarning() throws Exception {
        String address = listen();
        start(List.of("-Xmx256m"), "--demo", "--demo-devices", "200", "--listen", address);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status("http://" + address + "/-/ready") != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(200, status("http://" + address + "/-/ready"), output());
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output());
        assertTrue(output().contains("stopped"), output());
        assertFalse(output().contains(" WARN "), output());
    }
}
