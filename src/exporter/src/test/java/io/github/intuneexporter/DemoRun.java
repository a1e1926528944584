package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Optional;

/**
 * One run of every enabled collector of the demo exporter for a fixed seed and clock, shared by the tests that read
 * the demo's whole /metrics (the golden file, the names dashboards and rules use): a demo run costs seconds, and they
 * need the same one.
 *
 * @param text the exposition as scraped
 * @param snapshots the registry's families, including those without series yet
 */
public record DemoRun(String text, MetricSnapshots snapshots) {
    private static DemoRun once;

    /** The run, made on first use. */
    public static synchronized DemoRun get() throws Exception {
        if (once == null) {
            once = run();
        }
        return once;
    }

    private static DemoRun run() throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.demo { devices = 600, seed = 7, odd-values = 0.02, latency = 0s }"),
                true);
        try (Exporter exporter = Exporter.create(settings, true, SimulatedGraph.fixedClock())) {
            for (String collector : exporter.scheduler().enabled()) {
                assertTrue(
                        exporter.scheduler().runNow(collector),
                        collector + ": " + exporter.scheduler().lastError(collector));
            }
            return new DemoRun(
                    SimulatedGraph.scrape(exporter.registry()),
                    exporter.registry().scrape());
        }
    }
}
