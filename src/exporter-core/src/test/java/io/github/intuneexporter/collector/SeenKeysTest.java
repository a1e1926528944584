package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeenKeysTest {
    private static Map<String, Long> contents(SeenKeys keys) {
        Map<String, Long> m = new HashMap<>();
        keys.forEach((k, t) -> assertEquals(null, m.put(k, t), "each key once: " + k));
        return m;
    }

    @Test
    void everyKindOfKeyIsKeptExactly() {
        Map<String, Long> keys = Map.of(
                "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a", 1_700_000_000L,
                "2A7E1C0D-1C0D-2A7E-0D1C-7E2A0D1C7E2A", 1_700_000_001L, // not canonical: another key
                "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a|failed", 1_700_000_002L,
                "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a|success", 1_700_000_003L,
                "00000000-0000-0000-0000-000000000000", 1_700_000_004L,
                "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2aX", 1_700_000_005L,
                "short", 1_700_000_006L,
                "", 1_700_000_007L);
        SeenKeys s = SeenKeys.of(keys);
        assertEquals(keys.size(), s.size());
        assertEquals(keys, contents(s));
        keys.keySet().forEach(k -> assertTrue(s.contains(k), k));
        assertFalse(s.contains("2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2b"));
        assertFalse(s.contains("2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a|pending"));
        assertFalse(s.contains("2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2g"));
    }

    @Test
    void aKeyPutAgainTakesTheNewTime() {
        SeenKeys s = new SeenKeys();
        String id = "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a";
        s.put(id, 10);
        s.put(id, 20);
        assertEquals(Map.of(id, 20L), contents(s));
    }

    @Test
    void timesOutsideTheUnsignedRangeAreClampedNotLost() {
        SeenKeys s = new SeenKeys();
        s.put("2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a", 9_999_999_999L);
        s.put("3a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a", -5);
        assertEquals(
                Map.of(
                        "2a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a",
                        0xFFFF_FFFFL,
                        "3a7e1c0d-1c0d-2a7e-0d1c-7e2a0d1c7e2a",
                        0L),
                contents(s));
    }

    /** Many random keys, against a HashMap: growth and probing lose nothing, copyInto keeps exactly the recent ones. */
    @Test
    void agreesWithAHashMapOverManyKeys() {
        Random random = new Random(7);
        Map<String, Long> reference = new HashMap<>();
        SeenKeys s = new SeenKeys();
        for (int i = 0; i < 200_000; i++) {
            String key = new UUID(random.nextLong(), random.nextLong()).toString();
            if (i % 10 == 0) {
                key += "|" + (i % 3 == 0 ? "failed" : "success");
            } else if (i % 97 == 0) {
                key = "event-" + i;
            } else if (i % 5 == 0 && !reference.isEmpty()) {
                key = reference.keySet().iterator().next(); // a repeat
            }
            long time = 1_700_000_000L + random.nextInt(1_000_000);
            reference.put(key, time);
            s.put(key, time);
        }
        assertEquals(reference.size(), s.size());
        assertEquals(reference, contents(s));
        for (int i = 0; i < 1000; i++) {
            assertFalse(s.contains(new UUID(random.nextLong(), random.nextLong()).toString()));
        }

        long from = 1_700_500_000L;
        SeenKeys kept = new SeenKeys();
        s.copyInto(kept, from);
        Map<String, Long> expected = new HashMap<>(reference);
        expected.values().removeIf(t -> t < from);
        assertEquals(expected, contents(kept));
        assertEquals(reference, contents(s), "the source is unchanged");
    }
}
