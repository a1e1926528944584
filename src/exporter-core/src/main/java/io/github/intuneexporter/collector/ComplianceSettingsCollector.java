package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The compliance settings that fail on the most devices, from the v1.0 list
 * {@code GET /deviceManagement/deviceCompliancePolicySettingStateSummaries} (DeviceManagementConfiguration.Read.All,
 * one request, one entry per setting and platform across all compliance policies). The {@code top} settings with the
 * most non-compliant devices get their own label (the setting name through {@link AdminNames}); all others add up
 * under {@code setting="_other"}, per platform, so the sum over settings is the tenant's total.
 */
public final class ComplianceSettingsCollector extends AbstractCollector<CollectorSettings.ComplianceSettings> {
    public static final String NAME = "compliance_settings";

    /** v1.0 enum policyPlatformType, snake_case. */
    public static final List<String> PLATFORMS = List.of(
            "android",
            "android_for_work",
            "ios",
            "macos",
            "windows_phone81",
            "windows81_and_later",
            "windows10_and_later",
            "all");

    private static final Set<String> KNOWN_PLATFORMS = Set.copyOf(PLATFORMS);
    static final Map<String, String> STATUS = StateCounts.fields(
            "nonCompliantDeviceCount", "noncompliant",
            "errorDeviceCount", "error",
            "conflictDeviceCount", "conflict",
            "compliantDeviceCount", "compliant",
            "remediatedDeviceCount", "remediated",
            "notApplicableDeviceCount", "not_applicable",
            "unknownDeviceCount", "unknown");

    static final String SUMMARIES = "/deviceManagement/deviceCompliancePolicySettingStateSummaries"
            + "?$select=id,setting,settingName,platformType," + String.join(",", STATUS.keySet());

    public ComplianceSettingsCollector(
            GraphApi graph, Duration interval, CollectorSettings.ComplianceSettings settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(SUMMARIES + "&$top=1"));
    }

    private record Summary(String name, String id, String platform, long nonCompliant, JsonNode item) {}

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_compliance_setting_devices{setting,platform,status}
                Devices per compliance setting, platform and status (deviceCompliancePolicySettingStateSummaries): the
                top settings by non-compliant devices by name, all others summed as setting="_other".
            gauge intune_compliance_settings
                Compliance setting summaries (one per setting and platform) Graph lists, before top.
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        List<JsonNode> items = graph.list(SUMMARIES);
        List<Summary> ranked = new ArrayList<>();
        for (JsonNode item : items) {
            String name = GraphJson.text(item, "settingName");
            if (name == null || name.isBlank()) {
                name = GraphJson.text(item, "setting");
            }
            String id = GraphJson.text(item, "id");
            ranked.add(new Summary(
                    name,
                    id == null ? "" : id,
                    EnumLabels.bounded(GraphJson.text(item, "platformType"), KNOWN_PLATFORMS),
                    GraphJson.count(item, "nonCompliantDeviceCount").orElse(0),
                    item));
        }
        // Most non-compliant devices first; ties by name and id, so the same settings keep their labels run after run.
        ranked.sort(Comparator.comparingLong(Summary::nonCompliant)
                .reversed()
                .thenComparing(s -> s.name() == null ? "" : s.name())
                .thenComparing(Summary::id));

        GaugeFamily devices = FAMILIES.gauge("intune_compliance_setting_devices");
        AdminNames.TopN names =
                new AdminNames.TopN("compliance setting", "intune.collectors.compliance_settings.top", settings.top());
        for (Summary s : ranked) {
            String label = names.label(s.name());
            for (Map.Entry<String, String> e : STATUS.entrySet()) {
                OptionalLong v = GraphJson.count(s.item(), e.getKey());
                devices.add(v.orElse(0), label, s.platform(), e.getValue());
            }
        }
        names.finish();
        return new SnapshotBuilder()
                .add(devices)
                .add(FAMILIES.gauge("intune_compliance_settings").set(items.size()))
                .build();
    }
}
