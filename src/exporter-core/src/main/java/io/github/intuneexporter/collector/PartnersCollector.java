package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.AdminNamedObjects;
import io.github.intuneexporter.collector.kit.AdminNamedObjects.Labelled;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Compliance management partners ({@code GET /deviceManagement/complianceManagementPartners}, e.g. Jamf as a compliance
 * partner) and remote assistance partners ({@code GET /deviceManagement/remoteAssistancePartners}, e.g. TeamViewer):
 * their state and how long ago they last reported. Both v1.0, DeviceManagementServiceConfig.Read.All, one request each.
 *
 * <p>v1.0 gives compliance partners a {@code partnerState} and {@code lastHeartbeatDateTime}; remote assistance partners
 * have no heartbeat, only {@code onboardingStatus} and {@code lastConnectionDateTime}, which is exported as their
 * heartbeat. The partner label is the partner's display name through {@link AdminNames} (vendor names, but admin-visible
 * text), made unique per type, at most {@code max-partners} per type.
 */
public final class PartnersCollector extends AbstractCollector<CollectorSettings.Partners> {
    public static final String NAME = "partners";

    /** v1.0 enum deviceManagementPartnerTenantState, snake_case. */
    public static final List<String> PARTNER_STATES =
            List.of("unknown", "unavailable", "enabled", "terminated", "rejected", "unresponsive");
    /** v1.0 enum remoteAssistanceOnboardingStatus, snake_case (anything newer is unknown). */
    public static final List<String> ONBOARDING_STATUSES =
            List.of("not_onboarded", "onboarding", "onboarded", "unknown");

    static final String COMPLIANCE =
            "/deviceManagement/complianceManagementPartners?$select=id,displayName,partnerState,lastHeartbeatDateTime";
    static final String REMOTE_ASSISTANCE =
            "/deviceManagement/remoteAssistancePartners?$select=id,displayName,onboardingStatus,lastConnectionDateTime";

    public PartnersCollector(GraphApi graph, Clock clock, Duration interval, CollectorSettings.Partners settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(COMPLIANCE + "&$top=1"), GraphProbe.get(REMOTE_ASSISTANCE + "&$top=1"));
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_partner_heartbeat_age_seconds{partner_type,partner}
                Seconds since the partner last reported: compliance partner lastHeartbeatDateTime, remote assistance
                partner lastConnectionDateTime (v1.0 has no heartbeat for those). Absent when never.
            gauge intune_compliance_partner_state{partner,state}
                1 for the compliance management partner's partnerState, 0 for the other states of the v1.0 enum;
                partner="_other": partners beyond max-partners per state.
            gauge intune_remote_assistance_partner_onboarding_status{partner,status}
                1 for the remote assistance partner's onboardingStatus, 0 for the other values; _other: partners per
                status.
            gauge intune_partners{partner_type}
                Partners Graph lists, by type, before max-partners.
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        List<JsonNode> compliance = graph.list(COMPLIANCE);
        List<JsonNode> remote = graph.list(REMOTE_ASSISTANCE);
        Instant now = clock.instant();

        GaugeFamily age = FAMILIES.gauge("intune_partner_heartbeat_age_seconds");
        GaugeFamily state = FAMILIES.gauge("intune_compliance_partner_state");
        for (Labelled p : named("compliance management partner", compliance)) {
            heartbeat(age, "compliance", p, "lastHeartbeatDateTime", now);
            StateCounts.oneHot(state, GraphJson.text(p.item(), "partnerState"), PARTNER_STATES, p.label());
        }
        GaugeFamily onboarding = FAMILIES.gauge("intune_remote_assistance_partner_onboarding_status");
        for (Labelled p : named("remote assistance partner", remote)) {
            heartbeat(age, "remote_assistance", p, "lastConnectionDateTime", now);
            StateCounts.oneHot(
                    onboarding, GraphJson.text(p.item(), "onboardingStatus"), ONBOARDING_STATUSES, p.label());
        }
        return new SnapshotBuilder()
                .add(state)
                .add(onboarding)
                .add(age)
                .add(FAMILIES.gauge("intune_partners")
                        .set(compliance.size(), "compliance")
                        .set(remote.size(), "remote_assistance"))
                .build();
    }

    private static void heartbeat(GaugeFamily age, String type, Labelled p, String field, Instant now) {
        Instant last = GraphJson.instant(p.item(), field);
        if (last != null) {
            // A heartbeat stamped ahead of our clock (skew) is "just now", not a negative age.
            // _other (partners beyond max-partners) keeps the oldest report, the one an alert is about.
            age.max(Math.max(0, Duration.between(last, now).getSeconds()), type, p.label());
        }
    }

    /** A partner with its label. */
    /** The partners of one type, labelled by display name ({@link AdminNamedObjects}). */
    List<Labelled> named(String family, List<JsonNode> items) {
        return AdminNamedObjects.label(
                items,
                item -> AdminNames.label(family, GraphJson.text(item, "displayName")),
                new AdminNames.TopN(family, "intune.collectors.partners.max-partners", settings.maxPartners()),
                Integer.MAX_VALUE);
    }
}
