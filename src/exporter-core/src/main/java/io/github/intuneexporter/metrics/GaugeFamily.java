package io.github.intuneexporter.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one gauge family for a snapshot: values are set or summed per label tuple, and {@link #toSnapshot()}
 * freezes them. Not thread-safe; a collector run builds its own and hands over the immutable snapshot.
 */
public final class GaugeFamily {
    private final String name;
    private final String help;
    private final String[] labelNames;
    private final Map<List<String>, double[]> values = new LinkedHashMap<>();

    private GaugeFamily(String name, String help, String[] labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = labelNames.clone();
    }

    public static GaugeFamily of(String name, String help, String... labelNames) {
        return new GaugeFamily(name, help, labelNames);
    }

    public String name() {
        return name;
    }

    /** Sets the value of one series, replacing any earlier value. */
    public GaugeFamily set(double value, String... labelValues) {
        slot(labelValues)[0] = value;
        return this;
    }

    /** Adds to the value of one series, creating it at 0. */
    public GaugeFamily add(double value, String... labelValues) {
        slot(labelValues)[0] += value;
        return this;
    }

    /** Keeps the smaller of the series' value and {@code value} (the value itself for a new series). */
    public GaugeFamily min(double value, String... labelValues) {
        boolean fresh = !values.containsKey(Arrays.asList(labelValues));
        double[] slot = slot(labelValues);
        slot[0] = fresh ? value : Math.min(slot[0], value);
        return this;
    }

    /** Keeps the larger of the series' value and {@code value} (the value itself for a new series). */
    public GaugeFamily max(double value, String... labelValues) {
        boolean fresh = !values.containsKey(Arrays.asList(labelValues));
        double[] slot = slot(labelValues);
        slot[0] = fresh ? value : Math.max(slot[0], value);
        return this;
    }

    /** Makes sure a series exists (at 0 unless already set), so known states are always exported. */
    public GaugeFamily ensure(String... labelValues) {
        slot(labelValues);
        return this;
    }

    public double get(String... labelValues) {
        double[] v = values.get(Arrays.asList(labelValues));
        return v == null ? 0 : v[0];
    }

    public int size() {
        return values.size();
    }

    private double[] slot(String[] labelValues) {
        if (labelValues.length != labelNames.length) {
            throw new IllegalArgumentException(
                    name + ": expected " + labelNames.length + " label values, got " + labelValues.length);
        }
        return values.computeIfAbsent(List.of(labelValues), k -> new double[1]);
    }

    public GaugeSnapshot toSnapshot() {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        for (Map.Entry<List<String>, double[]> e : values.entrySet()) {
            builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of(labelNames, e.getKey().toArray(new String[0])))
                    .value(e.getValue()[0])
                    .build());
        }
        return builder.build();
    }
}
