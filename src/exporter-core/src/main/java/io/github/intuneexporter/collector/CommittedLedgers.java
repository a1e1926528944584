package io.github.intuneexporter.collector;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event ledgers a collector has committed, one per stream: read from its state file on the first run (not at
 * construction: a disabled collector never touches it) and replaced only by the run that started from them, in memory
 * first, then in the file (a write failure only costs durability).
 */
final class CommittedLedgers {
    private final String collector;
    private final Map<String, List<String>> streams;
    private final EventLedgerFile file;
    private final AtomicReference<Map<String, EventLedger>> committed = new AtomicReference<>();

    /** {@code streams}: each ledger's name in the state file and its label names; {@code stateFile} null: memory only. */
    CommittedLedgers(String collector, Path stateFile, Map<String, List<String>> streams) {
        this.collector = collector;
        this.streams = new LinkedHashMap<>(streams);
        this.file = new EventLedgerFile(stateFile, "intune.collectors." + collector + ".state-file");
    }

    /** The committed ledgers by stream; a run passes this very map to {@link #commit}. */
    Map<String, EventLedger> current() {
        Map<String, EventLedger> l = committed.get();
        if (l == null) {
            committed.compareAndSet(null, Map.copyOf(file.load(streams)));
            l = committed.get();
        }
        return l;
    }

    /** Publishes a run's ledgers, unless another run committed since {@code before} was read. */
    void commit(Map<String, EventLedger> before, Map<String, EventLedger> after) {
        if (!committed.compareAndSet(before, Map.copyOf(after))) {
            // A run that outlived its timeout finished after a newer run: its view is stale, so it must not count.
            throw new IllegalStateException(
                    "a newer " + collector + " run committed first; this run's counts are discarded");
        }
        file.save(after);
    }
}
