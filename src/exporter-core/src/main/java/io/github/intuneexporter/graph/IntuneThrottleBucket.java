package io.github.intuneexporter.graph;

import io.github.intuneexporter.contract.EndpointTemplates;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Intune's throttling buckets with their documented per-app-per-tenant limits (Microsoft Graph "service-specific
 * throttling limits", Intune section: https://learn.microsoft.com/graph/throttling-limits#intune-service-limits), and
 * which endpoint template falls in which bucket.
 * Requests of one bucket share its limit, whatever the endpoint.
 */
public enum IntuneThrottleBucket {
    /** managedDevice, managedDeviceOverview, windowsProtectionState, malware, detectedApp, APNs certificate, ... */
    DEVICES(new Limit(2000, 200, Duration.ofSeconds(20))),
    /** deviceManagement singleton, compliance policies and their summaries, device configurations, NDES connectors, softwareUpdateStatusSummary. */
    DEVICE_CONFIGURATION(new Limit(1000, 100, Duration.ofSeconds(20))),
    /** enrollment configurations, Exchange / MTD / partner connectors, VPP tokens, device categories, Autopilot. */
    ENROLLMENT(new Limit(1000, 100, Duration.ofSeconds(20))),
    /** troubleshootingEvents, autopilotEvents, mobileAppTroubleshootingEvents. */
    TROUBLESHOOTING(new Limit(1000, 100, Duration.ofSeconds(20))),
    /** app protection (MAM): registrations, statuses, policies, *ManagedAppProtections. */
    MANAGED_APPLICATIONS(new Limit(1000, 100, Duration.ofSeconds(20))),
    /**
     * reports/exportJobs. Graph documents no Intune limit for it; a community source reports about 100 requests per
     * tenant per minute for report exports, so that is the budget's base [COMMUNITY]. The synchronous report actions
     * (reports/get...Report) have no documented limit either and share {@link #OTHER_INTUNE}.
     */
    REPORTS(new Limit(100, 100, Duration.ofSeconds(60))),
    /** Any other Intune endpoint: the smallest documented Intune limit, shared, to stay on the safe side. */
    OTHER_INTUNE(new Limit(1000, 100, Duration.ofSeconds(20)));

    /**
     * A documented limit per app per tenant: {@code anyRequests} of any kind and {@code writeRequests}
     * POST/PUT/PATCH/DELETE requests per {@code window}.
     */
    private record Limit(int anyRequests, int writeRequests, Duration window) {}

    private final Limit limit;

    IntuneThrottleBucket(Limit limit) {
        this.limit = limit;
    }

    /** Documented requests of any kind per app per tenant per {@link #window()}. */
    public int anyRequests() {
        return limit.anyRequests();
    }

    /** Documented POST/PUT/PATCH/DELETE requests per app per tenant per {@link #window()}. */
    public int writeRequests() {
        return limit.writeRequests();
    }

    public Duration window() {
        return limit.window();
    }

    /** Label value, e.g. device_configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    // Longest matching prefix wins.
    private static final Map<String, IntuneThrottleBucket> BY_PREFIX = new LinkedHashMap<>();

    static {
        BY_PREFIX.put("/deviceManagement", OTHER_INTUNE);
        BY_PREFIX.put("/deviceAppManagement", OTHER_INTUNE);
        route(
                DEVICES,
                "/deviceManagement",
                "managedDevices",
                "managedDeviceOverview",
                "windowsMalwareInformation",
                "detectedApps",
                "applePushNotificationCertificate",
                "deviceHealthScripts",
                "deviceManagementScripts",
                "deviceShellScripts",
                "deviceComplianceScripts",
                "remoteActionAudits",
                "userExperienceAnalytics");
        route(
                DEVICE_CONFIGURATION,
                "/deviceManagement",
                "deviceCompliancePolicies",
                "deviceCompliancePolicyDeviceStateSummary",
                "deviceCompliancePolicySettingStateSummaries",
                "deviceConfigurations",
                "deviceConfigurationDeviceStateSummaries",
                "ndesConnectors",
                "configurationPolicies",
                "softwareUpdateStatusSummary");
        route(
                ENROLLMENT,
                "/deviceManagement",
                "deviceEnrollmentConfigurations",
                "exchangeConnectors",
                "deviceManagementPartners",
                "mobileThreatDefenseConnectors",
                "complianceManagementPartners",
                "deviceCategories",
                "depOnboardingSettings",
                "windowsAutopilotDeviceIdentities",
                "importedWindowsAutopilotDeviceIdentities");
        route(ENROLLMENT, "/deviceAppManagement", "vppTokens");
        route(
                TROUBLESHOOTING,
                "/deviceManagement",
                "troubleshootingEvents",
                "autopilotEvents",
                "mobileAppTroubleshootingEvents");
        route(
                MANAGED_APPLICATIONS,
                "/deviceAppManagement",
                "managedAppRegistrations",
                "managedAppStatuses",
                "managedAppPolicies",
                "iosManagedAppProtections",
                "androidManagedAppProtections",
                "defaultManagedAppProtections",
                "targetedManagedAppConfigurations",
                "mdmWindowsInformationProtectionPolicies",
                "windowsInformationProtectionPolicies");
        route(REPORTS, "/deviceManagement", "reports/exportJobs");
    }

    private static void route(IntuneThrottleBucket bucket, String parent, String... resources) {
        for (String resource : resources) {
            BY_PREFIX.put(parent + "/" + resource, bucket);
        }
    }

    /**
     * Whether a request counts against a bucket's write limit: PATCH, PUT, DELETE and POST, except the POST report
     * actions ({@code reports/get...Report}, {@code retrieve...Report}), which are queries. Creating an export job is a write.
     */
    public static boolean isWrite(String method, String endpoint) {
        boolean post = method.equals("POST");
        if (!post && !method.equals("PUT") && !method.equals("PATCH") && !method.equals("DELETE")) {
            return false;
        }
        return !(post
                && endpoint.startsWith("/deviceManagement/reports/")
                && !endpoint.startsWith("/deviceManagement/reports/exportJobs"));
    }

    /** The bucket of an endpoint template (see {@link EndpointTemplates}), or null for endpoints outside Intune. */
    public static IntuneThrottleBucket of(String endpoint) {
        IntuneThrottleBucket best = null;
        int bestLength = -1;
        for (Map.Entry<String, IntuneThrottleBucket> e : BY_PREFIX.entrySet()) {
            String prefix = e.getKey();
            boolean matches = endpoint.equals(prefix)
                    || endpoint.startsWith(prefix + "/")
                    || (endpoint.startsWith(prefix) && prefix.lastIndexOf('/') > 0);
            if (matches && prefix.length() > bestLength) {
                best = e.getValue();
                bestLength = prefix.length();
            }
        }
        // The deviceManagement singleton itself is a device configuration resource.
        if ("/deviceManagement".equals(endpoint)) {
            return DEVICE_CONFIGURATION;
        }
        return best;
    }
}
