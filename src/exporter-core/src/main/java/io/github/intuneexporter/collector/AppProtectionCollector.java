package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App protection (MAM): one streamed scan of managedAppRegistrations (registrations by platform and app,
 * flagged registrations and users, stale registrations) plus the iOS and Android app protection policies with
 * their deploymentSummary. The policies are listed with {@code $expand=deploymentSummary}: one request per
 * platform instead of one per policy, and the per-policy {@code /deploymentSummary} path has been reported to
 * answer 400 "No method match route template" (microsoft-graph-docs-contrib #6712) while $expand works.
 */
public final class AppProtectionCollector extends AbstractCollector<CollectorSettings.AppProtection> {
    public static final String NAME = "app_protection";
    private static final Logger LOG = LoggerFactory.getLogger(AppProtectionCollector.class);

    /** Label for the apps outside the allow-list or the top N. */
    public static final String OTHER = "_other";
    /**
     * v1.0's managedAppFlaggedReason in snake_case (none, rootedDevice), plus "unknown" for anything else (beta's
     * androidBootloaderUnlocked and androidFactoryRomModified are not in v1.0).
     */
    public static final List<String> REASONS = List.of("none", "rooted_device", "unknown");

    private static final Set<String> KNOWN_REASONS = Set.copyOf(REASONS.subList(0, 2));
    /** v1.0 has iOS and Android registrations; beta adds Windows. Always exported: ios, android. */
    private static final Set<String> PLATFORMS = Set.of("ios", "android", "windows");

    private static final List<String> BASE_PLATFORMS = List.of(Platform.IOS.label(), Platform.ANDROID.label());
    /** Distinct app ids counted individually; beyond this (a tenant full of line-of-business apps) they go to _other. */
    private static final int MAX_TRACKED_APPS = 10_000;

    private final AtomicBoolean warnedSummary = new AtomicBoolean();

    /**
     * {@code allowedApps}: bundle/package ids exported under their own label (empty: the {@code maxApps} apps with the
     * most registrations); every other app is counted as {@code _other}.
     */
    public AppProtectionCollector(
            GraphApi graph, Clock clock, Duration interval, CollectorSettings.AppProtection settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        // The requests of a run, one item each.
        List<GraphProbe> out = new ArrayList<>(List.of(GraphProbe.get(REGISTRATIONS + "?$top=1")));
        for (String platform : BASE_PLATFORMS) {
            out.add(GraphProbe.get(policies(platform) + "&$top=1"));
        }
        return out;
    }

    static final String REGISTRATIONS = "/deviceAppManagement/managedAppRegistrations";

    /** One platform's app protection policies with their deployment summaries. */
    static String policies(String platform) {
        return "/deviceAppManagement/" + platform + "ManagedAppProtections?$expand=deploymentSummary";
    }

    private record AppKey(String platform, String app) {}

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_app_protection_registrations{platform,app}
                Managed app registrations (managedAppRegistrations) by platform and app bundle/package id; apps outside
                intune.collectors.app_protection.apps or the top max-apps are counted as app="_other".
            gauge intune_app_protection_flagged_registrations{platform,reason}
                Managed app registrations by platform and flagged reason (managedAppRegistrations.flaggedReasons; a
                registration counts once per reason; reason=none: not flagged).
            gauge intune_app_protection_flagged_users
                Distinct users (userId) with at least one flagged managed app registration.
            gauge intune_app_protection_stale_registrations{platform}
                Managed app registrations whose lastSyncDateTime is more than stale-days days ago or never
                (intune.collectors.app_protection.stale-days).
            gauge intune_app_protection_policy_deployed_users{policy,platform}
                Users an app protection policy is deployed to (deploymentSummary.configurationDeployedUserCount of
                iosManagedAppProtections / androidManagedAppProtections); policies beyond max-policies in
                policy="_other".
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant staleBefore = clock.instant().minus(Duration.ofDays(settings.staleDays()));
        Map<AppKey, Long> perApp = new HashMap<>();
        Map<String, Long> appTotals = new HashMap<>();
        GaugeFamily flagged = FAMILIES.gauge("intune_app_protection_flagged_registrations");
        GaugeFamily stale = FAMILIES.gauge("intune_app_protection_stale_registrations");
        Set<String> platformsSeen = new LinkedHashSet<>(BASE_PLATFORMS);
        // User ids only live for this run, to count distinct flagged users; they are never exported or logged.
        Set<String> flaggedUsers = new HashSet<>();

        graph.forEach(REGISTRATIONS + "?$top=" + graph.pageSize(), parser -> {
            JsonNode item = GraphApi.mapper().readTree(parser);
            String platform = platform(GraphJson.text(item, "@odata.type"));
            platformsSeen.add(platform);
            String app = appId(item.get("appIdentifier"));
            if (!appTotals.containsKey(app) && appTotals.size() >= MAX_TRACKED_APPS) {
                app = OTHER;
            }
            perApp.merge(new AppKey(platform, app), 1L, Long::sum);
            appTotals.merge(app, 1L, Long::sum);

            Set<String> reasons = reasons(item.get("flaggedReasons"));
            reasons.remove("none");
            if (reasons.isEmpty()) {
                flagged.add(1, platform, "none");
            } else {
                for (String reason : reasons) {
                    flagged.add(1, platform, reason);
                }
                String user = GraphJson.text(item, "userId");
                if (user != null && !user.isBlank()) {
                    flaggedUsers.add(user);
                }
            }
            Instant lastSync = GraphJson.instant(item, "lastSyncDateTime");
            if (lastSync == null || lastSync.isBefore(staleBefore)) {
                stale.add(1, platform);
            }
        });

        StateCounts.zeroFill(stale, List.copyOf(platformsSeen));
        StateCounts.zeroFill(flagged, List.copyOf(platformsSeen), REASONS);
        Set<String> labelled = labelledApps(appTotals);
        GaugeFamily registrations = FAMILIES.gauge("intune_app_protection_registrations");
        perApp.entrySet().stream()
                .sorted(Comparator.comparing(
                                (Map.Entry<AppKey, Long> e) -> e.getKey().platform())
                        .thenComparing(e -> e.getKey().app()))
                .forEach(e -> registrations.add(
                        e.getValue(),
                        e.getKey().platform(),
                        labelled.contains(e.getKey().app()) ? e.getKey().app() : OTHER));

        SnapshotBuilder out = new SnapshotBuilder();
        out.add(registrations).add(flagged);
        out.add(FAMILIES.gauge("intune_app_protection_flagged_users").set(flaggedUsers.size()));
        out.add(stale);
        out.add(policies());
        return out.build();
    }

    /** The app ids exported under their own label. */
    private Set<String> labelledApps(Map<String, Long> appTotals) {
        if (!settings.apps().isEmpty()) {
            return settings.apps();
        }
        List<Map.Entry<String, Long>> ranked = new ArrayList<>(appTotals.entrySet());
        ranked.removeIf(e -> e.getKey().equals(OTHER));
        // Most registrations first; ties by id, so the choice is stable from run to run.
        ranked.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Set<String> out = new HashSet<>();
        for (int i = 0; i < Math.min(settings.maxApps(), ranked.size()); i++) {
            out.add(ranked.get(i).getKey());
        }
        return out;
    }

    private GaugeFamily policies() throws Exception {
        GaugeFamily deployed = FAMILIES.gauge("intune_app_protection_policy_deployed_users");
        int missingSummaries = 0;
        for (String platform : BASE_PLATFORMS) {
            List<JsonNode> policies = graph.list(policies(platform));
            policies.sort(Comparator.comparing(p -> String.valueOf(GraphJson.text(p, "displayName"))));
            // Beyond max-policies (by name), the deployed users add up under policy="_other".
            AdminNames.TopN names = new AdminNames.TopN(
                    "app protection policy", "intune.collectors.app_protection.max-policies", settings.maxPolicies());
            for (JsonNode policy : policies) {
                JsonNode summary = policy.get("deploymentSummary");
                OptionalLong users = summary != null && summary.isObject()
                        ? GraphJson.count(summary, "configurationDeployedUserCount")
                        : OptionalLong.empty();
                if (users.isEmpty()) {
                    missingSummaries++;
                    continue;
                }
                deployed.add(users.getAsLong(), names.label(GraphJson.text(policy, "displayName")), platform);
            }
            names.finish();
        }
        if (missingSummaries > 0 && warnedSummary.compareAndSet(false, true)) {
            LOG.warn(
                    "{} app protection policies came without an expanded deploymentSummary; they are left out of "
                            + "intune_app_protection_policy_deployed_users",
                    missingSummaries);
        }
        return deployed;
    }

    /** "#microsoft.graph.iosManagedAppRegistration" gives ios; a platform v1.0 and beta do not have gives unknown. */
    static String platform(String odataType) {
        Platform p = Platform.ofODataType(odataType);
        return PLATFORMS.contains(p.label()) ? p.label() : Platform.UNKNOWN.label();
    }

    /** The bundle id (iOS) or package id (Android) of a registration's appIdentifier; "unknown" without one. */
    static String appId(JsonNode identifier) {
        if (identifier == null || !identifier.isObject()) {
            return EnumLabels.UNKNOWN;
        }
        for (String field : List.of("bundleId", "packageId", "windowsAppId")) {
            String id = GraphJson.text(identifier, field);
            if (id != null && !id.isBlank()) {
                String s = id.strip();
                return s.length() > 120 ? s.substring(0, 120) : s;
            }
        }
        return EnumLabels.UNKNOWN;
    }

    /** The distinct flagged reasons of a registration: a JSON array, or leniently a comma-separated string. */
    static Set<String> reasons(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            for (JsonNode r : node) {
                if (r.isTextual() && !r.textValue().isBlank()) {
                    out.add(EnumLabels.bounded(r.textValue(), KNOWN_REASONS));
                }
            }
        } else if (node.isTextual()) {
            out.addAll(EnumLabels.flags(node.textValue(), KNOWN_REASONS));
        }
        return out;
    }
}
