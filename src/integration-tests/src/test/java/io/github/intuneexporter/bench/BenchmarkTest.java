package io.github.intuneexporter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.DeviceInventoryCollector;
import io.github.intuneexporter.collector.DeviceTally;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.simulator.SimulatedTenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter's streaming scans against the straightforward SDK approach, on the same simulated tenant. */
class BenchmarkTest {
    private static final List<Integer> STALE_DAYS = List.of(1, 7, 14, 30, 90);

    private static Map<String, Double> baseline(SimulatedGraph g) throws Exception {
        DeviceTally tally = new DeviceTally(STALE_DAYS, SimulatedGraph.NOW.getEpochSecond());
        BaselineScan.run(new com.microsoft.graph.serviceclient.GraphServiceClient(g.connection.adapter()), tally);
        return Benchmark.deviceSeries(tally.snapshot(EnumSet.allOf(DeviceTally.Family.class)));
    }

    private static Map<String, Double> exporter(
            SimulatedGraph g, int concurrency, CollectorSettings.DeviceSource source) throws Exception {
        return Benchmark.deviceSeries(new DeviceInventoryCollector(
                        g.api(),
                        SimulatedGraph.fixedClock(),
                        new CollectorSettings.Devices(
                                Duration.ofMinutes(15),
                                STALE_DAYS,
                                concurrency,
                                source,
                                Duration.ofMillis(10),
                                Duration.ofMinutes(1)))
                .collect());
    }

    @Test
    void everyStreamingPathCountsExactlyWhatTheSdkBaselineCounts() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(31, 4321, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 250")) {
            Map<String, Double> sdk = baseline(g);
            assertEquals(
                    4321,
                    sdk.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("intune_managed_devices{"))
                            .mapToDouble(Map.Entry::getValue)
                            .sum(),
                    0.0);
            assertEquals(sdk, exporter(g, 1, CollectorSettings.DeviceSource.GRAPH_LIST));
            assertEquals(sdk, exporter(g, 3, CollectorSettings.DeviceSource.GRAPH_LIST));
            Map<String, Double> sdkSubset = new TreeMap<>(sdk);
            sdkSubset
                    .keySet()
                    .removeIf(k -> !k.startsWith("intune_managed_devices{") && !k.startsWith("intune_stale_devices{"));
            assertEquals(iPadsAsIos(sdkSubset), exporter(g, 1, CollectorSettings.DeviceSource.EXPORT_JOB));
        }
    }

    /** Microsoft's export reports name iPads' platform iOS/iPadOS: the export path counts them as ios (docs/metrics.md). */
    private static Map<String, Double> iPadsAsIos(Map<String, Double> series) {
        Map<String, Double> out = new TreeMap<>();
        series.forEach((k, v) ->
                out.merge(k.replace("operating_system=\"ipados\"", "operating_system=\"ios\""), v, Double::sum));
        return out;
    }

    @Test
    void theSdkLosesEnumValuesItDoesNotKnowTheExporterDoesNot() throws Exception {
        // PascalCase spellings: the SDK's exact-case enum parsing turns them into null, the exporter reads them right.
        SimulatedTenant tenant = new SimulatedTenant(31, 2000, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.2);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            Map<String, Double> sdk = baseline(g);
            Map<String, Double> ours = exporter(g, 1, CollectorSettings.DeviceSource.GRAPH_LIST);
            assertNotEquals(sdk, ours);
            long[] pascalCompliant = {0};
            tenant.forEachDevice(d -> pascalCompliant[0] += d.complianceState().equals("Compliant") ? 1 : 0);
            assertTrue(pascalCompliant[0] > 0);
            double oursCompliant = ours.entrySet().stream()
                    .filter(e -> e.getKey().contains("compliance_state=\"compliant\""))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
            double sdkCompliant = sdk.entrySet().stream()
                    .filter(e -> e.getKey().contains("compliance_state=\"compliant\""))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
            assertEquals(pascalCompliant[0], oursCompliant - sdkCompliant, 0.0);
        }
    }

    @Test
    void theBenchCommandWritesItsReport(@TempDir Path out) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = Benchmark.run(
                new String[] {"--sizes", "3000", "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                System.err);
        String text = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("| 3,000 | exporter |"), text);
        assertTrue(text.contains("counts equal to the baseline's: yes"), text);
        try (var files = Files.list(out)) {
            List<Path> written = files.toList();
            assertEquals(2, written.size(), written.toString());
            assertTrue(written.stream().anyMatch(p -> p.toString().endsWith(".csv")));
        }
    }
}
