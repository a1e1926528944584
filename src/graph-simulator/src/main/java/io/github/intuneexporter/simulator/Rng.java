package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.IntPredicate;

/** Stateless hashing to uniform numbers: the same (seed, keys) always gives the same value, in any order. */
final class Rng {
    private Rng() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long hash(long seed, long a, long b) {
        return mix(mix(seed * 0x9e3779b97f4a7c15L + a) + b * 0x632be59bd9b4e019L);
    }

    /** Uniform in [0, 1). */
    static double unit(long seed, long a, long b) {
        return (hash(seed, a, b) >>> 11) * 0x1.0p-53;
    }

    /** A stable id: the same (seed, key, salt) always gives the same UUID; salt + 1 is used too. */
    static String uuid(long seed, long key, long salt) {
        return new UUID(hash(seed, key, salt), hash(seed, key, salt + 1)).toString();
    }

    /**
     * The last tick at or before {@code now} of something that happens every {@code period} (a sync, a heartbeat), at
     * a phase fixed by (seed, salt), so the time advances with the clock and stays put between ticks.
     */
    static Instant periodic(long seed, Instant now, Duration period, long salt) {
        long p = period.getSeconds();
        long phase = (long) (unit(seed, salt, 99) * p);
        long t = now.getEpochSecond();
        return Instant.ofEpochSecond(t - Math.floorMod(t + phase, p));
    }

    /**
     * Which {@code n} of a catalogue's {@code size} rows a tenant has, in catalogue order: the rows {@code always} holds
     * for first (they make the demo move), then a pick fixed by (seed, salt).
     */
    static List<Integer> choose(long seed, long salt, int size, int n, IntPredicate always) {
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < size; d++) {
            order.add(d);
        }
        order.sort((a, b) -> {
            if (always.test(a) != always.test(b)) {
                return always.test(a) ? -1 : 1;
            }
            return Double.compare(unit(seed, a, salt), unit(seed, b, salt));
        });
        List<Integer> chosen = new ArrayList<>(order.subList(0, Math.min(n, size)));
        Collections.sort(chosen);
        return chosen;
    }

    /** Picks an index by cumulative weights (need not sum to 1). */
    static int pick(double u, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = u * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
