package io.github.intuneexporter.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.DeviceInventoryCollector;
import io.github.intuneexporter.collector.IntuneCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A configuration that would use more than its share of Intune's limits runs less often, with a metric saying so. */
class BudgetStretchTest {
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    private static List<IntuneCollector> devices(SimulatedGraph g) {
        return List.of(new DeviceInventoryCollector(g.api(), SimulatedGraph.fixedClock(), INTERVAL, List.of(7)));
    }

    @Test
    void anOverBudgetCollectorIsStretchedToTheShare() throws Exception {
        double share = 0.00002; // of 360,000 devices requests per hour: 7.2 per hour
        try (SimulatedGraph g = SimulatedGraph.start(2500, 42);
                CollectionPool pool = new CollectionPool(2, 2)) {
            CollectionScheduler s = new CollectionScheduler(
                    devices(g),
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    SimulatedGraph.fixedClock(),
                    "contoso",
                    pool,
                    new GraphBudget(share));
            assertTrue(s.runNow("devices"));
            MetricSnapshots m = s.collect();
            double usage = SimulatedGraph.value(m, "intune_graph_budget_usage_ratio", "bucket", "devices");
            long requests = g.simulator.requestCount("/deviceManagement/managedDevices");
            assertTrue(requests >= 3, "2500 devices are at least 3 pages: " + requests);
            assertEquals(
                    requests * 12 / 360_000.0,
                    usage,
                    1e-9,
                    "the run's requests, 12 runs an hour, of the documented limit");
            double effective =
                    SimulatedGraph.value(m, "intune_collector_effective_interval_seconds", "collector", "devices");
            assertEquals(INTERVAL.toSeconds() * usage / share, effective, 1e-6);
            assertTrue(effective > INTERVAL.toSeconds());
            assertEquals(
                    INTERVAL.toSeconds(),
                    SimulatedGraph.value(m, "intune_collector_interval_seconds", "collector", "devices"),
                    0.0);

            // The scheduled next run honours the stretched interval (the clock is fixed, so the due time is exact).
            s.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((s.status().get(0).runs() < 2 || s.status().get(0).running()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CollectionScheduler.CollectorStatus st = s.status().get(0);
            assertEquals(2, st.runs());
            assertEquals(SimulatedGraph.NOW.toEpochMilli() + Math.round(effective * 1000), st.nextRunMillis(), 1.0);
            s.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void withinTheShareTheIntervalIsUnchanged() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(2500, 42);
                CollectionPool pool = new CollectionPool(2, 2)) {
            CollectionScheduler s = new CollectionScheduler(
                    devices(g),
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    SimulatedGraph.fixedClock(),
                    "contoso",
                    pool,
                    new GraphBudget(0.1));
            assertTrue(s.runNow("devices"));
            assertEquals(
                    INTERVAL.toSeconds(),
                    SimulatedGraph.value(
                            s.collect(), "intune_collector_effective_interval_seconds", "collector", "devices"),
                    0.0);
            s.shutdown(Duration.ZERO);
        }
    }
}
