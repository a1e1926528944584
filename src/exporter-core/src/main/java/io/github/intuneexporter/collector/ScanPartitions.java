package io.github.intuneexporter.collector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the managedDevices scan into contiguous {@code enrolledDateTime} ranges that together hold every device
 * exactly once, so that they can be read in parallel. With boundaries T1 &lt; ... &lt; Tk-1 the ranges are
 * {@code lt T1}, {@code ge T1 and lt T2}, ..., {@code ge Tk-1}. Intune's $filter offers only {@code lt} and
 * {@code gt} on enrolledDateTime, so "ge T" is written {@code gt T-1tick}: Graph's DateTimeOffset resolution is
 * one tick (100 ns), so no value lies strictly between T-1tick and T.
 *
 * <p>Why enrolledDateTime: it is documented as filterable, never null (Graph writes 0001-01-01 for "unknown",
 * which falls into the first range), and it does not change while a scan runs, unlike lastSyncDateTime, which
 * would move devices between ranges mid-scan. operatingSystem filters cannot cover unknown OS values without
 * {@code ne}, which Intune mishandles.
 */
public final class ScanPartitions {
    static final Duration TICK = Duration.ofNanos(100);
    private static final DateTimeFormatter LITERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Until a scan has measured the enrollment dates, ranges split this many past days evenly. */
    static final int INITIAL_SPAN_DAYS = 3 * 365;
    /** Enrollment dates older than this many days count as the oldest day of the histogram. */
    static final int HISTOGRAM_DAYS = 20 * 366;

    private ScanPartitions() {}

    /** The $filter of each range, in order; a single null (no filter) without boundaries. */
    public static List<String> filters(List<Instant> boundaries) {
        List<String> out = new ArrayList<>();
        if (boundaries.isEmpty()) {
            out.add(null);
            return out;
        }
        for (int i = 0; i <= boundaries.size(); i++) {
            String lower = i == 0
                    ? null
                    : "enrolledDateTime gt " + literal(boundaries.get(i - 1).minus(TICK));
            String upper = i == boundaries.size() ? null : "enrolledDateTime lt " + literal(boundaries.get(i));
            out.add(lower == null ? upper : upper == null ? lower : lower + " and " + upper);
        }
        return out;
    }

    /** An OData DateTimeOffset literal with Graph's 7 fractional digits. */
    static String literal(Instant t) {
        return LITERAL.format(t);
    }

    /** Boundaries for {@code ranges} ranges before any scan measured the fleet: the last 3 years, evenly. */
    public static List<Instant> initial(Instant now, int ranges) {
        List<Instant> out = new ArrayList<>();
        long today = Math.floorDiv(now.getEpochSecond(), 86400);
        for (int i = 1; i < ranges; i++) {
            long day = today - INITIAL_SPAN_DAYS + (long) INITIAL_SPAN_DAYS * i / ranges;
            out.add(Instant.ofEpochSecond(day * 86400));
        }
        return out;
    }

    /**
     * Devices per enrollment day, counted during a scan (a bounded array, not per-device state), from which the
     * next scan's boundaries are chosen so that every range holds about the same number of devices.
     */
    public static final class Histogram {
        private final long today;
        private final long[] daysAgo = new long[HISTOGRAM_DAYS];

        public Histogram(Instant now) {
            this.today = Math.floorDiv(now.getEpochSecond(), 86400);
        }

        /** Counts a device enrolled at {@code epochSecond} ({@link DeviceTally#NEVER} for 0001-01-01: the oldest). */
        public void add(long epochSecond) {
            long ago =
                    epochSecond == DeviceTally.NEVER ? HISTOGRAM_DAYS - 1 : today - Math.floorDiv(epochSecond, 86400);
            daysAgo[(int) Math.max(0, Math.min(HISTOGRAM_DAYS - 1, ago))]++;
        }

        public Histogram merge(Histogram other) {
            for (int i = 0; i < daysAgo.length; i++) {
                daysAgo[i] += other.daysAgo[i];
            }
            return this;
        }

        /** Day boundaries (midnight UTC) splitting the counted devices into {@code ranges} ranges of about equal size. */
        public List<Instant> boundaries(int ranges) {
            long total = 0;
            for (long c : daysAgo) {
                total += c;
            }
            List<Instant> out = new ArrayList<>();
            if (total == 0 || ranges < 2) {
                return out;
            }
            // Walk from the oldest day forward; a boundary at the start of day d puts day d in the later range.
            long seen = 0;
            int next = 1;
            for (int ago = HISTOGRAM_DAYS - 1; ago >= 0 && next < ranges; ago--) {
                if (seen >= total * next / ranges && seen > 0) {
                    Instant b = Instant.ofEpochSecond((today - ago) * 86400);
                    if (out.isEmpty() || b.isAfter(out.get(out.size() - 1))) {
                        out.add(b);
                    }
                    while (next < ranges && seen >= total * next / ranges) {
                        next++;
                    }
                }
                seen += daysAgo[ago];
            }
            return out;
        }
    }
}
