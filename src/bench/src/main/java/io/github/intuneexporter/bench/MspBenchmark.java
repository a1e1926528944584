package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.HeapSizing;
import io.github.intuneexporter.TenantRuntime;
import io.github.intuneexporter.cli.SetFlag;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.scheduler.CollectionScheduler.CollectorStatus;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.TenantSimulator;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.DoubleStream;
import java.util.zip.GZIPInputStream;

/**
 * {@code intune-exporter bench msp}: a managed-service provider's exporter, N simulated tenants of M devices in one
 * exporter, one tenant in {@code graph-outage} and one in {@code graph-throttling} for the whole run. The simulated
 * tenants run in a JVM of their own (one for all of them; {@code --in-process} puts them into the exporter's JVM as in
 * demo mode), so that memory, threads and CPU are the exporter's. Samples resident memory, heap, threads, full
 * {@code /metrics} and single {@code /probe} scrapes, and every tenant's data age against its interval, then stops the
 * exporter and times it. Every figure is printed with its target and whether it was met.
 */
public final class MspBenchmark {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -Xmx1g -jar intune-exporter-bench.jar msp [options]",
            "",
            "  --tenants N            simulated tenants (default 200)",
            "  --devices N            devices per tenant (default 5000)",
            "  --duration DURATION    how long the exporter runs (default 12m: three collection cycles)",
            "  --interval DURATION    every collector's interval (intune.demo.interval, default 5m)",
            "  --latency DURATION     simulated Graph latency per request (default 20ms)",
            "  --in-process           the simulated tenants in the exporter's JVM (default: a JVM of their own)",
            "  --simulator-heap SIZE  -Xmx of the simulator's JVM (default 3g)",
            "  --out DIR              directory for the result file (default bench-results)",
            "  --set KEY=VALUE        any exporter or simulator setting, e.g. intune.collection.pool-size=32");

    /** Targets of issue "MSP scale": the figures a run is judged by. */
    static final long RSS_LIMIT_BYTES = 1L << 30;

    static final int THREAD_LIMIT = 100;
    static final Duration FRESHNESS_SLACK = Duration.ofMinutes(1);
    static final double METRICS_LIMIT_SECONDS = 2;
    static final double PROBE_LIMIT_SECONDS = 0.05;
    static final double SHUTDOWN_LIMIT_SECONDS = 10;

    record Options(
            int tenants,
            int devices,
            Duration duration,
            Duration interval,
            Duration latency,
            boolean inProcess,
            String simulatorHeap,
            Path out,
            List<String> sets) {}

    /** One sample of the running process. */
    record Sample(
            double atSeconds,
            long rssBytes,
            long heapBytes,
            long heapCommittedBytes,
            int threads,
            long simulatorRssBytes,
            int simulatorThreads,
            double metricsSeconds,
            double metricsCpuSeconds,
            long metricsGzipBytes,
            long metricsBytes,
            double probeP50,
            double probeMax,
            double probeCpuSeconds,
            long probeBytes,
            int staleHealthy,
            double worstHealthyAgeRatio,
            String worstTenant,
            double loadAverage) {}

    private MspBenchmark() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return BenchArgs.run(
                "intune-exporter bench msp", USAGE, args, out, err, MspBenchmark::parse, o -> execute(o, out));
    }

    static Options parse(String[] args) {
        int tenants = 200;
        int devices = 5000;
        Duration duration = Duration.ofMinutes(12);
        Duration interval = Duration.ofMinutes(5);
        Duration latency = Duration.ofMillis(20);
        boolean inProcess = false;
        String simulatorHeap = "3g";
        Path out = Path.of("bench-results");
        List<String> sets = new ArrayList<>();
        BenchArgs.Cursor c = new BenchArgs.Cursor(args);
        while (c.next()) {
            switch (c.option()) {
                case "--tenants" -> tenants = c.positive();
                case "--devices" -> devices = c.positive();
                case "--duration" -> duration = c.duration();
                case "--interval" -> interval = c.duration();
                case "--latency" -> latency = c.duration();
                case "--in-process" -> inProcess = true;
                case "--simulator-heap" -> {
                    simulatorHeap = c.value();
                    if (!simulatorHeap.matches("[1-9][0-9]*[kmgKMG]?")) {
                        throw new IllegalArgumentException(
                                c.option() + " expects a size such as 2g or 1500m, got '" + simulatorHeap + "'");
                    }
                }
                case "--out" -> out = Path.of(c.value());
                case "--set" -> sets.add(c.value());
                default -> throw c.unknown();
            }
        }
        if (tenants < 3) {
            throw new IllegalArgumentException(
                    "--tenants must be at least 3 (one in outage, one throttled, the others healthy)");
        }
        return new Options(tenants, devices, duration, interval, latency, inProcess, simulatorHeap, out, sets);
    }

    /** Where the simulated tenants run: what the benchmark asks of them and measures of them. */
    private interface Simulators extends AutoCloseable {
        /** Plays {@code scenario} on the tenant with this index from now on, for {@code incident}. */
        void play(int index, String scenario, Duration incident) throws IOException;

        /** Graph requests answered so far, all tenants. */
        long requests() throws IOException;

        /** Resident memory of the simulator's own process, -1 when it shares the exporter's. */
        long rssBytes();

        /** CPU seconds the simulator's own process has used, 0 when it shares the exporter's. */
        default double cpuSeconds() {
            return 0;
        }

        /** Threads of the simulator (its own process, or its threads in the exporter's). */
        int threads();

        String description();

        @Override
        void close();
    }

    /** The simulated tenants in the exporter's JVM, as in demo mode. */
    private record InProcess(List<TenantRuntime> tenants, Clock clock) implements Simulators {
        @Override
        public void play(int index, String scenario, Duration incident) {
            tenants.get(index)
                    .simulator()
                    .unwrap(TenantSimulator.class)
                    .tenant()
                    .play(ScenarioRun.start(Scenarios.byName(scenario).orElseThrow(), clock, Duration.ZERO, incident));
        }

        @Override
        public long requests() {
            return tenants.stream()
                    .mapToLong(t -> t.simulator().unwrap(TenantSimulator.class).requestCount())
                    .sum();
        }

        @Override
        public long rssBytes() {
            return -1;
        }

        @Override
        public int threads() {
            Thread[] all = new Thread[Thread.activeCount() * 2 + 16];
            int n = Thread.enumerate(all);
            return (int) Arrays.stream(all, 0, n)
                    .filter(t -> t.getName().startsWith("graph-simulator"))
                    .count();
        }

        @Override
        public String description() {
            return "The simulator runs in the same JVM (its heap and threads are in the exporter's figures).";
        }

        @Override
        public void close() {} // closed with the exporter
    }

    /** The simulated tenants in a JVM of their own. */
    private record Child(SimulatorProcess process, String heap) implements Simulators {
        @Override
        public void play(int index, String scenario, Duration incident) throws IOException {
            process.play(index, scenario, Duration.ZERO, incident);
        }

        @Override
        public long requests() throws IOException {
            return process.requestCount();
        }

        @Override
        public long rssBytes() {
            return status(process.pid(), "VmRSS:") * 1024;
        }

        @Override
        public int threads() {
            return (int) status(process.pid(), "Threads:");
        }

        @Override
        public double cpuSeconds() {
            return ProcessHandle.of(process.pid())
                            .flatMap(p -> p.info().totalCpuDuration())
                            .map(Duration::toMillis)
                            .orElse(0L)
                    / 1000.0;
        }

        @Override
        public String description() {
            return "The simulator runs in a JVM of its own (-Xmx" + heap + ", process " + process.pid()
                    + "): the RSS, heap and threads above are the exporter's only.";
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private static int execute(Options o, PrintStream out) throws Exception {
        String machine = Benchmark.machine();
        out.println("intune-exporter bench msp: " + machine);
        com.typesafe.config.Config sets = ConfigFactory.empty();
        for (String set : o.sets()) {
            sets = SetFlag.parse(set, ConfigFactory.defaultReference()).withFallback(sets);
        }
        String hocon = String.join(
                "\n",
                "intune.demo { tenants = " + o.tenants() + ", devices = " + o.devices() + ", interval = "
                        + o.interval().toMillis() + "ms,",
                "  latency = " + o.latency().toMillis() + "ms }",
                "intune.web.listen-address = \"127.0.0.1:0\"",
                // Every simulated tenant throttles at Intune's documented limits; the exporter keeps to its budget of
                // them.
                "intune.simulator.enforce-limits = true",
                // The collectors' own defaults, not the demo's: demo.conf raises the protection collector's per-device
                // fallback to read every Windows device of the demo tenant one by one (about 2,750 requests per tenant
                // and run); the default (500) leaves tenants of this size on the aggregates, as a real one would.
                "intune.collectors.protection.per-device-budget = 500");
        ExporterSettings settings =
                SettingsLoader.load(Optional.empty(), sets.withFallback(ConfigFactory.parseString(hocon)), true);
        Clock clock = Clock.systemUTC();
        long createStart = System.nanoTime();
        SimulatorProcess child = null;
        if (!o.inProcess()) {
            Path log = o.out().resolve("msp-simulator.log");
            out.println("starting the simulator process (log: " + log + ") ...");
            child = SimulatorProcess.start(o.simulatorHeap(), log);
        }
        Exporter exporter;
        HeapSizing.apply(); // as the exporter's main does: the JVM's heap sizing is part of what is measured
        try {
            exporter = Exporter.create(settings, true, clock, child);
        } catch (IOException | RuntimeException e) {
            if (child != null) {
                child.close();
            }
            throw e;
        }
        List<TenantRuntime> tenants = exporter.tenants();
        try (Simulators simulators =
                child == null ? new InProcess(tenants, clock) : new Child(child, o.simulatorHeap())) {
            return measure(o, out, machine, settings, exporter, simulators, createStart);
        } finally {
            exporter.close();
        }
    }

    private static int measure(
            Options o,
            PrintStream out,
            String machine,
            ExporterSettings settings,
            Exporter exporter,
            Simulators simulators,
            long createStart)
            throws Exception {
        Clock clock = Clock.systemUTC();
        List<TenantRuntime> tenants = exporter.tenants();
        TenantRuntime outage = tenants.get(0);
        TenantRuntime throttled = tenants.get(1);
        double startSeconds = start(o, out, settings, exporter, simulators, createStart);
        long requestsAtStart = simulators.requests();
        double exporterCpuAtStart = processCpuSeconds();
        double simulatorCpuAtStart = simulators.cpuSeconds();
        long t0 = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        Duration warmUp =
                o.interval().plus(FRESHNESS_SLACK); // no data can be older than this before this much time has passed
        List<Sample> samples = sampleRun(o, out, exporter, simulators, t0, startMillis, warmUp);
        double runHours = (System.nanoTime() - t0) / 3.6e12;
        // Cores used on average: the exporter (this JVM, the benchmark's own sampling included) and the simulator.
        String cores = String.format(
                Locale.ROOT,
                "exporter %.2f, simulator %.2f (of %d)",
                (processCpuSeconds() - exporterCpuAtStart) / (runHours * 3600),
                (simulators.cpuSeconds() - simulatorCpuAtStart) / (runHours * 3600),
                Runtime.getRuntime().availableProcessors());
        long graphRequests = simulators.requests() - requestsAtStart;
        String freshness = freshnessTable(tenants, outage, throttled, startMillis, Instant.now(clock));
        String stretched = stretched(tenants.subList(2, tenants.size()));
        long stopStart = System.nanoTime();
        exporter.stop(Duration.ofSeconds(10));
        double shutdownSeconds = (System.nanoTime() - stopStart) / 1e9;
        String report = report(
                o,
                machine,
                samples,
                warmUp,
                graphRequests / runHours / tenants.size(),
                shutdownSeconds,
                freshness,
                outage.name(),
                throttled.name(),
                startSeconds,
                simulators.description(),
                stretched,
                cores);
        BenchArgs.publish(out, report, o.out(), "msp", null);
        return 0;
    }

    /**
     * Puts tenant 0 in graph-outage and tenant 1 in graph-throttling for the whole run, starts the exporter and
     * returns the seconds since {@code createStart}.
     */
    private static double start(
            Options o,
            PrintStream out,
            ExporterSettings settings,
            Exporter exporter,
            Simulators simulators,
            long createStart)
            throws IOException {
        List<TenantRuntime> tenants = exporter.tenants();
        // For the whole run: no normal phase before, no recovery within it.
        Duration incident = o.duration().multipliedBy(10);
        simulators.play(0, Scenarios.GRAPH_OUTAGE.name(), incident);
        simulators.play(1, Scenarios.GRAPH_THROTTLING.name(), incident);
        exporter.start(settings.web());
        double startSeconds = (System.nanoTime() - createStart) / 1e9;
        out.printf(
                Locale.ROOT,
                "%d tenants of %d devices started in %.1f s; tenant %s in graph-outage, %s in graph-throttling%n",
                tenants.size(),
                o.devices(),
                startSeconds,
                tenants.get(0).name(),
                tenants.get(1).name());
        return startSeconds;
    }

    /**
     * Samples the running exporter every 10 to 30 s until the run's duration has passed (the last sample at or after
     * it), printing each sample's row; the probed tenant rotates over the healthy ones.
     */
    private static List<Sample> sampleRun(
            Options o,
            PrintStream out,
            Exporter exporter,
            Simulators simulators,
            long t0,
            long startMillis,
            Duration warmUp)
            throws IOException, InterruptedException {
        List<TenantRuntime> tenants = exporter.tenants();
        String base = "http://127.0.0.1:" + exporter.port();
        List<Sample> samples = new ArrayList<>();
        Duration every =
                Duration.ofSeconds(Math.max(10, Math.min(30, o.duration().toSeconds() / 12)));
        int probeIndex = 2;
        out.print(SAMPLES_HEADER);
        while (true) {
            double at = (System.nanoTime() - t0) / 1e9;
            Sample s = sample(
                    exporter,
                    simulators,
                    startMillis,
                    base,
                    at,
                    at >= warmUp.toSeconds(),
                    tenants.get(2 + (probeIndex++ % (tenants.size() - 2))).name());
            samples.add(s);
            out.print(sampleRow(s, warmUp));
            if (at >= o.duration().toSeconds()) {
                return samples;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /**
     * CPU time each of the exporter's HTTP threads has used so far, by thread id: the difference of two readings is
     * what the scrapes between them cost the server whatever the machine's load (on a shared machine the wall time is
     * mostly the wait for a core).
     */
    private static Map<Long, Long> httpCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals("intune-http")) {
                out.put(info.getThreadId(), Math.max(0, mx.getThreadCpuTime(info.getThreadId())));
            }
        }
        return out;
    }

    /** Seconds of CPU the HTTP threads used since {@code before} (a thread that ended meanwhile is not counted). */
    private static double httpCpuSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> now : httpCpu().entrySet()) {
            sum += Math.max(0, now.getValue() - before.getOrDefault(now.getKey(), 0L));
        }
        return sum / 1e9;
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static Sample sample(
            Exporter exporter,
            Simulators simulators,
            long startMillis,
            String base,
            double at,
            boolean judgeFreshness,
            String probeTenant)
            throws IOException {
        long rss = rssBytes();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        // Committed heap is what the JVM holds from the OS (most of RSS); it grows towards -Xmx under allocation
        // pressure.
        long heapCommitted =
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long t = System.nanoTime();
        Map<Long, Long> cpu = httpCpu();
        long[] metrics = get(base + exporter.settings().web().metricsPath());
        double metricsCpu = httpCpuSince(cpu);
        double metricsSeconds = (System.nanoTime() - t) / 1e9;
        double[] probes = new double[21];
        long probeBytes = 0;
        cpu = httpCpu();
        for (int i = 0; i < probes.length; i++) {
            long p = System.nanoTime();
            probeBytes = get(base + "/probe?tenant=" + probeTenant)[1];
            probes[i] = (System.nanoTime() - p) / 1e9;
        }
        double probeCpu = httpCpuSince(cpu) / probes.length;
        Arrays.sort(probes);
        Freshness freshness = freshness(exporter.tenants(), startMillis, judgeFreshness);
        return new Sample(
                at,
                rss,
                heap,
                heapCommitted,
                threads,
                simulators.rssBytes(),
                simulators.threads(),
                metricsSeconds,
                metricsCpu,
                metrics[0],
                metrics[1],
                probes[probes.length / 2],
                probes[probes.length - 1],
                probeCpu,
                probeBytes,
                freshness.stale(),
                freshness.worst(),
                freshness.worstTenant(),
                loadAverage());
    }

    /** Healthy tenants with stale data (0 unless judged), and the worst {@link #ageRatio} with its tenant. */
    private record Freshness(int stale, double worst, String worstTenant) {}

    private static Freshness freshness(List<TenantRuntime> tenants, long startMillis, boolean judgeFreshness) {
        int stale = 0;
        double worst = 0;
        String worstTenant = "";
        long now = System.currentTimeMillis();
        for (int i = 2; i < tenants.size(); i++) { // 0 and 1 are the outage and the throttled tenant
            double ratio = ageRatio(tenants.get(i).scheduler(), startMillis, now);
            if (ratio > worst) {
                worst = ratio;
                worstTenant = tenants.get(i).name();
            }
            if (judgeFreshness && ratio > 1) {
                stale++;
            }
        }
        return new Freshness(stale, worst, worstTenant);
    }

    /**
     * The tenant's oldest data as a share of what it may be: its collector's interval (after any stretch by the Graph
     * budget, which the exporter warns about and exports) + 1 min. A collector that never succeeded counts from the
     * exporter's start, so one still waiting for its first turn is stale once that allowance has passed.
     */
    private static double ageRatio(CollectionScheduler scheduler, long startMillis, long nowMillis) {
        double worst = 0;
        for (CollectorStatus c : scheduler.status()) {
            long since = c.lastSuccessMillis() > 0 ? c.lastSuccessMillis() : startMillis;
            worst = Math.max(worst, (nowMillis - since) / 1000.0 / allowedSeconds(scheduler, c));
        }
        return worst;
    }

    private static double allowedSeconds(CollectionScheduler scheduler, CollectorStatus c) {
        return scheduler.effectiveInterval(c.name()).toMillis() / 1000.0 + FRESHNESS_SLACK.toSeconds();
    }

    /** "N of M collectors (all tenants) stretched by the Graph budget, by up to X" or "none". */
    private static String stretched(List<TenantRuntime> tenants) {
        int n = 0;
        int all = 0;
        double most = 1;
        for (TenantRuntime t : tenants) {
            for (CollectorStatus c : t.scheduler().status()) {
                all++;
                double factor = t.scheduler().effectiveInterval(c.name()).toMillis()
                        / (double) c.interval().toMillis();
                if (factor > 1.001) {
                    n++;
                    most = Math.max(most, factor);
                }
            }
        }
        return n == 0
                ? "none of " + all
                : String.format(Locale.ROOT, "%d of %d, intervals up to %.2f times longer", n, all, most);
    }

    /**
     * {compressed size, uncompressed size} of a GET asking for gzip, read as a scraper reads it: streamed, never held
     * whole (the benchmark runs in the exporter's JVM, and a 40 MB body would count as the exporter's memory).
     */
    private static long[] get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestProperty("Accept-Encoding", "gzip");
        int status = c.getResponseCode();
        if (status != 200) {
            throw new IOException(url + " answered " + status);
        }
        try (CountingStream raw = new CountingStream(c.getInputStream());
                InputStream plain = "gzip".equals(c.getContentEncoding()) ? new GZIPInputStream(raw, 65536) : raw) {
            long size = plain.transferTo(OutputStream.nullOutputStream());
            return new long[] {raw.count, size};
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    private static long rssBytes() {
        return status(ProcessHandle.current().pid(), "VmRSS:") * 1024;
    }

    /** A number field of /proc/PID/status (VmRSS in kB, Threads), -1 when unreadable (not Linux, process ended). */
    static long status(long pid, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith(field)) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended
        }
        return -1;
    }

    private static String freshnessTable(
            List<TenantRuntime> tenants, TenantRuntime outage, TenantRuntime throttled, long startMillis, Instant now) {
        StringBuilder sb = new StringBuilder(
                "| tenant | state | collectors succeeding | oldest data | allowed (interval + 1 min) |\n|---|---|---:|---:|---:|\n");
        List<TenantRuntime> shown = new ArrayList<>(List.of(outage, throttled));
        // The healthy tenant with the oldest data, and two others for reference.
        TenantRuntime worst = tenants.get(2);
        for (int i = 2; i < tenants.size(); i++) {
            if (ageRatio(tenants.get(i).scheduler(), startMillis, now.toEpochMilli())
                    > ageRatio(worst.scheduler(), startMillis, now.toEpochMilli())) {
                worst = tenants.get(i);
            }
        }
        shown.add(worst);
        if (worst != tenants.get(2)) {
            shown.add(tenants.get(2));
        }
        if (!shown.contains(tenants.get(tenants.size() - 1))) {
            shown.add(tenants.get(tenants.size() - 1));
        }
        for (TenantRuntime t : shown) {
            List<CollectorStatus> status = t.scheduler().status();
            long ok = status.stream().filter(CollectorStatus::lastSucceeded).count();
            long oldest = status.stream()
                    .mapToLong(c -> c.lastSuccessMillis() <= 0 ? -1 : now.toEpochMilli() - c.lastSuccessMillis())
                    .map(a -> a < 0 ? Long.MAX_VALUE : a)
                    .max()
                    .orElse(0);
            long allowed = Math.round(status.stream()
                    .mapToDouble(c -> allowedSeconds(t.scheduler(), c))
                    .max()
                    .orElse(0));
            String state = t == outage
                    ? "graph-outage"
                    : t == throttled ? "graph-throttling" : t == worst ? "healthy (oldest data)" : "healthy";
            appendf(
                    sb,
                    "| %s | %s | %d of %d | %s | %d s |%n",
                    t.name(),
                    state,
                    ok,
                    status.size(),
                    oldest == Long.MAX_VALUE ? "never succeeded" : (oldest / 1000) + " s",
                    allowed);
        }
        return sb.toString();
    }

    private static double median(DoubleStream values) {
        double[] sorted = values.sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static String verdict(boolean ok) {
        return ok ? "yes" : "**NO**";
    }

    static String report(
            Options o,
            String machine,
            List<Sample> samples,
            Duration warmUp,
            double requestsPerHourPerTenant,
            double shutdownSeconds,
            String freshness,
            String outage,
            String throttled,
            double startSeconds,
            String simulator,
            String stretched,
            String cores) {
        // Scrape latency is judged once every collector has had its first run (the first cycle is the JIT's warm-up
        // and every tenant's first collections at once); the worst of the whole run is shown as well.
        List<Sample> judged = samples.stream()
                .filter(s -> s.atSeconds() >= warmUp.toSeconds())
                .toList();
        StringBuilder sb = new StringBuilder("# intune-exporter MSP benchmark\n\n");
        sb.append(Benchmark.machineAtEnd(machine)).append("\n\n");
        appendf(
                sb,
                "%d simulated tenants of %,d devices in one exporter for %s (every collector every %s, "
                        + "simulated Graph latency %d ms, Intune's documented throttling limits enforced); tenant %s in graph-outage and "
                        + "%s in graph-throttling for the whole run. %s Start-up (building %d tenants): %.1f s.%s%n%n",
                o.tenants(),
                o.devices(),
                o.duration(),
                o.interval(),
                o.latency().toMillis(),
                outage,
                throttled,
                simulator,
                o.tenants(),
                startSeconds,
                o.sets().isEmpty() ? "" : " Settings: " + o.sets() + ".");
        sb.append("| figure | measured (worst sample) | target | met |\n|---|---:|---:|---|\n");
        appendResourceRows(sb, o, samples, judged, warmUp);
        appendScrapeRows(sb, samples, judged.isEmpty() ? samples : judged, warmUp);
        appendRunRows(sb, samples, requestsPerHourPerTenant, shutdownSeconds, cores, stretched);
        long met = sb.toString().lines().filter(l -> l.endsWith("| yes |")).count();
        long missed =
                sb.toString().lines().filter(l -> l.endsWith("| **NO** |")).count();
        appendf(sb, "%nTargets met: %d of %d.%n", met, met + missed);
        sb.append("\nData age at the end of the run:\n\n").append(freshness);
        sb.append("\nSamples:\n\n").append(SAMPLES_HEADER);
        samples.forEach(s -> sb.append(sampleRow(s, warmUp)));
        return sb.toString();
    }

    /** The report's rows on memory, threads and stale tenants (the latter judged only after the warm-up). */
    private static void appendResourceRows(
            StringBuilder sb, Options o, List<Sample> samples, List<Sample> judged, Duration warmUp) {
        long rss = samples.stream().mapToLong(Sample::rssBytes).max().orElse(0);
        long heap = samples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
        long committed =
                samples.stream().mapToLong(Sample::heapCommittedBytes).max().orElse(0);
        int threads = samples.stream().mapToInt(Sample::threads).max().orElse(0);
        int staleMax = judged.stream().mapToInt(Sample::staleHealthy).max().orElse(-1);
        double worstRatio =
                judged.stream().mapToDouble(Sample::worstHealthyAgeRatio).max().orElse(Double.NaN);
        appendf(
                sb,
                "| resident memory (RSS) | %d MB | < 1024 MB | %s |%n",
                rss >> 20,
                verdict(rss > 0 && rss < RSS_LIMIT_BYTES));
        appendf(sb, "| heap used (committed) | %d MB (%d MB) | (-Xmx) | |%n", heap >> 20, committed >> 20);
        appendf(
                sb,
                "| threads (exporter JVM total) | %d | < %d | %s |%n",
                threads,
                THREAD_LIMIT,
                verdict(threads < THREAD_LIMIT));
        if (judged.isEmpty()) {
            appendf(
                    sb,
                    "| healthy tenants with data older than interval + 1 min | not judged: the run is shorter than %s | 0 | **NO** |%n",
                    warmUp);
        } else {
            appendf(
                    sb,
                    "| healthy tenants with data older than interval + 1 min (after %s; never run counts from the start) | "
                            + "%d of %d (oldest: %.0f%% of the allowance) | 0 | %s |%n",
                    warmUp,
                    staleMax,
                    o.tenants() - 2,
                    worstRatio * 100,
                    verdict(staleMax == 0));
        }
    }

    /** The report's rows on /metrics and /probe: worst and median of {@code scrapes}, worst of all {@code samples}. */
    private static void appendScrapeRows(
            StringBuilder sb, List<Sample> samples, List<Sample> scrapes, Duration warmUp) {
        double metrics =
                scrapes.stream().mapToDouble(Sample::metricsSeconds).max().orElse(0);
        double metricsAll =
                samples.stream().mapToDouble(Sample::metricsSeconds).max().orElse(0);
        double metricsMedian = median(scrapes.stream().mapToDouble(Sample::metricsSeconds));
        long gzip = samples.get(samples.size() - 1).metricsGzipBytes();
        long plain = samples.get(samples.size() - 1).metricsBytes();
        double probeP50 = median(scrapes.stream().mapToDouble(Sample::probeP50));
        double probeMax = scrapes.stream().mapToDouble(Sample::probeMax).max().orElse(0);
        double probeMaxAll =
                samples.stream().mapToDouble(Sample::probeMax).max().orElse(0);
        long probeBytes = samples.get(samples.size() - 1).probeBytes();
        double metricsCpu = median(scrapes.stream().mapToDouble(Sample::metricsCpuSeconds));
        double probeCpu = median(scrapes.stream().mapToDouble(Sample::probeCpuSeconds));
        appendf(
                sb,
                "| full /metrics (gzip), after %s | worst %.2f s, median %.2f s (worst of the whole run %.2f s); server CPU "
                        + "%.2f s (median); %,d kB gzip, %,d kB text | < 2 s | %s |%n",
                warmUp,
                metrics,
                metricsMedian,
                metricsAll,
                metricsCpu,
                gzip >> 10,
                plain >> 10,
                verdict(metrics < METRICS_LIMIT_SECONDS));
        appendf(
                sb,
                "| /probe one tenant (gzip), after %s | worst %.1f ms, median %.1f ms (worst of the whole run %.1f ms); "
                        + "server CPU %.1f ms (median); %,d kB text | < 50 ms | %s |%n",
                warmUp,
                probeMax * 1000,
                probeP50 * 1000,
                probeMaxAll * 1000,
                probeCpu * 1000,
                probeBytes >> 10,
                verdict(probeMax < PROBE_LIMIT_SECONDS));
    }

    /** The report's rows on the run as a whole: Graph requests, shutdown, CPU, budget and the simulator process. */
    private static void appendRunRows(
            StringBuilder sb,
            List<Sample> samples,
            double requestsPerHourPerTenant,
            double shutdownSeconds,
            String cores,
            String stretched) {
        int simulatorThreads =
                samples.stream().mapToInt(Sample::simulatorThreads).max().orElse(0);
        long simulatorRss =
                samples.stream().mapToLong(Sample::simulatorRssBytes).max().orElse(-1);
        appendf(
                sb,
                "| Graph requests per hour per tenant (all tenants' average) | %,.0f | | |%n",
                requestsPerHourPerTenant);
        appendf(
                sb,
                "| clean shutdown | %.2f s | < 10 s | %s |%n",
                shutdownSeconds,
                verdict(shutdownSeconds < SHUTDOWN_LIMIT_SECONDS));
        appendf(sb, "| CPU cores used on average over the run | %s | | |%n", cores);
        appendf(
                sb,
                "| healthy tenants' collectors stretched by the Graph budget (intune.collection.graph-budget-share) | %s | | |%n",
                stretched);
        appendf(
                sb,
                "| simulator process (not the exporter) | %s, %d threads | | |%n",
                simulatorRss < 0 ? "in the exporter's JVM" : "RSS " + (simulatorRss >> 20) + " MB",
                simulatorThreads);
    }

    static final String SAMPLES_HEADER =
            "| at | RSS MB | heap MB (committed) | threads | /metrics s (CPU s; kB gzip, kB) "
                    + "| /probe ms (median, worst; CPU) | healthy tenants stale | simulator RSS | load average |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    /** One sample as a row of the samples table, printed while the run goes on and again in the report. */
    static String sampleRow(Sample s, Duration warmUp) {
        return String.format(
                Locale.ROOT,
                "| %.0f s | %d | %d (%d) | %d | %.2f (%.2f; %d, %d) | %.1f, %.1f; %.1f | %s | %s | %.2f |%n",
                s.atSeconds(),
                s.rssBytes() >> 20,
                s.heapBytes() >> 20,
                s.heapCommittedBytes() >> 20,
                s.threads(),
                s.metricsSeconds(),
                s.metricsCpuSeconds(),
                s.metricsGzipBytes() >> 10,
                s.metricsBytes() >> 10,
                s.probeP50() * 1000,
                s.probeMax() * 1000,
                s.probeCpuSeconds() * 1000,
                s.atSeconds() >= warmUp.toSeconds() ? Integer.toString(s.staleHealthy()) : "warming up",
                s.simulatorRssBytes() < 0 ? "in process" : (s.simulatorRssBytes() >> 20) + " MB",
                s.loadAverage());
    }

    /** Appends {@code format} filled with {@code args}, numbers written the same in every locale. */
    private static void appendf(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args));
    }
}
