package io.github.intuneexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GraphJsonTest {
    private static final long NEVER = Long.MIN_VALUE;

    private static long slow(String raw) {
        Instant t = GraphJson.instant(raw);
        return t == null ? NEVER : t.getEpochSecond();
    }

    @Test
    void theFastPathAgreesWithInstantParsingOnEveryShape() {
        List<String> shapes = List.of(
                "2024-02-29T23:59:59Z",
                "2023-02-29T10:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-12-31T23:59:59.9999999Z",
                "2024-01-01T00:00:00.5Z",
                "2024-01-01T00:00:00.Z",
                "2024-01-01T00:00:00.1234567890Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T00:60:00Z",
                "2024-01-01T00:00:60Z",
                "2024-13-01T00:00:00Z",
                "2024-00-10T00:00:00Z",
                "2024-01-00T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "1970-06-01T00:00:00Z",
                "1971-01-01T00:00:00Z",
                "2024-01-01T00:00:00+02:00",
                "2024-01-01T00:00:00",
                "2024-1-01T00:00:00Z",
                "20x4-01-01T00:00:00Z",
                "",
                "garbage",
                "2024-01-01 00:00:00Z");
        for (String s : shapes) {
            assertEquals(slow(s), GraphJson.epochSecond(s, NEVER), s);
        }
        assertEquals(NEVER, GraphJson.epochSecond(null, NEVER));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(0, 5_000_000_000L), r.nextInt(0, 1_000_000_000));
            String s = t.toString();
            assertEquals(slow(s), GraphJson.epochSecond(s, NEVER), s);
        }
    }
}
