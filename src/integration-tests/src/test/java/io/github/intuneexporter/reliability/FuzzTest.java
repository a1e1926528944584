package io.github.intuneexporter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.config.WebConfig;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.http.ExporterHttpServer;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing, bounded to a few seconds: every Graph answer the collectors read is randomly truncated or corrupted
 * (a proxy between the Graph client and the simulator), and random, truncated and corrupted HTTP requests hit the
 * exporter. Each broken run must end with a clear one-line error and keep the last good data; nothing crashes, no
 * thread is lost, and clean runs afterwards work again.
 */
class FuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261206L);

    /** Forwards to the simulator and, while {@code corrupt} is on, breaks each answer in one of several ways. */
    private static final class CorruptingProxy implements AutoCloseable {
        final HttpServer server;
        final AtomicBoolean corrupt = new AtomicBoolean();
        final Random random;
        final String root;
        int corrupted;

        CorruptingProxy(TenantSimulator simulator, Random random) throws Exception {
            this.random = random;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            URI target = URI.create(simulator.baseUrl());
            String simHost = target.getHost() + ":" + target.getPort();
            String proxyHost = "127.0.0.1:" + server.getAddress().getPort();
            this.root = "http://" + proxyHost + target.getPath();
            HttpClient client = HttpClient.newHttpClient();
            server.createContext("/", ex -> {
                try (ex) {
                    HttpRequest.Builder b =
                            HttpRequest.newBuilder(URI.create("http://" + simHost + ex.getRequestURI()));
                    ex.getRequestHeaders().forEach((k, v) -> {
                        if (k.equalsIgnoreCase("Authorization")
                                || k.equalsIgnoreCase("Content-Type")
                                || k.equalsIgnoreCase("Accept")) {
                            b.header(k, v.get(0));
                        }
                    });
                    byte[] in = ex.getRequestBody().readAllBytes();
                    b.method(
                            ex.getRequestMethod(),
                            in.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(in));
                    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    String body = new String(r.body(), StandardCharsets.UTF_8).replace(simHost, proxyHost);
                    if (corrupt.get() && r.statusCode() == 200) {
                        body = breakIt(body);
                    }
                    byte[] out = body.getBytes(StandardCharsets.UTF_8);
                    r.headers()
                            .firstValue("Content-Type")
                            .ifPresent(t -> ex.getResponseHeaders().set("Content-Type", t));
                    ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
                    if (out.length > 0) {
                        ex.getResponseBody().write(out);
                    }
                } catch (Exception e) {
                    // the client sees a closed connection
                }
            });
            server.start();
        }

        private synchronized String breakIt(String body) {
            corrupted++;
            int n = body.length();
            switch (random.nextInt(6)) {
                case 0:
                    return body.substring(0, random.nextInt(Math.max(1, n))); // truncated
                case 1: { // random bytes flipped
                    char[] c = body.toCharArray();
                    String noise = "{}[]\",:0-9.aZ\u0000\u00e9 \\";
                    for (int i = 0, k = 1 + random.nextInt(8); i < k && n > 0; i++) {
                        c[random.nextInt(n)] = noise.charAt(random.nextInt(noise.length()));
                    }
                    return new String(c);
                }
                case 2:
                    return body.replaceFirst("\"value\":\\[", "\"value\":{"); // wrong type
                case 3:
                    return body.replaceAll(
                            "\"(@odata\\.nextLink)\":\"[^\"]*\"", "\"$1\":" + (random.nextBoolean() ? "42" : "null"));
                case 4:
                    return body.replaceAll(":(\\d+)", ":\"$1\"")
                            .replaceAll(":\"([^\"]{0,20})\"", random.nextBoolean() ? ":{}" : ":[1]");
                default:
                    return random.nextBoolean() ? "" : "<html>Service Unavailable</html>";
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String dataOf(PrometheusRegistry registry) throws Exception {
        return SimulatedGraph.scrape(registry)
                .lines()
                .filter(l -> !l.startsWith("intune_collector_") && !l.startsWith("# "))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void corruptedGraphAnswersFailRunsCleanlyAndKeepTheLastGoodData() throws Exception {
        Random random = new Random(SEED);
        SimulatedTenant tenant = new SimulatedTenant(7, 100, SimulatedGraph.fixedClock(), Duration.ofDays(365));
        try (TenantSimulator simulator = TenantSimulator.start(tenant, SimulatedGraph.TOKEN);
                CorruptingProxy proxy = new CorruptingProxy(simulator, random)) {
            ExporterSettings settings = SettingsLoader.load(SettingsLoader.parseString("intune.graph { base-url = \""
                    + proxy.root + "\", throttle-budget = 0, max-retries = 0, request-timeout = 20s }"));
            try (GraphConnection graph = GraphConnection.open(
                    settings.graph(),
                    Credentials.staticToken(SimulatedGraph.TOKEN),
                    new GraphRequestMetrics(new PrometheusRegistry()))) {
                List<IntuneCollector> collectors = CollectorFactory.create(
                        settings, graph.api(), SimulatedGraph.fixedClock(), Duration.ofHours(1));
                int threadsBefore = Thread.activeCount();
                long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                int brokenRuns = 0;
                List<String> fuzzed = new ArrayList<>();
                for (IntuneCollector collector : collectors) {
                    if (collector.interval().isZero() || collector.interval().isNegative()) {
                        continue; // disabled by default
                    }
                    try (CollectionScheduler scheduler = new CollectionScheduler(
                            List.of(collector),
                            Duration.ZERO,
                            Duration.ofSeconds(20),
                            1,
                            SimulatedGraph.fixedClock())) {
                        PrometheusRegistry registry = new PrometheusRegistry();
                        registry.register(scheduler);
                        proxy.corrupt.set(false);
                        if (!scheduler.runNow(collector.name())) {
                            continue; // not runnable against this simulated tenant at all (e.g. needs configuration)
                        }
                        fuzzed.add(collector.name());
                        String good = dataOf(registry);
                        for (int i = 0; i < 6 && System.nanoTime() < deadline; i++) {
                            proxy.corrupt.set(true);
                            boolean ok = scheduler.runNow(collector.name());
                            if (ok) {
                                good = dataOf(
                                        registry); // a corruption the JSON survived (a changed digit): new good data
                                continue;
                            }
                            brokenRuns++;
                            String error = scheduler.lastError(collector.name());
                            assertFalse(error.isBlank(), collector.name());
                            assertFalse(error.contains("\n"), collector.name() + ": one line: " + error);
                            for (String bug : List.of(
                                    "NullPointerException",
                                    "ClassCastException",
                                    "IndexOutOfBounds",
                                    "IllegalStateException",
                                    "NumberFormatException",
                                    "UnsupportedOperationException")) {
                                assertFalse(
                                        error.contains(bug), collector.name() + ": a clear error, not a bug: " + error);
                            }
                            assertEquals(
                                    good,
                                    dataOf(registry),
                                    collector.name() + ": the last good data is kept after: " + error);
                        }
                        proxy.corrupt.set(false);
                        assertTrue(
                                scheduler.runNow(collector.name()),
                                collector.name() + " recovers: " + scheduler.lastError(collector.name()));
                    }
                }
                assertTrue(fuzzed.size() >= 6, "most collectors were fuzzed: " + fuzzed);
                System.out.println("FuzzTest seed " + SEED + ": " + proxy.corrupted + " Graph answers corrupted, "
                        + brokenRuns + " runs failed cleanly, collectors " + fuzzed);
                assertTrue(
                        brokenRuns >= 3,
                        "corruption broke runs (seed " + SEED + "): " + brokenRuns + " of " + proxy.corrupted);
                Thread.sleep(200);
                // Every scheduler is closed: none of its threads may be left (stuck in a broken run or leaked).
                List<String> left = Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("intune-"))
                        .toList();
                assertEquals(List.of(), left, "threads left behind (started with " + threadsBefore + ")");
            }
        }
    }

    @Test
    void garbledHttpRequestsGetAnAnswerOrAClosedConnectionAndScrapesGoOn() throws Exception {
        Random random = new Random(SEED + 1);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> io.prometheus.metrics.model.snapshots.MetricSnapshots.of(
                io.github.intuneexporter.metrics.GaugeFamily.of("fuzz_value", "x")
                        .set(1)
                        .toSnapshot()));
        try (ExporterHttpServer http = ExporterHttpServer.start(
                "127.0.0.1", 0, "/metrics", WebConfig.NONE, registry, () -> true, List.of("fuzz"))) {
            String valid = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/plain\r\n\r\n";
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int sent = 0;
            while (System.nanoTime() < deadline && sent < 300) {
                byte[] request = garble(valid, random);
                try (Socket s = new Socket("127.0.0.1", http.port())) {
                    s.setSoTimeout(7000);
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    byte[] answer = in.readNBytes(12);
                    String status = new String(answer, StandardCharsets.ISO_8859_1);
                    assertTrue(
                            answer.length == 0 || status.startsWith("HTTP/1.1 "),
                            "an HTTP answer or a closed connection: " + status);
                    if (answer.length > 0) {
                        int code = Integer.parseInt(status.substring(9, 12));
                        assertTrue(
                                code < 500,
                                "never a server error: " + status + " for "
                                        + new String(request, StandardCharsets.ISO_8859_1));
                    }
                } catch (java.net.SocketException closed) {
                    // the server closed a connection it could not parse
                }
                sent++;
            }
            assertTrue(sent >= 50, "sent " + sent);
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("fuzz_value 1.0"), r.body());
        }
    }

    private static byte[] garble(String valid, Random random) {
        byte[] b = valid.getBytes(StandardCharsets.ISO_8859_1);
        switch (random.nextInt(5)) {
            case 0:
                return java.util.Arrays.copyOf(b, random.nextInt(b.length)); // truncated
            case 1: {
                for (int i = 0, k = 1 + random.nextInt(6); i < k; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 2: {
                byte[] noise = new byte[random.nextInt(2000)];
                random.nextBytes(noise);
                return noise;
            }
            case 3:
                return ("GET /" + "a".repeat(random.nextInt(70_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
            default:
                return (List.of("POST", "PUT", "DELETE", "BREW", "G\u0000T", "OPTIONS")
                                        .get(random.nextInt(6)) + " /metrics HTTP/1.1\r\n"
                                + "Host: x\r\nContent-Length: " + (random.nextBoolean() ? "-1" : "99999999")
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
