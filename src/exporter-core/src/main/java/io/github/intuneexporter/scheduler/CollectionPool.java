package io.github.intuneexporter.scheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one execution engine of the process, shared by every tenant's {@link CollectionScheduler}: a single timer thread
 * (schedules, run timeouts, the liveness heartbeat) and a fixed number of worker threads. Work is queued per tenant
 * and taken round-robin across the tenants that have work and are under their concurrency cap, so a tenant whose
 * Graph is throttled, slow or down holds at most {@code perTenant} workers and never queues ahead of another tenant:
 * the others' runs start as soon as any worker is free. A tenant whose Graph is throttling, down or timing out holds one
 * worker at most until one of its runs succeeds. Threads no longer grow with the number of tenants.
 */
public final class CollectionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionPool.class);
    /** A heartbeat older than this means the timer thread is dead or stuck. */
    static final Duration HEARTBEAT_LIMIT = Duration.ofSeconds(30);

    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);

    private final ScheduledExecutorService timer;
    /** Started on demand, when work is queued and no worker is idle, up to {@link #size}; they never end before shutdown. */
    private final List<Thread> workers = new CopyOnWriteArrayList<>();

    private final int size;
    /** Workers waiting for work, and how many of them were signalled and are about to look (guarded by the lock). */
    private int idle;

    private int waking;
    private final int perTenant;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workReady = lock.newCondition();
    /** Tenants with queued work, in the order they are served next (a served tenant goes to the back). */
    private final Map<String, Deque<Runnable>> queues = new LinkedHashMap<>();

    private final Map<String, Integer> running = new LinkedHashMap<>();
    /**
     * Tenants whose Graph is throttling, unavailable or timing out (their last run failed so): one run at a time until
     * a run succeeds. Their runs mostly sleep in Graph's retry waits; at the full cap two such tenants held half of the
     * default pool, and every healthy tenant's runs queued behind the other half (data went stale at 200 tenants).
     * Guarded by the lock.
     */
    private final Set<String> failing = new HashSet<>();

    private volatile boolean closed;
    private final LongSupplier ticker;
    private volatile long lastBeat;

    /** {@code size} workers for the whole process; at most {@code perTenant} of them run one tenant's work at a time. */
    public CollectionPool(int size, int perTenant) {
        this(size, perTenant, System::nanoTime);
    }

    CollectionPool(int size, int perTenant, LongSupplier ticker) {
        if (size < 1 || perTenant < 1) {
            throw new IllegalArgumentException("pool size and per-tenant concurrency must be at least 1");
        }
        this.perTenant = perTenant;
        this.size = size;
        this.ticker = ticker;
        this.lastBeat = ticker.getAsLong();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "intune-scheduler"));
        timer.scheduleAtFixedRate(
                () -> lastBeat = ticker.getAsLong(), 0, HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Default pool size: collections mostly wait for Graph, so several per core, and never fewer than 16. */
    public static int defaultSize() {
        return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The most workers the pool runs (started as work needs them). */
    public int size() {
        return size;
    }

    /** Worker threads started so far. */
    int started() {
        return workers.size();
    }

    public int perTenant() {
        return perTenant;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** False when the timer thread stopped ticking (died or is stuck) before the pool was closed. */
    public boolean alive() {
        return !closed && !timer.isShutdown() && ticker.getAsLong() - lastBeat < HEARTBEAT_LIMIT.toNanos();
    }

    /** Stops the timer thread as a crash would (tests of liveness). */
    void killTimerForTest() {
        timer.shutdownNow();
    }

    /** Queues {@code work} of {@code tenant}; it runs when a worker is free and the tenant is under its cap. */
    void submit(String tenant, Runnable work) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            queues.computeIfAbsent(tenant, k -> new ArrayDeque<>()).addLast(work);
            if (idle > waking) {
                waking++;
                workReady.signal();
            } else if (workers.size() < size) {
                // Every worker is busy: one more, so that threads follow the work (one tenant never needs more than its
                // cap).
                Thread t = daemon(this::work, "intune-collector-" + (workers.size() + 1));
                workers.add(t);
                t.start();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks {@code tenant} as failing (its Graph throttles, is unavailable or times out: one worker at a time) or, on
     * a success, as healthy again (its full cap).
     */
    void failing(String tenant, boolean isFailing) {
        lock.lock();
        try {
            if (isFailing ? failing.add(tenant) : failing.remove(tenant)) {
                workReady.signalAll(); // back to its full cap: queued runs may start
            }
        } finally {
            lock.unlock();
        }
    }

    /** The cap of {@code tenant} now (tests). */
    int capForTest(String tenant) {
        return locked(() -> cap(tenant));
    }

    /** Reads the pool's state under the lock. */
    private <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** How many of {@code tenant}'s runs may run at once now. Holds the lock. */
    private int cap(String tenant) {
        return failing.contains(tenant) ? 1 : perTenant;
    }

    /** Drops the queued, not yet started work of {@code tenant} (its scheduler stopped). */
    void discard(String tenant, Predicate<Runnable> which) {
        lock.lock();
        try {
            Deque<Runnable> q = queues.get(tenant);
            if (q != null) {
                q.removeIf(which);
                if (q.isEmpty()) {
                    queues.remove(tenant);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queued runs not started yet, all tenants (a metric: a long queue means the pool is too small). */
    public int queued() {
        return locked(() -> queues.values().stream().mapToInt(Deque::size).sum());
    }

    /** Workers waiting for work (tests: a worker is back before the next run is queued). */
    int idle() {
        return locked(() -> idle);
    }

    /** Workers running a collection now. */
    public int busy() {
        return locked(
                () -> running.values().stream().mapToInt(Integer::intValue).sum());
    }

    private void work() {
        while (true) {
            String tenant;
            Runnable next;
            lock.lock();
            try {
                Map.Entry<String, Runnable> taken;
                while ((taken = takeFair()) == null) {
                    if (closed) {
                        return;
                    }
                    idle++;
                    try {
                        workReady.await();
                    } finally {
                        idle--;
                        if (waking > 0) {
                            waking--;
                        }
                    }
                }
                tenant = taken.getKey();
                next = taken.getValue();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) { // the scheduler's tasks catch everything; this is a last resort
                LOG.error("collection task failed: {}", e.toString());
            } finally {
                Thread.interrupted(); // a timed-out run's interrupt must not reach the next tenant's run
                lock.lock();
                try {
                    running.merge(tenant, -1, Integer::sum);
                    running.remove(tenant, 0);
                    workReady.signalAll(); // the tenant may be under its cap again
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** The first tenant in round-robin order with queued work and a free slot; moves it to the back. Holds the lock. */
    private Map.Entry<String, Runnable> takeFair() {
        var it = queues.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Deque<Runnable>> e = it.next();
            if (running.getOrDefault(e.getKey(), 0) >= cap(e.getKey())) {
                continue;
            }
            Runnable work = e.getValue().pollFirst();
            it.remove();
            if (!e.getValue().isEmpty()) {
                queues.put(e.getKey(), e.getValue()); // to the back of the line
            }
            running.merge(e.getKey(), 1, Integer::sum);
            return Map.entry(e.getKey(), work);
        }
        return null;
    }

    /**
     * Stops the whole process's collections at once: no new run starts, running ones are interrupted (their schedulers
     * have cancelled their Graph calls), and all of them together get {@code grace} to end: one deadline, not one per
     * tenant.
     */
    public void shutdown(Duration grace) {
        lock.lock();
        try {
            closed = true;
            queues.clear();
            workReady.signalAll();
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
        workers.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    t.join(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long stuck = workers.stream().filter(Thread::isAlive).count();
        if (stuck > 0 && !grace.isZero()) {
            LOG.warn("{} collections still running after {} ms; exiting anyway", stuck, grace.toMillis());
        }
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
