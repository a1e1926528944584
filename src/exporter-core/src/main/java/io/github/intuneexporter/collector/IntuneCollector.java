package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;

/**
 * One source of Intune metrics. The scheduler calls {@link #collect()} in the background every
 * {@link #interval()}; the returned snapshot is immutable and replaces the previous one only when the whole
 * run succeeded. A collector keeps no per-device or per-user state and exports no such labels.
 */
public interface IntuneCollector {

    /** Stable name, used as the {@code collector} label and the config block name. */
    String name();

    /** Time between the end of one run and the start of the next; zero disables the collector. */
    Duration interval();

    /**
     * Time until the next run after one that just ended; {@link #interval()} unless the run left work for a prompt
     * follow-up (the protection collector's first run publishes the aggregates and reads each device right after).
     */
    default Duration nextDelay() {
        return interval();
    }

    /** Reads Graph and builds the complete snapshot; throws on any failure so that nothing half-read is exported. */
    MetricSnapshots collect() throws Exception;

    /** The requests that prove this collector can run (same endpoints and permissions as a run); used by {@code doctor}. */
    default List<GraphProbe> probes() {
        return List.of();
    }

    /** The metric families this collector exports, declared up front (see docs/metrics.md). */
    default List<FamilySpec> families() {
        return List.of();
    }

    /** Configuration keys of this collector's opt-in beta sources that are switched off (listed by {@code doctor}). */
    default List<String> betaSourcesOff() {
        return List.of();
    }
}
