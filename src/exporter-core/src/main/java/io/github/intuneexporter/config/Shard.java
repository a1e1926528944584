package io.github.intuneexporter.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This replica's share of the configured tenants ({@code --shard=i/n}, {@code intune.shard}): tenant {@code t} belongs
 * to shard {@code jump(hash(t), n)}, a jump consistent hash (Lamping and Veach) of a SHA-256 of its lower-case tenant
 * id. Every replica computes the same assignment from the same configuration, so {@code n} replicas with indexes
 * {@code 0..n-1} read every tenant exactly once; when {@code n} grows by one, only about {@code 1/(n+1)} of the tenants
 * move (each to the new replica). {@code auto/n} takes {@code i} from the pod name of a StatefulSet ({@code HOSTNAME}
 * ends in {@code -i}).
 */
public record Shard(int index, int count) {
    /** One replica reading every tenant. */
    public static final Shard ALL = new Shard(0, 1);

    private static final Pattern SPEC = Pattern.compile("(\\d+|auto)/(\\d+)");
    private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)");

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range");
        }
    }

    /**
     * Parses {@code i/n} or {@code auto/n} ("" = all tenants); {@code hostname} is the pod name for {@code auto}.
     * {@code key} names the setting in error messages.
     */
    public static Shard parse(String spec, String hostname, String key) {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty()) {
            return ALL;
        }
        Matcher m = SPEC.matcher(s);
        if (!m.matches()) {
            throw new ConfigException(
                    key + ": '" + s + "' is not a shard, expected INDEX/COUNT (e.g. 0/3) or auto/COUNT");
        }
        int count = number(m.group(2), key, s);
        if (count < 1) {
            throw new ConfigException(key + ": the shard count must be at least 1");
        }
        int index;
        if (m.group(1).equals("auto")) {
            Matcher ordinal = ORDINAL.matcher(hostname == null ? "" : hostname);
            if (!ordinal.matches()) {
                throw new ConfigException(key + ": auto/" + count
                        + " takes the shard index from the StatefulSet pod name (HOSTNAME "
                        + "ending in -<ordinal>), but HOSTNAME is '" + (hostname == null ? "" : hostname) + "'");
            }
            index = number(ordinal.group(1), key, s);
        } else {
            index = number(m.group(1), key, s);
        }
        if (index >= count) {
            throw new ConfigException(key + ": shard index " + index + " is not below the shard count " + count
                    + " (indexes are 0.." + (count - 1) + ")");
        }
        return new Shard(index, count);
    }

    private static int number(String digits, String key, String spec) {
        if (digits.length() > 5 || Integer.parseInt(digits) > 10_000) {
            throw new ConfigException(key + ": '" + spec + "' has a number out of range (0..10000)");
        }
        return Integer.parseInt(digits);
    }

    /** Whether the tenant with this id (a GUID or domain; compared lower-case) is this replica's. */
    public boolean owns(String tenantId) {
        return count == 1 || of(tenantId, count) == index;
    }

    /** The shard (0..count-1) of a tenant id. */
    public static int of(String tenantId, int count) {
        return jump(key(tenantId), count);
    }

    private static long key(String tenantId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(tenantId.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jump consistent hash: a bucket in [0, buckets) for a 64-bit key. */
    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
