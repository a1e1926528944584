package io.github.intuneexporter.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Device counters of a Graph summary entity (managedDeviceOverview, a state summary), in the entity's order. */
final class Tally {
    private Tally() {}

    /** The counters {@code names}, all zero, in that order. */
    static Map<String, Long> zeros(String... names) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String name : names) {
            counts.put(name, 0L);
        }
        return counts;
    }

    /**
     * The counters of a device state summary (deviceCompliancePolicyDeviceStateSummary,
     * deviceConfigurationDeviceStateSummary): {@code first}, then the seven both have, all zero.
     */
    static Map<String, Long> stateSummary(String... first) {
        Map<String, Long> counts = zeros(first);
        for (String name : STATE_COUNTS) {
            counts.put(name, 0L);
        }
        return counts;
    }

    private static final List<String> STATE_COUNTS = List.of(
            "unknownDeviceCount",
            "notApplicableDeviceCount",
            "compliantDeviceCount",
            "remediatedDeviceCount",
            "nonCompliantDeviceCount",
            "errorDeviceCount",
            "conflictDeviceCount");
}
