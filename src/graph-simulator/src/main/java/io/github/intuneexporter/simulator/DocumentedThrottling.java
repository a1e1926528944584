package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The throttling limits the simulator enforces, transcribed from Microsoft's "service-specific throttling limits" page
 * ({@code concepts/throttling-limits.md} of microsoft-graph-docs-contrib and its {@code includes/throttling-intune-*.md}
 * tables; see src/exporter-core/src/test/resources/graph-examples/README.md for the versions read) into the table
 * {@code /simulator/documented-throttling.tsv}. Deliberately independent of the exporter's own
 * {@code graph.IntuneThrottleBucket}: a test compares the two, so a wrong production table fails.
 *
 * <p>Every group's numbers are "limit per app per tenant". Which endpoint falls in which group is in
 * {@link GraphReference}: an endpoint whose resource Microsoft lists in no table (the report actions and export
 * jobs, beta depOnboardingSettings) has no group, and the simulator enforces no limit Microsoft does not document.
 */
public enum DocumentedThrottling {
    /** throttling-intune-devices.md: managedDevice, managedDeviceOverview, applePushNotificationCertificate, windowsMalwareInformation, malwareStateForWindowsDevice, windowsProtectionState. */
    DEVICES,
    /** throttling-intune-device-configuration.md: deviceManagement, deviceCompliancePolicy and its summaries and overviews, deviceConfiguration and its summaries and overviews, ndesConnector, deviceCompliancePolicySettingStateSummary, softwareUpdateStatusSummary. */
    DEVICE_CONFIGURATION,
    /** throttling-intune-enrollment.md: vppToken, deviceManagementExchangeConnector, mobileThreatDefenseConnector, deviceManagementPartner, complianceManagementPartner, deviceAppManagement. */
    ENROLLMENT,
    /** throttling-intune-troubleshooting.md: deviceManagementTroubleshootingEvent, deviceManagementAutopilotEvent, mobileAppTroubleshootingEvent. */
    TROUBLESHOOTING,
    /** throttling-intune-managed-applications.md: managedAppRegistration, iosManagedAppProtection, androidManagedAppProtection, managedAppPolicyDeploymentSummary. */
    MANAGED_APPLICATIONS,
    /** throttling-intune-applications.md: mobileApp. */
    APPLICATIONS,
    /**
     * "Service Communications service limits": any request under /admin/serviceAnnouncement/, 240 per 60 seconds (and
     * 800 per hour, which the simulator does not enforce). No separate write limit is documented.
     */
    SERVICE_COMMUNICATIONS;

    private record Limits(int anyRequests, int writeRequests, Duration window) {}

    private static final Map<DocumentedThrottling, Limits> LIMITS = load();

    private static Map<DocumentedThrottling, Limits> load() {
        Map<DocumentedThrottling, Limits> limits = new EnumMap<>(DocumentedThrottling.class);
        for (String[] row : DataTable.rows("documented-throttling.tsv", 5)) {
            limits.put(
                    valueOf(row[0]),
                    new Limits(
                            Integer.parseInt(row[1]),
                            Integer.parseInt(row[2]),
                            Duration.ofSeconds(Long.parseLong(row[3]))));
        }
        if (limits.size() != values().length) {
            throw new IllegalStateException("documented-throttling.tsv must list every group once: " + limits.keySet());
        }
        return limits;
    }

    /** Requests of any kind per app per tenant per {@link #window()}. */
    public int anyRequests() {
        return LIMITS.get(this).anyRequests();
    }

    /** POST, PUT, DELETE and PATCH requests per app per tenant per {@link #window()}. */
    public int writeRequests() {
        return LIMITS.get(this).writeRequests();
    }

    public Duration window() {
        return LIMITS.get(this).window();
    }

    /** Microsoft's tables count POST, PUT, DELETE and PATCH as writes. */
    public static boolean isWrite(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("DELETE") || method.equals("PATCH");
    }
}
