package io.github.intuneexporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges several tenants' snapshots into one exposition, adding a {@code tenant} label to every series. Only used
 * when more than one tenant is configured: a single tenant's series carry no tenant label (put it in the scrape
 * config as a target label instead).
 */
public final class TenantLabels {
    public static final String LABEL = "tenant";

    private TenantLabels() {}

    public static MetricSnapshots merge(Map<String, MetricSnapshots> byTenant) {
        Map<String, List<DataPointSnapshot>> points = new LinkedHashMap<>();
        Map<String, MetricSnapshot> first = new LinkedHashMap<>();
        for (Map.Entry<String, MetricSnapshots> tenant : byTenant.entrySet()) {
            for (MetricSnapshot snapshot : tenant.getValue()) {
                String name = snapshot.getMetadata().getPrometheusName();
                MetricSnapshot previous = first.putIfAbsent(name, snapshot);
                if (previous != null && previous.getClass() != snapshot.getClass()) {
                    throw new IllegalStateException(name + " has different types in different tenants");
                }
                List<DataPointSnapshot> list = points.computeIfAbsent(name, k -> new ArrayList<>());
                for (DataPointSnapshot p : snapshot.getDataPoints()) {
                    list.add(withTenant(name, p, tenant.getKey()));
                }
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (Map.Entry<String, MetricSnapshot> e : first.entrySet()) {
            out.add(rebuild(e.getValue(), points.get(e.getKey())));
        }
        return new MetricSnapshots(out);
    }

    private static DataPointSnapshot withTenant(String name, DataPointSnapshot p, String tenant) {
        if (p.getLabels().contains(LABEL)) {
            throw new IllegalStateException(name + " already has a tenant label");
        }
        if (p instanceof GaugeSnapshot.GaugeDataPointSnapshot g) {
            return new GaugeSnapshot.GaugeDataPointSnapshot(
                    g.getValue(), g.getLabels().add(LABEL, tenant), g.getExemplar());
        }
        if (p instanceof CounterSnapshot.CounterDataPointSnapshot c) {
            return new CounterSnapshot.CounterDataPointSnapshot(
                    c.getValue(), c.getLabels().add(LABEL, tenant), c.getExemplar(), c.getCreatedTimestampMillis());
        }
        throw new IllegalStateException(name + ": collectors export gauges and counters only, got "
                + p.getClass().getSimpleName());
    }

    private static MetricSnapshot rebuild(MetricSnapshot template, List<DataPointSnapshot> points) {
        MetricMetadata m = template.getMetadata();
        if (template instanceof GaugeSnapshot) {
            List<GaugeSnapshot.GaugeDataPointSnapshot> gauges = new ArrayList<>();
            points.forEach(p -> gauges.add((GaugeSnapshot.GaugeDataPointSnapshot) p));
            return new GaugeSnapshot(m, gauges);
        }
        List<CounterSnapshot.CounterDataPointSnapshot> counters = new ArrayList<>();
        points.forEach(p -> counters.add((CounterSnapshot.CounterDataPointSnapshot) p));
        return new CounterSnapshot(m, counters);
    }
}
