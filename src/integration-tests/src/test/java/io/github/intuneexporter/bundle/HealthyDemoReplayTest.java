package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 24 hours of the healthy demo tenant, replayed through every shipped rule by promtool: no alert fires at any hour.
 * The demo exporter runs every collector every {@value #STEP_MINUTES} minutes on a clock that moves on by as much
 * (the tenant evolves with it: compliance drifts, devices sync, enrollment failures arrive); each scrape becomes
 * {@value #STEP_MINUTES} minutes of samples, as Prometheus would have scraped them. promtool's time starts at 0, so the
 * replay starts at promtool time 1 d and every *_timestamp_seconds value is shifted by the same amount, keeping
 * {@code time() - timestamp} what it was; the alerts' {@code for:} durations (at most 2 h) fit many times into the day.
 */
class HealthyDemoReplayTest {
    private static final int STEP_MINUTES = 30;
    private static final int STEPS = 24 * 60 / STEP_MINUTES;
    private static final int SCRAPE_MINUTES = 5;

    @Test
    void noAlertFiresOnADayOfTheHealthyDemo(@TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        // The healthy demo's generator at 2000 devices (above every alert's minimum population); the throttle budget
        // and the simulator's limits pace by wall-clock time, which this replay does not spend, so both are off.
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(String.join(
                        "\n",
                        "intune.demo { devices = 2000, latency = 0s }",
                        "intune.graph.throttle-budget = 0",
                        "intune.simulator.enforce-limits = false")),
                true);
        DemoReplay replay;
        try (Exporter exporter = Exporter.create(settings, true, clock)) {
            replay = DemoReplay.record(exporter, clock, STEPS, STEP_MINUTES, SCRAPE_MINUTES, step -> {});
        }
        StringBuilder test = new StringBuilder(DemoReplay.header(SCRAPE_MINUTES));
        test.append("  - name: a day of the healthy demo tenant\n")
                .append("    interval: ")
                .append(SCRAPE_MINUTES)
                .append("m\n")
                .append(replay.inputSeries(STEPS, SCRAPE_MINUTES));
        test.append("    alert_rule_test:\n");
        for (int hour = 25; hour <= 48; hour++) {
            for (String alert : Bundle.alertNames()) {
                test.append("      - eval_time: ")
                        .append(hour)
                        .append("h\n        alertname: ")
                        .append(alert)
                        .append('\n');
            }
        }
        Path file = dir.resolve("healthy-demo.test.yml");
        Files.writeString(file, test);
        Tools.Result r = Tools.run(dir, 900, promtool.toString(), "test", "rules", file.toString());
        assertTrue(
                r.ok(),
                "alerts on the healthy demo tenant:\n"
                        + r.output().lines().limit(80).reduce("", (a, b) -> a + b + "\n"));
    }
}
