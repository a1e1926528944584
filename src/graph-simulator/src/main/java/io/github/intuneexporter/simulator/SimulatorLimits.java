package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/**
 * Intune's per-app throttling limits as the simulator enforces them ({@code intune.simulator.enforce-limits}): per
 * {@link DocumentedThrottling} group (Microsoft's documented limits, not the exporter's own table), at most
 * {@code limit x scale} requests (and writes) in any sliding window; the
 * request beyond that gets 429 with a Retry-After of the time until the oldest request leaves the window. Only
 * served requests count. {@code scale} and {@code window} shrink the documented numbers for tests.
 */
public final class SimulatorLimits {
    private final double scale;
    private final Duration window;
    private final Map<DocumentedThrottling, Deque<Long>> any = new EnumMap<>(DocumentedThrottling.class);
    private final Map<DocumentedThrottling, Deque<Long>> writes = new EnumMap<>(DocumentedThrottling.class);

    /** {@code window} null = each bucket's documented window. */
    public SimulatorLimits(double scale, Duration window) {
        if (scale <= 0) {
            throw new IllegalArgumentException("limits scale must be positive");
        }
        this.scale = scale;
        this.window = window;
        for (DocumentedThrottling b : DocumentedThrottling.values()) {
            any.put(b, new ArrayDeque<>());
            writes.put(b, new ArrayDeque<>());
        }
    }

    /** The limits configured under {@code intune.simulator}, or null when enforce-limits is off. */
    public static SimulatorLimits fromConfig(com.typesafe.config.Config config) {
        return StandInSettings.limits(config);
    }

    public double scale() {
        return scale;
    }

    /** The window that replaces every bucket's documented one, or null. */
    public Duration windowOverride() {
        return window;
    }

    public int limit(DocumentedThrottling bucket, boolean write) {
        return (int) Math.max(1, Math.round((write ? bucket.writeRequests() : bucket.anyRequests()) * scale));
    }

    public Duration window(DocumentedThrottling bucket) {
        return window != null ? window : bucket.window();
    }

    /** Admits a request at {@code now} (nanoseconds), or returns the Retry-After in seconds (&gt; 0) it must get. */
    synchronized double admit(DocumentedThrottling bucket, boolean write, long now) {
        long w = window(bucket).toNanos();
        double retry = check(any.get(bucket), limit(bucket, false), w, now);
        if (write) {
            retry = Math.max(retry, check(writes.get(bucket), limit(bucket, true), w, now));
        }
        if (retry > 0) {
            return retry;
        }
        any.get(bucket).addLast(now);
        if (write) {
            writes.get(bucket).addLast(now);
        }
        return 0;
    }

    private static double check(Deque<Long> served, int limit, long window, long now) {
        while (!served.isEmpty() && served.peekFirst() <= now - window) {
            served.pollFirst();
        }
        if (served.size() < limit) {
            return 0;
        }
        // Free again when the oldest request of the window leaves it.
        return Math.max(0.001, (served.peekFirst() + window - now) / 1e9);
    }
}
