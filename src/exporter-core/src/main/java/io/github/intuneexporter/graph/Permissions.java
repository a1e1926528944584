package io.github.intuneexporter.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The least-privilege application permission each Graph endpoint needs (see README, "Graph permissions"). Checked
 * against Microsoft's API reference pages by GraphContractTest.
 */
public final class Permissions {
    public static final String MANAGED_DEVICES = "DeviceManagementManagedDevices.Read.All";
    public static final String CONFIGURATION = "DeviceManagementConfiguration.Read.All";
    public static final String SERVICE_CONFIG = "DeviceManagementServiceConfig.Read.All";
    public static final String APPS = "DeviceManagementApps.Read.All";
    public static final String SERVICE_HEALTH = "ServiceHealth.Read.All";
    public static final String SERVICE_MESSAGE = "ServiceMessage.Read.All";
    public static final String APPLICATION = "Application.Read.All";
    /** Graph documents only ReadWrite scopes for creating report export jobs (https://learn.microsoft.com/graph/api/intune-reporting-devicemanagementexportjob-create; docs/graph-contract.md). */
    public static final String MANAGED_DEVICES_READ_WRITE = "DeviceManagementManagedDevices.ReadWrite.All";

    // Longest matching prefix wins, so specific entries sit next to their general parents.
    private static final Map<String, String> BY_PREFIX = new LinkedHashMap<>();

    static {
        BY_PREFIX.put("/deviceManagement/managedDevices", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/managedDeviceOverview", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/windowsMalwareInformation", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/troubleshootingEvents", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/autopilotEvents", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/reports", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/reports/getAppsInstallSummaryReport", APPS);
        BY_PREFIX.put("/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport", APPS);
        BY_PREFIX.put("/deviceManagement/reports/exportJobs", MANAGED_DEVICES_READ_WRITE);
        // Reading a created job back is documented with read-only permissions.
        BY_PREFIX.put("/deviceManagement/reports/exportJobs/{id}", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/deviceCompliancePolicies", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/deviceCompliancePolicyDeviceStateSummary", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/deviceConfigurations", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/deviceConfigurationDeviceStateSummaries", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/configurationPolicies", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/deviceCompliancePolicySettingStateSummaries", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/softwareUpdateStatusSummary", CONFIGURATION);
        BY_PREFIX.put("/deviceManagement/ndesConnectors", CONFIGURATION);
        // Documented as DeviceManagementServiceConfig.ReadWrite.All or DeviceManagementManagedDevices.Read.All: no
        // read-only ServiceConfig permission reads it.
        BY_PREFIX.put("/deviceManagement/applePushNotificationCertificate", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/depOnboardingSettings", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/exchangeConnectors", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/mobileThreatDefenseConnectors", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/deviceManagementPartners", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/windowsAutopilotDeviceIdentities", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/complianceManagementPartners", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/remoteAssistancePartners", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceManagement/mobileAppTroubleshootingEvents", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceManagement/auditEvents", APPS);
        BY_PREFIX.put("/deviceManagement", MANAGED_DEVICES);
        BY_PREFIX.put("/deviceAppManagement/vppTokens", SERVICE_CONFIG);
        BY_PREFIX.put("/deviceAppManagement", APPS);
        BY_PREFIX.put("/admin/serviceAnnouncement/messages", SERVICE_MESSAGE);
        BY_PREFIX.put("/admin/serviceAnnouncement", SERVICE_HEALTH);
        BY_PREFIX.put("/applications", APPLICATION);
        BY_PREFIX.put("/servicePrincipals", APPLICATION);
    }

    private Permissions() {}

    public static String forEndpoint(String endpoint) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, String> e : BY_PREFIX.entrySet()) {
            if (endpoint.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best == null ? "(see README permission table)" : best;
    }
}
