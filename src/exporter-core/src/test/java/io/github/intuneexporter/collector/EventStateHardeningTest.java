package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State written by an earlier run that is odd: a watermark from the future, temporary files left by a crash. */
class EventStateHardeningTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final List<String> LABELS = List.of("reason");

    /** Before the fix the window started a year ahead and no event was ever counted again. */
    @Test
    void aWatermarkInTheFutureIsClampedToNowAndCountingGoesOn() {
        Instant future = NOW.plus(Duration.ofDays(365));
        EventLedger skewed =
                new EventLedger(LABELS, future, Map.of(List.of("timeout"), 5L), Map.of("old", future.getEpochSecond()));
        EventLedger.Update run = skewed.begin(NOW, Duration.ofDays(30));
        assertTrue(
                run.offer("e1", NOW.minus(Duration.ofHours(1)), List.of("timeout")),
                "an event of the last hour counts");
        assertTrue(run.offer("e2", NOW.minus(Duration.ofDays(2)), List.of("timeout")));
        EventLedger next = run.finish();
        assertEquals(7L, next.counts().get(List.of("timeout")), "kept the old count and added the new events");
        assertFalse(
                next.watermark().isAfter(NOW), "the stored watermark is back at or before now: " + next.watermark());
        assertFalse(
                next.begin(NOW.plusSeconds(60), Duration.ofDays(30))
                        .offer("e1", NOW.minus(Duration.ofHours(1)), List.of("timeout")),
                "still counted once");
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreRemovedAtStart(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("enrollment.json");
        EventLedgerFile file = new EventLedgerFile(state, "intune.collectors.enrollment.state-file");
        EventLedger ledger =
                EventLedger.empty(LABELS).begin(NOW, Duration.ofDays(30)).finish();
        assertTrue(file.save(Map.of("x", ledger)));
        Path leftover = Files.writeString(dir.resolve("enrollment.json1234567890.tmp"), "{\"format\":1,\"led");
        Path unrelated = Files.writeString(dir.resolve("other.json123.tmp"), "keep");
        Path plain = Files.writeString(dir.resolve("enrollment.json.bak"), "keep");
        Map<String, EventLedger> loaded = new EventLedgerFile(state, "k").load(Map.of("x", LABELS));
        assertTrue(loaded.containsKey("x"));
        assertFalse(Files.exists(leftover), "the crash's temporary file is gone");
        assertTrue(Files.exists(unrelated) && Files.exists(plain) && Files.exists(state), "nothing else is touched");
    }
}
