package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.intuneexporter.SimulatedGraph;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTallyTest {
    private static final long NOW = 1_800_000_000L;

    private static void add(DeviceTally t, String os, String compliance, long lastSync) {
        t.add(os, compliance, "Company", "mdm", "userEnrollment", "managed", true, "False", lastSync);
    }

    @Test
    void mergedPartialTalliesEqualOneTally() {
        DeviceTally whole = new DeviceTally(List.of(1, 30), NOW);
        DeviceTally a = new DeviceTally(List.of(1, 30), NOW);
        DeviceTally b = new DeviceTally(List.of(1, 30), NOW);
        Object[][] devices = {
            {"Windows", "compliant", NOW - 10},
            {"iOS", "InGracePeriod", NOW - 2 * 86400},
            {"HoloLensOS", "quarantinedByFutureFeature", DeviceTally.NEVER},
            {"Windows", "noncompliant", NOW - 40 * 86400},
            {"macOS", "compliant", NOW - 86400}
        };
        for (int i = 0; i < devices.length; i++) {
            add(whole, (String) devices[i][0], (String) devices[i][1], (long) devices[i][2]);
            add(i % 2 == 0 ? a : b, (String) devices[i][0], (String) devices[i][1], (long) devices[i][2]);
        }
        var all = EnumSet.allOf(DeviceTally.Family.class);
        assertEquals(
                DeviceScanPartitionTest.series(whole.snapshot(all)),
                DeviceScanPartitionTest.series(a.merge(b).snapshot(all)));
        var m = whole.snapshot(all);
        assertEquals(
                1,
                SimulatedGraph.value(
                        m,
                        "intune_managed_devices",
                        "compliance_state",
                        "in_grace_period",
                        "management_agent",
                        "mdm",
                        "operating_system",
                        "ios",
                        "owner_type",
                        "company"),
                0.0);
        assertEquals(
                1,
                SimulatedGraph.value(
                        m,
                        "intune_managed_devices",
                        "compliance_state",
                        "unknown",
                        "management_agent",
                        "mdm",
                        "operating_system",
                        "unknown",
                        "owner_type",
                        "company"),
                0.0);
        // A device exactly one day old is not more than one day old; never-synced devices are stale everywhere.
        assertEquals(0, SimulatedGraph.value(m, "intune_stale_devices", "days", "1", "operating_system", "macos"), 0.0);
        assertEquals(1, SimulatedGraph.value(m, "intune_stale_devices", "days", "1", "operating_system", "ios"), 0.0);
        assertEquals(
                1, SimulatedGraph.value(m, "intune_stale_devices", "days", "30", "operating_system", "unknown"), 0.0);
        assertEquals(0, SimulatedGraph.value(m, "intune_stale_devices", "days", "30", "operating_system", "ios"), 0.0);
        assertEquals(
                1, SimulatedGraph.value(m, "intune_stale_devices", "days", "30", "operating_system", "windows"), 0.0);
        assertThrows(IllegalArgumentException.class, () -> whole.merge(new DeviceTally(List.of(1, 30), NOW + 1)));
    }
}
