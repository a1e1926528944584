package io.github.intuneexporter.simulator;

import java.util.List;
import java.util.function.Consumer;

/**
 * What a scenario changes in the simulated tenant during one of its phases. Each field is read by one small hook
 * in the data classes ({@link SimulatedTenant}, {@link ProtectionData}, {@link ConnectorData},
 * {@link ServiceHealthData}) or by the simulator's fault injection, so the collectors see the change through the
 * normal Graph endpoints. {@link #NONE} changes nothing: the plain generated tenant.
 *
 * @param noncompliantShare share (0..1) of the devices that would be compliant which report noncompliant instead,
 *     in the device list and in every summary computed from it
 * @param defenderOutageShare share (0..1) of the Windows devices whose Defender real-time protection is off and
 *     whose signatures are out of date
 * @param apnsCertificate the APNs certificate's expiry
 * @param intuneIncident whether Intune has an open service incident
 * @param enrollmentFailuresPerHour extra enrollment failures per hour while the incident lasts (read from the
 *     incident phase by {@link EnrollmentData#burst}, which keeps the past ones listed after recovery)
 * @param faults extra fault rules of the simulator (after the configured ones)
 * @param unresolvedMalwareShare share (0..1) of the malware detections whose threat state stays unresolved (active,
 *     action failed, pending a reboot or scan) instead of remediated
 * @param partnerHeartbeatStopped whether the compliance management partner stopped sending heartbeats (its last one
 *     {@link AwarenessData#STALE_HEARTBEAT_BEFORE_INCIDENT} before the incident started)
 * @param certificateRenewalFailureShare share (0..1) of the iOS, iPadOS and macOS devices whose MDM certificate renewal
 *     fails, so that it expires within days
 * @param gracePeriodEndingShare share (0..1) of the compliant devices that a stricter policy puts into a compliance grace
 *     period ending within hours
 * @param subscriptionState the tenant's Intune subscription state (deviceManagementSubscriptionState member)
 * @param adminChangesPerHour extra administrator changes (audit events) per hour while the incident lasts, at any
 *     time of day (read from the incident phase by {@link AuditData}, which keeps the past ones listed)
 */
public record ScenarioEffects(
        double noncompliantShare,
        double defenderOutageShare,
        ApnsCertificate apnsCertificate,
        IntuneIncident intuneIncident,
        double enrollmentFailuresPerHour,
        List<FaultRule> faults,
        double unresolvedMalwareShare,
        boolean partnerHeartbeatStopped,
        double certificateRenewalFailureShare,
        double gracePeriodEndingShare,
        String subscriptionState,
        double adminChangesPerHour) {

    public static final ScenarioEffects NONE = of(changes -> {});

    /**
     * The effects that differ from {@link #NONE} by what {@code changes} sets, e.g.
     * {@code of(e -> e.noncompliantShare = 0.25)}: a scenario names only the knobs it turns.
     */
    public static ScenarioEffects of(Consumer<Builder> changes) {
        Builder b = new Builder();
        changes.accept(b);
        return b.build();
    }

    /** The fields of the record, mutable and starting at {@link #NONE}'s values; see {@link #of}. */
    public static final class Builder {
        public double noncompliantShare;
        public double defenderOutageShare;
        public ApnsCertificate apnsCertificate = ApnsCertificate.GENERATED;
        public IntuneIncident intuneIncident = IntuneIncident.GENERATED;
        public double enrollmentFailuresPerHour;
        public List<FaultRule> faults = List.of();
        public double unresolvedMalwareShare;
        public boolean partnerHeartbeatStopped;
        public double certificateRenewalFailureShare;
        public double gracePeriodEndingShare;
        public String subscriptionState = "active";
        public double adminChangesPerHour;

        private Builder() {}

        private ScenarioEffects build() {
            return new ScenarioEffects(
                    noncompliantShare,
                    defenderOutageShare,
                    apnsCertificate,
                    intuneIncident,
                    enrollmentFailuresPerHour,
                    faults,
                    unresolvedMalwareShare,
                    partnerHeartbeatStopped,
                    certificateRenewalFailureShare,
                    gracePeriodEndingShare,
                    subscriptionState,
                    adminChangesPerHour);
        }
    }

    /** The APNs certificate's state. */
    public enum ApnsCertificate {
        /** The generated expiry. */
        GENERATED,
        /** Expires {@link ConnectorData#APNS_DAYS_LEFT} days after the incident started, counting down. */
        EXPIRING,
        /** Renewed when the incident ended: expires a year later. */
        RENEWED
    }

    /** Intune's service incident. */
    public enum IntuneIncident {
        /** The generated incident windows (about one in three). */
        GENERATED,
        /** No open Intune incident (a quiet baseline). */
        NONE,
        /** An incident opened when the scenario's incident phase started. */
        OPEN,
        /** That incident, resolved when the incident phase ended. */
        RESOLVED
    }

    public ScenarioEffects {
        faults = List.copyOf(faults);
    }
}
