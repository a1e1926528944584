package io.github.intuneexporter.report;

import io.github.intuneexporter.report.PrometheusClient.PrometheusException;
import io.github.intuneexporter.report.PrometheusClient.Series;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the report's queries and keeps each one (id, text, evaluation time, result) for the appendix, so every
 * figure can be traced to the query that produced it. After the first "unreachable" failure no further query is
 * sent: the report is then written at once, listing every section as without data.
 */
final class QueryLog {
    /** A query's outcome; {@code error} is null on success. */
    record Result(String id, List<Series> series, String error) {
        boolean empty() {
            return series.isEmpty();
        }
    }

    private final PrometheusClient client;
    private final ReportQueries.Scope scope;
    private final List<Map<String, Object>> appendix = new ArrayList<>();
    private PrometheusException unreachable;

    QueryLog(PrometheusClient client, ReportQueries.Scope scope) {
        this.client = client;
        this.scope = scope;
    }

    /** The first failure that means Prometheus cannot be reached at all, or null. */
    PrometheusException unreachable() {
        return unreachable;
    }

    List<Map<String, Object>> appendix() {
        return appendix;
    }

    Result instant(String title, String template, Instant at) {
        String promql = ReportQueries.expand(template, scope);
        Map<String, Object> entry = entry(title, promql, "instant query at " + at);
        entry.put("time", PrometheusClient.seconds(at));
        Result r = run(entry, () -> client.query(promql, at));
        List<Map<String, String>> rows = new ArrayList<>();
        for (Series s : r.series()) {
            rows.add(Map.of("labels", labelText(s.labels()), "value", raw(s.lastValue())));
        }
        entry.put("rows", rows);
        return r;
    }

    Result range(String title, String template, Instant from, Instant to, Duration step) {
        String promql = ReportQueries.expand(template, scope);
        Map<String, Object> entry =
                entry(title, promql, "range query from " + from + " to " + to + ", step " + step.toSeconds() + " s");
        Result r = run(entry, () -> client.queryRange(promql, from, to, step));
        List<Map<String, String>> rows = new ArrayList<>();
        for (Series s : r.series()) {
            rows.add(Map.of(
                    "labels",
                    labelText(s.labels()),
                    "value",
                    s.points().size() + " points, last " + raw(s.lastValue())));
        }
        entry.put("rows", rows);
        return r;
    }

    /** Adds lines to the appendix entry of a query (e.g. the incidents derived from a range query). */
    void describe(Result r, List<Map<String, String>> rows) {
        for (Map<String, Object> e : appendix) {
            if (e.get("id").equals(r.id())) {
                e.put("rows", rows);
            }
        }
    }

    private interface Call {
        List<Series> call() throws PrometheusException;
    }

    private Result run(Map<String, Object> entry, Call call) {
        String id = (String) entry.get("id");
        if (unreachable != null) {
            entry.put("error", "not sent: Prometheus unreachable");
            return new Result(id, List.of(), "not sent: Prometheus unreachable");
        }
        try {
            return new Result(id, call.call(), null);
        } catch (PrometheusException e) {
            if (e.unreachable) {
                unreachable = e;
            }
            entry.put("error", e.getMessage());
            return new Result(id, List.of(), e.getMessage());
        }
    }

    private Map<String, Object> entry(String title, String promql, String evaluation) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "q" + (appendix.size() + 1));
        e.put("title", title);
        e.put("promql", promql);
        e.put("evaluation", evaluation);
        appendix.add(e);
        return e;
    }

    /** The exact value, without a trailing ".0" or exponent: what the report's data-v attributes carry. */
    static String raw(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Labels as "a=x, b=y" in name order; the key a figure uses to point at its series. */
    static String labelText(Map<String, String> labels) {
        return labels.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
