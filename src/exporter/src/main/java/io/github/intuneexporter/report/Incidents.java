package io.github.intuneexporter.report;

import io.github.intuneexporter.report.PrometheusClient.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Alert incidents rebuilt from the samples of {@code ALERTS{alertstate="firing"}}: consecutive samples of one alert
 * series form one incident; a gap of more than one step ends it. Prometheus writes a staleness marker when an alert
 * resolves, so the last sample is within one step of the resolution.
 */
final class Incidents {
    private Incidents() {}

    /** Labels that identify an alert but are shown in their own columns or say nothing. */
    private static final Set<String> SHOWN =
            Set.of("__name__", "alertname", "alertstate", "severity", "tenant", "job", "instance");

    /** One firing period of one alert series. {@code end} is null while it still fires at the end of the report period. */
    record Incident(
            String alertname,
            String severity,
            String tenant,
            String instance,
            String details,
            Instant start,
            Instant end,
            Duration duration) {
        boolean resolved() {
            return end != null;
        }
    }

    static List<Incident> from(List<Series> firing, Instant periodEnd, Duration step) {
        List<Incident> out = new ArrayList<>();
        long stepS = Math.max(1, step.toSeconds());
        for (Series s : firing) {
            Map<String, String> rest = new TreeMap<>(s.labels());
            rest.keySet().removeAll(SHOWN);
            String details = QueryLog.labelText(rest);
            double first = Double.NaN;
            double last = Double.NaN;
            for (double[] p : s.points()) {
                if (!Double.isNaN(last) && p[0] - last > 1.5 * stepS) {
                    out.add(incident(s, details, first, last, periodEnd, stepS));
                    first = Double.NaN;
                }
                if (Double.isNaN(first)) {
                    first = p[0];
                }
                last = p[0];
            }
            if (!Double.isNaN(first)) {
                out.add(incident(s, details, first, last, periodEnd, stepS));
            }
        }
        out.sort(Comparator.comparing(Incident::start).thenComparing(Incident::alertname));
        return out;
    }

    private static Incident incident(
            Series s, String details, double first, double last, Instant periodEnd, long step) {
        Instant start = Instant.ofEpochSecond((long) first);
        boolean ongoing = periodEnd.getEpochSecond() - (long) last < step;
        Instant end = ongoing ? null : Instant.ofEpochSecond((long) last + step);
        Duration d = Duration.between(start, ongoing ? periodEnd : end);
        return new Incident(
                s.label("alertname"),
                s.label("severity"),
                s.label("tenant"),
                s.label("instance"),
                details,
                start,
                end,
                d);
    }
}
