package io.github.intuneexporter.scheduler;

import io.github.intuneexporter.graph.IntuneThrottleBucket;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The share of Intune's documented per-tenant throttling limits a tenant's collectors may use in steady state
 * ({@code intune.collection.graph-budget-share}, default 10%), and how far intervals must stretch to stay in it.
 * A collector's cost is what its last run requested per bucket; at its interval that is a rate per hour, and the
 * rates of all collectors on one bucket add up. When a bucket's sum exceeds its share, every collector using that
 * bucket runs less often by the same factor, which brings the bucket exactly back to its share.
 */
public final class GraphBudget {
    private final double share;

    /** {@code share} of the documented limits (0..1); 0 turns stretching off. */
    public GraphBudget(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("graph budget share must be in 0..1");
        }
        this.share = share;
    }

    public double share() {
        return share;
    }

    /** Intune's documented limit of {@code bucket} in requests per hour (per app, per tenant). */
    public static double documentedPerHour(IntuneThrottleBucket bucket) {
        return bucket.anyRequests() * 3600.0 / bucket.window().toSeconds();
    }

    /** Requests per hour per bucket at the given intervals, from each collector's requests per run. */
    public static Map<IntuneThrottleBucket, Double> perHour(
            Map<String, Duration> intervals, Map<String, Map<IntuneThrottleBucket, Long>> perRun) {
        Map<IntuneThrottleBucket, Double> out = new EnumMap<>(IntuneThrottleBucket.class);
        perRun.forEach((collector, requests) -> {
            Duration interval = intervals.get(collector);
            if (interval == null || interval.isZero() || interval.isNegative()) {
                return;
            }
            double runsPerHour = 3600_000.0 / interval.toMillis();
            requests.forEach((bucket, n) -> out.merge(bucket, n * runsPerHour, Double::sum));
        });
        return out;
    }

    /**
     * The factor (at least 1) each collector's interval is multiplied by so that no bucket goes above its share: the
     * largest overshoot of the buckets the collector uses. Collectors not yet measured stay at 1.
     */
    public Map<String, Double> stretch(
            Map<String, Duration> intervals, Map<String, Map<IntuneThrottleBucket, Long>> perRun) {
        Map<IntuneThrottleBucket, Double> overshoot = new EnumMap<>(IntuneThrottleBucket.class);
        if (share > 0) {
            perHour(intervals, perRun).forEach((bucket, rate) -> {
                double allowed = share * documentedPerHour(bucket);
                if (rate > allowed) {
                    overshoot.put(bucket, rate / allowed);
                }
            });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String collector : intervals.keySet()) {
            double f = 1;
            for (IntuneThrottleBucket b :
                    perRun.getOrDefault(collector, Map.of()).keySet()) {
                f = Math.max(f, overshoot.getOrDefault(b, 1.0));
            }
            out.put(collector, f);
        }
        return out;
    }
}
