package io.github.intuneexporter.simulator;

import io.github.intuneexporter.simulator.ScenarioEffects.ApnsCertificate;
import io.github.intuneexporter.simulator.ScenarioEffects.IntuneIncident;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The scenarios the simulator can play ({@code --demo --scenario NAME}; docs/scenarios.md describes each).
 * Every scenario is data: what its incident phase changes, and which alerts of the shipped rules should fire.
 * The demo incident lengths cover those alerts' {@code for:} durations plus a margin.
 */
public final class Scenarios {
    private Scenarios() {}

    private static final ScenarioEffects N = ScenarioEffects.NONE;
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    public static final Scenario NONCOMPLIANCE_SPIKE = new Scenario(
            "noncompliance-spike",
            "a quarter of the compliant devices turn noncompliant after a compliance policy change (in the audit log, with a few "
                    + "follow-up edits), in the device list and the summaries",
            N,
            N.withNoncompliantShare(0.25).withAdminChangesPerHour(4),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntuneNoncompliantDevicesSpike", "IntuneComplianceRatioDrop"));

    public static final Scenario DEFENDER_OUTAGE = new Scenario(
            "defender-outage",
            "Defender real-time protection is off and signatures are out of date on 30% of the Windows devices",
            N,
            N.withDefenderOutageShare(0.30),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(150),
            List.of("IntuneDefenderRealTimeProtectionOff", "IntuneDefenderSignaturesOverdue"));

    /**
     * The spike alerts compare the last hour with the average hour of the last 7 days; on a freshly started
     * Prometheus that average covers only the demo's history, so the normal phase is longer here.
     */
    public static final Scenario MALWARE_OUTBREAK = new Scenario(
            "malware-outbreak",
            "Defender cannot remediate a quarter of the malware detections (active, action failed, pending a reboot or a scan), "
                    + "on dozens of Windows devices; recovery remediates them",
            N,
            N.withUnresolvedMalwareShare(0.25),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntuneActiveMalware"));

    public static final Scenario ENROLLMENT_FAILURE_BURST = new Scenario(
            "enrollment-failure-burst",
            "enrollments fail every 3 s with userValidation (a licensing change: users without an Intune license), "
                    + "on top of the usual failures; recovery stops the burst",
            N,
            N.withEnrollmentFailuresPerHour(1200),
            N,
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            List.of("IntuneEnrollmentFailureCategorySpike", "IntuneEnrollmentFailureSpike"));

    public static final Scenario APNS_EXPIRING = new Scenario(
            "apns-expiring",
            "the Apple MDM push certificate expires " + ScenarioRun.APNS_DAYS_LEFT + " days after the incident starts; "
                    + "recovery renews it for a year",
            N,
            N.withApnsCertificate(ApnsCertificate.EXPIRING),
            N.withApnsCertificate(ApnsCertificate.RENEWED),
            FIVE_MINUTES,
            Duration.ofMinutes(90),
            List.of("IntuneApplePushCertificateExpiring"));

    public static final Scenario GRAPH_THROTTLING = new Scenario(
            "graph-throttling",
            "Microsoft Graph answers every request 429 (Retry-After: 1 s) for longer than the exporter retries: "
                    + "collections fail and the last good data is served",
            N,
            N.withFaults(
                    List.of(new FaultRule(FaultRule.Kind.THROTTLE, "", 1.0, Duration.ofSeconds(1), Duration.ZERO))),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(50),
            List.of("IntuneDataStale", "IntuneCollectorFailing", "IntuneGraphThrottlingSustained"));

    public static final Scenario GRAPH_OUTAGE = new Scenario(
            "graph-outage",
            "Microsoft Graph answers every request 503: collections fail and the last good data is served",
            N,
            N.withFaults(List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 1.0, Duration.ZERO, Duration.ZERO))),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(20),
            List.of("IntuneDataStale", "IntuneCollectorFailing"));

    public static final Scenario SERVICE_INCIDENT = new Scenario(
            "service-incident",
            "Microsoft opens an Intune service incident (Investigating, then ServiceDegradation); recovery resolves it",
            N.withIntuneIncident(IntuneIncident.NONE),
            N.withIntuneIncident(IntuneIncident.OPEN),
            N.withIntuneIncident(IntuneIncident.RESOLVED),
            FIVE_MINUTES,
            Duration.ofMinutes(20),
            List.of("IntuneServiceIncidentOpen"));

    public static final Scenario PARTNER_HEARTBEAT_STALE = new Scenario(
            "partner-heartbeat-stale",
            "the compliance management partner (Jamf Pro) stops sending heartbeats: Graph reports its last one "
                    + AwarenessData.STALE_HEARTBEAT_BEFORE_INCIDENT.toHours()
                    + " h before the incident started; recovery resumes them",
            N,
            N.withPartnerHeartbeatStopped(true),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntunePartnerHeartbeatStale"));

    public static final Scenario SUBSCRIPTION_WARNING = new Scenario(
            "subscription-warning",
            "the tenant's Intune subscription goes into state warning (e.g. licenses lapsed); recovery makes it active again",
            N,
            N.withSubscriptionState("warning"),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntuneSubscriptionNotActive"));

    public static final Scenario CERTIFICATES_EXPIRING = new Scenario(
            "certificates-expiring",
            "MDM certificate renewal fails on 30% of the iOS, iPadOS and macOS devices: their certificates expire within "
                    + "1 to 5 days; recovery renews them",
            N,
            N.withCertificateRenewalFailureShare(0.30),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(45),
            List.of("IntuneManagementCertificatesExpiring"));

    public static final Scenario GRACE_PERIOD_ENDING = new Scenario(
            "grace-period-ending",
            "a stricter compliance policy puts 5% of the compliant devices into a grace period that ends within 6 to 21 hours; "
                    + "recovery (the devices were fixed) makes them compliant again",
            N,
            N.withGracePeriodEndingShare(0.05),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntuneComplianceGracePeriodEnding"));

    /**
     * The alert fires only outside the working hours of the alert thresholds (default: before 08:00, from 18:00 UTC and
     * at weekends); played during working hours, the burst shows on the dashboards only.
     */
    public static final Scenario ADMIN_CHANGE_BURST = new Scenario(
            "admin-change-burst",
            "administrators make a change every 20 s (compliance and configuration policies edited and deleted) in the audit "
                    + "log; outside working hours this fires the alert; recovery stops the burst",
            N,
            N.withAdminChangesPerHour(180),
            N,
            FIVE_MINUTES,
            Duration.ofMinutes(30),
            List.of("IntuneAdminChangesOutsideWorkingHours"));

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
