package io.github.intuneexporter.cli;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code target/intune-exporter.jar}) started as a user starts it, on a free loopback port, with its
 * stdout and stderr kept apart (log lines go to stderr).
 */
final class JarProcess implements AutoCloseable {
    final int port;
    final Process process;
    final Path stdout;
    final Path stderr;
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JarProcess(int port, Process process, Path stdout, Path stderr) {
        this.port = port;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
        assertTrue(Files.isRegularFile(jar), "packaged jar " + jar + " exists (run mvn verify, not mvn test)");
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the jar with {@code args}; {@code %PORT%} in an argument is replaced by the chosen free port. */
    static JarProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toString()));
        for (String a : args) {
            command.add(a.replace("%PORT%", Integer.toString(port)));
        }
        Path out = Files.createTempFile(dir, "stdout", ".log");
        Path err = Files.createTempFile(dir, "stderr", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // The test machine's own settings must not leak in.
        pb.environment().keySet().removeIf(k -> k.startsWith("INTUNE_") || k.startsWith("AZURE_"));
        env.forEach((k, v) -> pb.environment().put(k, v.replace("%PORT%", Integer.toString(port))));
        return new JarProcess(port, pb.start(), out, err);
    }

    /** Runs the jar to completion (--help, --config.check ...) and returns its exit code. */
    static Result run(Path dir, String... args) throws Exception {
        try (JarProcess p = start(dir, Map.of(), args)) {
            assertTrue(p.process.waitFor(60, TimeUnit.SECONDS), "exited within 60 s");
            return new Result(p.process.exitValue(), Files.readString(p.stdout), Files.readString(p.stderr));
        }
    }

    record Result(int code, String stdout, String stderr) {}

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    String output() throws IOException {
        return "stdout:\n" + Files.readString(stdout) + "\nstderr:\n" + Files.readString(stderr);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code path} answers 200 (readiness: every collector's first run). */
    void awaitOk(String path, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            assertTrue(process.isAlive(), "exporter is running: " + output());
            try {
                if (get(path).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, path + " answered 200 within " + limit + ": " + output());
            Thread.sleep(250);
        }
    }

    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
