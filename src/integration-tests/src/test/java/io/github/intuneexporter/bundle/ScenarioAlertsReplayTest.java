package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.Scenario;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The change-awareness scenarios, replayed through every shipped rule by promtool ({@link DemoReplay}): the demo exporter
 * plays the scenario (30 minutes normal, then the incident for its default length, started and ended by the test, then recovered), and the scenario's alert must fire
 * before the incident ends and be gone two hours after recovery. promtool's time 0 is Thursday 00:00 UTC and the
 * recording starts one day later, so the whole replay lies in the night: outside the default working hours, as the
 * admin-change-burst alert needs.
 */
class ScenarioAlertsReplayTest {
    private static final int STEP_MINUTES = 5;
    private static final int NORMAL_STEPS = 6;
    private static final int AFTER_STEPS = 24;

    @ParameterizedTest
    @ValueSource(
            strings = {"subscription-warning", "certificates-expiring", "grace-period-ending", "admin-change-burst"})
    void theScenariosAlertFiresAndResolves(String name, @TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        Scenario scenario = Scenarios.byName(name).orElseThrow();
        int incidentSteps = (int) (scenario.incidentLength().toMinutes() / STEP_MINUTES);
        int steps = NORMAL_STEPS + incidentSteps + AFTER_STEPS;
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(String.join(
                        "\n",
                        "intune.demo { devices = 2000, latency = 0s }",
                        "intune.graph.throttle-budget = 0",
                        "intune.simulator.enforce-limits = false",
                        "intune.demo.scenario { name = \"" + name + "\", normal = 10h }")),
                true);
        DemoReplay replay;
        try (Exporter exporter = Exporter.create(settings, true, clock)) {
            ScenarioRun run = exporter.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario();
            replay = DemoReplay.record(exporter, clock, steps, STEP_MINUTES, STEP_MINUTES, step -> {
                if (step == NORMAL_STEPS) {
                    run.startIncident();
                } else if (step == NORMAL_STEPS + incidentSteps) {
                    run.recover();
                }
            });
        }
        long start = DemoReplay.START_OFFSET.toMinutes();
        long incidentEnd = start + (long) (NORMAL_STEPS + incidentSteps) * STEP_MINUTES;
        StringBuilder test = new StringBuilder(DemoReplay.header(STEP_MINUTES));
        test.append("  - name: ")
                .append(name)
                .append("\n    interval: ")
                .append(STEP_MINUTES)
                .append("m\n")
                .append(replay.inputSeries(steps, STEP_MINUTES))
                .append("    promql_expr_test:\n");
        for (String alert : scenario.alerts()) {
            String firing = "count(ALERTS{alertname=\"" + alert + "\", alertstate=\"firing\"}) > bool 0";
            // quiet before the incident, firing at its end, resolved two hours after recovery
            expect(test, firing, start + (long) NORMAL_STEPS * STEP_MINUTES - STEP_MINUTES, null);
            expect(test, firing, incidentEnd - STEP_MINUTES, "1");
            expect(test, firing, incidentEnd + (long) AFTER_STEPS * STEP_MINUTES - STEP_MINUTES, null);
        }
        Path file = dir.resolve(name + ".test.yml");
        Files.writeString(file, test);
        Tools.Result r = Tools.run(dir, 600, promtool.toString(), "test", "rules", file.toString());
        assertTrue(r.ok(), name + ":\n" + r.output().lines().limit(60).reduce("", (a, b) -> a + b + "\n"));
    }

    /** An instant query at {@code minutes}: one sample {@code value}, or no sample at all (null). */
    private static void expect(StringBuilder test, String expr, long minutes, String value) {
        test.append("      - expr: '")
                .append(expr.replace("'", "''"))
                .append("'\n        eval_time: ")
                .append(minutes)
                .append("m\n")
                .append("        exp_samples:\n");
        if (value == null) {
            test.setLength(test.length() - "        exp_samples:\n".length());
            test.append("        exp_samples: []\n");
        } else {
            test.append("          - labels: '{}'\n            value: ")
                    .append(value)
                    .append('\n');
        }
    }
}
