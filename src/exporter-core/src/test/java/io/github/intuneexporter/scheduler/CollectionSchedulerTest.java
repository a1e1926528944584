package io.github.intuneexporter.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CollectionSchedulerTest {

    /** A collector whose runs succeed or fail as the test says, counting up a gauge on each success. */
    private static final class Scripted implements IntuneCollector {
        final String name;
        final Duration interval;
        volatile boolean fail;
        volatile long sleepMillis;
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch twoRuns = new CountDownLatch(2);
        /** The wait after the first run, when not the interval. */
        volatile Duration firstWait;

        Scripted(String name, Duration interval) {
            this.name = name;
            this.interval = interval;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return interval;
        }

        @Override
        public Duration nextDelay() {
            return firstWait != null && calls.get() == 1 ? firstWait : interval;
        }

        @Override
        public MetricSnapshots collect() throws Exception {
            int n = calls.incrementAndGet();
            twoRuns.countDown();
            if (sleepMillis > 0) {
                Thread.sleep(sleepMillis);
            }
            if (fail) {
                throw new IllegalStateException("Graph said no");
            }
            return new SnapshotBuilder()
                    .add(GaugeFamily.of("test_" + name + "_value", "run number").set(n))
                    .build();
        }
    }

    private static CollectionScheduler scheduler(List<IntuneCollector> collectors, Duration timeout) {
        return new CollectionScheduler(collectors, Duration.ZERO, timeout, 2, Clock.systemUTC());
    }

    /**
     * A fixed clock that stops the first background thread asking for the time (the run recording its result) until
     * the test has looked at the status, so that the moment between "run recorded" and "next run scheduled" is seen.
     */
    private static final class PausingClock extends Clock {
        final Instant now = Instant.parse("2026-11-20T08:00:00Z");
        final Thread testThread = Thread.currentThread();
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public long millis() {
            if (Thread.currentThread() != testThread && reached.getCount() > 0) {
                reached.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return now.toEpochMilli();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theStatusNeverShowsAFinishedRunWithThePreviousDueTime() throws Exception {
        Scripted c = new Scripted("alpha", Duration.ofMinutes(5));
        PausingClock clock = new PausingClock();
        try (CollectionScheduler s =
                new CollectionScheduler(List.of(c), Duration.ZERO, Duration.ofMinutes(1), 2, clock)) {
            s.start();
            assertTrue(clock.reached.await(30, TimeUnit.SECONDS));
            CollectionScheduler.CollectorStatus during = s.status().get(0);
            clock.release.countDown();
            assertEquals(1, during.runs(), "the run has been recorded");
            assertTrue(during.running(), "until its successor is scheduled, the run still counts as running");
            assertEquals(0, during.nextRunMillis());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (s.status().get(0).running() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            CollectionScheduler.CollectorStatus after = s.status().get(0);
            assertFalse(after.running());
            assertEquals(clock.now.plus(Duration.ofMinutes(5)).toEpochMilli(), after.nextRunMillis());
        }
    }

    /** The first wait after a run, with the clock fixed so that the due time is exact. */
    private static long firstWaitMillis(double phase) throws Exception {
        Scripted c = new Scripted("alpha", Duration.ofMinutes(10));
        Clock clock = Clock.fixed(Instant.parse("2026-11-20T08:00:00Z"), ZoneOffset.UTC);
        try (CollectionScheduler s =
                new CollectionScheduler(List.of(c), Duration.ZERO, Duration.ofMinutes(1), 2, clock)) {
            s.phase(phase);
            s.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((s.status().get(0).runs() < 1 || s.status().get(0).running()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return s.status().get(0).nextRunMillis() - clock.millis();
        }
    }

    @Test
    void aPhaseShortensTheFirstWaitOnlyAndNeverLengthensIt() throws Exception {
        assertEquals(Duration.ofMinutes(10).toMillis(), firstWaitMillis(0));
        assertEquals(Duration.ofMinutes(7).toMillis(), firstWaitMillis(0.3));

        // The phase applies once: a collector whose first wait is short (1 s, 0.7 s with the phase) then waits its
        // full interval.
        Scripted c = new Scripted("alpha", Duration.ofMinutes(10));
        c.firstWait = Duration.ofSeconds(1);
        Clock clock = Clock.fixed(Instant.parse("2026-11-20T08:00:00Z"), ZoneOffset.UTC);
        try (CollectionScheduler s =
                new CollectionScheduler(List.of(c), Duration.ZERO, Duration.ofMinutes(1), 2, clock)) {
            s.phase(0.3);
            s.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((s.status().get(0).runs() < 2 || s.status().get(0).running()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2, s.status().get(0).runs());
            assertEquals(Duration.ofMinutes(10).toMillis(), s.status().get(0).nextRunMillis() - clock.millis());
            assertThrows(IllegalArgumentException.class, () -> s.phase(1.0));
            assertThrows(IllegalArgumentException.class, () -> s.phase(-0.1));
        }
    }

    @Test
    void aFailedRunKeepsTheLastGoodSnapshot() {
        Scripted c = new Scripted("alpha", Duration.ofMinutes(1));
        try (CollectionScheduler s = scheduler(List.of(c), Duration.ofMinutes(1))) {
            assertFalse(s.ready());
            assertTrue(s.runNow("alpha"));
            assertTrue(s.ready());
            MetricSnapshots first = s.collect();
            assertEquals(1, SimulatedGraph.value(first, "test_alpha_value"), 0.0);
            double lastSuccess = SimulatedGraph.value(
                    first, "intune_collector_last_success_timestamp_seconds", "collector", "alpha");

            c.fail = true;
            assertFalse(s.runNow("alpha"));
            MetricSnapshots second = s.collect();
            assertEquals(1, SimulatedGraph.value(second, "test_alpha_value"), 0.0, "still the first run's data");
            assertEquals(0, SimulatedGraph.value(second, "intune_collector_success", "collector", "alpha"), 0.0);
            assertEquals(
                    lastSuccess,
                    SimulatedGraph.value(
                            second, "intune_collector_last_success_timestamp_seconds", "collector", "alpha"),
                    0.0);
            assertEquals(2, SimulatedGraph.value(second, "intune_collector_runs_total", "collector", "alpha"), 0.0);
            assertEquals(1, SimulatedGraph.value(second, "intune_collector_failures_total", "collector", "alpha"), 0.0);
            assertEquals("Graph said no", s.lastError("alpha"));

            c.fail = false;
            assertTrue(s.runNow("alpha"));
            MetricSnapshots third = s.collect();
            assertEquals(3, SimulatedGraph.value(third, "test_alpha_value"), 0.0, "recovered on the next run");
            assertEquals(1, SimulatedGraph.value(third, "intune_collector_success", "collector", "alpha"), 0.0);
        }
    }

    @Test
    void neverSucceededExportsZeroTimestampAndDisabledCollectorsAreAbsent() {
        Scripted bad = new Scripted("bad", Duration.ofMinutes(1));
        bad.fail = true;
        Scripted off = new Scripted("off", Duration.ZERO);
        try (CollectionScheduler s = scheduler(List.of(bad, off), Duration.ofMinutes(1))) {
            assertEquals(List.of("bad"), s.enabled());
            MetricSnapshots before = s.collect();
            assertTrue(
                    Double.isNaN(SimulatedGraph.value(before, "intune_collector_success", "collector", "bad")),
                    "no result before the first run");
            assertEquals(
                    60, SimulatedGraph.value(before, "intune_collector_interval_seconds", "collector", "bad"), 0.0);
            s.runNow("bad");
            MetricSnapshots after = s.collect();
            assertEquals(
                    0,
                    SimulatedGraph.value(after, "intune_collector_last_success_timestamp_seconds", "collector", "bad"),
                    0.0);
            assertTrue(s.ready(), "a failed first run still makes the exporter ready");
            assertEquals(0, off.calls.get());
        }
    }

    @Test
    void collectorsRunInTheBackgroundOnTheirOwnIntervals() throws Exception {
        Scripted fast = new Scripted("fast", Duration.ofMillis(50));
        Scripted slow = new Scripted("slow", Duration.ofHours(1));
        try (CollectionScheduler s = scheduler(List.of(fast, slow), Duration.ofMinutes(1))) {
            s.start();
            assertTrue(fast.twoRuns.await(10, TimeUnit.SECONDS), "fast collector ran twice");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!s.ready() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(s.ready());
            assertEquals(1, slow.calls.get(), "slow collector waits for its interval");
        }
    }

    @Test
    void aHangingRunTimesOutAndTheScheduleGoesOn() throws Exception {
        Scripted hang = new Scripted("hang", Duration.ofMillis(50));
        hang.sleepMillis = 60_000;
        try (CollectionScheduler s = scheduler(List.of(hang), Duration.ofMillis(300))) {
            s.start();
            assertTrue(hang.twoRuns.await(10, TimeUnit.SECONDS), "the next run started after the timeout");
            MetricSnapshots m = s.collect();
            assertEquals(0, SimulatedGraph.value(m, "intune_collector_success", "collector", "hang"), 0.0);
            assertTrue(s.lastError("hang").contains("timed out"), s.lastError("hang"));
        }
    }

    @Test
    void scrapesDoNotWaitForARunningCollection() throws Exception {
        Scripted slow = new Scripted("busy", Duration.ofHours(1));
        try (CollectionScheduler s = scheduler(List.of(slow), Duration.ofMinutes(1))) {
            s.runNow("busy");
            slow.sleepMillis = 2000;
            s.start();
            Thread.sleep(100);
            long start = System.nanoTime();
            MetricSnapshots m = s.collect();
            assertTrue(System.nanoTime() - start < 500_000_000L, "scrape returned at once");
            assertEquals(1, SimulatedGraph.value(m, "test_busy_value"), 0.0);
        }
    }

    /**
     * A collector blocked in a read that ignores interrupts, as a blocking socket read does: the timeout must cancel
     * its Graph calls (here: release it), and no second run may start while the first is still blocked.
     */
    private static final class Blocked implements IntuneCollector {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final java.util.concurrent.ConcurrentHashMap<Thread, CountDownLatch> releases =
                new java.util.concurrent.ConcurrentHashMap<>();
        final CountDownLatch secondRun = new CountDownLatch(2);
        volatile boolean block = true;

        @Override
        public String name() {
            return "blocked";
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(10);
        }

        @Override
        public MetricSnapshots collect() throws Exception {
            calls.incrementAndGet();
            secondRun.countDown();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (block) {
                    CountDownLatch release =
                            releases.computeIfAbsent(Thread.currentThread(), t -> new CountDownLatch(1));
                    boolean released = false;
                    while (!released) {
                        try {
                            released = release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException ignored) {
                            // uninterruptible, as a blocking socket read: only cancelling the call ends it
                        }
                    }
                    throw new java.io.IOException("Canceled");
                }
                return new SnapshotBuilder().build();
            } finally {
                running.decrementAndGet();
            }
        }

        /** What the Graph connection's cancel does for a thread: its blocked read ends. */
        void cancelCallsOf(Thread t) {
            releases.computeIfAbsent(t, x -> new CountDownLatch(1)).countDown();
        }
    }

    @Test
    void aTimeoutCancelsTheRunsGraphCallsAndRunsNeverOverlap() throws Exception {
        Blocked c = new Blocked();
        List<Thread> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch cancel = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> holdBack =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (CollectionScheduler s =
                new CollectionScheduler(List.of(c), Duration.ZERO, Duration.ofMillis(200), 4, Clock.systemUTC())) {
            // The first cancel is held back: the run stays blocked after its timeout, as on a Graph that never answers.
            s.onTimeoutCancel(t -> {
                cancelled.add(t);
                if (holdBack.compareAndSet(null, t)) {
                    cancel.countDown();
                } else {
                    c.cancelCallsOf(t);
                }
            });
            s.start();
            assertTrue(cancel.await(10, TimeUnit.SECONDS), "the timeout asked to cancel the run's calls");
            assertTrue(s.lastError("blocked").contains("timed out"), s.lastError("blocked"));
            // While the timed-out run is still blocked, no other run starts (before the fix one started every 10 ms).
            Thread.sleep(500);
            assertEquals(1, c.calls.get(), "no second run while the first is blocked");
            c.block = false;
            c.cancelCallsOf(holdBack.get());
            assertTrue(c.secondRun.await(10, TimeUnit.SECONDS), "the schedule goes on once the run ended");
            assertEquals(1, c.maxRunning.get(), "runs of one collector never overlap");
            assertTrue(
                    cancelled.get(0).getName().startsWith("intune-collector"),
                    "the run's own thread: " + cancelled.get(0));
        }
    }

    @Test
    void livenessFailsWhenTheSchedulerThreadIsGone() {
        Scripted c = new Scripted("alpha", Duration.ofHours(1));
        try (CollectionScheduler s = scheduler(List.of(c), Duration.ofMinutes(1))) {
            s.start();
            assertTrue(s.alive());
            s.killSchedulerThreadForTest();
            assertFalse(s.alive());
        }
    }

    @Test
    void livenessFailsWhenTheHeartbeatStops() {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        Scripted c = new Scripted("alpha", Duration.ofHours(1));
        // Not started: no heartbeat ticks, as when the scheduler thread is stuck.
        try (CollectionScheduler s = new CollectionScheduler(
                List.of(c), Duration.ZERO, Duration.ofMinutes(1), 1, Clock.systemUTC(), nanos::get)) {
            assertTrue(s.alive());
            nanos.addAndGet(CollectionScheduler.HEARTBEAT_LIMIT.toNanos() + 1);
            assertFalse(s.alive());
        }
    }

    /** An Error in a run (out of memory above all) goes to the process's fatal handler instead of being a failed run only. */
    @Test
    void anErrorInARunReachesTheDefaultUncaughtExceptionHandler() {
        IntuneCollector oom = new IntuneCollector() {
            @Override
            public String name() {
                return "oom";
            }

            @Override
            public Duration interval() {
                return Duration.ofHours(1);
            }

            @Override
            public MetricSnapshots collect() {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        List<Throwable> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> seen.add(e));
        try (CollectionScheduler s = scheduler(List.of(oom), Duration.ofMinutes(1))) {
            assertFalse(s.runNow("oom"));
            assertEquals(1, seen.size());
            assertTrue(seen.get(0) instanceof OutOfMemoryError);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }
}
