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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device configuration profiles: the list of deviceConfigurations, each profile's deviceStatusOverview (one
 * request per exported profile) and the tenant-wide deviceConfigurationDeviceStateSummaries. All v1.0 and
 * DeviceManagementConfiguration.Read.All; the opt-in {@code beta-status-overview} reads the overviews from
 * beta, which reports conflicts apart (v1.0 counts them as errors).
 *
 * <p>Settings-catalog and endpoint-security policies (configurationPolicies, intents) are beta-only and have
 * no deviceStatusOverview; they are not covered here.
 */
public final class ConfigurationCollector extends AbstractCollector {
    public static final String NAME = "configuration";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationCollector.class);

    private static final Map<String, String> PROFILE_STATUS = new LinkedHashMap<>();
    private static final Map<String, String> STATE_SUMMARY = new LinkedHashMap<>();

    static {
        PROFILE_STATUS.put("successCount", "success");
        PROFILE_STATUS.put("errorCount", "error");
        PROFILE_STATUS.put("failedCount", "failed");
        PROFILE_STATUS.put("pendingCount", "pending");
        PROFILE_STATUS.put("notApplicableCount", "not_applicable");
        PROFILE_STATUS.put("conflictCount", "conflict");
        STATE_SUMMARY.put("compliantDeviceCount", "compliant");
        STATE_SUMMARY.put("nonCompliantDeviceCount", "noncompliant");
        STATE_SUMMARY.put("errorDeviceCount", "error");
        STATE_SUMMARY.put("conflictDeviceCount", "conflict");
        STATE_SUMMARY.put("remediatedDeviceCount", "remediated");
        STATE_SUMMARY.put("notApplicableDeviceCount", "not_applicable");
        STATE_SUMMARY.put("unknownDeviceCount", "unknown");
    }

    private final GraphApi graph;
    private final Pattern include;
    private final Pattern exclude;
    private final int maxProfiles;
    private final boolean betaStatusOverview;

    public ConfigurationCollector(GraphApi graph, Duration interval, Pattern include, Pattern exclude, int maxProfiles,
            boolean betaStatusOverview) {
        super(NAME, interval);
        this.graph = graph;
        this.include = include;
        this.exclude = exclude;
        this.maxProfiles = maxProfiles;
        this.betaStatusOverview = betaStatusOverview;
    }

    static ConfigurationCollector create(ConfigValues block, GraphApi graph, Duration intervalOverride) {
        Duration interval = AbstractCollector.interval(block, intervalOverride, Duration.ofSeconds(5));
        return new ConfigurationCollector(graph, interval, block.regex("include-pattern"), block.regex("exclude-pattern"),
                block.integer("max-profiles", 1, 10_000), block.bool("beta-status-overview"));
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(PROFILES + "&$top=1"), GraphProbe.get(STATE_SUMMARIES));
    }

    @Override
    public List<String> betaSourcesOff() {
        return betaStatusOverview ? List.of() : List.of("intune.collectors.configuration.beta-status-overview");
    }

    static final String PROFILES = "/deviceManagement/deviceConfigurations?$select=id,displayName";
    static final String STATE_SUMMARIES = "/deviceManagement/deviceConfigurationDeviceStateSummaries";

    private record Profile(String id, String name, String platform) {}

    @Override
    public MetricSnapshots collect() throws Exception {
        List<JsonNode> all = graph.list(PROFILES);
        JsonNode summary = graph.get(STATE_SUMMARIES);

        List<Profile> wanted = new ArrayList<>();
        for (JsonNode p : all) {
            String id = GraphJson.text(p, "id");
            String name = ComplianceCollector.displayName("configuration profile", GraphJson.text(p, "displayName"));
            if (id == null || id.isBlank() || !selected(name)) {
                continue;
            }
            wanted.add(new Profile(id, name, platform(GraphJson.text(p, "@odata.type"))));
        }
        wanted.sort(Comparator.comparing(Profile::name).thenComparing(Profile::id));
        if (wanted.size() > maxProfiles) {
            LOG.warn("{} configuration profiles selected, exporting the first {} by name (intune.collectors.configuration.max-profiles)",
                    wanted.size(), maxProfiles);
            wanted = wanted.subList(0, maxProfiles);
        }

        GaugeFamily perProfile = GaugeFamily.of("intune_configuration_profile_devices",
                "Devices per device configuration profile and status, from each profile's deviceStatusOverview"
                        + (betaStatusOverview ? " (beta: conflicts apart)." : " (v1.0: conflicts are counted as errors)."),
                "profile", "platform", "status");
        for (Profile p : wanted) {
            String path = "/deviceManagement/deviceConfigurations/" + URLEncoder.encode(p.id(), StandardCharsets.UTF_8)
                    + "/deviceStatusOverview";
            JsonNode overview = betaStatusOverview ? graph.getBeta(path) : graph.get(path);
            for (Map.Entry<String, String> e : PROFILE_STATUS.entrySet()) {
                OptionalLong v = GraphJson.count(overview, e.getKey());
                if (v.isPresent()) {
                    perProfile.add(v.getAsLong(), p.name(), p.platform(), e.getValue());
                }
            }
        }

        GaugeFamily states = GaugeFamily.of("intune_configuration_state_devices",
                "Devices by configuration state across all device configuration profiles (deviceConfigurationDeviceStateSummaries).",
                "status");
        for (Map.Entry<String, String> e : STATE_SUMMARY.entrySet()) {
            OptionalLong v = GraphJson.count(summary, e.getKey());
            if (v.isPresent()) {
                states.add(v.getAsLong(), e.getValue());
            }
        }
        return new SnapshotBuilder()
                .add(perProfile)
                .add(states)
                .add(GaugeFamily.of("intune_configuration_profiles",
                        "Device configuration profiles in the tenant (deviceConfigurations), before include/exclude and max-profiles.")
                        .set(all.size()))
                .build();
    }

    private boolean selected(String name) {
        return (include == null || include.matcher(name).find()) && (exclude == null || !exclude.matcher(name).find());
    }

    /**
     * The platform a profile targets, from its OData type: {@code #microsoft.graph.iosWiFiConfiguration} gives ios,
     * {@code windows81SCEPCertificateProfile} windows81, {@code androidWorkProfileVpnConfiguration} android_work_profile.
     */
    static String platform(String odataType) {
        if (odataType == null) {
            return EnumLabels.UNKNOWN;
        }
        String t = odataType.replace("#microsoft.graph.", "").toLowerCase(Locale.ROOT);
        if (t.startsWith("windowsphone81")) {
            return "windows_phone81";
        }
        if (t.startsWith("windows81")) {
            return "windows81";
        }
        if (t.startsWith("windows") || t.startsWith("editionupgrade") || t.startsWith("sharedpc")) {
            return "windows10";
        }
        if (t.startsWith("ios")) {
            return "ios";
        }
        if (t.startsWith("macos")) {
            return "macos";
        }
        if (t.startsWith("androidworkprofile")) {
            return "android_work_profile";
        }
        if (t.startsWith("androiddeviceowner")) {
            return "android_device_owner";
        }
        if (t.startsWith("aospdeviceowner")) {
            return "aosp_device_owner";
        }
        if (t.startsWith("android")) {
            return "android";
        }
        return EnumLabels.UNKNOWN;
    }
}
