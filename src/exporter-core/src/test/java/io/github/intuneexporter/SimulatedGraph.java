package io.github.intuneexporter;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Test fixture: a tenant simulator plus a real Graph SDK connection to it, the way demo mode wires them.
 * Collector tests read through this and compare with the tenant's ground truth.
 */
public final class SimulatedGraph implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    public static final String TOKEN = "test-token";

    public final SimulatedTenant tenant;
    public final TenantSimulator simulator;
    public final GraphConnection connection;
    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final GraphRequestMetrics requestMetrics = new GraphRequestMetrics(registry);
    public final ExporterSettings settings;

    private SimulatedGraph(SimulatedTenant tenant, String hocon) throws IOException {
        this.tenant = tenant;
        this.simulator = TenantSimulator.start(tenant, TOKEN);
        // The fixture's simulator enforces no throttling limits, so the exporter's throttle budget would only slow the
        // tests down; it is off unless a test sets it (ThrottleBudgetTest covers it; the demo runs with the default).
        this.settings = SettingsLoader.load(ConfigFactory.parseString(hocon)
                .withFallback(SettingsLoader.parseString("intune.graph.base-url = \"" + simulator.baseUrl() + "\"\n"
                        + "intune.graph.throttle-budget = 0")));
        this.connection = GraphConnection.open(settings.graph(), Credentials.staticToken(TOKEN), requestMetrics);
    }

    /** A fixed clock, so generated tenants and sync ages are the same in every run. */
    public static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    public static SimulatedGraph start(int devices, long seed) throws IOException {
        return start(new SimulatedTenant(seed, devices, fixedClock(), Duration.ofMinutes(1)), "");
    }

    /** {@code hocon} overrides settings, e.g. "intune.graph.page-size = 100". */
    public static SimulatedGraph start(SimulatedTenant tenant, String hocon) throws IOException {
        return new SimulatedGraph(tenant, hocon);
    }

    public GraphApi api() {
        return connection.api();
    }

    /**
     * Closes the connection and the simulator, and fails the test when the simulator saw a request Graph's published
     * contract refuses or sent a response that does not fit it. A test that sends an invalid request on purpose
     * calls {@code simulator.clearContractFindings()} after checking the answer.
     */
    @Override
    public void close() {
        // Requests are ours: they must always fit. Responses must fit too, unless the tenant plays odd values on
        // purpose (enum members newer than the metadata, casing variants), which is off the published contract by
        // design.
        java.util.List<String> findings = simulator.contractFindings().stream()
                .filter(f -> tenant.oddValues() == 0 || f.startsWith("request refused"))
                .toList();
        connection.close();
        simulator.close();
        if (!findings.isEmpty()) {
            throw new AssertionError("Graph contract findings on the simulator: " + findings);
        }
    }

    /**
     * The expected operating_system label of a simulated device's wire string, written out here rather than reusing
     * the collectors' normalisation, so tests check it independently.
     */
    public static String expectedOs(String raw) {
        if (raw == null) {
            return "unknown";
        }
        return switch (raw) {
            case "Windows" -> "windows";
            case "iOS" -> "ios";
            case "iPadOS" -> "ipados";
            case "Android" -> "android";
            case "macOS" -> "macos";
            case "Linux" -> "linux";
            default -> "unknown";
        };
    }

    /** Prometheus text format of a registry. */
    public static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The value of one series, or NaN when it is absent. Labels are given as name, value, name, value... */
    public static double value(MetricSnapshots snapshots, String name, String... labels) {
        Labels wanted = Labels.of(labels);
        for (MetricSnapshot s : snapshots) {
            String n = s.getMetadata().getPrometheusName();
            if (!n.equals(name) && !(n + "_total").equals(name)) {
                continue;
            }
            for (DataPointSnapshot d : s.getDataPoints()) {
                if (d.getLabels().equals(wanted)) {
                    if (d instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                        return g.getValue();
                    }
                    if (d instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                        return c.getValue();
                    }
                }
            }
        }
        return Double.NaN;
    }

    /** Sum of all series of a family (0 when absent). */
    public static double sum(MetricSnapshots snapshots, String name) {
        return sum(snapshots, name, new String[0]);
    }

    /** The distinct values of one label in a family, in order of appearance. */
    public static java.util.List<String> labelValues(MetricSnapshots snapshots, String name, String label) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                s.getDataPoints().forEach(d -> out.add(d.getLabels().get(label)));
            }
        }
        return java.util.List.copyOf(out);
    }

    /** Sum of the series of a family that carry the given labels (name, value, ...), whatever their other labels. */
    public static double sum(MetricSnapshots snapshots, String name, String... labels) {
        double total = 0;
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                for (DataPointSnapshot d : s.getDataPoints()) {
                    boolean match = true;
                    for (int i = 0; i + 1 < labels.length; i += 2) {
                        match &= labels[i + 1].equals(d.getLabels().get(labels[i]));
                    }
                    if (!match) {
                        continue;
                    }
                    if (d instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
                        total += g.getValue();
                    } else if (d instanceof CounterSnapshot.CounterDataPointSnapshot c) {
                        total += c.getValue();
                    }
                }
            }
        }
        return total;
    }

    /** Number of series of a family. */
    public static int seriesCount(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot s : snapshots) {
            if (s.getMetadata().getPrometheusName().equals(name)) {
                return s.getDataPoints().size();
            }
        }
        return 0;
    }
}
