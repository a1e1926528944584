package io.github.intuneexporter;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Ends a process that is out of memory without an {@link OutOfMemoryError}: with G1 a heap that is almost full makes
 * the JVM collect nearly all the time, and the exporter stays up answering nothing (no probe, no scrape) instead of
 * failing. Every {@link #PERIOD_MILLIS} it looks at the share of time spent in garbage collection and at how full the
 * heap stays after a collection; three periods in a row above both limits end the process like an out-of-memory.
 */
final class MemoryWatchdog {
    static final long PERIOD_MILLIS = 5000;
    static final double GC_SHARE_LIMIT = 0.8;
    static final double AFTER_GC_FULL_LIMIT = 0.95;
    static final int PERIODS = 3;

    /** One look at the JVM: total collection milliseconds so far and heap fullness after the last collections. */
    record Sample(long wallMillis, long gcMillis, double afterGcFull) {}

    private Sample last;
    private int exhaustedPeriods;

    /** Feeds one sample; returns a message when the process must end, else null. */
    String offer(Sample now) {
        Sample before = last;
        last = now;
        if (before == null || now.wallMillis() <= before.wallMillis()) {
            return null;
        }
        double gcShare = (now.gcMillis() - before.gcMillis()) / (double) (now.wallMillis() - before.wallMillis());
        if (gcShare >= GC_SHARE_LIMIT && now.afterGcFull() >= AFTER_GC_FULL_LIMIT) {
            exhaustedPeriods++;
        } else {
            exhaustedPeriods = 0;
        }
        if (exhaustedPeriods < PERIODS) {
            return null;
        }
        return String.format(
                "out of memory: %.0f%% of the last %d s spent in garbage collection with the heap %.0f%% full after it",
                gcShare * 100, (now.wallMillis() - before.wallMillis()) / 1000, now.afterGcFull() * 100);
    }

    static Sample sample() {
        long gc = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, b.getCollectionTime());
        }
        long used = 0;
        long max = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null && pool.getUsage().getMax() > 0) {
                used += after.getUsed();
                max += pool.getUsage().getMax();
            }
        }
        long heapMax = Runtime.getRuntime().maxMemory();
        double full = max > 0 ? Math.min(1.0, used / (double) Math.min(max, heapMax)) : 0;
        return new Sample(System.nanoTime() / 1_000_000, gc, full);
    }

    /** Starts the watchdog thread (daemon). */
    static void start() {
        MemoryWatchdog watchdog = new MemoryWatchdog();
        Thread t = new Thread(
                () -> {
                    while (true) {
                        try {
                            Thread.sleep(PERIOD_MILLIS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        String fatal = watchdog.offer(sample());
                        if (fatal != null) {
                            FatalErrors.exit(fatal);
                        }
                    }
                },
                "intune-memory-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
