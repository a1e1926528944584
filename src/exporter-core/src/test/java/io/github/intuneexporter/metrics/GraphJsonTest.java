package io.github.intuneexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
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
                "2x24-01-01T00:00:00Z",
                "202x-01-01T00:00:00Z",
                "2024-0x-01T00:00:00Z",
                "2024-01-0xT00:00:00Z",
                "2024-01-01T0x:00:00Z",
                "2024-01-01T00:x0:00Z",
                "2024-01-01T00:00:0xZ",
                "2024-01-01T00:00:00.12x4Z",
                "2024-01-01T00:00:00/5Z",
                "1999-12-31T23:59:59Z",
                "2024-01-01t00:00:00z",
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

    /** The value placed inside a larger buffer, as a parser's text buffer holds it. */
    private static long fromBuffer(String raw) {
        char[] buffer = ("xx\"" + raw + "\"yy").toCharArray();
        return GraphJson.epochSecond(buffer, 3, raw.length(), NEVER);
    }

    @Test
    void theCharBufferFormReadsGraphsShapesAndFallsBackForTheRest() {
        long noon = Instant.parse("2026-12-06T12:00:00Z").getEpochSecond();
        // Graph's canonical form, with 0 to 9 fractional digits: truncated to the second.
        assertEquals(noon, fromBuffer("2026-12-06T12:00:00Z"));
        assertEquals(noon, fromBuffer("2026-12-06T12:00:00.9Z"));
        assertEquals(noon, fromBuffer("2026-12-06T12:00:00.9999999Z"));
        assertEquals(noon, fromBuffer("2026-12-06T12:00:00.123456789Z"));
        // Offsets (the slow path): the same instant.
        assertEquals(noon, fromBuffer("2026-12-06T14:00:00+02:00"));
        assertEquals(noon, fromBuffer("2026-12-06T07:30:00.5-04:30"));
        assertEquals(noon, fromBuffer("2026-12-06T12:00:00+00:00"));
        // Graph's "no value", other years before 1971, empty, and things that are not timestamps.
        assertEquals(NEVER, fromBuffer("0001-01-01T00:00:00Z"));
        assertEquals(NEVER, fromBuffer("0001-01-01T00:00:00.0000000Z"));
        assertEquals(NEVER, fromBuffer("1970-01-01T00:00:00Z"));
        assertEquals(NEVER, fromBuffer(""));
        assertEquals(NEVER, fromBuffer("9999"));
        assertEquals(NEVER, fromBuffer("2026-02-29T00:00:00Z"));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z").getEpochSecond(), fromBuffer("2028-02-29T00:00:00Z"));
        // Graph's "not in grace" far future is an ordinary (fast) value.
        assertEquals(
                Instant.parse("9999-12-31T23:59:59Z").getEpochSecond(), fromBuffer("9999-12-31T23:59:59.9999999Z"));
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            String s = Instant.ofEpochSecond(r.nextLong(0, 5_000_000_000L), r.nextInt(0, 1_000_000_000))
                    .toString();
            assertEquals(slow(s), fromBuffer(s), s);
        }
    }

    @Test
    void epochDayEqualsLocalDateAndRejectsDaysThatDoNotExist() {
        for (long day = LocalDate.of(1899, 1, 1).toEpochDay();
                day < LocalDate.of(2501, 1, 1).toEpochDay();
                day++) {
            LocalDate d = LocalDate.ofEpochDay(day);
            assertEquals(day, GraphJson.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), d.toString());
        }
        for (int year : new int[] {0, 1, 4, 100, 400, 1600, 1900, 2000, 2100, 9999}) {
            assertEquals(LocalDate.of(year, 3, 1).toEpochDay(), GraphJson.epochDay(year, 3, 1));
            assertEquals(LocalDate.of(year, 1, 1).toEpochDay(), GraphJson.epochDay(year, 1, 1));
        }
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(2023, 2, 29));
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(1900, 2, 29));
        assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), GraphJson.epochDay(2000, 2, 29));
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(2024, 4, 31));
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(2024, 13, 1));
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(2024, 0, 1));
        assertEquals(Long.MIN_VALUE, GraphJson.epochDay(2024, 1, 0));
    }

    @Test
    void theCanonicalFormIsReadWithoutAllocating() {
        char[] buffer = "2026-12-06T12:00:00.1234567Z".toCharArray();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += GraphJson.epochSecond(buffer, 0, buffer.length, NEVER);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(100_000L * Instant.parse("2026-12-06T12:00:00Z").getEpochSecond(), sum);
        // A String or LocalDate per call would be megabytes; the measurement itself may allocate a little.
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes for 100,000 timestamps");
    }
}
