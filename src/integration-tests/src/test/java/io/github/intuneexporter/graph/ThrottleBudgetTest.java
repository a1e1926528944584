package io.github.intuneexporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.DeviceInventoryCollector;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.SimulatorLimits;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleBudgetTest {
    // Documented devices limit 2000 per 20 s, scaled to 50 per 1 s so that a test sees throttling in a second.
    private static final double SCALE = 0.025;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final int DEVICES = 2000;

    private record Scan(MetricSnapshots metrics, long served429, double counted429, double waited, long requests) {}

    private static Scan scan(double share) throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(9, DEVICES, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        SimulatorLimits limits = new SimulatorLimits(SCALE, WINDOW);
        try (TenantSimulator sim = TenantSimulator.start(tenant, SimulatedGraph.TOKEN)) {
            sim.setLimits(limits);
            var settings = SettingsLoader.load(SettingsLoader.parseString(
                    "intune.graph.page-size = 20\n" + "intune.graph.base-url = \"" + sim.baseUrl() + "\""));
            GraphRequestMetrics metrics = new GraphRequestMetrics(new PrometheusRegistry());
            ThrottleBudget budget =
                    new ThrottleBudget(share, limits.scale(), limits.windowOverride(), metrics::recordThrottleWait);
            try (GraphConnection graph = GraphConnection.open(
                    settings.graph(), Credentials.staticToken(SimulatedGraph.TOKEN), metrics, budget)) {
                MetricSnapshots m = new DeviceInventoryCollector(
                                graph.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(5), List.of(1, 30))
                        .collect();
                return new Scan(
                        m,
                        sim.throttledCount(),
                        metrics.throttledCount(),
                        metrics.throttleWaitSeconds(),
                        sim.requestCount("/deviceManagement/managedDevices"));
            }
        }
    }

    @Test
    void aScanWithinTheBudgetIsNeverThrottledWhileTheSameScanWithoutItIs() throws Exception {
        Scan unlimited = scan(0);
        assertTrue(unlimited.served429() > 0, "without a budget the scan outruns 50 requests per second and gets 429s");
        assertEquals(
                unlimited.served429(),
                unlimited.counted429(),
                0.0,
                "intune_graph_throttled_requests_total counts them");
        // ... and still completes, thanks to Retry-After.
        assertEquals(DEVICES, SimulatedGraph.sum(unlimited.metrics(), "intune_managed_devices"), 0.0);
        assertEquals(100 + unlimited.served429(), unlimited.requests());

        Scan budgeted = scan(0.5);
        assertEquals(0, budgeted.served429());
        assertEquals(0, budgeted.counted429(), 0.0);
        assertTrue(budgeted.waited() > 0, "the budget made requests wait: " + budgeted.waited());
        assertEquals(DEVICES, SimulatedGraph.sum(budgeted.metrics(), "intune_managed_devices"), 0.0);
        assertEquals(100, budgeted.requests());
    }

    @Test
    void noWindowEverSeesMoreThanTheBudget() {
        // 2000 per 20 s at share 0.5 = 1000 per 20 s. Requests arrive as fast as the bucket lets them.
        ThrottleBudget.TokenBucket bucket = new ThrottleBudget.TokenBucket(1000, Duration.ofSeconds(20));
        long window = Duration.ofSeconds(20).toNanos();
        Deque<Long> sent = new ArrayDeque<>();
        long now = System.nanoTime();
        int max = 0;
        for (int i = 0; i < 5000; i++) {
            now += bucket.reserve(now);
            sent.addLast(now);
            while (sent.peekFirst() <= now - window) {
                sent.pollFirst();
            }
            max = Math.max(max, sent.size());
        }
        assertTrue(max <= 1000, "max requests in a 20 s window: " + max);
        assertTrue(max >= 990, "the budget is used, not wasted: " + max);
        // Sustained rate: 5000 requests need about (5000 - burst) / (952 per 20 s) windows.
        double seconds = (now - sent.peekLast() + (sent.peekLast() - sent.peekFirst())) / 1e9;
        assertTrue(seconds > 0);
    }

    @Test
    void endpointsMapToTheirDocumentedBuckets() {
        assertEquals(IntuneThrottleBucket.DEVICES, IntuneThrottleBucket.of("/deviceManagement/managedDevices"));
        assertEquals(
                IntuneThrottleBucket.DEVICES,
                IntuneThrottleBucket.of("/deviceManagement/managedDevices/{id}/windowsProtectionState"));
        assertEquals(IntuneThrottleBucket.DEVICES, IntuneThrottleBucket.of("/deviceManagement/managedDeviceOverview"));
        assertEquals(
                IntuneThrottleBucket.DEVICE_CONFIGURATION,
                IntuneThrottleBucket.of("/deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview"));
        assertEquals(IntuneThrottleBucket.DEVICE_CONFIGURATION, IntuneThrottleBucket.of("/deviceManagement"));
        assertEquals(IntuneThrottleBucket.ENROLLMENT, IntuneThrottleBucket.of("/deviceAppManagement/vppTokens"));
        assertEquals(
                IntuneThrottleBucket.TROUBLESHOOTING,
                IntuneThrottleBucket.of("/deviceManagement/troubleshootingEvents"));
        assertEquals(
                IntuneThrottleBucket.MANAGED_APPLICATIONS,
                IntuneThrottleBucket.of("/deviceAppManagement/managedAppRegistrations"));
        assertEquals(
                IntuneThrottleBucket.REPORTS, IntuneThrottleBucket.of("/deviceManagement/reports/exportJobs/{id}"));
        assertEquals(
                IntuneThrottleBucket.OTHER_INTUNE,
                IntuneThrottleBucket.of("/deviceManagement/reports/getCachedReport"));
        assertEquals(IntuneThrottleBucket.OTHER_INTUNE, IntuneThrottleBucket.of("/deviceAppManagement/mobileApps"));
        assertNull(IntuneThrottleBucket.of("/admin/serviceAnnouncement/healthOverviews"));
        assertTrue(IntuneThrottleBucket.isWrite("POST", "/deviceManagement/reports/exportJobs"));
        assertTrue(IntuneThrottleBucket.isWrite("PATCH", "/deviceManagement/managedDevices/{id}"));
        assertTrue(!IntuneThrottleBucket.isWrite("POST", "/deviceManagement/reports/getCachedReport"));
        assertTrue(!IntuneThrottleBucket.isWrite("GET", "/deviceManagement/managedDevices"));
        assertEquals(2.128, ThrottleBudget.retryAfterSeconds("2.128"), 1e-9);
        assertEquals(0, ThrottleBudget.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT"), 0.0);
    }
}
