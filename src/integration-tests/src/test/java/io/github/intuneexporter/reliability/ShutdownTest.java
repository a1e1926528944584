package io.github.intuneexporter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM during a hanging collection: the process cancels it, closes the HTTP server and exits 0 within the grace period. */
class ShutdownTest {

    @Test
    void sigtermStopsPromptlyWithExitCodeZero(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("out.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.github.intuneexporter.Main",
                        "--demo",
                        "--demo-devices",
                        "200",
                        "--web.listen-address=127.0.0.1:" + port,
                        "--set",
                        "intune.simulator.faults=[{kind=slow, endpoint=managedDevices, delay=120s}]",
                        "--set",
                        "intune.graph.read-timeout=300s"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean up = false;
            while (!up && System.nanoTime() < deadline) {
                try {
                    up = http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create("http://127.0.0.1:" + port + "/-/healthy"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertTrue(up, "exporter came up: " + Files.readString(log));
            Thread.sleep(1500); // the device scan is now stuck in the slow simulator
            long start = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "exited within the grace period");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), out);
            assertTrue(seconds <= 12, "stopped in " + seconds + " s");
            assertTrue(out.contains("shutting down") && out.contains("stopped"), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
