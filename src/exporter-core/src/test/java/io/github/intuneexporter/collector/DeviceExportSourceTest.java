package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.SimulatedTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The reports export path (job, poll, zipped CSV) must count exactly what the managedDevices scan counts. */
class DeviceExportSourceTest {
    private static final List<Integer> STALE_DAYS = List.of(1, 7, 14, 30, 90);

    private static DeviceInventoryCollector collector(
            SimulatedGraph g, CollectorSettings.DeviceSource source, Duration timeout) {
        return new DeviceInventoryCollector(
                g.api(),
                SimulatedGraph.fixedClock(),
                new CollectorSettings.Devices(
                        Duration.ofMinutes(15), STALE_DAYS, 1, source, Duration.ofMillis(10), timeout));
    }

    @Test
    void exportCountsEqualTheListScanExactly() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(23, 2500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.05);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 200")) {
            Map<String, Double> list = DeviceScanPartitionTest.series(
                    collector(g, CollectorSettings.DeviceSource.GRAPH_LIST, Duration.ofMinutes(1))
                            .collect());
            Map<String, Double> export = DeviceScanPartitionTest.series(
                    collector(g, CollectorSettings.DeviceSource.EXPORT_JOB, Duration.ofMinutes(1))
                            .collect());

            Map<String, Double> expected = new TreeMap<>();
            // The report's OS column names one platform "iOS/iPadOS": iPads count as ios there.
            list.forEach((k, v) -> {
                if (k.startsWith("intune_managed_devices{") || k.startsWith("intune_stale_devices{")) {
                    expected.merge(
                            k.replace("operating_system=\"ipados\"", "operating_system=\"ios\""), v, Double::sum);
                }
            });
            assertEquals(expected, export, "the export fills managed and stale devices exactly, and nothing else");
            assertEquals(
                    2500,
                    export.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("intune_managed_devices{"))
                            .mapToDouble(Map.Entry::getValue)
                            .sum(),
                    0.0);
            assertTrue(
                    expected.keySet().stream().anyMatch(k -> k.contains("management_agent=\"unknown\"")),
                    "odd values reached the test");
            // One job, three polls, one download; no managedDevices page.
            assertEquals(
                    1 + 3,
                    g.simulator.requestCount("/deviceManagement/reports/exportJobs")
                            + g.simulator.requestCount("/deviceManagement/reports/exportJobs/{id}"));
        }
    }

    @Test
    void managementAgentCodesAreTheV1Csdl() {
        io.github.intuneexporter.contract.GraphContract v1 = io.github.intuneexporter.contract.GraphContract.v1();
        for (String member : v1.enumMembers("managementAgentType")) {
            String code =
                    Long.toString(v1.enumValue("managementAgentType", member).orElseThrow());
            assertEquals(member, DeviceInventoryCollector.AGENT_CODES.get(code), "code " + code);
        }
        assertEquals("configurationManagerClientMdmEas", DeviceInventoryCollector.AGENT_CODES.get("11"));
    }

    private static String osLabel(String raw) {
        return io.github.intuneexporter.collector.kit.Platform.ofOperatingSystem(raw)
                .label();
    }

    @Test
    void theReportOsColumnIsThePlatformNotFreeText() {
        assertEquals("ios", osLabel(DeviceInventoryCollector.reportOs("iOS/iPadOS", null)));
        assertEquals("windows", osLabel(DeviceInventoryCollector.reportOs("1", "Windows")));
        assertEquals(
                "android", osLabel(DeviceInventoryCollector.reportOs("Android (personally-owned work profile)", null)));
    }

    @Test
    void neverSyncedDevicesAreStaleInEveryBucket() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(2, 400, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            long[] never = {0};
            tenant.forEachDevice(d -> never[0] += d.lastSyncDateTime() == null ? 1 : 0);
            assertTrue(never[0] > 0);
            Map<String, Double> export = DeviceScanPartitionTest.series(
                    collector(g, CollectorSettings.DeviceSource.EXPORT_JOB, Duration.ofMinutes(1))
                            .collect());
            double stale90 = export.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("intune_stale_devices{days=\"90\""))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
            long[] expected = {0};
            tenant.forEachDevice(d -> expected[0] += d.lastSyncDateTime() == null
                            || d.lastSyncDateTime().isBefore(SimulatedGraph.NOW.minus(Duration.ofDays(90)))
                    ? 1
                    : 0);
            assertEquals(expected[0], stale90, 0.0);
        }
    }

    @Test
    void creatingTheJobNeedsAReadWritePermission() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 4)) {
            g.simulator.revokePermission(Permissions.MANAGED_DEVICES_READ_WRITE);
            GraphException e = assertThrows(
                    GraphException.class,
                    () -> collector(g, CollectorSettings.DeviceSource.EXPORT_JOB, Duration.ofMinutes(1))
                            .collect());
            assertTrue(e.getMessage().contains("DeviceManagementManagedDevices.ReadWrite.All"), e.getMessage());
        }
    }

    @Test
    void aJobThatDoesNotCompleteInTimeFailsTheRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 4)) {
            GraphException e = assertThrows(
                    GraphException.class,
                    () -> collector(g, CollectorSettings.DeviceSource.EXPORT_JOB, Duration.ofMillis(1))
                            .collect());
            assertTrue(e.getMessage().contains("not completed"), e.getMessage());
        }
    }

    @Test
    void reportTimestampsOfEveryShapeAreRead() {
        long t = Instant.parse("2024-05-01T10:22:33Z").getEpochSecond();
        assertEquals(t, DeviceInventoryCollector.reportTime("2024-05-01 10:22:33.0000000"));
        assertEquals(t, DeviceInventoryCollector.reportTime("2024-05-01T10:22:33.1234567Z"));
        assertEquals(t, DeviceInventoryCollector.reportTime("2024-05-01T12:22:33+02:00"));
        assertEquals(DeviceTally.NEVER, DeviceInventoryCollector.reportTime(""));
        assertEquals(DeviceTally.NEVER, DeviceInventoryCollector.reportTime("0001-01-01 00:00:00.0000000"));
        assertEquals(DeviceTally.NEVER, DeviceInventoryCollector.reportTime("not a date"));
    }
}
