package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Tenant-wide compliance from Intune's own summaries: managedDeviceOverview,
 * deviceCompliancePolicyDeviceStateSummary and each compliance policy's deviceStatusOverview.
 * Cheap (2 + policies requests), so it can run often.
 */
public final class ComplianceCollector extends AbstractCollector<CollectorSettings.Compliance> {
    public static final String NAME = "compliance";

    private static final Map<String, String> OS_SUMMARY = StateCounts.fields(
            "windowsCount", Platform.WINDOWS.label(),
            "iosCount", Platform.IOS.label(),
            "macOSCount", Platform.MACOS.label(),
            "androidCount", Platform.ANDROID.label(),
            "windowsMobileCount", Platform.WINDOWS_MOBILE.label(),
            "unknownCount", Platform.UNKNOWN.label());
    private static final Map<String, String> ANDROID_MODES = StateCounts.fields(
            "androidCorporateWorkProfileCount", "corporate_work_profile",
            "androidDedicatedCount", "dedicated",
            "androidDeviceAdminCount", "device_admin",
            "androidFullyManagedCount", "fully_managed",
            "androidWorkProfileCount", "work_profile");
    private static final Map<String, String> EXCHANGE = StateCounts.fields(
            "allowedDeviceCount", "allowed",
            "blockedDeviceCount", "blocked",
            "quarantinedDeviceCount", "quarantined",
            "unknownDeviceCount", "unknown",
            "unavailableDeviceCount", "unavailable");
    private static final Map<String, String> STATE_SUMMARY = StateCounts.fields(
            StateCounts.DEVICE_STATE_SUMMARY,
            "inGracePeriodCount",
            "in_grace_period",
            "configManagerCount",
            "config_manager");
    private static final Map<String, String> POLICY_STATUS = StateCounts.fields(
            "successCount", "compliant",
            "failedCount", "noncompliant",
            "errorCount", "error",
            "pendingCount", "pending",
            "notApplicableCount", "not_applicable");
    // v1.0's deviceComplianceDeviceOverview has no conflictCount or notApplicablePlatformCount (beta only): not read.

    public ComplianceCollector(GraphApi graph, Duration interval, CollectorSettings.Compliance settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(
                GraphProbe.get(OVERVIEW), GraphProbe.get(POLICY_STATE_SUMMARY), GraphProbe.get(POLICIES + "&$top=1"));
    }

    static final String OVERVIEW = "/deviceManagement/managedDeviceOverview";
    static final String POLICY_STATE_SUMMARY = "/deviceManagement/deviceCompliancePolicyDeviceStateSummary";
    static final String POLICIES = "/deviceManagement/deviceCompliancePolicies?$select=id,displayName";

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_overview_enrolled_devices
                Devices enrolled in Intune (managedDeviceOverview.enrolledDeviceCount; excludes PCs managed by the
                legacy PC agent).
            gauge intune_overview_mdm_enrolled_devices
                Devices enrolled through MDM (managedDeviceOverview.mdmEnrolledCount).
            gauge intune_overview_dual_enrolled_devices
                Devices enrolled through both MDM and Exchange ActiveSync
                (managedDeviceOverview.dualEnrolledDeviceCount).
            gauge intune_overview_devices{operating_system}
                Enrolled devices by operating system, from managedDeviceOverview (ios includes iPadOS; Linux counts as
                unknown).
            gauge intune_overview_android_devices{mode}
                Enrolled Android devices by management mode, from managedDeviceOverview.
            gauge intune_overview_configmgr_devices
                Devices co-managed with Configuration Manager, from managedDeviceOverview.
            gauge intune_exchange_access_devices{state}
                Devices by Exchange access state, from managedDeviceOverview.
            gauge intune_compliance_state_devices{status}
                Devices by compliance state across all compliance policies (deviceCompliancePolicyDeviceStateSummary).
            gauge intune_compliance_policy_devices{policy,platform,status}
                Devices per compliance policy and status, from each policy's v1.0 deviceStatusOverview (which counts
                conflicts as errors: it has no conflictCount); policies beyond max-policies are summed in
                policy="_other".
            gauge intune_compliance_policies
                Compliance policies in the tenant (deviceCompliancePolicies).
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode overview = graph.get(OVERVIEW);
        JsonNode summary = graph.get(POLICY_STATE_SUMMARY);
        List<JsonNode> policies = graph.list(POLICIES);

        JsonNode os = overview.path("deviceOperatingSystemSummary");
        SnapshotBuilder out = new SnapshotBuilder()
                .add(StateCounts.single(
                        FAMILIES.get("intune_overview_enrolled_devices"), overview, "enrolledDeviceCount"))
                .add(StateCounts.single(
                        FAMILIES.get("intune_overview_mdm_enrolled_devices"), overview, "mdmEnrolledCount"))
                .add(StateCounts.single(
                        FAMILIES.get("intune_overview_dual_enrolled_devices"), overview, "dualEnrolledDeviceCount"))
                .add(StateCounts.addFields(FAMILIES.gauge("intune_overview_devices"), os, OS_SUMMARY))
                .add(StateCounts.addFields(FAMILIES.gauge("intune_overview_android_devices"), os, ANDROID_MODES))
                .add(StateCounts.single(FAMILIES.get("intune_overview_configmgr_devices"), os, "configMgrDeviceCount"))
                .add(StateCounts.addFields(
                        FAMILIES.gauge("intune_exchange_access_devices"),
                        overview.path("deviceExchangeAccessStateSummary"),
                        EXCHANGE))
                .add(StateCounts.addFields(FAMILIES.gauge("intune_compliance_state_devices"), summary, STATE_SUMMARY));
        out.add(perPolicy(policies));
        out.add(FAMILIES.gauge("intune_compliance_policies").set(policies.size()));
        return out.build();
    }

    /** Each policy's status counts, the first max-policies by display name under their own name, the rest as _other. */
    private GaugeFamily perPolicy(List<JsonNode> policies) throws Exception {
        GaugeFamily perPolicy = FAMILIES.gauge("intune_compliance_policy_devices");
        policies.sort(Comparator.comparing(p -> String.valueOf(GraphJson.text(p, "displayName"))));
        AdminNames.TopN names = new AdminNames.TopN(
                "compliance policy", "intune.collectors.compliance.max-policies", settings.maxPolicies());
        for (JsonNode policy : policies) {
            String id = GraphJson.text(policy, "id");
            if (id == null || id.isBlank()) {
                continue; // nothing to ask about; Graph never sends this, but a missing id must not fail the run
            }
            String name = names.label(GraphJson.text(policy, "displayName"));
            String platform =
                    Platform.ofODataType(GraphJson.text(policy, "@odata.type")).label();
            JsonNode status = graph.get("/deviceManagement/deviceCompliancePolicies/"
                    + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/deviceStatusOverview");
            StateCounts.addFields(perPolicy, status, POLICY_STATUS, name, platform);
        }
        names.finish();
        return perPolicy;
    }
}
