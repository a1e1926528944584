package io.github.intuneexporter.collector;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.ObjLongConsumer;

/**
 * The dedupe keys an {@link EventLedger} remembers, each with its event time (Unix seconds). Graph's event ids are
 * GUIDs; a {@code HashMap<String, Long>} spends about 136 bytes on each, and an MSP process remembers millions (30
 * days of enrollment, Autopilot, audit and app-install events for hundreds of tenants: 2.1 million ids held 300 MB
 * of a 1 GB heap in the MSP benchmark). A key that is a canonical lower-case GUID, alone or followed by
 * {@code |suffix} (Autopilot's id plus state), is therefore packed as two longs and an unsigned int of seconds in an
 * open-addressing table per suffix (20 bytes a slot); any other key stays in an ordinary map, so every key is kept
 * exactly.
 *
 * <p>Not thread-safe. A ledger fills its own instance and never changes it once the ledger is built.
 */
final class SeenKeys {

    private static final int GUID_LENGTH = 36;

    private final Map<String, GuidTable> bySuffix = new HashMap<>(4);
    private final Map<String, Long> others = new HashMap<>();

    static SeenKeys of(Map<String, Long> keys) {
        SeenKeys s = new SeenKeys();
        keys.forEach(s::put);
        return s;
    }

    int size() {
        int n = others.size();
        for (GuidTable t : bySuffix.values()) {
            n += t.size;
        }
        return n;
    }

    boolean contains(String key) {
        if (!packable(key)) {
            return others.containsKey(key);
        }
        GuidTable t = bySuffix.get(suffix(key));
        return t != null && t.contains(high(key), low(key));
    }

    /** Remembers {@code key} at {@code time} (Unix seconds); a key already present takes the new time. */
    void put(String key, long time) {
        if (packable(key)) {
            // Times outside 1970..2106 are clamped: both ends are far outside any retention window.
            int seconds = (int) Math.max(0, Math.min(time, 0xFFFF_FFFFL));
            bySuffix.computeIfAbsent(suffix(key), s -> new GuidTable(0)).put(high(key), low(key), seconds);
        } else {
            others.put(key, time);
        }
    }

    /** Copies into {@code target} every key whose time is at or after {@code from}. */
    void copyInto(SeenKeys target, long from) {
        bySuffix.forEach((suffix, table) -> {
            GuidTable into = target.bySuffix.computeIfAbsent(suffix, s -> new GuidTable(table.size));
            table.forEach((h, l, seconds) -> {
                if (Integer.toUnsignedLong(seconds) >= from) {
                    into.put(h, l, seconds);
                }
            });
        });
        others.forEach((k, t) -> {
            if (t >= from) {
                target.others.put(k, t);
            }
        });
    }

    /** Calls {@code action} with every key and its time; GUIDs come back in their canonical text. */
    void forEach(ObjLongConsumer<String> action) {
        bySuffix.forEach((suffix, table) -> table.forEach(
                (h, l, seconds) -> action.accept(new UUID(h, l) + suffix, Integer.toUnsignedLong(seconds))));
        others.forEach(action::accept);
    }

    /**
     * A key that goes into a table: a canonical GUID, alone or before a '|', other than the all-zero GUID (which
     * marks empty slots).
     */
    private static boolean packable(String key) {
        return key.length() >= GUID_LENGTH
                && (key.length() == GUID_LENGTH || key.charAt(GUID_LENGTH) == '|')
                && isCanonicalGuid(key)
                && (high(key) != 0 || low(key) != 0);
    }

    private static String suffix(String key) {
        return key.length() == GUID_LENGTH ? "" : key.substring(GUID_LENGTH);
    }

    /** 8-4-4-4-12 lower-case hex digits at the start of {@code s}: the form Graph writes and UUID.toString gives. */
    static boolean isCanonicalGuid(String s) {
        for (int i = 0; i < GUID_LENGTH; i++) {
            char c = s.charAt(i);
            boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
            if (hyphen ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long high(String guid) {
        return hex(guid, 0, 8) << 32 | hex(guid, 9, 13) << 16 | hex(guid, 14, 18);
    }

    private static long low(String guid) {
        return hex(guid, 19, 23) << 48 | hex(guid, 24, 36);
    }

    private static long hex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v << 4 | Character.digit(s.charAt(i), 16);
        }
        return v;
    }

    /** GUIDs as (high, low) with a time, linear probing, grown at 3/4 full; (0, 0) marks an empty slot. */
    private static final class GuidTable {
        private long[] high;
        private long[] low;
        private int[] seconds;
        private int size;

        interface Entry {
            void accept(long high, long low, int seconds);
        }

        GuidTable(int expected) {
            int capacity = 16;
            while (capacity * 3L < expected * 4L) {
                capacity <<= 1;
            }
            allocate(capacity);
        }

        boolean contains(long h, long l) {
            return occupied(slot(h, l));
        }

        void put(long h, long l, int time) {
            int i = slot(h, l);
            if (!occupied(i)) {
                if ((size + 1) * 4L > high.length * 3L) {
                    grow();
                    i = slot(h, l);
                }
                high[i] = h;
                low[i] = l;
                size++;
            }
            seconds[i] = time;
        }

        void forEach(Entry action) {
            for (int i = 0; i < high.length; i++) {
                if (occupied(i)) {
                    action.accept(high[i], low[i], seconds[i]);
                }
            }
        }

        /** The slot holding (h, l), or the empty slot where it belongs; the table is never full. */
        private int slot(long h, long l) {
            int mask = high.length - 1;
            int i = mix(h, l) & mask;
            while (occupied(i) && (high[i] != h || low[i] != l)) {
                i = (i + 1) & mask;
            }
            return i;
        }

        private boolean occupied(int i) {
            return high[i] != 0 || low[i] != 0;
        }

        private void grow() {
            long[] oldHigh = high;
            long[] oldLow = low;
            int[] oldSeconds = seconds;
            allocate(oldHigh.length * 2);
            for (int i = 0; i < oldHigh.length; i++) {
                if (oldHigh[i] != 0 || oldLow[i] != 0) {
                    int j = slot(oldHigh[i], oldLow[i]);
                    high[j] = oldHigh[i];
                    low[j] = oldLow[i];
                    seconds[j] = oldSeconds[i];
                }
            }
        }

        private void allocate(int capacity) {
            high = new long[capacity];
            low = new long[capacity];
            seconds = new int[capacity];
        }

        private static int mix(long h, long l) {
            long x = h * 0x9E3779B97F4A7C15L ^ l;
            x ^= x >>> 33;
            x *= 0xFF51AFD7ED558CCDL;
            x ^= x >>> 33;
            return (int) x;
        }
    }
}
