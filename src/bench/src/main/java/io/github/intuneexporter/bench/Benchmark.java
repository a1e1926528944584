package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.cli.SetFlag;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.DeviceInventoryCollector;
import io.github.intuneexporter.collector.DeviceTally;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.config.WebConfig;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.graph.ThrottleBudget;
import io.github.intuneexporter.http.ExporterHttpServer;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.SimulatorLimits;
import io.github.intuneexporter.simulator.StandInSettings;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code intune-exporter bench}: generates simulated tenants of the given sizes in-process (zero latency unless
 * asked), runs the devices collector exactly as the exporter does (scheduler, real /metrics endpoint scraped every
 * 20 ms meanwhile), then the straightforward SDK approach ({@link BaselineScan}) on the same data, checks that both
 * counted the same, and reports wall time, Graph requests, bytes read, CPU, heap and scrape latency per size.
 */
public final class Benchmark {
    static final String TOKEN = "bench-token";
    static final String USAGE = String.join(
            "\n",
            "Usage: java -Xmx256m -jar intune-exporter-bench.jar [options]",
            "       java -jar intune-exporter-bench.jar msp [options]      (many tenants in one process; msp --help)",
            "       java -jar intune-exporter-bench.jar budget [options]   (Graph requests per hour per tenant; budget --help)",
            "       java -jar intune-exporter-bench.jar simulator --devices N   (the simulated tenant in a process of its own)",
            "",
            "  --sizes N,N,...        tenant sizes (default 10000,100000,1000000)",
            "  --out DIR              directory for the result files (default bench-results)",
            "  --no-baseline          skip the SDK baseline",
            "  --baseline-max N       run the baseline only for tenants up to N devices (default: all)",
            "  --scan-concurrency N   intune.collectors.devices.scan-concurrency for the exporter run (default 1)",
            "  --latency DURATION     simulated Graph latency per request, e.g. 50ms (default 0)",
            "  --set KEY=VALUE        any exporter or simulator setting, e.g. intune.graph.throttle-budget=0",
            "  --seed N               tenant seed (default 42)");

    /** Options of one benchmark. */
    record Options(
            List<Integer> sizes,
            Path out,
            boolean baseline,
            long baselineMax,
            int concurrency,
            Duration latency,
            long seed,
            List<String> sets) {}

    /** Figures of one run. */
    record Result(
            int devices,
            String approach,
            RunProbe probe,
            double requests,
            double bytes,
            double throttled,
            double budgetWait,
            String error,
            RunProbe scrapes,
            RunProbe idle) {

        Result withScrapes(RunProbe during, RunProbe idleReference) {
            return new Result(
                    devices, approach, probe, requests, bytes, throttled, budgetWait, error, during, idleReference);
        }
    }

    /** At least this many scrapes make up a latency figure; short collections are repeated until there are. */
    static final int MIN_SCRAPES = 250;

    private Benchmark() {}

    /** Entry point of {@code intune-exporter-bench.jar}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("msp")) {
            return MspBenchmark.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("simulator")) {
            return SimulatorServer.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("budget")) {
            return BudgetBenchmark.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        return BenchArgs.run(
                "intune-exporter bench", USAGE, args, out, err, Benchmark::parse, o -> new Benchmark().execute(o, out));
    }

    static Options parse(String[] args) {
        List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);
        Path out = Path.of("bench-results");
        boolean baseline = true;
        long baselineMax = Long.MAX_VALUE;
        int concurrency = 1;
        Duration latency = Duration.ZERO;
        long seed = 42;
        List<String> sets = new ArrayList<>();
        BenchArgs.Cursor c = new BenchArgs.Cursor(args);
        while (c.next()) {
            switch (c.option()) {
                case "--sizes" -> {
                    sizes = c.positives();
                }
                case "--out" -> out = Path.of(c.value());
                case "--no-baseline" -> baseline = false;
                case "--baseline-max" -> baselineMax = c.positive();
                case "--scan-concurrency" -> concurrency = c.positive();
                case "--latency" -> latency = c.duration();
                case "--seed" -> seed = c.positive();
                case "--set" -> sets.add(c.value());
                default -> throw c.unknown();
            }
        }
        return new Options(sizes, out, baseline, baselineMax, concurrency, latency, seed, sets);
    }

    private int execute(Options options, PrintStream out) throws Exception {
        String machine = machine();
        out.println("intune-exporter bench: " + machine);
        List<Result> results = new ArrayList<>();
        // Warm the JIT on both paths, so that the first size is not measured cold.
        runSize(5_000, options, true, null);
        runSize(
                50_000,
                new Options(
                        options.sizes(),
                        options.out(),
                        false,
                        0,
                        options.concurrency(),
                        options.latency(),
                        options.seed(),
                        options.sets()),
                true,
                null);
        boolean ok = true;
        for (int size : options.sizes()) {
            out.println("tenant of " + size + " devices ...");
            List<Result> r = runSize(size, options, false, out);
            results.addAll(r);
            ok &= r.stream().allMatch(x -> x.error() == null || x.approach().startsWith("baseline"));
        }
        String report = report(results, options, machine);
        BenchArgs.publish(out, report, options.out(), "bench", csv(results));
        return ok ? 0 : 1;
    }

    /** Runs the exporter (and the baseline) on one tenant; warm-up runs report nothing. */
    private List<Result> runSize(int size, Options options, boolean warmUp, PrintStream out) throws Exception {
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        SimulatedTenant tenant = new SimulatedTenant(options.seed(), size, clock, Duration.ofHours(1));
        List<Result> results = new ArrayList<>();
        String hocon = benchSettings(options);
        com.typesafe.config.Config sets = sets(options);
        // With a simulator of its own process (-Dintune.graph.base-url, see SimulatorServer) none starts in this one,
        // so that the heap and CPU figures hold nothing of a simulator.
        String external = System.getProperty("intune.graph.base-url");
        try (TenantSimulator simulator = external != null ? null : TenantSimulator.start(tenant, TOKEN)) {
            String baseUrl = simulator == null ? external : simulator.baseUrl();
            ExporterSettings settings = SettingsLoader.load(sets.withFallback(
                    SettingsLoader.parseString(hocon + "intune.graph.base-url = \"" + baseUrl + "\"")));
            if (simulator != null) {
                simulator.setLatency(options.latency());
                simulator.setFaults(StandInSettings.faults(settings.raw()));
            }
            PrometheusRegistry registry = new PrometheusRegistry();
            GraphRequestMetrics requestMetrics = new GraphRequestMetrics(registry);
            ThrottleBudget budget = throttleBudget(settings, simulator, requestMetrics);
            try (GraphConnection graph =
                    GraphConnection.open(settings.graph(), Credentials.staticToken(TOKEN), requestMetrics, budget)) {
                IntuneCollector devices = CollectorFactory.create(settings, graph.api(), clock, null).stream()
                        .filter(c -> c.name().equals(DeviceInventoryCollector.NAME))
                        .findFirst()
                        .orElseThrow();
                CollectionScheduler scheduler = new CollectionScheduler(
                        List.of(devices), Duration.ZERO, settings.collection().timeout(), 1, clock);
                registry.register(scheduler);
                BuildInfo.register(registry);
                JvmMetrics.builder().register(registry);
                try (ExporterHttpServer http = ExporterHttpServer.start(
                        "127.0.0.1", 0, "/metrics", WebConfig.NONE, registry, scheduler::ready, scheduler.enabled())) {
                    String metricsUrl = "http://127.0.0.1:" + http.port() + "/metrics";
                    Result ours = measureExporter(size, warmUp, metricsUrl, scheduler, requestMetrics);
                    Map<String, Double> exporterCounts = deviceSeries(scheduler.collect());
                    results.add(ours);
                    if (out != null) {
                        out.println(line(ours));
                    }
                    if (options.baseline() && size <= options.baselineMax()) {
                        Result base = measureBaseline(
                                size, metricsUrl, requestMetrics, graph, devices, clock, exporterCounts);
                        results.add(base);
                        if (out != null) {
                            out.println(line(base));
                        }
                    }
                } finally {
                    scheduler.shutdown(Duration.ofSeconds(5));
                }
            }
        }
        return warmUp ? List.of() : results;
    }

    /**
     * The benchmark's own settings (HOCON): the simulated tenant throttles at Intune's documented limits (the exporter
     * keeps to its budget of them), the options' scan concurrency, and a devices interval the run never reaches.
     */
    private static String benchSettings(Options options) {
        StringBuilder hocon = new StringBuilder("intune.simulator.enforce-limits = true\n");
        hocon.append("intune.collectors.devices.scan-concurrency = ")
                .append(options.concurrency())
                .append('\n');
        hocon.append("intune.collectors.devices.interval = 1h\n");
        return hocon.toString();
    }

    /** The options' --set flags, parsed by the same rules as the exporter's --set (a later flag wins). */
    private static com.typesafe.config.Config sets(Options options) {
        com.typesafe.config.Config sets = ConfigFactory.empty();
        com.typesafe.config.Config reference = ConfigFactory.defaultReference();
        for (String set : options.sets()) {
            sets = SetFlag.parse(set, reference).withFallback(sets);
        }
        return sets;
    }

    /**
     * The exporter's throttle budget: of the simulator's limits when the settings configure them (which the
     * in-process simulator then enforces), else of Intune's documented limits.
     */
    private static ThrottleBudget throttleBudget(
            ExporterSettings settings, TenantSimulator simulator, GraphRequestMetrics requestMetrics) {
        SimulatorLimits limits = SimulatorLimits.fromConfig(settings.raw());
        if (simulator != null) {
            simulator.setLimits(limits);
        }
        return limits == null
                ? ThrottleBudget.documented(settings.graph().throttleBudget(), requestMetrics::recordThrottleWait)
                : new ThrottleBudget(
                        settings.graph().throttleBudget(),
                        limits.scale(),
                        limits.windowOverride(),
                        requestMetrics::recordThrottleWait);
    }

    /**
     * Measures the devices collector: a first run fills /metrics with the device families, as in a running exporter;
     * the idle scrape latency is taken as this machine's reference at this moment; then the second run is measured,
     * repeated back to back until /metrics was scraped often enough for a p99.
     */
    private static Result measureExporter(
            int size,
            boolean warmUp,
            String metricsUrl,
            CollectionScheduler scheduler,
            GraphRequestMetrics requestMetrics)
            throws InterruptedException {
        require(scheduler.runNow(DeviceInventoryCollector.NAME), scheduler, "warm-up");
        RunProbe idle = RunProbe.start(metricsUrl);
        while (!warmUp && idle.scrapesSoFar() < 100) {
            Thread.sleep(20);
        }
        idle.close();
        Result ours = measure(size, "exporter", metricsUrl, requestMetrics, () -> {
            require(scheduler.runNow(DeviceInventoryCollector.NAME), scheduler, "measured");
        });
        RunProbe during = ours.probe();
        if (!warmUp && during.scrapes < MIN_SCRAPES) {
            // Too few scrapes for a p99: collect back to back until there are enough.
            during = RunProbe.start(metricsUrl);
            while (during.scrapesSoFar() < MIN_SCRAPES) {
                require(scheduler.runNow(DeviceInventoryCollector.NAME), scheduler, "repeated");
            }
            during.close();
        }
        return ours.withScrapes(during, idle);
    }

    /**
     * Measures the SDK baseline on the same tenant and checks that it counted exactly what the exporter did
     * ({@code exporterCounts}) and that intune_managed_devices adds up to the tenant's size.
     */
    private static Result measureBaseline(
            int size,
            String metricsUrl,
            GraphRequestMetrics requestMetrics,
            GraphConnection graph,
            IntuneCollector devices,
            Clock clock,
            Map<String, Double> exporterCounts) {
        List<Integer> staleDays =
                ((DeviceInventoryCollector) devices).settings().staleDays();
        DeviceTally tally = new DeviceTally(staleDays, clock.instant().getEpochSecond());
        Result base = measure(
                size,
                "baseline (SDK PageIterator, all fields)",
                metricsUrl,
                requestMetrics,
                () -> BaselineScan.run(
                        new com.microsoft.graph.serviceclient.GraphServiceClient(graph.adapter()), tally));
        if (base.error() == null) {
            Map<String, Double> baselineCounts = deviceSeries(tally.snapshot(EnumSet.allOf(DeviceTally.Family.class)));
            if (!baselineCounts.equals(exporterCounts)) {
                throw new IllegalStateException("the exporter and the baseline counted differently for " + size
                        + " devices:\n exporter " + exporterCounts + "\n baseline " + baselineCounts);
            }
            if (exporterCounts.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("intune_managed_devices{"))
                            .mapToDouble(Map.Entry::getValue)
                            .sum()
                    != size) {
                throw new IllegalStateException("intune_managed_devices does not add up to " + size);
            }
        }
        return base;
    }

    private static void require(boolean ok, CollectionScheduler scheduler, String what) {
        if (!ok) {
            throw new IllegalStateException(
                    what + " collection failed: " + scheduler.lastError(DeviceInventoryCollector.NAME));
        }
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static Result measure(
            int size, String approach, String metricsUrl, GraphRequestMetrics requests, Body body) {
        System.gc();
        double r0 = requests.requestCount();
        double b0 = requests.responseBytes();
        double t0 = requests.throttledCount();
        double w0 = requests.throttleWaitSeconds();
        String error = null;
        RunProbe probe = RunProbe.start(metricsUrl);
        try {
            body.run();
        } catch (OutOfMemoryError e) {
            error = "OutOfMemoryError (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap)";
        } catch (Exception e) {
            error = e.toString();
        } finally {
            probe.close();
        }
        if (error == null && probe.scrapeError() != null) {
            error = "scrape failed: " + probe.scrapeError();
        }
        return new Result(
                size,
                approach,
                probe,
                requests.requestCount() - r0,
                requests.responseBytes() - b0,
                requests.throttledCount() - t0,
                requests.throttleWaitSeconds() - w0,
                error,
                probe,
                null);
    }

    /** The devices collector's series as name{labels} = value, for comparing two runs. */
    static Map<String, Double> deviceSeries(MetricSnapshots snapshots) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot s : snapshots) {
            String name = s.getMetadata().getPrometheusName();
            if (!List.of(
                            "intune_managed_devices",
                            "intune_stale_devices",
                            "intune_devices_encrypted",
                            "intune_devices_jailbroken",
                            "intune_enrollment_type_devices",
                            "intune_management_state_devices",
                            "intune_management_certificate_expiring_devices",
                            "intune_management_certificate_expired_devices",
                            "intune_compliance_grace_period_devices",
                            "intune_compliance_grace_period_ending_devices",
                            "intune_android_security_patch_age_devices",
                            "intune_os_version_currency_devices")
                    .contains(name)) {
                continue;
            }
            for (DataPointSnapshot d : s.getDataPoints()) {
                out.put(name + d.getLabels(), ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue());
            }
        }
        return out;
    }

    private static String line(Result r) {
        RunProbe p = r.probe();
        return String.format(
                Locale.ROOT,
                "  %-40s wall %7.2f s  requests %6.0f  read %8.1f MB  exporter CPU %7.2f s  scan thread CPU %7.2f s"
                        + "  live heap %5.0f MB  scrape p99 %6.2f ms%s",
                r.approach(),
                p.wallSeconds,
                r.requests(),
                r.bytes() / 1e6,
                p.exporterCpuSeconds,
                p.scanThreadCpuSeconds,
                p.maxLiveHeapAfterGc / 1e6,
                r.scrapes().scrapeP99Millis,
                r.error() == null ? "" : "  ERROR " + r.error());
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return String.format(
                Locale.ROOT,
                "%d cores (%s), %s %s, Java %s, max heap %d MB, load average %.2f at start",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1 << 20),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The machine line of a report: the machine at the start and its load average now, at the end. */
    static String machineAtEnd(String machine) {
        return String.format(
                Locale.ROOT,
                "Machine: %s. Load average at the end: %.2f.",
                machine,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static String report(List<Result> results, Options options, String machine) {
        StringBuilder sb = new StringBuilder();
        sb.append("# intune-exporter benchmark\n\n");
        sb.append(machineAtEnd(machine)).append("\n");
        // -Dintune.graph.base-url (system properties override every setting) points the exporter at a simulator of its
        // own process (bench simulator): the figures are then the exporter's alone.
        String external = System.getProperty("intune.graph.base-url");
        sb.append(
                        external == null
                                ? "Simulator in-process"
                                : "Simulator in a separate process at " + external
                                        + " (bench simulator; none runs in the measured process)")
                .append(", latency ")
                .append(options.latency().toMillis())
                .append(" ms; exporter scan-concurrency ")
                .append(options.concurrency())
                .append(options.sets().isEmpty() ? "" : "; settings " + options.sets())
                .append(
                        ". The simulator enforces Intune's documented per-app throttling limits and the exporter keeps to its"
                                + " throttle budget (intune.graph.throttle-budget, default 0.5 of them) unless a setting above changes it.\n\n");
        sb.append(markdownRow(TABLE.stream().map(Column::header).toList()))
                .append(TABLE.stream()
                        .map(c -> c.numeric() ? "---:" : "---")
                        .collect(Collectors.joining("|", "|", "|\n")));
        for (Result r : results) {
            sb.append(markdownRow(TABLE.stream().map(c -> c.cell(r)).toList()));
        }
        appendRatios(sb, results);
        appendTargets(sb, results, options);
        appendHowToRead(sb, external);
        return sb.toString();
    }

    /** The table of ratios, baseline / exporter, one row per size measured both ways. */
    private static void appendRatios(StringBuilder sb, List<Result> results) {
        sb.append("\nRatios, baseline / exporter (higher is better for the exporter):\n\n");
        sb.append(
                "| devices | wall | scan thread CPU | exporter CPU | bytes read | requests |\n|---:|---:|---:|---:|---:|---:|\n");
        for (Result ours : exporterRuns(results)) {
            for (Result base : baselinesOf(ours, results)) {
                sb.append(String.format(
                        Locale.ROOT,
                        "| %,d | %.1fx | %.1fx | %.1fx | %.1fx | %.2fx |%n",
                        ours.devices(),
                        base.probe().wallSeconds / ours.probe().wallSeconds,
                        base.probe().scanThreadCpuSeconds / ours.probe().scanThreadCpuSeconds,
                        base.probe().exporterCpuSeconds / ours.probe().exporterCpuSeconds,
                        base.bytes() / ours.bytes(),
                        base.requests() / ours.requests()));
            }
        }
    }

    /** The targets, met or not, of each exporter run (and its speed-up over the baseline). */
    private static void appendTargets(StringBuilder sb, List<Result> results, Options options) {
        sb.append("\nTargets:\n\n");
        for (Result ours : exporterRuns(results)) {
            long allowed = (ours.devices() + 999) / 1000 + options.concurrency() + 1;
            sb.append(String.format(
                    Locale.ROOT,
                    "* %,d devices: %s; requests %.0f <= ceil(devices/1000) + %d = %d: %s; "
                            + "scrape p99 %.2f ms < 20 ms: %s; throttled responses: %.0f%n",
                    ours.devices(),
                    ours.error() == null ? "collection ok" : "FAILED " + ours.error(),
                    ours.requests(),
                    options.concurrency() + 1,
                    allowed,
                    ours.requests() <= allowed ? "met" : "NOT MET",
                    ours.scrapes().scrapeP99Millis,
                    ours.scrapes().scrapeP99Millis < 20 ? "met" : "NOT MET",
                    ours.throttled()));
            for (Result base : baselinesOf(ours, results)) {
                double ratio = base.probe().scanThreadCpuSeconds / ours.probe().scanThreadCpuSeconds;
                sb.append(String.format(
                        Locale.ROOT,
                        "* %,d devices: scan parses %.1fx faster than the baseline (scan thread CPU) "
                                + ">= 3x: %s; counts equal to the baseline's: yes%n",
                        ours.devices(),
                        ratio,
                        ratio >= 3 ? "met" : "NOT MET"));
            }
        }
    }

    /** How to read the figures; {@code external} is the simulator's URL when it runs in a process of its own. */
    private static void appendHowToRead(StringBuilder sb, String external) {
        sb.append(
                "\nHow to read: wall time includes the in-process simulator generating and serialising the devices (it shares"
                        + " the CPUs); 'exporter CPU' is the process CPU minus the simulator's and the scraper's threads (so it includes"
                        + " GC and JIT); 'scan thread CPU' is the thread that reads and counts the pages; 'GC+JIT CPU' is the process"
                        + " CPU outside Java threads (GC, JIT compilers), caused by the exporter and the simulator together. Heap: the"
                        + " largest heap in use right after a GC during the run (the live set; 'no GC' when none ran), the used heap"
                        + " sampled every 20 ms and the sum of the heap pools' peaks (the last two include garbage not yet collected); all"
                        + (external == null ? " include the in-process simulator." : " are the exporter's alone.")
                        + " /metrics was scraped every 20 ms over HTTP during each run; when one"
                        + " collection gave fewer than " + MIN_SCRAPES
                        + " scrapes, collections were repeated back to back until it did."
                        + " 'idle' is the same scrape with no collection running: the machine's own noise. 'budget wait' is time spent"
                        + " in the exporter's throttle budget: with the default budget a 1000-request scan is paced to about 20 s.\n");
    }

    private static List<Result> exporterRuns(List<Result> results) {
        return results.stream().filter(r -> r.approach().equals("exporter")).toList();
    }

    /** The successful baseline runs on the same number of devices as {@code ours}. */
    private static List<Result> baselinesOf(Result ours, List<Result> results) {
        return results.stream()
                .filter(base -> base.devices() == ours.devices()
                        && base.approach().startsWith("baseline")
                        && base.error() == null)
                .toList();
    }

    private static String scrapes(Result r) {
        RunProbe s = r.scrapes();
        String during = String.format(
                Locale.ROOT,
                "%.2f / %.2f (%d, %d KB)",
                s.scrapeP50Millis,
                s.scrapeP99Millis,
                s.scrapes,
                s.scrapeBytes / 1000);
        return r.idle() == null
                ? during
                : during
                        + String.format(
                                Locale.ROOT, "; idle %.2f / %.2f", r.idle().scrapeP50Millis, r.idle().scrapeP99Millis);
    }

    /**
     * One column of a results table: its header, format and value side by side, so that they cannot drift apart.
     * {@code numeric} columns are right-aligned in the Markdown report.
     */
    private record Column(String header, String format, Function<Result, Object> value, boolean numeric) {
        static Column number(String header, String format, Function<Result, Object> value) {
            return new Column(header, format, value, true);
        }

        static Column text(String header, String format, Function<Result, Object> value) {
            return new Column(header, format, value, false);
        }

        String cell(Result r) {
            return String.format(Locale.ROOT, format, value.apply(r));
        }
    }

    /** The report's table of runs. */
    private static final List<Column> TABLE = List.of(
            Column.number("devices", "%,d", Result::devices),
            Column.text("approach", "%s", Result::approach),
            Column.number("wall s", "%.2f", r -> r.probe().wallSeconds),
            Column.number("Graph requests", "%.0f", Result::requests),
            Column.number("MB read", "%.1f", r -> r.bytes() / 1e6),
            Column.number("exporter CPU s", "%.2f", r -> r.probe().exporterCpuSeconds),
            Column.number("scan thread CPU s", "%.2f", r -> r.probe().scanThreadCpuSeconds),
            Column.number("GC+JIT CPU s", "%.2f", r -> r.probe().vmCpuSeconds),
            Column.number("simulator CPU s", "%.2f", r -> r.probe().simulatorCpuSeconds),
            Column.number("heap MB: live after GC / used peak (sampled) / pool peaks", "%s", Benchmark::heap),
            Column.number("/metrics p50 / p99 ms during collection (scrapes, size); idle", "%s", Benchmark::scrapes),
            Column.number("429s", "%.0f", Result::throttled),
            Column.number("budget wait s", "%.2f", Result::budgetWait),
            Column.text("result", "%s", r -> r.error() == null ? "ok" : r.error()));

    /** The same figures for machines: raw units, quoted text. */
    private static final List<Column> CSV = List.of(
            Column.number("devices", "%d", Result::devices),
            Column.text("approach", "\"%s\"", Result::approach),
            Column.number("wall_seconds", "%.3f", r -> r.probe().wallSeconds),
            Column.number("requests", "%.0f", Result::requests),
            Column.number("bytes", "%.0f", Result::bytes),
            Column.number("exporter_cpu_seconds", "%.3f", r -> r.probe().exporterCpuSeconds),
            Column.number("scan_thread_cpu_seconds", "%.3f", r -> r.probe().scanThreadCpuSeconds),
            Column.number("vm_cpu_seconds", "%.3f", r -> r.probe().vmCpuSeconds),
            Column.number("simulator_cpu_seconds", "%.3f", r -> r.probe().simulatorCpuSeconds),
            Column.number("live_heap_after_gc_bytes", "%d", r -> r.probe().maxLiveHeapAfterGc),
            Column.number("peak_heap_sampled_bytes", "%d", r -> r.probe().peakHeapSampled),
            Column.number("peak_heap_pools_bytes", "%d", r -> r.probe().peakHeapPools),
            Column.number("scrapes", "%d", r -> r.scrapes().scrapes),
            Column.number("scrape_p50_ms", "%.3f", r -> r.scrapes().scrapeP50Millis),
            Column.number("scrape_p99_ms", "%.3f", r -> r.scrapes().scrapeP99Millis),
            Column.number("scrape_max_ms", "%.3f", r -> r.scrapes().scrapeMaxMillis),
            Column.number("throttled", "%.0f", Result::throttled),
            Column.text(
                    "error", "\"%s\"", r -> r.error() == null ? "" : r.error().replace("\"", "'")));

    private static String markdownRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** Live heap after GC / sampled peak / pools' peaks, in MB. */
    private static String heap(Result r) {
        RunProbe p = r.probe();
        return String.format(
                Locale.ROOT,
                "%s / %.0f / %.0f",
                p.maxLiveHeapAfterGc == 0 ? "no GC" : String.format(Locale.ROOT, "%.0f", p.maxLiveHeapAfterGc / 1e6),
                p.peakHeapSampled / 1e6,
                p.peakHeapPools / 1e6);
    }

    static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(CSV.stream().map(Column::header).collect(Collectors.joining(",")))
                .append('\n');
        for (Result r : results) {
            sb.append(CSV.stream().map(c -> c.cell(r)).collect(Collectors.joining(",")))
                    .append(System.lineSeparator());
        }
        return sb.toString();
    }
}
