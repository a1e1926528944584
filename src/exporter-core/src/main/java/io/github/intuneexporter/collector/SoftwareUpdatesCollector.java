package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's software update status summary, {@code GET /deviceManagement/softwareUpdateStatusSummary} (v1.0, one
 * request, DeviceManagementConfiguration.Read.All): devices and users by update compliance state across the Windows
 * update rings (windowsUpdateForBusinessConfiguration) assigned to them. A state Graph leaves out gives no series.
 */
public final class SoftwareUpdatesCollector extends AbstractCollector<Void> {
    public static final String NAME = "software_updates";
    static final String SUMMARY = "/deviceManagement/softwareUpdateStatusSummary";
    /** Property stem (compliant for compliantDeviceCount / compliantUserCount) to status label. */
    static final Map<String, String> STATUS = StateCounts.fields(
            "compliant", "compliant",
            "nonCompliant", "noncompliant",
            "remediated", "remediated",
            "error", "error",
            "unknown", "unknown",
            "conflict", "conflict",
            "notApplicable", "not_applicable");

    public SoftwareUpdatesCollector(GraphApi graph, Duration interval) {
        super(NAME, FAMILIES, graph, interval, null);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(SUMMARY));
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_software_update_devices{status}
                Devices by software update compliance status across the Windows update rings
                (softwareUpdateStatusSummary).
            gauge intune_software_update_users{status}
                Users by software update compliance status across the Windows update rings
                (softwareUpdateStatusSummary).
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode summary = graph.get(SUMMARY);
        return new SnapshotBuilder()
                .add(StateCounts.addFields(
                        FAMILIES.gauge("intune_software_update_devices"), summary, counters("DeviceCount")))
                .add(StateCounts.addFields(
                        FAMILIES.gauge("intune_software_update_users"), summary, counters("UserCount")))
                .build();
    }

    /** {@link #STATUS} as Graph's counter fields: the stem followed by {@code suffix}, in the same order. */
    private static Map<String, String> counters(String suffix) {
        Map<String, String> out = new LinkedHashMap<>();
        STATUS.forEach((stem, status) -> out.put(stem + suffix, status));
        return out;
    }
}
