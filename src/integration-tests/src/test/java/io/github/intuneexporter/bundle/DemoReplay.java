package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Records a demo exporter's /metrics as promtool input series: every collector runs once per step on a clock that moves
 * on by the step, and each scrape becomes the step's samples. promtool's time starts at 0, so the recording starts at
 * promtool time {@link #START_OFFSET} and every *_timestamp_seconds value is shifted by the same amount, keeping
 * {@code time() - timestamp} what it was. Used by HealthyDemoReplayTest and ScenarioAlertsReplayTest.
 */
final class DemoReplay {
    /** promtool time of the first recorded step: one day, so that 1h and 1d look-backs start empty, not negative. */
    static final Duration START_OFFSET = Duration.ofDays(1);

    private final Map<String, List<String>> series = new LinkedHashMap<>();
    private final int samplesPerStep;

    private DemoReplay(int samplesPerStep) {
        this.samplesPerStep = samplesPerStep;
    }

    /**
     * Runs {@code steps} steps of {@code stepMinutes}, each recorded as {@code stepMinutes / scrapeMinutes} samples;
     * {@code beforeStep} is called with the step number before its collectors run (to start or end a scenario).
     */
    static DemoReplay record(
            Exporter exporter,
            MovableClock clock,
            int steps,
            int stepMinutes,
            int scrapeMinutes,
            IntConsumer beforeStep)
            throws Exception {
        DemoReplay replay = new DemoReplay(stepMinutes / scrapeMinutes);
        long shift = clock.instant().getEpochSecond() - START_OFFSET.toSeconds();
        for (int step = 0; step < steps; step++) {
            beforeStep.accept(step);
            for (String collector : exporter.scheduler().enabled()) {
                assertTrue(
                        exporter.scheduler().runNow(collector),
                        collector + ": " + exporter.scheduler().lastError(collector));
            }
            for (String line : SimulatedGraph.scrape(exporter.registry()).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String name = line.substring(0, space);
                double value = Double.parseDouble(line.substring(space + 1));
                String metric = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
                if (metric.endsWith("_timestamp_seconds") && value > 0) {
                    value -= shift;
                }
                List<String> values = replay.series.computeIfAbsent(withTargetLabels(name), k -> new ArrayList<>());
                while (values.size() < step) {
                    values.add("_x" + (replay.samplesPerStep - 1)); // a series that appeared later
                }
                values.add(number(value) + "x" + (replay.samplesPerStep - 1));
            }
            clock.advance(Duration.ofMinutes(stepMinutes));
        }
        return replay;
    }

    /** promtool's input_series block (indented for a test entry), with {@code up} of the exporter for the whole recording. */
    String inputSeries(int steps, int scrapeMinutes) {
        StringBuilder test = new StringBuilder("    input_series:\n");
        String before = "_x" + (START_OFFSET.toMinutes() / scrapeMinutes - 1);
        Map<String, List<String>> all = new LinkedHashMap<>(series);
        all.put("up{job=\"intune-exporter\", instance=\"demo:9786\"}", List.of("1x" + (steps * samplesPerStep)));
        for (Map.Entry<String, List<String>> e : all.entrySet()) {
            test.append("      - series: '")
                    .append(e.getKey().replace("'", "''"))
                    .append("'\n        values: '")
                    .append(before)
                    .append(' ')
                    .append(String.join(" ", e.getValue()))
                    .append("'\n");
        }
        return test.toString();
    }

    /** The labels Prometheus adds when it scrapes the demo with the shipped configuration (job, instance, tenant). */
    private static String withTargetLabels(String name) {
        String metric = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
        String labels = name.contains("{") ? name.substring(name.indexOf('{') + 1, name.length() - 1) : "";
        String tenant = labels.contains("tenant=") || !metric.startsWith("intune_") ? "" : ",tenant=\"default\"";
        return metric + "{job=\"intune-exporter\",instance=\"demo:9786\"" + tenant
                + (labels.isEmpty() ? "" : "," + labels) + "}";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The rule_files and evaluation header of a promtool test file over every shipped rule file. */
    static String header(int scrapeMinutes) {
        StringBuilder test = new StringBuilder("rule_files:\n");
        for (java.nio.file.Path f : Bundle.ruleFiles()) {
            test.append("  - ").append(f.toAbsolutePath()).append('\n');
        }
        return test.append("evaluation_interval: ")
                .append(scrapeMinutes)
                .append("m\ntests:\n")
                .toString();
    }
}
