package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.TenantRuntime;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.scheduler.CollectionScheduler.CollectorStatus;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.TenantSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * {@code intune-exporter bench msp}: a managed-service provider's exporter, N simulated tenants of M devices in one
 * process (the simulated tenants share one in-process simulator server), one tenant in {@code graph-outage} and one in
 * {@code graph-throttling} for the whole run. Samples resident memory, heap, threads, full {@code /metrics} and single
 * {@code /probe} scrapes, and every tenant's data age against its interval, then stops the exporter and times it.
 */
public final class MspBenchmark {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -Xmx1g -jar intune-exporter-bench.jar msp [options]",
            "",
            "  --tenants N          simulated tenants (default 200)",
            "  --devices N          devices per tenant (default 5000)",
            "  --duration DURATION  how long the exporter runs (default 6m)",
            "  --interval DURATION  every collector's interval (intune.demo.interval, default 2m)",
            "  --latency DURATION   simulated Graph latency per request (default 20ms)",
            "  --out DIR            directory for the result file (default bench-results)",
            "  --set KEY=VALUE      any exporter or simulator setting, e.g. intune.collection.pool-size=32");

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
            Path out,
            List<String> sets) {}

    /** One sample of the running process. */
    record Sample(
            double atSeconds,
            long rssBytes,
            long heapBytes,
            int threads,
            int simulatorThreads,
            double metricsSeconds,
            long metricsGzipBytes,
            long metricsBytes,
            double probeP50,
            double probeMax,
            long probeBytes,
            int staleHealthy,
            double worstHealthyAgeRatio,
            String worstTenant) {}

    private MspBenchmark() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("intune-exporter bench msp: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (o == null) {
            out.println(USAGE);
            return 0;
        }
        try {
            return execute(o, out);
        } catch (Exception e) {
            err.println("intune-exporter bench msp: failed: " + e);
            return 1;
        }
    }

    static Options parse(String[] args) {
        Options o = new Options(
                200,
                5000,
                Duration.ofMinutes(6),
                Duration.ofMinutes(2),
                Duration.ofMillis(20),
                Path.of("bench-results"),
                new ArrayList<>());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--tenants" ->
                    o = new Options(
                            positives(value(args, ++i, a), a).get(0),
                            o.devices(),
                            o.duration(),
                            o.interval(),
                            o.latency(),
                            o.out(),
                            o.sets());
                case "--devices" ->
                    o = new Options(
                            o.tenants(),
                            positives(value(args, ++i, a), a).get(0),
                            o.duration(),
                            o.interval(),
                            o.latency(),
                            o.out(),
                            o.sets());
                case "--duration" ->
                    o = new Options(
                            o.tenants(),
                            o.devices(),
                            duration(value(args, ++i, a), a),
                            o.interval(),
                            o.latency(),
                            o.out(),
                            o.sets());
                case "--interval" ->
                    o = new Options(
                            o.tenants(),
                            o.devices(),
                            o.duration(),
                            duration(value(args, ++i, a), a),
                            o.latency(),
                            o.out(),
                            o.sets());
                case "--latency" ->
                    o = new Options(
                            o.tenants(),
                            o.devices(),
                            o.duration(),
                            o.interval(),
                            duration(value(args, ++i, a), a),
                            o.out(),
                            o.sets());
                case "--out" ->
                    o = new Options(
                            o.tenants(),
                            o.devices(),
                            o.duration(),
                            o.interval(),
                            o.latency(),
                            Path.of(value(args, ++i, a)),
                            o.sets());
                case "--set" -> o.sets().add(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (o.tenants() < 3) {
            throw new IllegalArgumentException(
                    "--tenants must be at least 3 (one in outage, one throttled, the others healthy)");
        }
        return o;
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static List<Integer> positives(String list, String option) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                int v = Integer.parseInt(s.trim().replace("_", ""));
                if (v < 1) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects positive whole numbers, got '" + s + "'");
            }
        }
        return out;
    }

    private static Duration duration(String s, String option) {
        try {
            return ConfigFactory.parseString("d = " + s).getDuration("d");
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(option + " expects a duration such as 90s or 5m, got '" + s + "'");
        }
    }

    private static int execute(Options o, PrintStream out) throws Exception {
        String machine = Benchmark.machine();
        out.println("intune-exporter bench msp: " + machine);
        com.typesafe.config.Config sets = ConfigFactory.empty();
        for (String set : o.sets()) {
            sets = io.github.intuneexporter.cli.SetFlag.parse(set, ConfigFactory.defaultReference())
                    .withFallback(sets);
        }
        String hocon = String.join(
                "\n",
                "intune.demo { tenants = " + o.tenants() + ", devices = " + o.devices() + ", interval = "
                        + o.interval().toMillis() + "ms,",
                "  latency = " + o.latency().toMillis() + "ms }",
                "intune.web.listen-address = \"127.0.0.1:0\"",
                // Every simulated tenant throttles at Intune's documented limits; the exporter keeps to its budget of
                // them.
                "intune.simulator.enforce-limits = true");
        ExporterSettings settings =
                SettingsLoader.load(Optional.empty(), sets.withFallback(ConfigFactory.parseString(hocon)), true);
        Clock clock = Clock.systemUTC();
        long createStart = System.nanoTime();
        Exporter exporter = Exporter.create(settings, true, clock);
        List<TenantRuntime> tenants = exporter.tenants();
        TenantRuntime outage = tenants.get(0);
        TenantRuntime throttled = tenants.get(1);
        // For the whole run: no normal phase before, no recovery within it.
        Duration incident = o.duration().multipliedBy(10);
        outage.simulator()
                .unwrap(TenantSimulator.class)
                .tenant()
                .play(ScenarioRun.start(Scenarios.GRAPH_OUTAGE, clock, Duration.ZERO, incident));
        throttled
                .simulator()
                .unwrap(TenantSimulator.class)
                .tenant()
                .play(ScenarioRun.start(Scenarios.GRAPH_THROTTLING, clock, Duration.ZERO, incident));
        exporter.start(settings.web());
        double startSeconds = (System.nanoTime() - createStart) / 1e9;
        out.printf(
                Locale.ROOT,
                "%d tenants of %d devices started in %.1f s; tenant %s in graph-outage, %s in graph-throttling%n",
                tenants.size(),
                o.devices(),
                startSeconds,
                outage.name(),
                throttled.name());
        String base = "http://127.0.0.1:" + exporter.port();
        long requestsAtStart = requests(tenants);
        long t0 = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        Duration every =
                Duration.ofSeconds(Math.max(10, Math.min(30, o.duration().toSeconds() / 12)));
        Duration warmUp =
                o.interval().plus(FRESHNESS_SLACK); // no data can be older than this before this much time has passed
        int probeIndex = 2;
        while (true) {
            double at = (System.nanoTime() - t0) / 1e9;
            Sample s = sample(
                    exporter,
                    base,
                    at,
                    at >= warmUp.toSeconds(),
                    tenants.get(2 + (probeIndex++ % (tenants.size() - 2))).name());
            samples.add(s);
            out.printf(
                    Locale.ROOT,
                    "  %5.0f s: RSS %4d MB, heap %4d MB, %3d threads (%d simulator), /metrics %.2f s (%d kB gzip, %d kB), "
                            + "/probe %.1f ms, healthy tenants past interval + 1 min: %s%n",
                    at,
                    s.rssBytes() >> 20,
                    s.heapBytes() >> 20,
                    s.threads(),
                    s.simulatorThreads(),
                    s.metricsSeconds(),
                    s.metricsGzipBytes() >> 10,
                    s.metricsBytes() >> 10,
                    s.probeP50() * 1000,
                    at >= warmUp.toSeconds() ? Integer.toString(s.staleHealthy()) : "(warming up)");
            if (at >= o.duration().toSeconds()) {
                break;
            }
            Thread.sleep(every.toMillis());
        }
        double runHours = (System.nanoTime() - t0) / 3.6e12;
        long graphRequests = requests(tenants) - requestsAtStart;
        String freshness = freshnessTable(tenants, outage, throttled, Instant.now(clock));
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
                startSeconds);
        out.println();
        out.println(report);
        Files.createDirectories(o.out());
        Path md = o.out()
                .resolve("msp-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                                .withZone(ZoneOffset.UTC)
                                .format(Instant.now()) + ".md");
        Files.writeString(md, report, StandardCharsets.UTF_8);
        out.println("written: " + md);
        return 0;
    }

    private static long requests(List<TenantRuntime> tenants) {
        return tenants.stream()
                .mapToLong(t -> t.simulator().unwrap(TenantSimulator.class).requestCount())
                .sum();
    }

    private static Sample sample(Exporter exporter, String base, double at, boolean judgeFreshness, String probeTenant)
            throws IOException {
        long rss = rssBytes();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Thread[] all = new Thread[Thread.activeCount() * 2 + 16];
        int n = Thread.enumerate(all);
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int simulator = (int) Arrays.stream(all, 0, n)
                .filter(t -> t.getName().startsWith("graph-simulator"))
                .count();
        long t = System.nanoTime();
        byte[][] metrics = get(base + exporter.settings().web().metricsPath(), true);
        double metricsSeconds = (System.nanoTime() - t) / 1e9;
        double[] probes = new double[21];
        long probeBytes = 0;
        for (int i = 0; i < probes.length; i++) {
            long p = System.nanoTime();
            probeBytes = get(base + "/probe?tenant=" + probeTenant, true)[1].length;
            probes[i] = (System.nanoTime() - p) / 1e9;
        }
        Arrays.sort(probes);
        int stale = 0;
        double worst = 0;
        String worstTenant = "";
        long now = System.currentTimeMillis();
        List<TenantRuntime> tenants = exporter.tenants();
        for (int i = 2; i < tenants.size(); i++) { // 0 and 1 are the outage and the throttled tenant
            double ratio = ageRatio(tenants.get(i).scheduler().status(), now);
            if (ratio > worst) {
                worst = ratio;
                worstTenant = tenants.get(i).name();
            }
            if (judgeFreshness && ratio > 1) {
                stale++;
            }
        }
        return new Sample(
                at,
                rss,
                heap,
                threads,
                simulator,
                metricsSeconds,
                metrics[0].length,
                metrics[1].length,
                probes[probes.length / 2],
                probes[probes.length - 1],
                probeBytes,
                stale,
                worst,
                worstTenant);
    }

    /** The tenant's oldest data as a share of what it may be (interval + 1 min); never-succeeded collectors count from the start. */
    private static double ageRatio(List<CollectorStatus> collectors, long nowMillis) {
        double worst = 0;
        for (CollectorStatus c : collectors) {
            long last = c.lastSuccessMillis();
            double age = last <= 0 ? Double.POSITIVE_INFINITY : (nowMillis - last) / 1000.0;
            if (last <= 0 && c.runs() == 0) {
                continue; // not due yet (startup stagger)
            }
            worst = Math.max(worst, age / (c.interval().toSeconds() + FRESHNESS_SLACK.toSeconds()));
        }
        return worst;
    }

    /** {compressed body, uncompressed body} of a GET asking for gzip. */
    private static byte[][] get(String url, boolean gzip) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        if (gzip) {
            c.setRequestProperty("Accept-Encoding", "gzip");
        }
        int status = c.getResponseCode();
        if (status != 200) {
            throw new IOException(url + " answered " + status);
        }
        byte[] raw;
        try (InputStream in = c.getInputStream()) {
            raw = in.readAllBytes();
        }
        byte[] plain = raw;
        if ("gzip".equals(c.getContentEncoding())) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                ByteArrayOutputStream o = new ByteArrayOutputStream();
                in.transferTo(o);
                plain = o.toByteArray();
            }
        }
        return new byte[][] {raw, plain};
    }

    private static long rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String freshnessTable(
            List<TenantRuntime> tenants, TenantRuntime outage, TenantRuntime throttled, Instant now) {
        StringBuilder sb = new StringBuilder(
                "| tenant | state | collectors succeeding | oldest data | allowed (interval + 1 min) |\n|---|---|---:|---:|---:|\n");
        List<TenantRuntime> shown = new ArrayList<>(List.of(outage, throttled));
        // The healthy tenant with the oldest data, and two others for reference.
        TenantRuntime worst = tenants.get(2);
        for (int i = 2; i < tenants.size(); i++) {
            if (ageRatio(tenants.get(i).scheduler().status(), now.toEpochMilli())
                    > ageRatio(worst.scheduler().status(), now.toEpochMilli())) {
                worst = tenants.get(i);
            }
        }
        shown.add(worst);
        if (worst != tenants.get(2)) {
            shown.add(tenants.get(2));
        }
        shown.add(tenants.get(tenants.size() - 1));
        for (TenantRuntime t : shown) {
            List<CollectorStatus> status = t.scheduler().status();
            long ok = status.stream().filter(CollectorStatus::lastSucceeded).count();
            long oldest = status.stream()
                    .mapToLong(c -> c.lastSuccessMillis() <= 0 ? -1 : now.toEpochMilli() - c.lastSuccessMillis())
                    .map(a -> a < 0 ? Long.MAX_VALUE : a)
                    .max()
                    .orElse(0);
            long allowed = status.stream()
                            .mapToLong(c -> c.interval().toSeconds())
                            .max()
                            .orElse(0)
                    + FRESHNESS_SLACK.toSeconds();
            String state = t == outage
                    ? "graph-outage"
                    : t == throttled ? "graph-throttling" : t == worst ? "healthy (oldest data)" : "healthy";
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d of %d | %s | %d s |%n",
                    t.name(),
                    state,
                    ok,
                    status.size(),
                    oldest == Long.MAX_VALUE ? "never succeeded" : (oldest / 1000) + " s",
                    allowed));
        }
        return sb.toString();
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
            double startSeconds) {
        long rss = samples.stream().mapToLong(Sample::rssBytes).max().orElse(0);
        long heap = samples.stream().mapToLong(Sample::heapBytes).max().orElse(0);
        int threads = samples.stream().mapToInt(Sample::threads).max().orElse(0);
        int simulatorThreads =
                samples.stream().mapToInt(Sample::simulatorThreads).max().orElse(0);
        double metrics =
                samples.stream().mapToDouble(Sample::metricsSeconds).max().orElse(0);
        double metricsMedian = samples.stream()
                .mapToDouble(Sample::metricsSeconds)
                .sorted()
                .skip(samples.size() / 2)
                .findFirst()
                .orElse(0);
        long gzip = samples.get(samples.size() - 1).metricsGzipBytes();
        long plain = samples.get(samples.size() - 1).metricsBytes();
        double probeP50 = samples.stream()
                .mapToDouble(Sample::probeP50)
                .sorted()
                .skip(samples.size() / 2)
                .findFirst()
                .orElse(0);
        double probeMax = samples.stream().mapToDouble(Sample::probeMax).max().orElse(0);
        long probeBytes = samples.get(samples.size() - 1).probeBytes();
        List<Sample> judged = samples.stream()
                .filter(s -> s.atSeconds() >= warmUp.toSeconds())
                .toList();
        int staleMax = judged.stream().mapToInt(Sample::staleHealthy).max().orElse(-1);
        double worstRatio =
                judged.stream().mapToDouble(Sample::worstHealthyAgeRatio).max().orElse(Double.NaN);
        StringBuilder sb = new StringBuilder("# intune-exporter MSP benchmark\n\n");
        sb.append("Machine: ")
                .append(machine)
                .append(". Load average at the end: ")
                .append(String.format(
                        Locale.ROOT,
                        "%.2f",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(".\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "%d simulated tenants of %,d devices in one process for %s (every collector every %s, "
                        + "simulated Graph latency %d ms, Intune's documented throttling limits enforced); tenant %s in graph-outage and "
                        + "%s in graph-throttling for the whole run. The simulator runs in the same JVM (its heap and its %d threads "
                        + "are in the figures). Start-up (building %d tenants): %.1f s.%s%n%n",
                o.tenants(),
                o.devices(),
                o.duration(),
                o.interval(),
                o.latency().toMillis(),
                outage,
                throttled,
                simulatorThreads,
                o.tenants(),
                startSeconds,
                o.sets().isEmpty() ? "" : " Settings: " + o.sets() + "."));
        sb.append("| figure | measured (worst sample) | target | met |\n|---|---:|---:|---|\n");
        sb.append(String.format(
                Locale.ROOT,
                "| resident memory (RSS) | %d MB | < 1024 MB | %s |%n",
                rss >> 20,
                verdict(rss > 0 && rss < RSS_LIMIT_BYTES)));
        sb.append(String.format(Locale.ROOT, "| heap used | %d MB | (-Xmx) | |%n", heap >> 20));
        sb.append(String.format(
                Locale.ROOT,
                "| threads (JVM total, simulator included) | %d | < %d | %s |%n",
                threads,
                THREAD_LIMIT,
                verdict(threads < THREAD_LIMIT)));
        sb.append(String.format(
                Locale.ROOT,
                "| healthy tenants with data older than interval + 1 min (after %s) | %d of %d (oldest: %.0f%% of the "
                        + "allowance) | 0 | %s |%n",
                warmUp,
                staleMax,
                o.tenants() - 2,
                worstRatio * 100,
                verdict(staleMax == 0)));
        sb.append(String.format(
                Locale.ROOT,
                "| full /metrics (gzip) | %.2f s (median %.2f s); %,d kB gzip, %,d kB text | < 2 s | %s |%n",
                metrics,
                metricsMedian,
                gzip >> 10,
                plain >> 10,
                verdict(metrics < METRICS_LIMIT_SECONDS)));
        sb.append(String.format(
                Locale.ROOT,
                "| /probe one tenant (gzip) | median %.1f ms, worst %.1f ms; %,d kB text | < 50 ms | %s |%n",
                probeP50 * 1000,
                probeMax * 1000,
                probeBytes >> 10,
                verdict(probeMax < PROBE_LIMIT_SECONDS)));
        sb.append(String.format(
                Locale.ROOT,
                "| Graph requests per hour per tenant (all tenants' average) | %,.0f | | |%n",
                requestsPerHourPerTenant));
        sb.append(String.format(
                Locale.ROOT,
                "| clean shutdown | %.2f s | < 10 s | %s |%n",
                shutdownSeconds,
                verdict(shutdownSeconds < SHUTDOWN_LIMIT_SECONDS)));
        sb.append("\nData age at the end of the run:\n\n").append(freshness);
        sb.append(
                "\nSamples:\n\n| at | RSS MB | heap MB | threads | /metrics s | /probe ms | healthy tenants stale |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %.0f s | %d | %d | %d | %.2f | %.1f | %s |%n",
                    s.atSeconds(),
                    s.rssBytes() >> 20,
                    s.heapBytes() >> 20,
                    s.threads(),
                    s.metricsSeconds(),
                    s.probeP50() * 1000,
                    s.atSeconds() >= warmUp.toSeconds() ? Integer.toString(s.staleHealthy()) : "warming up"));
        }
        return sb.toString();
    }
}
