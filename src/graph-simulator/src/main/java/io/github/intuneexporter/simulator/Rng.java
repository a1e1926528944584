package io.github.intuneexporter.simulator;

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
