package io.github.intuneexporter.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.FaultRule;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the exporter behaves when Graph misbehaves: keep the last good data, say what is wrong, recover by itself. */
class ReliabilityTest {

    private static Exporter demo(String hocon) throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(
                        "intune.demo { devices = 500, latency = 0s }, intune.graph { page-size = 100, max-retries = 2, retry-delay = 1s }, "
                                + hocon),
                true);
        return Exporter.create(settings, true, SimulatedGraph.fixedClock());
    }

    private static double value(Exporter e, String name, String... labels) {
        return SimulatedGraph.value(e.registry().scrape(), name, labels);
    }

    @Test
    void oneFailingCollectorNeverAffectsTheOthersAndRecoveryIsPickedUp() throws Exception {
        try (Exporter e = demo("")) {
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .revokePermission(Permissions.CONFIGURATION);
            assertFalse(e.scheduler().runNow("compliance"));
            assertTrue(
                    e.scheduler().lastError("compliance").contains("DeviceManagementConfiguration.Read.All"),
                    e.scheduler().lastError("compliance"));
            assertTrue(e.scheduler().runNow("devices"));
            assertEquals(0, value(e, "intune_collector_success", "collector", "compliance"), 0.0);
            assertEquals(1, value(e, "intune_collector_success", "collector", "devices"), 0.0);
            assertEquals(500, SimulatedGraph.sum(e.registry().scrape(), "intune_managed_devices"), 0.0);

            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .grantAllPermissions();
            assertTrue(e.scheduler().runNow("compliance"), "recovered on the next run");
            assertEquals(500, value(e, "intune_overview_enrolled_devices"), 0.0);
        }
    }

    @Test
    void nothingIsExportedFromAHalfReadScan() throws Exception {
        try (Exporter e = demo("")) {
            assertTrue(e.scheduler().runNow("devices"));
            MetricSnapshots good = e.scheduler().collect();
            double total = SimulatedGraph.sum(good, "intune_managed_devices");
            assertEquals(500, total, 0.0);
            // pages 1.. succeed, then one is cut off: the scan as a whole fails and the old numbers stay
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setFaults(List.of(new FaultRule(
                            FaultRule.Kind.MALFORMED, "managedDevices", 0.3, Duration.ZERO, Duration.ZERO)));
            boolean failedOnce = false;
            for (int i = 0; i < 5 && !failedOnce; i++) {
                failedOnce = !e.scheduler().runNow("devices");
            }
            assertTrue(failedOnce);
            assertTrue(
                    e.scheduler().lastError("devices").contains("malformed JSON"),
                    e.scheduler().lastError("devices"));
            assertEquals(total, SimulatedGraph.sum(e.scheduler().collect(), "intune_managed_devices"), 0.0);
        }
    }

    @Test
    void expiredTokenIsExplainedAndRecovers() throws Exception {
        try (Exporter e = demo("")) {
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setTokenRevoked(true);
            assertFalse(e.scheduler().runNow("compliance"));
            assertTrue(
                    e.scheduler().lastError("compliance").contains("HTTP 401"),
                    e.scheduler().lastError("compliance"));
            assertTrue(
                    e.scheduler().lastError("compliance").contains("token was rejected"),
                    e.scheduler().lastError("compliance"));
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setTokenRevoked(false);
            assertTrue(e.scheduler().runNow("compliance"));
        }
    }

    @Test
    void connectionResetsAndTimeoutsFailOnlyTheirRun() throws Exception {
        try (Exporter e = demo("intune.graph.read-timeout = 300ms")) {
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setFaults(List.of(new FaultRule(
                            FaultRule.Kind.RESET, "managedDeviceOverview", 1.0, Duration.ZERO, Duration.ZERO)));
            assertFalse(e.scheduler().runNow("compliance"));
            assertTrue(
                    e.scheduler().lastError("compliance").contains("request failed"),
                    e.scheduler().lastError("compliance"));
            assertTrue(e.scheduler().runNow("devices"), "other endpoints unaffected");

            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setFaults(List.of(new FaultRule(
                            FaultRule.Kind.SLOW, "managedDeviceOverview", 1.0, Duration.ZERO, Duration.ofSeconds(2))));
            long start = System.nanoTime();
            assertFalse(e.scheduler().runNow("compliance"));
            // OkHttp reports the read timeout as a timeout or, when it already tore the socket down, as "Socket closed"
            assertTrue(
                    e.scheduler().lastError("compliance").contains("request failed"),
                    e.scheduler().lastError("compliance"));
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "bounded by the read timeout");
            assertEquals(1, value(e, "intune_collector_failures_total", "collector", "compliance") - 1, 0.0);

            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setFaults(List.of());
            assertTrue(e.scheduler().runNow("compliance"));
        }
    }

    @Test
    void burstsOfServerErrorsAreRetried() throws Exception {
        try (Exporter e = demo("intune.graph.max-retries = 6")) {
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setFaults(
                            List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 0.4, Duration.ZERO, Duration.ZERO)));
            for (int run = 0; run < 4; run++) {
                assertTrue(e.scheduler().runNow("devices"), e.scheduler().lastError("devices"));
                assertEquals(500, SimulatedGraph.sum(e.registry().scrape(), "intune_managed_devices"), 0.0);
            }
            String text = SimulatedGraph.scrape(e.registry());
            assertTrue(
                    text.contains("code=\"503\""),
                    "the retried 503s are counted: "
                            + text.lines()
                                    .filter(l -> l.startsWith("intune_graph_requests_total"))
                                    .toList() + " sim="
                            + e.simulator()
                                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                                    .requestCount());
        }
    }

    @Test
    void noDeviceOrUserDataLeaksIntoMetrics() throws Exception {
        try (Exporter e = demo("intune.demo.devices = 300")) {
            for (String c : e.scheduler().enabled()) {
                e.scheduler().runNow(c);
            }
            String text = SimulatedGraph.scrape(e.registry());
            assertTrue(text.contains("intune_managed_devices"));
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .forEachDevice(d -> {
                        for (String secret : List.of(
                                d.deviceName(), d.userPrincipalName(), d.serialNumber(), d.id(), d.userDisplayName())) {
                            assertFalse(text.contains(secret), "metrics contain " + secret);
                        }
                    });
            assertFalse(text.contains("@"), "no e-mail addresses");
            assertFalse(text.contains("demo-token"), "no token");
        }
    }
}
