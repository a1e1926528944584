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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Device configuration profiles: the list of deviceConfigurations, each profile's deviceStatusOverview (one
 * request per exported profile) and the tenant-wide deviceConfigurationDeviceStateSummaries. All v1.0 and
 * DeviceManagementConfiguration.Read.All; the opt-in {@code beta-status-overview} reads the overviews from
 * beta, which reports conflicts apart (v1.0 counts them as errors).
 *
 * <p>Settings-catalog and endpoint-security policies (configurationPolicies, intents) are beta-only and have
 * no deviceStatusOverview; they are not covered here.
 */
public final class ConfigurationCollector extends AbstractCollector<CollectorSettings.Configuration> {
    public static final String NAME = "configuration";

    private static final Map<String, String> PROFILE_STATUS = StateCounts.fields(
            "successCount", "success",
            "errorCount", "error",
            "failedCount", "failed",
            "pendingCount", "pending",
            "notApplicableCount", "not_applicable",
            "conflictCount", "conflict",
            // beta only (beta-status-overview): devices the profile targets whose platform it does not apply to.
            "notApplicablePlatformCount", "not_applicable_platform");

    public ConfigurationCollector(GraphApi graph, Duration interval, CollectorSettings.Configuration settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(PROFILES + "&$top=1"), GraphProbe.get(STATE_SUMMARIES));
    }

    @Override
    public List<String> betaSourcesOff() {
        return settings.betaStatusOverview()
                ? List.of()
                : List.of("intune.collectors.configuration.beta-status-overview");
    }

    static final String PROFILES = "/deviceManagement/deviceConfigurations?$select=id,displayName";
    static final String STATE_SUMMARIES = "/deviceManagement/deviceConfigurationDeviceStateSummaries";

    private record Profile(String id, String name, String platform) {}

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_configuration_profile_devices{profile,platform,status}
                Devices per device configuration profile and status, from each profile's deviceStatusOverview (v1.0
                counts conflicts as errors, beta-status-overview reports them apart); profiles beyond max-profiles are
                summed in profile="_other".
            gauge intune_configuration_state_devices{status}
                Devices by configuration state across all device configuration profiles
                (deviceConfigurationDeviceStateSummaries).
            gauge intune_configuration_profiles
                Device configuration profiles in the tenant (deviceConfigurations), before include/exclude and
                max-profiles.
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        List<JsonNode> all = graph.list(PROFILES);
        JsonNode summary = graph.get(STATE_SUMMARIES);
        return new SnapshotBuilder()
                .add(perProfile(selected(all)))
                .add(StateCounts.addFields(
                        FAMILIES.gauge("intune_configuration_state_devices"),
                        summary,
                        StateCounts.DEVICE_STATE_SUMMARY))
                .add(FAMILIES.gauge("intune_configuration_profiles").set(all.size()))
                .build();
    }

    /** The profiles include/exclude select, by display name (personal data hashed first) and id. */
    private List<Profile> selected(List<JsonNode> all) {
        List<Profile> wanted = new ArrayList<>();
        for (JsonNode p : all) {
            String id = GraphJson.text(p, "id");
            String name = AdminNames.label("configuration profile", GraphJson.text(p, "displayName"));
            if (id == null || id.isBlank() || !settings.profiles().accepts(name)) {
                continue;
            }
            wanted.add(new Profile(
                    id,
                    name,
                    Platform.ofODataType(GraphJson.text(p, "@odata.type")).label()));
        }
        wanted.sort(Comparator.comparing(Profile::name).thenComparing(Profile::id));
        return wanted;
    }

    /** Each profile's status counts; the first max-profiles by name under their own name, the rest as _other. */
    private GaugeFamily perProfile(List<Profile> wanted) throws Exception {
        GaugeFamily perProfile = FAMILIES.gauge("intune_configuration_profile_devices");
        AdminNames.TopN names = new AdminNames.TopN(
                "configuration profile", "intune.collectors.configuration.max-profiles", settings.maxProfiles());
        for (Profile p : wanted) {
            String path = "/deviceManagement/deviceConfigurations/" + URLEncoder.encode(p.id(), StandardCharsets.UTF_8)
                    + "/deviceStatusOverview";
            JsonNode overview = settings.betaStatusOverview() ? graph.getBeta(path) : graph.get(path);
            StateCounts.addFields(perProfile, overview, PROFILE_STATUS, names.label(p.name()), p.platform());
        }
        names.finish();
        return perProfile;
    }
}
