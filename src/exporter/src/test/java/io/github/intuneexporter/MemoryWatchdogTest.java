package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The decision of the memory watchdog, fed with samples (no real memory pressure, no timing). */
class MemoryWatchdogTest {
    @Test
    void threePeriodsOfCollectingAFullHeapEndTheProcess() {
        MemoryWatchdog w = new MemoryWatchdog();
        assertNull(w.offer(new MemoryWatchdog.Sample(0, 0, 0.99)));
        assertNull(w.offer(new MemoryWatchdog.Sample(5000, 4600, 0.99)));
        assertNull(w.offer(new MemoryWatchdog.Sample(10000, 9200, 0.98)));
        String fatal = w.offer(new MemoryWatchdog.Sample(15000, 13800, 0.99));
        assertNotNull(fatal);
        assertTrue(fatal.startsWith("out of memory: 92% of the last 5 s spent in garbage collection"), fatal);
    }

    @Test
    void busyCollectionWithRoomLeftOrAFullHeapWithoutCollectingIsFine() {
        MemoryWatchdog w = new MemoryWatchdog();
        w.offer(new MemoryWatchdog.Sample(0, 0, 0.5));
        for (int i = 1; i <= 10; i++) {
            assertNull(
                    w.offer(new MemoryWatchdog.Sample(i * 5000L, i * 4500L, 0.6)), "collecting a lot, heap not full");
        }
        for (int i = 11; i <= 20; i++) {
            assertNull(
                    w.offer(new MemoryWatchdog.Sample(i * 5000L, 45000 + (i - 10) * 100L, 0.99)),
                    "full but not collecting");
        }
    }

    @Test
    void aRecoveryResetsTheCount() {
        MemoryWatchdog w = new MemoryWatchdog();
        w.offer(new MemoryWatchdog.Sample(0, 0, 0.99));
        assertNull(w.offer(new MemoryWatchdog.Sample(5000, 4800, 0.99)));
        assertNull(w.offer(new MemoryWatchdog.Sample(10000, 9600, 0.99)));
        assertNull(w.offer(new MemoryWatchdog.Sample(15000, 9700, 0.70)), "recovered");
        assertNull(w.offer(new MemoryWatchdog.Sample(20000, 14500, 0.99)));
        assertNull(w.offer(new MemoryWatchdog.Sample(25000, 19300, 0.99)));
        assertNotNull(w.offer(new MemoryWatchdog.Sample(30000, 24100, 0.99)));
    }
}
