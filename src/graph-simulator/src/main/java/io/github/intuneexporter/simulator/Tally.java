package io.github.intuneexporter.simulator;

import java.util.LinkedHashMap;
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
}
