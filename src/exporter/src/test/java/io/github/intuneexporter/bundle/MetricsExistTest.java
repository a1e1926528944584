package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.intuneexporter.DemoRun;
import io.github.intuneexporter.bundle.Bundle.Rule;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every metric a dashboard or rule uses is exported by the real exporter in demo mode, so that no panel or alert
 * silently watches a name that does not exist. Recording-rule names (level:metric:operations) are checked
 * against the rules instead. Every label matcher and grouping label they put on an exporter metric names a label it
 * has and, for {@code label="value"}, a value it exports: a misspelt one does not fail in Prometheus, the selector
 * matches nothing, a panel shows "No data" and an alert never fires.
 */
class MetricsExistTest {
    /** Series Prometheus itself makes. */
    private static final Set<String> PROMETHEUS_SERIES =
            Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE");

    @Test
    void everyMetricUsedExistsInDemoMode() throws Exception {
        Map<String, Set<String>> usedBy = new TreeMap<>();
        Set<String> recorded = new TreeSet<>();
        for (Rule r : Bundle.rules()) {
            if (r.record() != null) {
                recorded.add(r.record());
            }
            for (String name : PromQl.metricNames(r.expr())) {
                usedBy.computeIfAbsent(name, k -> new TreeSet<>())
                        .add(Bundle.ROOT.relativize(r.file()).toString());
            }
        }
        for (Map.Entry<String, String> e : Bundle.dashboardExpressions().entrySet()) {
            for (String name : PromQl.metricNames(Bundle.withoutGrafanaVariables(e.getValue()))) {
                usedBy.computeIfAbsent(name, k -> new TreeSet<>())
                        .add("grafana-dashboards/"
                                + e.getKey().substring(0, e.getKey().indexOf(" / ")));
            }
        }
        assertFalse(usedBy.isEmpty());

        Set<String> exported = demoMetricNames();
        Map<String, Set<String>> missing = new TreeMap<>();
        Set<String> undefinedRecordings = new TreeSet<>();
        usedBy.forEach((name, files) -> {
            if (name.contains(":")) {
                if (!recorded.contains(name)) {
                    undefinedRecordings.add(name);
                }
            } else if (!exported.contains(name) && !PROMETHEUS_SERIES.contains(name)) {
                missing.put(name, files);
            }
        });
        assertTrue(
                undefinedRecordings.isEmpty(),
                "recording rules used but not defined in alert-rules/: " + undefinedRecordings);
        if (!missing.isEmpty()) {
            StringBuilder msg = new StringBuilder(
                    missing.size() + " metric(s) used by dashboards/rules are not in the demo exporter's /metrics"
                            + " (a collector not merged yet, or a renamed metric):\n");
            missing.forEach((name, files) -> msg.append("  ")
                    .append(name)
                    .append("   <- ")
                    .append(String.join(", ", files))
                    .append('\n'));
            fail(msg.toString());
        }
    }

    /**
     * Sample names of /metrics after every enabled collector ran once in demo mode ({@link DemoRun}), plus the families that are
     * registered but have no series yet (e.g. the throttling counter before the first 429).
     */
    private static Set<String> demoMetricNames() throws Exception {
        DemoRun demo = DemoRun.get();
        Set<String> names = new TreeSet<>();
        for (String line : demo.text().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        for (MetricSnapshot s : demo.snapshots()) {
            String base = s.getMetadata().getPrometheusName();
            if (s instanceof CounterSnapshot) {
                names.add(base + "_total");
            } else if (s instanceof HistogramSnapshot) {
                names.addAll(Set.of(base + "_bucket", base + "_sum", base + "_count"));
            } else if (s instanceof SummarySnapshot) {
                names.addAll(Set.of(base, base + "_sum", base + "_count"));
            } else if (s instanceof InfoSnapshot) {
                names.add(base + "_info");
            } else {
                names.add(base);
            }
        }
        return names;
    }

    @Test
    void everyMatcherSelectsSomethingTheExporterExports() throws Exception {
        Map<String, Map<String, Set<String>>> exported =
                Bundle.labelValues(DemoRun.get().text());
        Map<String, String> expressions = expressions();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> e : expressions.entrySet()) {
            for (PromQl.Selector s : PromQl.selectors(e.getValue())) {
                Map<String, Set<String>> labels = exported.get(s.metric());
                if (labels == null || s.matchers() == null) {
                    continue; // a recording rule, a Prometheus series or a metric without series: MetricsExistTest
                }
                checked +=
                        Bundle.checkMatchers(e.getKey(), s.metric(), s.matchers(), labels, String::isEmpty, problems);
            }
        }
        assertTrue(checked > 100, "matchers checked: " + checked);
        assertEquals(List.of(), problems);
    }

    /**
     * Every label an aggregation groups by (or drops) over exporter metrics is a label of one of them: {@code sum by
     * (platform)} over a family that says {@code operating_system} gives one unlabelled line, not an error.
     */
    @Test
    void everyGroupingLabelIsALabelOfTheMetricsItAggregates() throws Exception {
        Map<String, Map<String, Set<String>>> exported =
                Bundle.labelValues(DemoRun.get().text());
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            for (PromQl.Grouping g : PromQl.groupings(e.getValue())) {
                Set<String> metrics = PromQl.metricNames(g.argument());
                boolean known = !metrics.isEmpty()
                        && metrics.stream().allMatch(exported::containsKey)
                        && !g.argument().contains("label_replace")
                        && !g.argument().contains("label_join");
                if (!known) {
                    continue; // recording rules, Prometheus' own series or labels made in the query
                }
                Set<String> labels = new HashSet<>(Bundle.TARGET_LABELS);
                metrics.forEach(name -> labels.addAll(exported.get(name).keySet()));
                for (String label : g.labels()) {
                    checked++;
                    if (!labels.contains(label)) {
                        problems.add(e.getKey() + ": " + g.aggregation() + " by/without (" + label + ") over " + metrics
                                + ", which have " + labels);
                    }
                }
            }
        }
        assertTrue(checked > 50, "grouping labels checked: " + checked);
        assertEquals(List.of(), problems);
    }

    /** Each rule's and dashboard query's expression, by where it stands. */
    private static Map<String, String> expressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Rule r : Bundle.rules()) {
            expressions.put(
                    Bundle.ROOT.relativize(r.file()) + " / " + (r.alert() != null ? r.alert() : r.record()), r.expr());
        }
        Bundle.dashboardExpressions()
                .forEach((where, expr) ->
                        expressions.put("grafana-dashboards/" + where, Bundle.withoutGrafanaVariables(expr)));
        assertTrue(expressions.size() > 100, "expressions read: " + expressions.size());
        return expressions;
    }
}
