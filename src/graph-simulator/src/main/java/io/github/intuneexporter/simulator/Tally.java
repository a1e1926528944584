package io.github.intuneexporter.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Device counters of a Graph summary entity (managedDeviceOverview, a state summary), in the entity's order. */
final class Tally {
    private Tally() {}

    /**
     * An unmodifiable copy that keeps the counters' order. Not Map.copyOf: its iteration order changes from one JVM
     * to the next, and so did the property order of the summaries written from it (Graph's order is fixed).
     */
    static <K, V> Map<K, V> frozen(Map<K, V> counts) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

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
