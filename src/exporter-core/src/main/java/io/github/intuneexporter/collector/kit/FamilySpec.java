package io.github.intuneexporter.collector.kit;

import io.github.intuneexporter.metrics.GaugeFamily;
import java.util.List;

/**
 * One metric family a collector exports (name, type, help, labels, unit), declared up front in the collector's
 * {@link FamilySpecs} block like a node_exporter descriptor; tests hold the declarations to docs/metrics.md, the golden
 * exposition, dashboards and rules. {@code name} is the exposed name without a counter's {@code _total}; {@code unit}
 * is the base unit its name ends with ("seconds", "bytes"), or empty.
 */
public record FamilySpec(String name, Type type, String help, String unit, List<String> labels) {

    public enum Type {
        GAUGE,
        COUNTER
    }

    public FamilySpec {
        labels = List.copyOf(labels);
        if (!name.matches("intune_[a-z0-9_]+")) {
            throw new IllegalArgumentException("not an intune_ metric name: " + name);
        }
        if (!unit.isEmpty() && !name.endsWith("_" + unit) && !name.contains("_" + unit + "_")) {
            throw new IllegalArgumentException(name + ": the name must carry its unit " + unit);
        }
    }

    public static FamilySpec gauge(String name, String help, String... labels) {
        return new FamilySpec(name, Type.GAUGE, help, unitOf(name), List.of(labels));
    }

    public static FamilySpec counter(String name, String help, String... labels) {
        return new FamilySpec(name, Type.COUNTER, help, unitOf(name), List.of(labels));
    }

    /** The name as scraped: counters end in {@code _total}. */
    public String exposedName() {
        return type == Type.COUNTER ? name + "_total" : name;
    }

    /** A new, empty gauge of this family for one run. */
    public GaugeFamily gauge() {
        if (type != Type.GAUGE) {
            throw new IllegalStateException(name + " is a counter");
        }
        return GaugeFamily.of(name, help, labels.toArray(new String[0]));
    }

    private static String unitOf(String name) {
        for (String unit : List.of("seconds", "bytes", "days")) {
            if (name.endsWith("_" + unit) || name.contains("_" + unit + "_")) {
                return unit;
            }
        }
        return "";
    }
}
