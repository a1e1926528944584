package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpec;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    private final Clock clock;

    public PartnersCollector(GraphApi graph, Clock clock, Duration interval, CollectorSettings.Partners settings) {
        super(NAME, FAMILIES, graph, interval, settings);
        this.clock = clock;
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(COMPLIANCE + "&$top=1"), GraphProbe.get(REMOTE_ASSISTANCE + "&$top=1"));
    }

    static final FamilySpec PARTNER_HEARTBEAT_AGE_SECONDS = FamilySpec.gauge(
            "intune_partner_heartbeat_age_seconds",
            "Seconds since the partner last reported: compliance partner lastHeartbeatDateTime, remote assistance "
                    + "partner lastConnectionDateTime (v1.0 has no heartbeat for those). Absent when never.",
            "partner_type",
            "partner");
    static final FamilySpec COMPLIANCE_PARTNER_STATE = FamilySpec.gauge(
            "intune_compliance_partner_state",
            "1 for the compliance management partner's partnerState, 0 for the other states of the v1.0 enum; "
                    + "partner=\"_other\": partners beyond max-partners per state.",
            "partner",
            "state");
    static final FamilySpec REMOTE_ASSISTANCE_PARTNER_ONBOARDING_STATUS = FamilySpec.gauge(
            "intune_remote_assistance_partner_onboarding_status",
            "1 for the remote assistance partner's onboardingStatus, 0 for the other values; _other: partners per "
                    + "status.",
            "partner",
            "status");
    static final FamilySpec PARTNERS =
            FamilySpec.gauge("intune_partners", "Partners Graph lists, by type, before max-partners.", "partner_type");
    static final List<FamilySpec> FAMILIES = List.of(
            PARTNER_HEARTBEAT_AGE_SECONDS,
            COMPLIANCE_PARTNER_STATE,
            REMOTE_ASSISTANCE_PARTNER_ONBOARDING_STATUS,
            PARTNERS);

    @Override
    public MetricSnapshots collect() throws Exception {
        List<JsonNode> compliance = graph.list(COMPLIANCE);
        List<JsonNode> remote = graph.list(REMOTE_ASSISTANCE);
        Instant now = clock.instant();

        GaugeFamily age = PARTNER_HEARTBEAT_AGE_SECONDS.gauge();
        GaugeFamily state = COMPLIANCE_PARTNER_STATE.gauge();
        for (Named p : named("compliance management partner", compliance)) {
            heartbeat(age, "compliance", p, "lastHeartbeatDateTime", now);
            StateCounts.zeroFill(state, List.of(p.label()), PARTNER_STATES);
            state.add(
                    1,
                    p.label(),
                    EnumLabels.bounded(GraphJson.text(p.item(), "partnerState"), Set.copyOf(PARTNER_STATES)));
        }
        GaugeFamily onboarding = REMOTE_ASSISTANCE_PARTNER_ONBOARDING_STATUS.gauge();
        for (Named p : named("remote assistance partner", remote)) {
            heartbeat(age, "remote_assistance", p, "lastConnectionDateTime", now);
            StateCounts.zeroFill(onboarding, List.of(p.label()), ONBOARDING_STATUSES);
            onboarding.add(
                    1,
                    p.label(),
                    EnumLabels.bounded(GraphJson.text(p.item(), "onboardingStatus"), Set.copyOf(ONBOARDING_STATUSES)));
        }
        return new SnapshotBuilder()
                .add(state)
                .add(onboarding)
                .add(age)
                .add(PARTNERS.gauge().set(compliance.size(), "compliance").set(remote.size(), "remote_assistance"))
                .build();
    }

    private static void heartbeat(GaugeFamily age, String type, Named p, String field, Instant now) {
        Instant last = GraphJson.instant(p.item(), field);
        if (last != null) {
            // A heartbeat stamped ahead of our clock (skew) is "just now", not a negative age.
            // _other (partners beyond max-partners) keeps the oldest report, the one an alert is about.
            age.max(Math.max(0, Duration.between(last, now).getSeconds()), type, p.label());
        }
    }

    /** A partner with its label. */
    record Named(String label, JsonNode item) {}

    /**
     * Labels the partners of one type: sorted by label and id so that the same partners always get the same labels, at
     * the first {@code max-partners} under their name and the rest as {@code _other}, and a name shared by two partners
     * made unique with " #2", " #3"...
     */
    List<Named> named(String family, List<JsonNode> items) {
        record Base(String label, String id, JsonNode item) {}
        List<Base> sorted = new ArrayList<>();
        for (JsonNode item : items) {
            String id = GraphJson.text(item, "id");
            sorted.add(new Base(
                    AdminNames.label(family, GraphJson.text(item, "displayName")), id == null ? "" : id, item));
        }
        sorted.sort(Comparator.comparing(Base::label).thenComparing(Base::id));
        AdminNames.TopN top =
                new AdminNames.TopN(family, "intune.collectors.partners.max-partners", settings.maxPartners());
        Set<String> used = new HashSet<>();
        List<Named> out = new ArrayList<>();
        for (Base b : sorted) {
            String label = b.label();
            for (int k = 2; !used.add(label); k++) {
                label = b.label() + " #" + k;
            }
            out.add(new Named(top.rank(label), b.item()));
        }
        top.finish();
        return out;
    }
}
