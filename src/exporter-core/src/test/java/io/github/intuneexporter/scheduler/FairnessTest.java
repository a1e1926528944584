package io.github.intuneexporter.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One pool for all tenants: a tenant whose Graph stalls holds at most its cap of workers, and queued work is served
 * round-robin across tenants. Only latches, no timing assertions (a latch's timeout is a hang guard).
 */
class FairnessTest {
    private static final long GUARD_SECONDS = 60;

    /** A collector whose runs block until released: a tenant whose Graph stalls or throttles. */
    private static final class Stalled implements IntuneCollector {
        final String name;
        final CountDownLatch release;
        final CountDownLatch started = new CountDownLatch(1);

        Stalled(String name, CountDownLatch release) {
            this.name = name;
            this.release = release;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(1);
        }

        @Override
        public MetricSnapshots collect() throws Exception {
            started.countDown();
            release.await();
            return MetricSnapshots.of();
        }
    }

    /** A collector that succeeds at once, counting its runs. */
    private static final class Quick implements IntuneCollector {
        final String name;
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch fiveRuns = new CountDownLatch(5);

        Quick(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(1);
        }

        @Override
        public MetricSnapshots collect() {
            int n = runs.incrementAndGet();
            fiveRuns.countDown();
            return new SnapshotBuilder()
                    .add(GaugeFamily.of("test_" + name + "_runs", "runs").set(n))
                    .build();
        }
    }

    @Test
    void aStalledTenantNeverDelaysAnotherTenantsCollections() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // Three collectors of the stalled tenant, more than the pool has workers: without the per-tenant cap they
        // would take every worker and the healthy tenant would never run.
        List<Stalled> stalled =
                List.of(new Stalled("a", release), new Stalled("b", release), new Stalled("c", release));
        Quick healthy = new Quick("devices");
        try (CollectionPool pool = new CollectionPool(3, 2)) {
            CollectionScheduler slow = new CollectionScheduler(
                    new ArrayList<>(stalled),
                    Duration.ZERO,
                    Duration.ofHours(1),
                    Clock.systemUTC(),
                    "slow",
                    pool,
                    new GraphBudget(0));
            CollectionScheduler fast = new CollectionScheduler(
                    List.of(healthy),
                    Duration.ZERO,
                    Duration.ofHours(1),
                    Clock.systemUTC(),
                    "fast",
                    pool,
                    new GraphBudget(0));
            slow.start();
            assertTrue(stalled.get(0).started.await(GUARD_SECONDS, TimeUnit.SECONDS));
            fast.start();
            assertTrue(
                    healthy.fiveRuns.await(GUARD_SECONDS, TimeUnit.SECONDS),
                    "the healthy tenant keeps collecting while the other one is stalled");
            assertEquals(
                    2,
                    stalled.stream().filter(s -> s.started.getCount() == 0).count(),
                    "the stalled tenant runs no more collectors at once than its cap");
            release.countDown();
            fast.shutdown(Duration.ofSeconds(5));
            slow.shutdown(Duration.ofSeconds(5));
        }
    }

    /**
     * A tenant whose Graph throttles or is down spends its runs in retry waits: at its full cap, two such tenants held
     * half of the default pool and the healthy tenants' runs queued behind the other half. Once a run failed so, the
     * tenant runs one collection at a time, until one succeeds.
     */
    @Test
    void aTenantWhoseGraphFailsHoldsOneWorkerUntilARunSucceeds() throws Exception {
        try (CollectionPool pool = new CollectionPool(4, 3)) {
            java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch done = new CountDownLatch(6);
            pool.failing("throttled", true);
            for (int i = 0; i < 6; i++) {
                pool.submit("throttled", () -> {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    now.decrementAndGet();
                    done.countDown();
                });
            }
            assertTrue(done.await(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, most.get(), "one run at a time while failing");

            pool.failing("throttled", false);
            CountDownLatch together = new CountDownLatch(3);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 3; i++) {
                pool.submit("throttled", () -> {
                    together.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(together.await(GUARD_SECONDS, TimeUnit.SECONDS), "its full cap again after a success");
            release.countDown();
        }
    }

    /** The scheduler marks its tenant failing on a throttled run and healthy again on a successful one. */
    @Test
    void aThrottledRunLowersTheTenantsCapAndASuccessRestoresIt() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean throttle = new java.util.concurrent.atomic.AtomicBoolean(true);
        IntuneCollector flaky = new IntuneCollector() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public Duration interval() {
                return Duration.ofHours(1);
            }

            @Override
            public MetricSnapshots collect() throws Exception {
                if (throttle.get()) {
                    throw new io.github.intuneexporter.graph.GraphException(
                            "/x", 429, "TooManyRequests", "throttled by Graph after all retries", null);
                }
                return MetricSnapshots.of();
            }
        };
        try (CollectionPool pool = new CollectionPool(4, 3)) {
            CollectionScheduler scheduler = new CollectionScheduler(
                    List.of(flaky),
                    Duration.ZERO,
                    Duration.ofHours(1),
                    Clock.systemUTC(),
                    "tenant",
                    pool,
                    new GraphBudget(0));
            scheduler.runNow("flaky");
            assertTrue(scheduler.lastError("flaky").contains("throttled"), scheduler.lastError("flaky"));
            assertEquals(1, pool.capForTest("tenant"));
            throttle.set(false);
            scheduler.runNow("flaky");
            assertEquals(3, pool.capForTest("tenant"));
        }
    }

    @Test
    void queuedWorkIsServedRoundRobinAcrossTenants() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch gateTaken = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(5);
        try (CollectionPool pool = new CollectionPool(1, 1)) {
            pool.submit("x", () -> {
                gateTaken.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(gateTaken.await(GUARD_SECONDS, TimeUnit.SECONDS));
            for (String work : List.of("a1", "a2", "a3", "b1", "c1")) {
                pool.submit(work.substring(0, 1), () -> {
                    order.add(work);
                    done.countDown();
                });
            }
            assertEquals(5, pool.queued());
            gate.countDown();
            assertTrue(done.await(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(
                    List.of("a1", "b1", "c1", "a2", "a3"),
                    order,
                    "one run per tenant in turn, not first come first served");
        }
    }

    @Test
    void aTimedOutRunsInterruptDoesNotReachTheNextRunOnTheSameWorker() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        boolean[] interrupted = new boolean[1];
        try (CollectionPool pool = new CollectionPool(1, 1)) {
            pool.submit("a", () -> Thread.currentThread().interrupt());
            pool.submit("b", () -> {
                interrupted[0] = Thread.currentThread().isInterrupted();
                done.countDown();
            });
            assertTrue(done.await(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(false, interrupted[0]);
        }
    }

    @Test
    void workerThreadsAreStartedOnlyWhenWorkNeedsThem() throws Exception {
        try (CollectionPool pool = new CollectionPool(16, 4)) {
            assertEquals(0, pool.started());
            for (int i = 0; i < 10; i++) { // one run at a time, as a single small tenant does
                CountDownLatch done = new CountDownLatch(1);
                pool.submit("only", done::countDown);
                assertTrue(done.await(GUARD_SECONDS, TimeUnit.SECONDS));
                long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
                while (pool.idle() < pool.started()
                        && System.nanoTime() < guard) { // the worker is back (no timing assumed)
                    Thread.onSpinWait();
                }
            }
            assertEquals(1, pool.started(), "one worker serves runs that come one at a time");
            assertEquals(16, pool.size());
        }
    }

    @Test
    void oneShutdownDeadlineForTheWholePool() throws Exception {
        CountDownLatch started = new CountDownLatch(4);
        try (CollectionPool pool = new CollectionPool(4, 1)) {
            for (String tenant : List.of("a", "b", "c", "d")) {
                pool.submit(tenant, () -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await(); // stuck until interrupted
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(started.await(GUARD_SECONDS, TimeUnit.SECONDS));
            pool.shutdown(Duration.ofSeconds(GUARD_SECONDS));
            assertTrue(pool.closed());
            assertEquals(0, pool.busy(), "every tenant's run ended within the one deadline");
        }
    }
}
