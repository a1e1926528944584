package io.github.intuneexporter.collector.kit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * State tallies: every member of a state's value set is exported, 0 included, so a series never vanishes when its
 * count drops to zero (a ratio or {@code rate()} over it would silently lose it) and the first occurrence is an
 * increase, not the birth of a series.
 */
public final class StateCounts {
    private StateCounts() {}

    /**
     * The device counters that deviceCompliancePolicyDeviceStateSummary and deviceConfigurationDeviceStateSummary
     * both have (the compliance summary adds inGracePeriodCount and configManagerCount), by status label.
     */
    public static final Map<String, String> DEVICE_STATE_SUMMARY = fields(
            "compliantDeviceCount", "compliant",
            "nonCompliantDeviceCount", "noncompliant",
            "errorDeviceCount", "error",
            "conflictDeviceCount", "conflict",
            "remediatedDeviceCount", "remediated",
            "notApplicableDeviceCount", "not_applicable",
            "unknownDeviceCount", "unknown");

    /**
     * An ordered map of Graph counter fields to state labels, from pairs: {@code fields("compliantDeviceCount",
     * "compliant", "errorDeviceCount", "error")}. Read by {@link #addFields} in this order.
     */
    public static Map<String, String> fields(String... fieldStatePairs) {
        return fields(Map.of(), fieldStatePairs);
    }

    /** {@code first}, then the pairs of {@link #fields(String...)}. */
    public static Map<String, String> fields(Map<String, String> first, String... fieldStatePairs) {
        if (fieldStatePairs.length % 2 != 0) {
            throw new IllegalArgumentException("field and state come in pairs");
        }
        Map<String, String> out = new LinkedHashMap<>(first);
        for (int i = 0; i < fieldStatePairs.length; i += 2) {
            out.put(fieldStatePairs[i], fieldStatePairs[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Makes every combination of the given label value sets exist in {@code family} (at 0 unless already set). */
    @SafeVarargs
    public static GaugeFamily zeroFill(GaugeFamily family, List<String>... dimensions) {
        fill(family, dimensions, 0, new String[dimensions.length]);
        return family;
    }

    private static void fill(GaugeFamily family, List<String>[] dimensions, int depth, String[] labels) {
        if (depth == dimensions.length) {
            family.ensure(labels.clone());
            return;
        }
        for (String value : dimensions[depth]) {
            labels[depth] = value;
            fill(family, dimensions, depth + 1, labels);
        }
    }

    /**
     * Adds the counters of a Graph summary object ({@code "compliantDeviceCount": 12, ...}) to {@code family}: each
     * field of {@code fieldToState} (in order) becomes a series labelled {@code leading..., state}. A field Graph
     * leaves out (or sends as null) adds nothing.
     */
    public static GaugeFamily addFields(
            GaugeFamily family, JsonNode node, Map<String, String> fieldToState, String... leading) {
        String[] labels = Arrays.copyOf(leading, leading.length + 1);
        for (Map.Entry<String, String> e : fieldToState.entrySet()) {
            OptionalLong v = GraphJson.count(node, e.getKey());
            if (v.isPresent()) {
                labels[leading.length] = e.getValue();
                family.add(v.getAsLong(), labels.clone());
            }
        }
        return family;
    }

    /**
     * A one-hot state: every member of {@code known} exists at 0 for {@code leading...}, and the object's state
     * ({@code raw}, snake-cased; anything else counts as unknown) goes up by one.
     */
    @SuppressWarnings("unchecked")
    public static GaugeFamily oneHot(GaugeFamily family, String raw, List<String> known, String... leading) {
        List<String>[] dimensions = new List[leading.length + 1];
        for (int i = 0; i < leading.length; i++) {
            dimensions[i] = List.of(leading[i]);
        }
        dimensions[leading.length] = known;
        fill(family, dimensions, 0, new String[dimensions.length]);
        String[] labels = Arrays.copyOf(leading, leading.length + 1);
        labels[leading.length] = EnumLabels.bounded(raw, Set.copyOf(known));
        family.add(1, labels);
        return family;
    }

    /** A family without labels holding one Graph counter, or no series when Graph leaves the field out. */
    public static GaugeFamily single(FamilySpec spec, JsonNode node, String field) {
        GaugeFamily g = spec.gauge();
        OptionalLong v = GraphJson.count(node, field);
        if (v.isPresent()) {
            g.set(v.getAsLong());
        }
        return g;
    }
}
