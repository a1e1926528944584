package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;

/**
 * Counts the events of a Graph event stream (troubleshootingEvents, autopilotEvents) exactly once each, so
 * that a Prometheus counter can be built from a source that only offers "all events of the last N days".
 *
 * <p>An event is identified by a dedupe key (its id, or id plus state). It is counted when its key was never
 * seen and its time is not older than {@code watermark - retention}, where the watermark is the newest event
 * time seen so far. Keys of events inside that window are remembered, so late or re-sent events are never
 * counted twice; older events are ignored, because their keys may already have been forgotten.
 *
 * <p>A ledger is immutable. A run works on an {@link Update} and {@link Update#finish finishes} it into a new
 * ledger, which the collector commits only when the whole run succeeded: a failed run leaves no trace.
 */
public final class EventLedger {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventLedger.class);
    private final List<String> labelNames;
    private final Instant watermark;
    private final Map<List<String>, Long> counts;
    private final SeenKeys seen;

    EventLedger(List<String> labelNames, Instant watermark, Map<List<String>, Long> counts, Map<String, Long> seen) {
        this(labelNames, watermark, counts, SeenKeys.of(seen));
    }

    /** Takes {@code seen} over: nobody else may change it. */
    private EventLedger(List<String> labelNames, Instant watermark, Map<List<String>, Long> counts, SeenKeys seen) {
        this.labelNames = List.copyOf(labelNames);
        this.watermark = watermark;
        this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        this.seen = seen;
    }

    public static EventLedger empty(List<String> labelNames) {
        return new EventLedger(labelNames, null, Map.of(), Map.of());
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** Newest event time counted so far (never later than the clock at that run); null before the first event. */
    public Instant watermark() {
        return watermark;
    }

    /** Counter value per label tuple, zeros included; insertion ordered. */
    public Map<List<String>, Long> counts() {
        return counts;
    }

    /** The counts as the counter family {@code spec}: one series per label tuple, zeros included. */
    public CounterSnapshot toCounter(FamilySpec spec) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(spec.name()).help(spec.help());
        String[] names = labelNames.toArray(new String[0]);
        for (Map.Entry<List<String>, Long> e : counts.entrySet()) {
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of(names, e.getKey().toArray(new String[0])))
                    .value(e.getValue())
                    .build());
        }
        return b.build();
    }

    /** A copy of the remembered dedupe keys and their event times (Unix seconds). */
    public Map<String, Long> seen() {
        Map<String, Long> copy = new HashMap<>();
        seen.forEach(copy::put);
        return Collections.unmodifiableMap(copy);
    }

    /** Calls {@code action} with each remembered dedupe key and its event time (Unix seconds), without a copy. */
    public void forEachSeen(ObjLongConsumer<String> action) {
        seen.forEach(action);
    }

    /** Starts a run at {@code now}: the result of the run is built in the returned update. */
    public Update begin(Instant now, Duration retention) {
        return new Update(now, retention);
    }

    /** The work of one run: new keys and counts on top of this ledger, which stays unchanged. */
    public final class Update {
        private final Instant now;
        private final Duration retention;
        private final long cutoff;
        private final Map<List<String>, Long> newCounts = new LinkedHashMap<>(counts);
        private final SeenKeys added = new SeenKeys();
        private Instant newest;
        private long counted;

        private Update(Instant now, Duration retention) {
            this.now = now;
            this.retention = retention;
            Instant mark = watermark;
            if (mark != null && mark.isAfter(now)) {
                // Clock skew or a hand-edited state file: a watermark ahead of now would put the counting window in the
                // future and no event would ever be counted again. Counting goes on from now instead.
                LOG.warn("event state watermark {} is later than now ({}); counting continues from now", mark, now);
                mark = now;
            }
            this.newest = mark;
            // Before the first event, the window reaches back one retention from now: the backlog Graph still holds.
            this.cutoff = (mark == null ? now : mark).minus(retention).getEpochSecond();
        }

        /**
         * Offers one event; returns true when it is new and was counted under {@code labels}. A null {@code time}
         * (Graph sent none) counts as seen now.
         */
        public boolean offer(String key, Instant time, List<String> labels) {
            if (labels.size() != labelNames.size()) {
                throw new IllegalArgumentException(
                        "expected " + labelNames.size() + " label values, got " + labels.size());
            }
            Instant t = time == null ? now : time;
            long seconds = t.getEpochSecond();
            if (seconds < cutoff || seen.contains(key) || added.contains(key)) {
                return false;
            }
            added.put(key, seconds);
            newCounts.merge(List.copyOf(labels), 1L, Long::sum);
            counted++;
            // An event stamped in the future (clock skew) must not push the window past events still to come.
            Instant capped = t.isAfter(now) ? now : t;
            if (newest == null || capped.isAfter(newest)) {
                newest = capped;
            }
            return true;
        }

        /**
         * Offers an event Graph gives no time for (v1.0 mobileAppTroubleshootingEvent carries only its id): counted under
         * {@code labels} when its key is new. A known key is remembered as seen now, so it is forgotten only after Graph
         * has stopped listing it for a whole retention, and an event Graph keeps listing is never counted twice.
         */
        public boolean offerUndated(String key, List<String> labels) {
            if (seen.contains(key) || added.contains(key)) {
                added.put(key, now.getEpochSecond());
                // Seen now: the window behind the watermark moves on, so ids Graph stopped listing are forgotten in
                // time.
                if (newest == null || now.isAfter(newest)) {
                    newest = now;
                }
                return false;
            }
            return offer(key, now, labels);
        }

        /** Makes a series exist at 0, so that rate() sees its first increment. */
        public void ensure(List<String> labels) {
            newCounts.putIfAbsent(List.copyOf(labels), 0L);
        }

        /** Label tuples of all series so far (old and new). */
        public Set<List<String>> series() {
            return Collections.unmodifiableSet(newCounts.keySet());
        }

        /** Events counted in this run. */
        public long counted() {
            return counted;
        }

        /** The new ledger: old and new keys, minus those that fell out of the window behind the new watermark. */
        public EventLedger finish() {
            long keepFrom =
                    newest == null ? Long.MIN_VALUE : newest.minus(retention).getEpochSecond();
            SeenKeys keep = new SeenKeys();
            seen.copyInto(keep, keepFrom);
            // Added after the old keys: a key seen again (offerUndated) takes its new time.
            added.copyInto(keep, keepFrom);
            return new EventLedger(labelNames, newest, newCounts, keep);
        }
    }
}
