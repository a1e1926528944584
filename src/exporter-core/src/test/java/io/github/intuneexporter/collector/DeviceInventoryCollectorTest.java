package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceInventoryCollectorTest {
    private static final List<Integer> STALE_DAYS = List.of(1, 7, 14, 30, 90);

    private static String os(String raw) {
        return SimulatedGraph.expectedOs(raw);
    }

    private static String compliance(String raw) {
        return switch (raw) {
            case "compliant", "Compliant" -> "compliant";
            case "noncompliant", "Noncompliant" -> "noncompliant";
            case "inGracePeriod", "InGracePeriod" -> "in_grace_period";
            case "error", "Error" -> "error";
            case "conflict", "Conflict" -> "conflict";
            case "configManager", "ConfigManager" -> "config_manager";
            default -> "unknown";
        };
    }

    private static String agent(String raw) {
        return switch (raw) {
            case "mdm" -> "mdm";
            case "easMdm" -> "eas_mdm";
            case "eas" -> "eas";
            case "intuneClient" -> "intune_client";
            case "configurationManagerClientMdm" -> "configuration_manager_client_mdm";
            case "googleCloudDevicePolicyController" -> "google_cloud_device_policy_controller";
            case "msSense" -> "ms_sense";
            case "jamf" -> "jamf";
            default -> "unknown";
        };
    }

    private static MetricSnapshots collect(SimulatedGraph g) throws Exception {
        return new DeviceInventoryCollector(g.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(5), STALE_DAYS)
                .collect();
    }

    @Test
    void countsEqualTheGeneratedTenantExactlyAcrossManyPages() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(11, 2500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.05);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            MetricSnapshots m = collect(g);

            Map<String, Integer> expected = new HashMap<>();
            Map<String, Integer> expectedStale = new HashMap<>();
            Map<String, Integer> expectedEncrypted = new HashMap<>();
            Instant now = SimulatedGraph.NOW;
            tenant.forEachDevice(d -> {
                String owner = d.ownerType().toLowerCase();
                expected.merge(
                        String.join(
                                "|",
                                os(d.operatingSystem()),
                                compliance(d.complianceState()),
                                owner,
                                agent(d.managementAgent())),
                        1,
                        Integer::sum);
                for (int days : STALE_DAYS) {
                    Instant sync = d.lastSyncDateTime();
                    if (sync == null || now.getEpochSecond() - sync.getEpochSecond() > days * 86400L) {
                        expectedStale.merge(os(d.operatingSystem()) + "|" + days, 1, Integer::sum);
                    }
                }
                expectedEncrypted.merge(os(d.operatingSystem()) + "|" + d.encrypted(), 1, Integer::sum);
            });
            assertTrue(
                    expected.keySet().stream().anyMatch(k -> k.contains("|unknown|")), "odd values reached the test");
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(
                                m,
                                "intune_managed_devices",
                                "operating_system",
                                k[0],
                                "compliance_state",
                                k[1],
                                "owner_type",
                                k[2],
                                "management_agent",
                                k[3]),
                        0.0,
                        e.getKey());
            }
            assertEquals(2500, SimulatedGraph.sum(m, "intune_managed_devices"), 0.0);
            for (Map.Entry<String, Integer> e : expectedStale.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(m, "intune_stale_devices", "operating_system", k[0], "days", k[1]),
                        0.0,
                        e.getKey());
            }
            assertEquals(
                    expectedStale.values().stream().mapToInt(Integer::intValue).sum(),
                    SimulatedGraph.sum(m, "intune_stale_devices"),
                    0.0);
            for (Map.Entry<String, Integer> e : expectedEncrypted.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(
                                m, "intune_devices_encrypted", "operating_system", k[0], "encrypted", k[1]),
                        0.0,
                        e.getKey());
            }
            // 2500 devices at 100 per page: exactly 25 requests, each asking only for the needed fields
            assertEquals(25, g.simulator.requestCount("/deviceManagement/managedDevices"));
        }
    }

    @Test
    void everyComplianceStateIsExportedEvenWhenZero() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(40, 3)) {
            MetricSnapshots m = collect(g);
            for (String state : DeviceInventoryCollector.COMPLIANCE_STATES) {
                double v = SimulatedGraph.value(
                        m,
                        "intune_managed_devices",
                        "operating_system",
                        "windows",
                        "compliance_state",
                        state,
                        "owner_type",
                        "company",
                        "management_agent",
                        "mdm");
                assertTrue(v >= 0, state + " is exported");
            }
        }
    }

    @Test
    void aMalformedPageFailsTheWholeRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(
                new SimulatedTenant(5, 300, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)),
                "intune.graph.page-size = 100")) {
            g.simulator.setFaults(List.of(
                    new FaultRule(FaultRule.Kind.MALFORMED, "managedDevices", 1.0, Duration.ZERO, Duration.ZERO)));
            Exception e = assertThrows(Exception.class, () -> collect(g));
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void emptyTenantGivesEmptyButValidFamilies() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(0, 1)) {
            MetricSnapshots m = collect(g);
            assertEquals(0, SimulatedGraph.sum(m, "intune_managed_devices"), 0.0);
            assertEquals(0, SimulatedGraph.value(m, "intune_management_state_devices", "state", "managed"), 0.0);
        }
    }
}
