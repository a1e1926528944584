package io.github.intuneexporter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Measures one benchmark run: wall time, CPU by thread group, heap, and the latency of /metrics scrapes made every
 * 20 ms by a background thread while the run is going.
 *
 * <p>CPU: the simulator's worker threads are named "graph-simulator" and are subtracted from the process CPU, as is
 * the scraper's own thread, so "exporter CPU" is everything else (the scan, GC, JIT, the HTTP server). The thread
 * that runs the scan is also measured alone. Heap: the heap pools' peaks are reset before the run and summed after
 * it (an upper bound: pools peak at different moments), and the used heap is sampled every 20 ms.
 */
final class RunProbe implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String metricsUrl;
    private final long wallStart;
    private final long processCpuStart;
    private final long simulatorCpuStart;
    private final long threadCpuStart;
    private final Map<Long, Long> javaThreadsStart;
    private final List<Long> scrapeNanos = Collections.synchronizedList(new ArrayList<>());
    private final Thread scraper;
    private volatile boolean running = true;
    private volatile long maxHeapUsed;
    private volatile long scraperCpu;
    private volatile String scrapeError;
    private volatile long lastScrapeBytes;
    private final AtomicLong maxLiveAfterGc = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener gcListener = (notification, handback) -> {
        if (notification
                .getType()
                .equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long live = 0;
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (HEAP_POOLS.contains(e.getKey())) {
                    live += e.getValue().getUsed();
                }
            }
            maxLiveAfterGc.accumulateAndGet(live, Math::max);
        }
    };
    private static final Set<String> HEAP_POOLS = heapPools();

    // Results, set by close().
    double wallSeconds;
    double processCpuSeconds;
    double simulatorCpuSeconds;
    double exporterCpuSeconds;
    double scanThreadCpuSeconds;
    /** Process CPU not spent in any live Java thread: GC, JIT compilers and other JVM threads. */
    double vmCpuSeconds;

    long peakHeapPools;
    long peakHeapSampled;
    /** The largest heap still in use right after a GC during the run: the live set, garbage excluded. */
    long maxLiveHeapAfterGc;

    int scrapes;
    double scrapeP50Millis;
    double scrapeP99Millis;
    double scrapeMaxMillis;
    long scrapeBytes;

    private RunProbe(String metricsUrl) {
        this.metricsUrl = metricsUrl;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gcListener, null, null);
                emitters.add(emitter);
            }
        }
        this.scraper = new Thread(this::scrapeLoop, "bench-scraper");
        this.scraper.setDaemon(true);
        this.wallStart = System.nanoTime();
        this.processCpuStart = processCpu();
        this.simulatorCpuStart = threadGroupCpu("graph-simulator");
        this.threadCpuStart = THREADS.getCurrentThreadCpuTime();
        this.javaThreadsStart = javaThreadsCpu();
        this.scraper.start();
    }

    /** Starts measuring; the scan must then run in the calling thread. {@code metricsUrl} null: no scrapes. */
    static RunProbe start(String metricsUrl) {
        return new RunProbe(metricsUrl);
    }

    private void scrapeLoop() {
        byte[] buffer = new byte[64 * 1024];
        while (running) {
            maxHeapUsed = Math.max(
                    maxHeapUsed,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            if (metricsUrl != null) {
                long t = System.nanoTime();
                try {
                    HttpURLConnection c =
                            (HttpURLConnection) URI.create(metricsUrl).toURL().openConnection();
                    long bytes = 0;
                    try (InputStream in = c.getInputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            bytes += n;
                        }
                    }
                    lastScrapeBytes = bytes;
                    if (c.getResponseCode() != 200) {
                        scrapeError = "HTTP " + c.getResponseCode();
                    }
                    scrapeNanos.add(System.nanoTime() - t);
                } catch (IOException e) {
                    scrapeError = e.toString();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        scraperCpu = THREADS.getCurrentThreadCpuTime();
    }

    /** Scrapes completed so far. */
    int scrapesSoFar() {
        return scrapeNanos.size();
    }

    /** Scrape failures seen during the run, or null. */
    String scrapeError() {
        return scrapeError;
    }

    @Override
    public void close() {
        scanThreadCpuSeconds = (THREADS.getCurrentThreadCpuTime() - threadCpuStart) / 1e9;
        wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        running = false;
        scraper.interrupt();
        try {
            scraper.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long javaThreads = 0;
        for (Map.Entry<Long, Long> e : javaThreadsCpu().entrySet()) {
            javaThreads += e.getValue() - javaThreadsStart.getOrDefault(e.getKey(), 0L);
        }
        processCpuSeconds = (processCpu() - processCpuStart) / 1e9;
        vmCpuSeconds = processCpuSeconds - javaThreads / 1e9;
        simulatorCpuSeconds = (threadGroupCpu("graph-simulator") - simulatorCpuStart) / 1e9;
        exporterCpuSeconds = processCpuSeconds - simulatorCpuSeconds - scraperCpu / 1e9;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeapPools += pool.getPeakUsage().getUsed();
            }
        }
        peakHeapSampled = maxHeapUsed;
        maxLiveHeapAfterGc = maxLiveAfterGc.get();
        scrapeBytes = lastScrapeBytes;
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(gcListener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        List<Long> sorted = new ArrayList<>(scrapeNanos);
        Collections.sort(sorted);
        scrapes = sorted.size();
        if (!sorted.isEmpty()) {
            scrapeP50Millis = percentile(sorted, 0.50) / 1e6;
            scrapeP99Millis = percentile(sorted, 0.99) / 1e6;
            scrapeMaxMillis = sorted.get(sorted.size() - 1) / 1e6;
        }
    }

    private static Set<String> heapPools() {
        Set<String> names = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                names.add(pool.getName());
            }
        }
        return names;
    }

    private static double percentile(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static Map<Long, Long> javaThreadsCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu > 0) {
                out.put(id, cpu);
            }
        }
        return out;
    }

    /** CPU nanoseconds of the live threads whose name starts with {@code prefix}. */
    static long threadGroupCpu(String prefix) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }
}
