package io.github.intuneexporter.simulator;

import java.time.Duration;

/**
 * The throttling limits the simulator enforces, written from Microsoft's "service-specific throttling limits" page
 * ({@code concepts/throttling-limits.md} of microsoft-graph-docs-contrib and its {@code includes/throttling-intune-*.md}
 * tables; see src/exporter-core/src/test/resources/graph-examples/README.md for the versions read). Deliberately independent of the
 * exporter's own {@code graph.IntuneThrottleBucket}: a test compares the two, so a wrong production table fails.
 *
 * <p>Every group's numbers are "limit per app per tenant". Which endpoint falls in which group is in
 * {@link GraphReference}: an endpoint whose resource Microsoft lists in no table (the report actions and export
 * jobs, beta depOnboardingSettings) has no group, and the simulator enforces no limit Microsoft does not document.
 */
public enum DocumentedThrottling {
    /** throttling-intune-devices.md: managedDevice, managedDeviceOverview, applePushNotificationCertificate, windowsMalwareInformation, malwareStateForWindowsDevice, windowsProtectionState. */
    DEVICES(2000, 200, Duration.ofSeconds(20)),
    /** throttling-intune-device-configuration.md: deviceManagement, deviceCompliancePolicy and its summaries and overviews, deviceConfiguration and its summaries and overviews, ndesConnector, deviceCompliancePolicySettingStateSummary, softwareUpdateStatusSummary. */
    DEVICE_CONFIGURATION(1000, 100, Duration.ofSeconds(20)),
    /** throttling-intune-enrollment.md: vppToken, deviceManagementExchangeConnector, mobileThreatDefenseConnector, deviceManagementPartner, complianceManagementPartner, deviceAppManagement. */
    ENROLLMENT(1000, 100, Duration.ofSeconds(20)),
    /** throttling-intune-troubleshooting.md: deviceManagementTroubleshootingEvent, deviceManagementAutopilotEvent, mobileAppTroubleshootingEvent. */
    TROUBLESHOOTING(1000, 100, Duration.ofSeconds(20)),
    /** throttling-intune-managed-applications.md: managedAppRegistration, iosManagedAppProtection, androidManagedAppProtection, managedAppPolicyDeploymentSummary. */
    MANAGED_APPLICATIONS(1000, 100, Duration.ofSeconds(20)),
    /** throttling-intune-applications.md: mobileApp. */
    APPLICATIONS(1000, 100, Duration.ofSeconds(20)),
    /**
     * "Service Communications service limits": any request under /admin/serviceAnnouncement/, 240 per 60 seconds (and
     * 800 per hour, which the simulator does not enforce). No separate write limit is documented.
     */
    SERVICE_COMMUNICATIONS(240, 240, Duration.ofSeconds(60));

    private final int anyRequests;
    private final int writeRequests;
    private final Duration window;

    DocumentedThrottling(int anyRequests, int writeRequests, Duration window) {
        this.anyRequests = anyRequests;
        this.writeRequests = writeRequests;
        this.window = window;
    }

    /** Requests of any kind per app per tenant per {@link #window()}. */
    public int anyRequests() {
        return anyRequests;
    }

    /** POST, PUT, DELETE and PATCH requests per app per tenant per {@link #window()}. */
    public int writeRequests() {
        return writeRequests;
    }

    public Duration window() {
        return window;
    }

    /** Microsoft's tables count POST, PUT, DELETE and PATCH as writes. */
    public static boolean isWrite(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("DELETE") || method.equals("PATCH");
    }
}
