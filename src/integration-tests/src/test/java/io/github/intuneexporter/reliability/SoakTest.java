package io.github.intuneexporter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Continuous collection against a simulator that throttles, fails, stalls, resets and truncates at random,
 * while several clients scrape in parallel. Bounded in time (-Dsoak.seconds, default 40).
 */
class SoakTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|\\+Inf|-Inf)$");

    @Test
    void collectionUnderRandomFaultsWithParallelScrapes() throws Exception {
        long seconds = Long.getLong("soak.seconds", 40);
        int threadsBefore = Thread.activeCount();
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(String.join(
                        "\n",
                        "intune.web.listen-address = \"127.0.0.1:0\"",
                        "intune.demo { devices = 2000, interval = 1s, latency = 2ms }",
                        "intune.graph { page-size = 200, max-retries = 3, retry-delay = 1s, read-timeout = 2s }",
                        "intune.collection { startup-stagger = 0s, timeout = 20s, threads = 2 }",
                        // The soak is about the two busiest collectors under faults; the others would only share their
                        // two threads.
                        "intune.collectors { protection.interval = 0, app_protection.interval = 0, enrollment.interval = 0,",
                        "  configuration.interval = 0, app_installs.interval = 0, connectors.interval = 0, service_health.interval = 0,",
                        "  credentials.interval = 0 }",
                        // Faults, not pacing, are under test: 1 s intervals want more requests than Intune's limits
                        // allow.
                        "intune.graph.throttle-budget = 0, intune.simulator.enforce-limits = false",
                        "intune.simulator.faults = [",
                        "  {kind = throttle, fraction = 0.05, retry-after = 200ms},",
                        "  {kind = unavailable, fraction = 0.05},",
                        "  {kind = malformed, fraction = 0.03},",
                        "  {kind = slow, fraction = 0.03, delay = 300ms},",
                        "  {kind = reset, fraction = 0.03}",
                        "]")),
                true);
        AtomicInteger scrapes = new AtomicInteger();
        AtomicReference<String> bad = new AtomicReference<>();
        List<Integer> connections = new ArrayList<>();
        long heapMid;
        long heapEnd;
        MetricSnapshots last;
        try (Exporter exporter = Exporter.create(settings, true, Clock.systemUTC())) {
            exporter.start(settings.web());
            String url = "http://127.0.0.1:" + exporter.port() + "/metrics";
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> scrapers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(
                        () -> {
                            HttpClient http = HttpClient.newHttpClient();
                            while (System.nanoTime() < end && bad.get() == null) {
                                try {
                                    HttpResponse<String> r = http.send(
                                            HttpRequest.newBuilder(URI.create(url))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString());
                                    String problem = check(r);
                                    if (problem != null) {
                                        bad.compareAndSet(null, problem);
                                    }
                                    scrapes.incrementAndGet();
                                } catch (Exception e) {
                                    bad.compareAndSet(null, "scrape failed: " + e);
                                }
                            }
                        },
                        "soak-scraper-" + i);
                t.start();
                scrapers.add(t);
            }
            Thread.sleep(seconds * 1000 / 3);
            heapMid = usedHeapAfterGc();
            while (System.nanoTime() < end) {
                connections.add(exporter.graph().connectionCount());
                Thread.sleep(500);
            }
            for (Thread t : scrapers) {
                t.join(10_000);
            }
            heapEnd = usedHeapAfterGc();
            last = exporter.scheduler().collect();
        }
        assertEquals(null, bad.get());
        assertTrue(scrapes.get() > 100, "scrapes: " + scrapes.get());
        for (String c : List.of("compliance", "devices")) {
            double runs = SimulatedGraph.value(last, "intune_collector_runs_total", "collector", c);
            double failures = SimulatedGraph.value(last, "intune_collector_failures_total", "collector", c);
            assertTrue(runs >= 5, c + " runs " + runs);
            assertTrue(runs - failures >= 1, c + " succeeded at least once");
        }
        assertEquals(
                2000, SimulatedGraph.sum(last, "intune_managed_devices"), 0.0, "served data is always a complete scan");
        assertTrue(connections.stream().allMatch(n -> n <= 8), "bounded connection pool: " + connections);
        assertTrue(
                heapEnd - heapMid < 64L * 1024 * 1024,
                "heap stable: " + heapMid / 1_048_576 + " MB -> " + heapEnd / 1_048_576 + " MB");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> ours = ourThreads();
        while (!ours.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            ours = ourThreads();
        }
        assertEquals(List.of(), ours, "no exporter or simulator thread left after close");
        assertTrue(
                Thread.activeCount() <= threadsBefore + 8,
                "threads before " + threadsBefore + ", after " + Thread.activeCount());
    }

    private static String check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            return "status " + r.statusCode();
        }
        String body = r.body();
        if (!body.endsWith("\n")) {
            return "body does not end with a newline";
        }
        for (String line : body.split("\n")) {
            if (line.startsWith("# HELP ")
                    || line.startsWith("# TYPE ")
                    || line.startsWith("# UNIT ")
                    || line.isEmpty()) {
                continue;
            }
            if (!SAMPLE.matcher(line).matches()) {
                return "malformed line: " + line;
            }
        }
        return null;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<String> ourThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && (n.startsWith("intune-") || n.startsWith("graph-simulator"))) {
                names.add(n);
            }
        }
        return names;
    }
}
