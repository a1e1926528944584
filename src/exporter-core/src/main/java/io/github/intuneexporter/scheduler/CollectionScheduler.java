package io.github.intuneexporter.scheduler;

import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.graph.IntuneThrottleBucket;
import io.github.intuneexporter.graph.RunRequests;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs every enabled collector in the background on its own interval and serves their last good snapshots to
 * scrapes. A run builds a complete immutable snapshot that replaces the previous one atomically; a failed or
 * timed-out run keeps the previous one. Scrapes only read references, so they never wait for Graph.
 */
public final class CollectionScheduler implements MultiCollector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionScheduler.class);

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Duration stagger;
    private final Duration timeout;
    private final Clock clock;
    private final CollectionPool pool;
    /** The pool is this scheduler's own (set by the constructors that make one): closed with it. */
    private boolean ownsPool;
    /** This scheduler's queue in the pool: the tenant's name, or a unique key for an unnamed single tenant. */
    private final String poolKey;

    private final GraphBudget budget;
    /** Share of an interval by which each collector's first wait after a run is shortened: see {@link #phase(double)}. */
    private volatile double phase;
    /** Runs queued or running, so that a shutdown can cancel them; and how many of them are running now. */
    private final Set<FutureTask<Void>> active = ConcurrentHashMap.newKeySet();

    private final AtomicInteger runningNow = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean started;
    private final String tenantName;
    /** Cancels the Graph calls a thread has in flight (set by the owner of the Graph connection). */
    private volatile Consumer<Thread> cancelCalls = t -> {};
    /** A heartbeat older than this means the scheduler thread is dead or stuck. */
    static final Duration HEARTBEAT_LIMIT = CollectionPool.HEARTBEAT_LIMIT;

    /** State of one collector. Fields are written by its single in-flight run and read by scrapes. */
    private static final class Slot {
        final IntuneCollector collector;
        final AtomicReference<MetricSnapshots> data = new AtomicReference<>(MetricSnapshots.of());
        volatile boolean attempted;
        volatile boolean lastSucceeded;
        volatile double lastDurationSeconds;
        volatile double lastSuccessSeconds;
        volatile long runs;
        volatile long failures;
        volatile String lastError = "";
        volatile ScheduledFuture<?> pending;
        /** Epoch millis of the next scheduled run; 0 while running or when none is scheduled. */
        volatile long nextRunMillis;

        volatile boolean running;
        /** Graph requests of the last successful run per Intune throttling bucket: the collector's cost. */
        volatile Map<IntuneThrottleBucket, Long> requestsPerRun = Map.of();
        /** Factor (at least 1) on the interval that keeps the tenant within its Graph budget share. */
        volatile double stretch = 1;
        /** Whether the scheduler's phase has shortened a wait of this collector yet (it does so once). */
        volatile boolean phased;

        Slot(IntuneCollector collector) {
            this.collector = collector;
        }
    }

    /** A scheduler with a pool of its own of {@code threads} threads and no Graph budget (single tenant, tests). */
    public CollectionScheduler(
            List<IntuneCollector> collectors, Duration stagger, Duration timeout, int threads, Clock clock) {
        this(collectors, stagger, timeout, threads, clock, System::nanoTime);
    }

    /** As above with the monotonic clock of the liveness heartbeat (tests). */
    CollectionScheduler(
            List<IntuneCollector> collectors,
            Duration stagger,
            Duration timeout,
            int threads,
            Clock clock,
            LongSupplier ticker) {
        this(
                collectors,
                stagger,
                timeout,
                clock,
                null,
                new CollectionPool(threads, threads, ticker),
                new GraphBudget(0));
        this.ownsPool = true;
    }

    /**
     * A scheduler whose runs go to the process-wide {@code pool}, queued under {@code tenantName} (the pool's fairness
     * and per-tenant cap apply per tenant); {@code budget} stretches intervals that would use more than its share of
     * the tenant's Graph throttling limits.
     */
    public CollectionScheduler(
            List<IntuneCollector> collectors,
            Duration stagger,
            Duration timeout,
            Clock clock,
            String tenantName,
            CollectionPool pool,
            GraphBudget budget) {
        this.pool = pool;
        this.budget = budget;
        this.poolKey =
                tenantName != null ? tenantName : "scheduler@" + Integer.toHexString(System.identityHashCode(this));
        for (IntuneCollector c : collectors) {
            if (!c.interval().isZero() && !c.interval().isNegative()) {
                if (slots.put(c.name(), new Slot(c)) != null) {
                    throw new IllegalArgumentException("two collectors named " + c.name());
                }
            }
        }
        this.stagger = stagger;
        this.timeout = timeout;
        this.clock = clock;
        this.tenantName = tenantName;
    }

    private ScheduledExecutorService timer() {
        return pool.timer();
    }

    /** Names of the enabled collectors, in start order. */
    public List<String> enabled() {
        return List.copyOf(slots.keySet());
    }

    /**
     * Sets how a timed-out run's Graph calls are cancelled: the run's thread is given, and every call it has in flight
     * must end at once (OkHttp cancel), so that the run ends instead of waiting for a slow Graph.
     */
    public void onTimeoutCancel(Consumer<Thread> cancelCallsOf) {
        this.cancelCalls = cancelCallsOf;
    }

    /**
     * Liveness: false when the scheduler thread has stopped ticking (died or is stuck) while the scheduler was not
     * closed, so that {@code /-/healthy} fails and the orchestrator restarts an exporter that would serve stale data
     * forever.
     */
    public boolean alive() {
        return !closed && pool.alive();
    }

    /** Stops the scheduler thread as a crash would (tests of liveness). */
    void killSchedulerThreadForTest() {
        pool.killTimerForTest();
    }

    /**
     * Shortens each collector's first wait after a run by {@code share} (0 to 1) of that wait, once. Tenants started
     * together would otherwise collect together at every interval: all their runs queue at the same moment, and the
     * process has a burst of CPU, memory and slow scrapes at each cycle while it idles in between. With a different
     * phase per tenant their cycles spread over the interval; shortening (never lengthening) keeps every tenant's data
     * as fresh as its interval promises. Call before {@link #start()}.
     */
    public void phase(double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("phase must be in [0, 1): " + share);
        }
        this.phase = share;
    }

    /** Schedules each collector's first run, spread {@code stagger} apart, then every interval after it ends. */
    public void start() {
        // Before the first schedule: a first run can end before schedule() returns, and must still schedule its
        // successor.
        started = true;
        long delay = 0;
        for (Slot slot : slots.values()) {
            slot.nextRunMillis = clock.millis() + delay;
            slot.pending = timer().schedule(() -> trigger(slot), delay, TimeUnit.MILLISECONDS);
            delay += stagger.toMillis();
        }
    }

    /**
     * Takes over the last good data and run state of the collectors of the same name in {@code previous} (a reload
     * replaced that scheduler): scrapes keep seeing every series until this scheduler's own runs replace them. Call
     * before {@link #start()}.
     */
    public void takeOver(CollectionScheduler previous) {
        for (Slot slot : slots.values()) {
            Slot old = previous.slots.get(slot.collector.name());
            if (old != null) {
                slot.data.set(old.data.get());
                slot.attempted = old.attempted;
                slot.lastSucceeded = old.lastSucceeded;
                slot.lastDurationSeconds = old.lastDurationSeconds;
                slot.lastSuccessSeconds = old.lastSuccessSeconds;
                slot.runs = old.runs;
                slot.failures = old.failures;
                slot.lastError = old.lastError;
                slot.requestsPerRun = old.requestsPerRun;
                slot.stretch = old.stretch;
            }
        }
    }

    /** What one collector is doing, for the status page. Times are epoch millis, 0 when there is none yet. */
    public record CollectorStatus(
            String name,
            Duration interval,
            boolean attempted,
            boolean lastSucceeded,
            long lastSuccessMillis,
            double lastDurationSeconds,
            long nextRunMillis,
            boolean running,
            long runs,
            long failures,
            String lastError) {}

    /** Every enabled collector's state, in start order. */
    public List<CollectorStatus> status() {
        List<CollectorStatus> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            out.add(new CollectorStatus(
                    s.collector.name(),
                    s.collector.interval(),
                    s.attempted,
                    s.lastSucceeded,
                    Math.round(s.lastSuccessSeconds * 1000),
                    s.lastDurationSeconds,
                    s.running ? 0 : s.nextRunMillis,
                    s.running,
                    s.runs,
                    s.failures,
                    s.lastError));
        }
        return out;
    }

    /** Ready once every enabled collector finished its first run, successfully or not. */
    public boolean ready() {
        return slots.values().stream().allMatch(s -> s.attempted);
    }

    /** Runs one collector now, in the calling thread (tests, the benchmark and the doctor use this). */
    public boolean runNow(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("no enabled collector " + name);
        }
        try {
            boolean ok = execute(slot, new AtomicBoolean());
            // A run that left work for a prompt follow-up (the protection collector's aggregate-only first run) is
            // completed here too, so that the caller gets the full result.
            if (ok && slot.collector.nextDelay().isZero()) {
                ok = execute(slot, new AtomicBoolean());
            }
            return ok;
        } finally {
            slot.running = false;
        }
    }

    /**
     * The collector's interval after stretching to stay within the tenant's Graph budget share (the configured one when
     * the budget needs no stretch).
     */
    public Duration effectiveInterval(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("no enabled collector " + name);
        }
        return stretched(slot);
    }

    /** The last error message of a collector, "" after a success. */
    public String lastError(String name) {
        Slot slot = slots.get(name);
        return slot == null ? "" : slot.lastError;
    }

    /**
     * Starts one run. A timeout marks the run failed at once, cancels its Graph calls and interrupts it; the next run
     * is scheduled only when this one has really ended, so runs of one collector never overlap and a slow Graph
     * cannot pile threads up.
     */
    private void trigger(Slot slot) {
        if (closed) {
            return;
        }
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<Future<?>> self = new AtomicReference<>();
        // The watchdog starts when the run starts, not when it is queued behind other collectors.
        FutureTask<Void> run = new FutureTask<>(() -> {
            Thread runner = Thread.currentThread();
            runningNow.incrementAndGet();
            ScheduledFuture<?> watchdog = timer().schedule(
                            () -> {
                                if (finished.compareAndSet(false, true)) {
                                    withLogContext(
                                            slot,
                                            () -> record(
                                                    slot,
                                                    null,
                                                    timeout.toNanos(),
                                                    "timed out after " + timeout.toMillis()
                                                            + " ms (intune.collection.timeout)",
                                                    FailureReason.TIMEOUT,
                                                    ""));
                                    cancelCalls.accept(runner);
                                    self.get().cancel(true);
                                }
                            },
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
            try {
                execute(slot, finished);
            } finally {
                watchdog.cancel(false);
                scheduleNext(slot);
                // Cleared only now, so that the status page never shows a finished run with the previous due time.
                slot.running = false;
                active.remove(self.get());
                synchronized (runningNow) {
                    runningNow.decrementAndGet();
                    runningNow.notifyAll();
                }
            }
            return null;
        });
        self.set(run);
        active.add(run);
        pool.submit(poolKey, run);
    }

    /** Runs {@code action} with the tenant and collector in the logging MDC, so every line it logs names them. */
    private void withLogContext(Slot slot, Runnable action) {
        Map<String, String> saved = MDC.getCopyOfContextMap();
        try {
            if (tenantName != null) {
                MDC.put("tenant", tenantName);
            }
            MDC.put("collector", slot.collector.name());
            action.run();
        } finally {
            if (saved == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(saved);
            }
        }
    }

    private boolean execute(Slot slot, AtomicBoolean finished) {
        boolean[] ok = new boolean[1];
        withLogContext(slot, () -> ok[0] = executeLogged(slot, finished));
        return ok[0];
    }

    private boolean executeLogged(Slot slot, AtomicBoolean finished) {
        long start = System.nanoTime();
        MetricSnapshots result = null;
        String error = null;
        FailureReason reason = FailureReason.ERROR;
        String requestId = "";
        slot.running = true;
        Map<IntuneThrottleBucket, Long> requests;
        RunRequests.begin();
        try {
            result = slot.collector.collect();
            if (result == null) {
                error = "collector returned no data";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Error e) {
            // Out of memory, a missing class, a JVM failure: the process cannot be trusted to go on. The default
            // handler (installed by Main) ends it; without one (tests, embedding) the run fails like any other.
            Thread.UncaughtExceptionHandler fatal = Thread.getDefaultUncaughtExceptionHandler();
            if (fatal != null) {
                fatal.uncaughtException(Thread.currentThread(), e);
            }
            error = e.toString();
        } catch (Throwable t) { // a collector bug must not stop its schedule
            error = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            reason = FailureReason.of(t);
            requestId = FailureReason.requestId(t);
            if (!(t instanceof Exception) || t instanceof RuntimeException) {
                LOG.debug("collector {} failed", slot.collector.name(), t);
            }
        } finally {
            requests = RunRequests.end();
        }
        if (!finished.compareAndSet(false, true) || closed) {
            return false; // the watchdog already recorded a timeout, or we are shutting down: a late result is dropped
        }
        record(slot, result, System.nanoTime() - start, error, reason, requestId);
        if (error == null) {
            slot.requestsPerRun = requests;
            applyBudget();
        }
        return error == null;
    }

    private void record(
            Slot slot, MetricSnapshots result, long nanos, String error, FailureReason reason, String requestId) {
        String name = slot.collector.name();
        double seconds = nanos / 1e9;
        LOG.atDebug()
                .addKeyValue("duration_ms", Math.round(seconds * 1000))
                .addKeyValue("success", error == null)
                .log("collection run finished");
        slot.lastDurationSeconds = seconds;
        slot.runs++;
        if (error == null) {
            slot.data.set(result);
            slot.lastSuccessSeconds = clock.millis() / 1000.0;
            if (!slot.lastSucceeded && slot.attempted) {
                LOG.info("collector {} recovered after {} ms", name, Math.round(seconds * 1000));
            } else if (!slot.attempted) {
                LOG.info("collector {} finished its first run in {} ms", name, Math.round(seconds * 1000));
            }
            slot.lastSucceeded = true;
            slot.lastError = "";
        } else {
            slot.failures++;
            slot.lastSucceeded = false;
            slot.lastError = error;
            // Auth and permission failures need a person; the others usually pass on their own.
            var line =
                    reason == FailureReason.AUTH || reason == FailureReason.PERMISSION ? LOG.atError() : LOG.atWarn();
            line = line.addKeyValue("reason", reason.label()).addKeyValue("duration_ms", Math.round(seconds * 1000));
            if (!requestId.isEmpty()) {
                line = line.addKeyValue("request_id", requestId);
            }
            line.log("collector {} failed, keeping its last good data: {}", name, error);
        }
        slot.attempted = true;
        // A Graph that throttles, is down or does not answer: this tenant's other runs would only wait the same way, so
        // the pool runs one of them at a time until one succeeds.
        if (error == null) {
            pool.failing(poolKey, false);
        } else if (reason == FailureReason.THROTTLED
                || reason == FailureReason.UNAVAILABLE
                || reason == FailureReason.TIMEOUT) {
            pool.failing(poolKey, true);
        }
    }

    /**
     * Recomputes every collector's interval stretch from the latest costs and warns when one grows: the configuration
     * would use more of the tenant's Graph throttling limits than intune.collection.graph-budget-share allows.
     */
    private synchronized void applyBudget() {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        Map<String, Map<IntuneThrottleBucket, Long>> costs = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            intervals.put(s.collector.name(), s.collector.interval());
            costs.put(s.collector.name(), s.requestsPerRun);
        }
        Map<String, Double> stretch = budget.stretch(intervals, costs);
        for (Slot s : slots.values()) {
            double now = stretch.getOrDefault(s.collector.name(), 1.0);
            double was = s.stretch;
            s.stretch = now;
            if (now > 1 && now > was * 1.01) {
                withLogContext(
                        s,
                        () -> LOG.atWarn()
                                .addKeyValue("stretch", String.format(Locale.ROOT, "%.2f", now))
                                .log(
                                        "collector {} at its interval {} would use more than {}% of Intune's per-tenant throttling limits "
                                                + "(intune.collection.graph-budget-share); running it every {} instead",
                                        s.collector.name(),
                                        s.collector.interval(),
                                        Math.round(budget.share() * 100),
                                        stretched(s)));
            }
        }
    }

    private static Duration stretched(Slot slot) {
        return Duration.ofMillis(Math.round(slot.collector.interval().toMillis() * slot.stretch));
    }

    private void scheduleNext(Slot slot) {
        if (!closed && started && !timer().isShutdown()) {
            long delay = slot.collector.nextDelay().toMillis();
            if (delay > 0) {
                delay = Math.round(delay * slot.stretch); // a prompt follow-up (delay 0) stays prompt
                if (!slot.phased) {
                    slot.phased = true;
                    delay -= Math.round(delay * phase);
                }
            }
            slot.nextRunMillis = clock.millis() + delay;
            try {
                slot.pending = timer().schedule(() -> trigger(slot), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // the process is shutting down
            }
        }
    }

    @Override
    public MetricSnapshots collect() {
        return collect(name -> true);
    }

    /** The families named by {@code included}; the others are not built (a scrape that has them rendered already). */
    @Override
    public MetricSnapshots collect(Predicate<String> included) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (Slot slot : slots.values()) {
            for (MetricSnapshot s : slot.data.get()) {
                if (included.test(s.getMetadata().getPrometheusName())) {
                    out.add(s);
                }
            }
        }
        for (MetricSnapshot s : selfMetrics()) {
            if (included.test(s.getMetadata().getPrometheusName())) {
                out.add(s);
            }
        }
        return new MetricSnapshots(out);
    }

    /**
     * Each enabled collector's last good data, in start order. A run replaces its collector's object, so the same
     * object means the same data: scrapes render each one once and reuse the bytes until it is replaced.
     */
    public List<MetricSnapshots> data() {
        List<MetricSnapshots> out = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            out.add(slot.data.get());
        }
        return out;
    }

    private List<MetricSnapshot> selfMetrics() {
        GaugeFamily success = perCollector(
                "intune_collector_success",
                "1 if the collector's last run succeeded, 0 if it failed (its last good data is still served).");
        GaugeFamily duration =
                perCollector("intune_collector_duration_seconds", "Duration of the collector's last run.");
        GaugeFamily lastSuccess = perCollector(
                "intune_collector_last_success_timestamp_seconds",
                "Unix time of the collector's last successful run; 0 if it never succeeded. Data is this old.");
        GaugeFamily interval =
                perCollector("intune_collector_interval_seconds", "Configured time between the collector's runs.");
        GaugeFamily effective = perCollector(
                "intune_collector_effective_interval_seconds",
                "Time between the collector's runs after stretching to stay within intune.collection.graph-budget-share; "
                        + "above intune_collector_interval_seconds when the configuration would exceed that share.");
        CounterSnapshot.Builder runs = CounterSnapshot.builder()
                .name("intune_collector_runs")
                .help("Collector runs finished, successful or not.");
        CounterSnapshot.Builder failures = CounterSnapshot.builder()
                .name("intune_collector_failures")
                .help("Collector runs that failed or timed out.");
        for (Slot slot : slots.values()) {
            String name = slot.collector.name();
            interval.set(slot.collector.interval().toMillis() / 1000.0, name);
            effective.set(stretched(slot).toMillis() / 1000.0, name);
            runs.dataPoint(counter(name, slot.runs));
            failures.dataPoint(counter(name, slot.failures));
            if (slot.attempted) {
                success.set(slot.lastSucceeded ? 1 : 0, name);
                duration.set(slot.lastDurationSeconds, name);
                lastSuccess.set(slot.lastSuccessSeconds, name);
            }
        }
        return List.of(
                success.toSnapshot(),
                duration.toSnapshot(),
                lastSuccess.toSnapshot(),
                interval.toSnapshot(),
                effective.toSnapshot(),
                budgetUsage().toSnapshot(),
                runs.build(),
                failures.build());
    }

    /** A gauge of this scheduler's own health with one series per collector. */
    private static GaugeFamily perCollector(String name, String help) {
        return GaugeFamily.of(name, help, "collector");
    }

    /** Requests per hour of the collectors at their intervals, per throttling bucket, as a share of its limit. */
    private GaugeFamily budgetUsage() {
        GaugeFamily usage = GaugeFamily.of(
                "intune_graph_budget_usage_ratio",
                "Graph requests per hour the collectors would make at their configured intervals (measured per run), as a "
                        + "share of Intune's documented per-tenant limit of the throttling bucket.",
                "bucket");
        Map<String, Duration> intervals = new LinkedHashMap<>();
        Map<String, Map<IntuneThrottleBucket, Long>> costs = new LinkedHashMap<>();
        for (Slot slot : slots.values()) {
            intervals.put(slot.collector.name(), slot.collector.interval());
            costs.put(slot.collector.name(), slot.requestsPerRun);
        }
        GraphBudget.perHour(intervals, costs)
                .forEach((bucket, rate) -> usage.set(rate / GraphBudget.documentedPerHour(bucket), bucket.label()));
        return usage;
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(String collector, long value) {
        return CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("collector", collector))
                .value(value)
                .build();
    }

    /**
     * Stops scheduling, drops queued runs, interrupts running ones and waits up to {@code grace} for them to end. The
     * shared pool goes on serving the other tenants; a pool of its own is shut down with it.
     */
    public void shutdown(Duration grace) {
        closed = true;
        for (Slot slot : slots.values()) {
            ScheduledFuture<?> pending = slot.pending;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        pool.discard(poolKey, active::contains);
        active.forEach(run -> run.cancel(true));
        if (ownsPool) {
            pool.shutdown(grace);
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (runningNow) {
            while (runningNow.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (!grace.isZero()) {
                        LOG.warn("collections still running after {} ms; exiting anyway", grace.toMillis());
                    }
                    return;
                }
                try {
                    runningNow.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
