package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.config.ConfigValues;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant-wide compliance from Intune's own summaries: managedDeviceOverview,
 * deviceCompliancePolicyDeviceStateSummary and each compliance policy's deviceStatusOverview.
 * Cheap (2 + policies requests), so it can run often.
 */
public final class ComplianceCollector extends AbstractCollector {
    public static final String NAME = "compliance";
    private static final Logger LOG = LoggerFactory.getLogger(ComplianceCollector.class);

    private static final Map<String, String> PLATFORMS = new LinkedHashMap<>();
    private static final Map<String, String> OS_SUMMARY = new LinkedHashMap<>();
    private static final Map<String, String> ANDROID_MODES = new LinkedHashMap<>();
    private static final Map<String, String> EXCHANGE = new LinkedHashMap<>();
    private static final Map<String, String> STATE_SUMMARY = new LinkedHashMap<>();
    private static final Map<String, String> POLICY_STATUS = new LinkedHashMap<>();
    private static final Set<String> KNOWN_PLATFORMS = Set.of("windows10", "windows81", "windows_phone81", "ios", "macos",
            "android", "android_work_profile", "android_device_owner", "aosp_device_owner", "android_for_work", "windows10_mobile");

    static {
        OS_SUMMARY.put("windowsCount", "windows");
        OS_SUMMARY.put("iosCount", "ios");
        OS_SUMMARY.put("macOSCount", "macos");
        OS_SUMMARY.put("androidCount", "android");
        OS_SUMMARY.put("windowsMobileCount", "windows_mobile");
        OS_SUMMARY.put("unknownCount", "unknown");
        ANDROID_MODES.put("androidCorporateWorkProfileCount", "corporate_work_profile");
        ANDROID_MODES.put("androidDedicatedCount", "dedicated");
        ANDROID_MODES.put("androidDeviceAdminCount", "device_admin");
        ANDROID_MODES.put("androidFullyManagedCount", "fully_managed");
        ANDROID_MODES.put("androidWorkProfileCount", "work_profile");
        EXCHANGE.put("allowedDeviceCount", "allowed");
        EXCHANGE.put("blockedDeviceCount", "blocked");
        EXCHANGE.put("quarantinedDeviceCount", "quarantined");
        EXCHANGE.put("unknownDeviceCount", "unknown");
        EXCHANGE.put("unavailableDeviceCount", "unavailable");
        STATE_SUMMARY.put("compliantDeviceCount", "compliant");
        STATE_SUMMARY.put("nonCompliantDeviceCount", "noncompliant");
        STATE_SUMMARY.put("inGracePeriodCount", "in_grace_period");
        STATE_SUMMARY.put("errorDeviceCount", "error");
        STATE_SUMMARY.put("conflictDeviceCount", "conflict");
        STATE_SUMMARY.put("configManagerCount", "config_manager");
        STATE_SUMMARY.put("remediatedDeviceCount", "remediated");
        STATE_SUMMARY.put("notApplicableDeviceCount", "not_applicable");
        STATE_SUMMARY.put("unknownDeviceCount", "unknown");
        POLICY_STATUS.put("successCount", "compliant");
        POLICY_STATUS.put("failedCount", "noncompliant");
        POLICY_STATUS.put("errorCount", "error");
        POLICY_STATUS.put("pendingCount", "pending");
        POLICY_STATUS.put("notApplicableCount", "not_applicable");
        // v1.0's deviceComplianceDeviceOverview has no conflictCount or notApplicablePlatformCount (beta only): not read.
    }

    private final GraphApi graph;
    private final int maxPolicies;

    public ComplianceCollector(GraphApi graph, Duration interval, int maxPolicies) {
        super(NAME, interval);
        this.graph = graph;
        this.maxPolicies = maxPolicies;
    }

    static ComplianceCollector create(ConfigValues block, GraphApi graph, Duration intervalOverride) {
        Duration interval = AbstractCollector.interval(block, intervalOverride, Duration.ofSeconds(5));
        return new ComplianceCollector(graph, interval, block.integer("max-policies", 1, 10_000));
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(OVERVIEW), GraphProbe.get(POLICY_STATE_SUMMARY), GraphProbe.get(POLICIES + "&$top=1"));
    }

    static final String OVERVIEW = "/deviceManagement/managedDeviceOverview";
    static final String POLICY_STATE_SUMMARY = "/deviceManagement/deviceCompliancePolicyDeviceStateSummary";
    static final String POLICIES = "/deviceManagement/deviceCompliancePolicies?$select=id,displayName";

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode overview = graph.get(OVERVIEW);
        JsonNode summary = graph.get(POLICY_STATE_SUMMARY);
        List<JsonNode> policies = graph.list(POLICIES);

        SnapshotBuilder out = new SnapshotBuilder();
        out.add(single("intune_overview_enrolled_devices",
                "Devices enrolled in Intune (managedDeviceOverview.enrolledDeviceCount; excludes PCs managed by the legacy PC agent).",
                overview, "enrolledDeviceCount"));
        out.add(single("intune_overview_mdm_enrolled_devices", "Devices enrolled through MDM (managedDeviceOverview.mdmEnrolledCount).",
                overview, "mdmEnrolledCount"));
        out.add(single("intune_overview_dual_enrolled_devices",
                "Devices enrolled through both MDM and Exchange ActiveSync (managedDeviceOverview.dualEnrolledDeviceCount).",
                overview, "dualEnrolledDeviceCount"));
        JsonNode os = overview.path("deviceOperatingSystemSummary");
        out.add(mapped("intune_overview_devices", "Enrolled devices by platform, from managedDeviceOverview (iOS includes iPadOS; "
                + "Linux counts as unknown).", "platform", os, OS_SUMMARY));
        out.add(mapped("intune_overview_android_devices", "Enrolled Android devices by management mode, from managedDeviceOverview.",
                "mode", os, ANDROID_MODES));
        out.add(single("intune_overview_configmgr_devices", "Devices co-managed with Configuration Manager, from managedDeviceOverview.",
                os, "configMgrDeviceCount"));
        out.add(mapped("intune_exchange_access_devices", "Devices by Exchange access state, from managedDeviceOverview.",
                "state", overview.path("deviceExchangeAccessStateSummary"), EXCHANGE));
        out.add(mapped("intune_compliance_state_devices", "Devices by compliance state across all compliance policies "
                + "(deviceCompliancePolicyDeviceStateSummary).", "status", summary, STATE_SUMMARY));

        GaugeFamily perPolicy = GaugeFamily.of("intune_compliance_policy_devices",
                "Devices per compliance policy and status, from each policy's v1.0 deviceStatusOverview (which counts conflicts "
                        + "as errors: it has no conflictCount).",
                "policy", "platform", "status");
        policies.sort(Comparator.comparing(p -> String.valueOf(GraphJson.text(p, "displayName"))));
        if (policies.size() > maxPolicies) {
            LOG.warn("{} compliance policies, exporting the first {} by name (intune.collectors.compliance.max-policies)",
                    policies.size(), maxPolicies);
        }
        for (JsonNode policy : policies.subList(0, Math.min(maxPolicies, policies.size()))) {
            String id = GraphJson.text(policy, "id");
            if (id == null || id.isBlank()) {
                continue; // nothing to ask about; Graph never sends this, but a missing id must not fail the run
            }
            String name = displayName("compliance policy", GraphJson.text(policy, "displayName"));
            String platform = platform(GraphJson.text(policy, "@odata.type"));
            JsonNode status = graph.get("/deviceManagement/deviceCompliancePolicies/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/deviceStatusOverview");
            for (Map.Entry<String, String> e : POLICY_STATUS.entrySet()) {
                OptionalLong v = GraphJson.count(status, e.getKey());
                if (v.isPresent()) {
                    perPolicy.add(v.getAsLong(), name, platform, e.getValue());
                }
            }
        }
        out.add(perPolicy);
        out.add(GaugeFamily.of("intune_compliance_policies", "Compliance policies in the tenant (deviceCompliancePolicies).")
                .set(policies.size()));
        return out.build();
    }

    private static GaugeFamily single(String name, String help, JsonNode node, String field) {
        GaugeFamily g = GaugeFamily.of(name, help);
        OptionalLong v = GraphJson.count(node, field);
        if (v.isPresent()) {
            g.set(v.getAsLong());
        }
        return g;
    }

    private static GaugeFamily mapped(String name, String help, String label, JsonNode node, Map<String, String> fields) {
        GaugeFamily g = GaugeFamily.of(name, help, label);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            OptionalLong v = GraphJson.count(node, e.getKey());
            if (v.isPresent()) {
                g.add(v.getAsLong(), e.getValue());
            }
        }
        return g;
    }

    /** A label from an admin-chosen display name: personal data hashed, whitespace collapsed, length bounded. */
    static String displayName(String family, String raw) {
        return io.github.intuneexporter.metrics.AdminNames.label(family, raw);
    }

    /** "#microsoft.graph.androidWorkProfileCompliancePolicy" gives android_work_profile. */
    static String platform(String odataType) {
        if (odataType == null) {
            return EnumLabels.UNKNOWN;
        }
        String t = odataType.replace("#microsoft.graph.", "").replace("CompliancePolicy", "");
        return EnumLabels.bounded(t, KNOWN_PLATFORMS);
    }
}
