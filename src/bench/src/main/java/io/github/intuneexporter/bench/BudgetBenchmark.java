package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.cli.SetFlag;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.graph.IntuneThrottleBucket;
import io.github.intuneexporter.graph.RunRequests;
import io.github.intuneexporter.graph.ThrottleBudget;
import io.github.intuneexporter.scheduler.GraphBudget;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code intune-exporter bench budget}: what the default configuration costs one tenant in Graph requests per hour, per
 * collector and per Intune throttling bucket, at several tenant sizes, against Intune's documented per-tenant limits
 * (the same table the exporter's throttle budget uses). Each collector runs once, exactly as the exporter runs it (and
 * its prompt follow-up, when it asks for one), against a simulated tenant; its requests are counted per bucket and
 * scaled to its default interval.
 */
public final class BudgetBenchmark {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -Xmx1g -jar intune-exporter-bench.jar budget [options]",
            "",
            "  --sizes N,N,...   tenant sizes (default 5000,100000,1000000)",
            "  --out DIR         directory for the result file (default bench-results)",
            "  --set KEY=VALUE   any exporter setting, e.g. intune.collectors.devices.interval=1h",
            "  --seed N          tenant seed (default 42)");

    /** One collector's cost at one size. */
    record Cost(
            String collector, Duration interval, Map<IntuneThrottleBucket, Long> perRun, long allPerRun, String error) {
        /** All requests per hour, Intune buckets or not (service health reads Service Communications). */
        double perHour() {
            return allPerRun * 3600_000.0 / interval.toMillis();
        }
    }

    private BudgetBenchmark() {}

    record Options(List<Integer> sizes, Path dir, List<String> sets, long seed) {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return BenchArgs.run(
                "intune-exporter bench budget", USAGE, args, out, err, BudgetBenchmark::parse, o -> execute(o, out));
    }

    static Options parse(String[] args) {
        List<Integer> sizes = List.of(5_000, 100_000, 1_000_000);
        Path dir = Path.of("bench-results");
        List<String> sets = new ArrayList<>();
        long seed = 42;
        BenchArgs.Cursor c = new BenchArgs.Cursor(args);
        while (c.next()) {
            switch (c.option()) {
                case "--sizes" -> sizes = c.positives();
                case "--out" -> dir = Path.of(c.value());
                case "--set" -> sets.add(c.value());
                case "--seed" -> seed = c.positive();
                default -> throw c.unknown();
            }
        }
        return new Options(sizes, dir, sets, seed);
    }

    private static int execute(Options o, PrintStream out) throws Exception {
        out.println("intune-exporter bench budget: " + Benchmark.machine());
        Map<Integer, List<Cost>> bySize = new LinkedHashMap<>();
        for (int size : o.sizes()) {
            out.println("tenant of " + size + " devices ...");
            bySize.put(size, measure(size, o.seed(), o.sets(), out));
        }
        String report = report(bySize);
        BenchArgs.publish(out, report, o.dir(), "budget", null);
        return bySize.values().stream().flatMap(List::stream).allMatch(c -> c.error() == null) ? 0 : 1;
    }

    private static List<Cost> measure(int size, long seed, List<String> sets, PrintStream out) throws Exception {
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        com.typesafe.config.Config overrides = ConfigFactory.empty();
        for (String set : sets) {
            overrides = SetFlag.parse(set, ConfigFactory.defaultReference()).withFallback(overrides);
        }
        List<Cost> costs = new ArrayList<>();
        try (TenantSimulator simulator =
                TenantSimulator.start(new SimulatedTenant(seed, size, clock, Duration.ofHours(1)), Benchmark.TOKEN)) {
            ExporterSettings settings = SettingsLoader.load(overrides.withFallback(
                    SettingsLoader.parseString("intune.graph.base-url = \"" + simulator.baseUrl() + "\"")));
            // No waiting for the exporter's own throttle budget: what is counted is requests, not time.
            try (GraphConnection graph = GraphConnection.open(
                    settings.graph(),
                    Credentials.staticToken(Benchmark.TOKEN),
                    new GraphRequestMetrics(new PrometheusRegistry()),
                    ThrottleBudget.documented(0, null))) {
                for (IntuneCollector c : CollectorFactory.create(settings, graph.api(), clock, null)) {
                    if (c.interval().isZero()) {
                        continue;
                    }
                    Map<IntuneThrottleBucket, Long> perRun = new EnumMap<>(IntuneThrottleBucket.class);
                    String error = null;
                    long before = simulator.requestCount();
                    try {
                        runCounted(c, perRun);
                        if (c.nextDelay()
                                .isZero()) { // a follow-up run belongs to the same cycle (protection's per-device
                            // reads)
                            runCounted(c, perRun);
                        }
                    } catch (Exception e) {
                        error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    }
                    Cost cost = new Cost(c.name(), c.interval(), perRun, simulator.requestCount() - before, error);
                    costs.add(cost);
                    out.printf(
                            Locale.ROOT,
                            "  %-14s %6d requests per run, every %s: %9.0f per hour%s%n",
                            c.name(),
                            cost.allPerRun(),
                            c.interval(),
                            cost.perHour(),
                            error == null ? "" : " (failed: " + error + ")");
                }
            }
        }
        return costs;
    }

    private static void runCounted(IntuneCollector c, Map<IntuneThrottleBucket, Long> into) throws Exception {
        RunRequests.begin();
        try {
            c.collect();
        } finally {
            RunRequests.end().forEach((b, n) -> into.merge(b, n, Long::sum));
        }
    }

    static String report(Map<Integer, List<Cost>> bySize) {
        StringBuilder sb = new StringBuilder("# intune-exporter Graph budget\n\n");
        sb.append("Machine: ").append(Benchmark.machine()).append(".\n\n");
        sb.append(
                        "Requests per hour one tenant costs with the default collector intervals, per collector, measured on the simulator ")
                .append("(one run, plus its prompt follow-up when it asks for one; retries would count too).\n\n");
        List<Integer> sizes = List.copyOf(bySize.keySet());
        collectorTable(sb, bySize, sizes);
        sb.append(
                        "\n\nPer Intune throttling bucket: requests per hour, and their share of Intune's documented per-app, per-tenant limit ")
                .append(
                        "(the exporter keeps under intune.collection.graph-budget-share, default 10%). Service health reads ")
                .append(
                        "/admin/serviceAnnouncement, under the Service Communications limits (240 per minute), not an Intune bucket.");
        bucketTable(sb, bySize, sizes);
        return sb.toString();
    }

    /** Requests per run and per hour of each collector and in total, a column per tenant size. */
    private static void collectorTable(StringBuilder sb, Map<Integer, List<Cost>> bySize, List<Integer> sizes) {
        sb.append("| collector | interval |");
        sizes.forEach(s ->
                sb.append(" ").append(String.format(Locale.ROOT, "%,d", s)).append(" devices: per run / per hour |"));
        sb.append("\n|---|---|");
        sizes.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        List<Cost> first = bySize.get(sizes.get(0));
        for (int i = 0; i < first.size(); i++) {
            Cost c0 = first.get(i);
            sb.append("| ")
                    .append(c0.collector())
                    .append(" | ")
                    .append(c0.interval().toMinutes())
                    .append(" min |");
            for (int size : sizes) {
                Cost c = bySize.get(size).get(i);
                long perRun = c.allPerRun();
                sb.append(String.format(
                        Locale.ROOT, " %,d / %,.0f%s |", perRun, c.perHour(), c.error() == null ? "" : " (failed)"));
            }
            sb.append('\n');
        }
        sb.append("| **total** | |");
        for (int size : sizes) {
            long perRun = bySize.get(size).stream().mapToLong(Cost::allPerRun).sum();
            double perHour =
                    bySize.get(size).stream().mapToDouble(Cost::perHour).sum();
            sb.append(String.format(Locale.ROOT, " %,d / **%,.0f** |", perRun, perHour));
        }
    }

    /** Requests per hour of each Intune throttling bucket and their share of its documented limit, per tenant size. */
    private static void bucketTable(StringBuilder sb, Map<Integer, List<Cost>> bySize, List<Integer> sizes) {
        sb.append("\n\n| bucket | documented limit per hour |");
        sizes.forEach(
                s -> sb.append(" ").append(String.format(Locale.ROOT, "%,d", s)).append(" devices |"));
        sb.append("\n|---|---:|");
        sizes.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        for (IntuneThrottleBucket b : IntuneThrottleBucket.values()) {
            sb.append("| ")
                    .append(b.label())
                    .append(String.format(Locale.ROOT, " | %,.0f |", GraphBudget.documentedPerHour(b)));
            for (int size : sizes) {
                Map<String, Duration> intervals = new LinkedHashMap<>();
                Map<String, Map<IntuneThrottleBucket, Long>> perRun = new LinkedHashMap<>();
                bySize.get(size).forEach(c -> {
                    intervals.put(c.collector(), c.interval());
                    perRun.put(c.collector(), c.perRun());
                });
                double rate = GraphBudget.perHour(intervals, perRun).getOrDefault(b, 0.0);
                sb.append(String.format(
                        Locale.ROOT, " %,.0f (%.2f%%) |", rate, 100 * rate / GraphBudget.documentedPerHour(b)));
            }
            sb.append('\n');
        }
    }
}
