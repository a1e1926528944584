package io.github.intuneexporter.simulator;

import io.github.intuneexporter.simulator.ScenarioEffects.ApnsCertificate;
import io.github.intuneexporter.simulator.ScenarioEffects.IntuneIncident;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The scenarios the simulator can play ({@code --demo --scenario NAME}; docs/scenarios.md describes each).
 * Every scenario is data: what its incident phase changes, and which alerts of the shipped rules should fire.
 * The demo incident lengths cover those alerts' {@code for:} durations plus a margin.
 */
public final class Scenarios {
    private Scenarios() {}

    /** How long most scenarios run normally before their incident by default. */
    private static final Duration NORMAL_LENGTH = Duration.ofMinutes(5);

    /**
     * The usual shape: normal for {@link #NORMAL_LENGTH}, then an incident of {@code incidentMinutes} that changes
     * what {@code incident} sets, then back to normal.
     */
    private static Scenario incident(
            String name,
            String summary,
            Consumer<ScenarioEffects.Builder> incident,
            int incidentMinutes,
            String... alerts) {
        return new Scenario(
                name,
                summary,
                ScenarioEffects.NONE,
                ScenarioEffects.of(incident),
                ScenarioEffects.NONE,
                NORMAL_LENGTH,
                Duration.ofMinutes(incidentMinutes),
                List.of(alerts));
    }

    private static final ScenarioEffects N = ScenarioEffects.NONE;

    public static final Scenario NONCOMPLIANCE_SPIKE = incident(
            "noncompliance-spike",
            "a quarter of the compliant devices turn noncompliant after a compliance policy change (in the audit log, with a few "
                    + "follow-up edits), in the device list and the summaries",
            e -> {
                e.noncompliantShare = 0.25;
                e.adminChangesPerHour = 4;
            },
            30,
            "IntuneNoncompliantDevicesSpike",
            "IntuneComplianceRatioDrop");

    public static final Scenario DEFENDER_OUTAGE = incident(
            "defender-outage",
            "Defender real-time protection is off and signatures are out of date on 30% of the Windows devices",
            e -> e.defenderOutageShare = 0.30,
            150,
            "IntuneDefenderRealTimeProtectionOff",
            "IntuneDefenderSignaturesOverdue");

    public static final Scenario MALWARE_OUTBREAK = incident(
            "malware-outbreak",
            "Defender cannot remediate a quarter of the malware detections (active, action failed, pending a reboot or a scan), "
                    + "on dozens of Windows devices; recovery remediates them",
            e -> e.unresolvedMalwareShare = 0.25,
            30,
            "IntuneActiveMalware");

    /**
     * The spike alerts compare the last hour with the average hour of the last 7 days; on a freshly started
     * Prometheus that average covers only the demo's history, so the normal phase is longer here.
     */
    public static final Scenario ENROLLMENT_FAILURE_BURST = new Scenario(
            "enrollment-failure-burst",
            "enrollments fail every 3 s with userValidation (a licensing change: users without an Intune license), "
                    + "on top of the usual failures; recovery stops the burst",
            N,
            ScenarioEffects.of(e -> e.enrollmentFailuresPerHour = 1200),
            N,
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            List.of("IntuneEnrollmentFailureCategorySpike", "IntuneEnrollmentFailureSpike"));

    public static final Scenario APNS_EXPIRING = new Scenario(
            "apns-expiring",
            "the Apple MDM push certificate expires " + ConnectorData.APNS_DAYS_LEFT
                    + " days after the incident starts; " + "recovery renews it for a year",
            N,
            ScenarioEffects.of(e -> e.apnsCertificate = ApnsCertificate.EXPIRING),
            ScenarioEffects.of(e -> e.apnsCertificate = ApnsCertificate.RENEWED),
            NORMAL_LENGTH,
            Duration.ofMinutes(90),
            List.of("IntuneApplePushCertificateExpiring"));

    public static final Scenario GRAPH_THROTTLING = incident(
            "graph-throttling",
            "Microsoft Graph answers every request 429 (Retry-After: 1 s) for longer than the exporter retries: "
                    + "collections fail and the last good data is served",
            e -> e.faults =
                    List.of(new FaultRule(FaultRule.Kind.THROTTLE, "", 1.0, Duration.ofSeconds(1), Duration.ZERO)),
            50,
            "IntuneDataStale",
            "IntuneCollectorFailing",
            "IntuneGraphThrottlingSustained");

    public static final Scenario GRAPH_OUTAGE = incident(
            "graph-outage",
            "Microsoft Graph answers every request 503: collections fail and the last good data is served",
            e -> e.faults = List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 1.0, Duration.ZERO, Duration.ZERO)),
            20,
            "IntuneDataStale",
            "IntuneCollectorFailing");

    public static final Scenario SERVICE_INCIDENT = new Scenario(
            "service-incident",
            "Microsoft opens an Intune service incident (Investigating, then ServiceDegradation); recovery resolves it",
            ScenarioEffects.of(e -> e.intuneIncident = IntuneIncident.NONE),
            ScenarioEffects.of(e -> e.intuneIncident = IntuneIncident.OPEN),
            ScenarioEffects.of(e -> e.intuneIncident = IntuneIncident.RESOLVED),
            NORMAL_LENGTH,
            Duration.ofMinutes(20),
            List.of("IntuneServiceIncidentOpen"));

    public static final Scenario PARTNER_HEARTBEAT_STALE = incident(
            "partner-heartbeat-stale",
            "the compliance management partner (Jamf Pro) stops sending heartbeats: Graph reports its last one "
                    + AwarenessData.STALE_HEARTBEAT_BEFORE_INCIDENT.toHours()
                    + " h before the incident started; recovery resumes them",
            e -> e.partnerHeartbeatStopped = true,
            30,
            "IntunePartnerHeartbeatStale");

    public static final Scenario SUBSCRIPTION_WARNING = incident(
            "subscription-warning",
            "the tenant's Intune subscription goes into state warning (e.g. licenses lapsed); recovery makes it active again",
            e -> e.subscriptionState = "warning",
            30,
            "IntuneSubscriptionNotActive");

    public static final Scenario CERTIFICATES_EXPIRING = incident(
            "certificates-expiring",
            "MDM certificate renewal fails on 30% of the iOS, iPadOS and macOS devices: their certificates expire within "
                    + "1 to 5 days; recovery renews them",
            e -> e.certificateRenewalFailureShare = 0.30,
            45,
            "IntuneManagementCertificatesExpiring");

    public static final Scenario GRACE_PERIOD_ENDING = incident(
            "grace-period-ending",
            "a stricter compliance policy puts 5% of the compliant devices into a grace period that ends within 6 to 21 hours; "
                    + "recovery (the devices were fixed) makes them compliant again",
            e -> e.gracePeriodEndingShare = 0.05,
            30,
            "IntuneComplianceGracePeriodEnding");

    /**
     * The alert fires only outside the working hours of the alert thresholds (default: before 08:00, from 18:00 UTC and
     * at weekends); played during working hours, the burst shows on the dashboards only.
     */
    public static final Scenario ADMIN_CHANGE_BURST = incident(
            "admin-change-burst",
            "administrators make a change every 20 s (compliance and configuration policies edited and deleted) in the audit "
                    + "log; outside working hours this fires the alert; recovery stops the burst",
            e -> e.adminChangesPerHour = 180,
            30,
            "IntuneAdminChangesOutsideWorkingHours");

    public static final List<Scenario> ALL = List.of(
            NONCOMPLIANCE_SPIKE,
            DEFENDER_OUTAGE,
            MALWARE_OUTBREAK,
            ENROLLMENT_FAILURE_BURST,
            APNS_EXPIRING,
            GRAPH_THROTTLING,
            GRAPH_OUTAGE,
            SERVICE_INCIDENT,
            PARTNER_HEARTBEAT_STALE,
            SUBSCRIPTION_WARNING,
            CERTIFICATES_EXPIRING,
            GRACE_PERIOD_ENDING,
            ADMIN_CHANGE_BURST);

    public static Optional<Scenario> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }
}
