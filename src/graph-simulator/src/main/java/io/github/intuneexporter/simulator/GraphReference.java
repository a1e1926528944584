package io.github.intuneexporter.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every Graph endpoint the simulator serves, as Microsoft's API reference documents it: the page in
 * microsoftgraph/microsoft-graph-docs-contrib, the HTTP request forms it lists, the application permissions of its
 * "Permissions" table (in the page's order), what it says about query options, and the Intune throttling table that
 * lists its resource. Written from the pages themselves (the examples are vendored in
 * src/exporter-core/src/test/resources/graph-examples/, which names the version of each page read), and deliberately importing nothing
 * from the exporter: a test compares the exporter's permission table, README and {@code doctor} against this one.
 */
public final class GraphReference {
    public static final String DEVICES_READ = "DeviceManagementManagedDevices.Read.All";
    public static final String DEVICES_READ_WRITE = "DeviceManagementManagedDevices.ReadWrite.All";
    public static final String CONFIG_READ = "DeviceManagementConfiguration.Read.All";
    public static final String CONFIG_READ_WRITE = "DeviceManagementConfiguration.ReadWrite.All";
    public static final String SERVICE_CONFIG_READ = "DeviceManagementServiceConfig.Read.All";
    public static final String SERVICE_CONFIG_READ_WRITE = "DeviceManagementServiceConfig.ReadWrite.All";
    public static final String APPS_READ = "DeviceManagementApps.Read.All";
    public static final String APPS_READ_WRITE = "DeviceManagementApps.ReadWrite.All";
    public static final String SERVICE_HEALTH_READ = "ServiceHealth.Read.All";
    public static final String SERVICE_MESSAGE_READ = "ServiceMessage.Read.All";
    public static final String APPLICATION_READ = "Application.Read.All";
    public static final String APPLICATION_READ_WRITE_OWNED_BY = "Application.ReadWrite.OwnedBy";
    public static final String APPLICATION_READ_WRITE = "Application.ReadWrite.All";

    /**
     * The permissions the simulated tenant's app holds unless a test revokes some: every read-only permission the
     * pages name, plus DeviceManagementManagedDevices.ReadWrite.All (creating a report export job has no read-only
     * permission). ReadWrite permissions the exporter never asks for are not held.
     */
    public static final Set<String> GRANTED_BY_DEFAULT = Set.of(
            DEVICES_READ,
            DEVICES_READ_WRITE,
            CONFIG_READ,
            SERVICE_CONFIG_READ,
            APPS_READ,
            SERVICE_HEALTH_READ,
            SERVICE_MESSAGE_READ,
            APPLICATION_READ);

    /**
     * The system query options an endpoint accepts, from its page's "Optional query parameters" section, and the words
     * the page uses. An option outside {@link #allowed()} is refused with 400, as Graph refuses it.
     *
     * @param pageSays what the page says (or that it says nothing), quoted or summarised
     * @param allowed the options a request may carry, lower case with the $ ({@code $skiptoken} where the endpoint pages)
     */
    public record QueryOptions(String pageSays, Set<String> allowed) {
        /**
         * "This method supports the [OData query parameters](/graph/query-parameters) to help customize the response.": the
         * options that page lists. On a single object, the collection options ($filter, $orderby, $count, $skip, $top,
         * $search) are still refused by the metadata check (they apply only to collections).
         */
        public static final QueryOptions ODATA = new QueryOptions(
                "supports the OData query parameters",
                Set.of(
                        "$select",
                        "$expand",
                        "$filter",
                        "$orderby",
                        "$top",
                        "$skip",
                        "$count",
                        "$search",
                        "$skiptoken"));
        /**
         * The generated Intune list pages have no "Optional query parameters" section: they promise no option. The
         * simulator accepts the four that Intune's lists answer and the collectors need ($select, $filter, $top, $expand,
         * plus the $skiptoken of Intune's nextLinks) and refuses the rest ($orderby, $count, $search, $skip), which no
         * page of these endpoints documents: a collector that wants one must first find it documented.
         */
        public static final QueryOptions NO_SECTION = new QueryOptions(
                "no \"Optional query parameters\" section",
                Set.of("$select", "$filter", "$top", "$expand", "$skiptoken"));
        /** application-get: "This method supports the `$select` OData query parameter to retrieve specific application properties." */
        public static final QueryOptions SELECT_ONLY =
                new QueryOptions("supports the $select OData query parameter", Set.of("$select"));
        /**
         * Report actions and export job creation (POST): the parameters are in the body; OData defines system query
         * options for GET only, and the pages name none.
         */
        public static final QueryOptions NONE =
                new QueryOptions("an action: parameters in the request body, no query options", Set.of());

        public QueryOptions {
            allowed = Set.copyOf(allowed);
        }
    }

    /** Graph's answer (ASP.NET OData's query validation message) to a system query option the endpoint does not allow. */
    public static String notAllowedMessage(String option) {
        String name = option.startsWith("$") ? option.substring(1) : option;
        String pascal = name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
        if (pascal.equalsIgnoreCase("orderby")) {
            pascal = "OrderBy";
        } else if (pascal.equalsIgnoreCase("skiptoken")) {
            pascal = "SkipToken";
        }
        return "Query option '" + pascal + "' is not allowed. To allow it, set the 'AllowedQueryOptions' property on "
                + "EnableQueryAttribute or QueryValidationSettings.";
    }

    /**
     * One documented endpoint.
     *
     * @param method HTTP method
     * @param template path below the version root, identifiers as {id} (the form of the exporter's endpoint labels)
     * @param versions the API versions whose page was read ("v1.0", "beta")
     * @param page the page name, e.g. intune-devices-manageddevice-list (api-reference/&lt;version&gt;/api/&lt;page&gt;.md)
     * @param documentedPaths the page's "HTTP Request" forms, identifiers as {id}
     * @param applicationPermissions the page's "Application" permissions, in its order
     * @param queryOptions what the page's "Optional query parameters" section allows
     * @param throttling the Intune throttling table that lists the resource, or null when none does
     * @param verified false when Microsoft publishes no page for the endpoint (the row then states the exporter's assumption)
     * @param note why the request differs from the page, or what is unverified; empty when nothing
     */
    public record Endpoint(
            String method,
            String template,
            List<String> versions,
            String page,
            List<String> documentedPaths,
            List<String> applicationPermissions,
            QueryOptions queryOptions,
            DocumentedThrottling throttling,
            boolean verified,
            String note) {

        /** Graph lets a request through when the app holds any one of the documented permissions. */
        public boolean allows(Set<String> granted) {
            for (String p : applicationPermissions) {
                if (granted.contains(p)) {
                    return true;
                }
            }
            return false;
        }

        /** The Microsoft Learn page, e.g. https://learn.microsoft.com/graph/api/intune-devices-manageddevice-list?view=graph-rest-1.0. */
        public String learnUrl(String version) {
            return "https://learn.microsoft.com/graph/api/" + page + "?view=graph-rest-"
                    + (version.equals("beta") ? "beta" : "1.0");
        }

        /** The page's path in microsoft-graph-docs-contrib. */
        public String pagePath(String version) {
            return "api-reference/" + version + "/api/" + page + ".md";
        }
    }

    private static final List<Endpoint> ENDPOINTS = new ArrayList<>();

    static {
        List<String> devices = List.of(DEVICES_READ, DEVICES_READ_WRITE);
        List<String> config = List.of(CONFIG_READ, CONFIG_READ_WRITE);
        List<String> apps = List.of(APPS_READ, APPS_READ_WRITE);
        List<String> serviceConfig = List.of(SERVICE_CONFIG_READ, SERVICE_CONFIG_READ_WRITE);
        List<String> serviceConfigOrConfig =
                List.of(SERVICE_CONFIG_READ, SERVICE_CONFIG_READ_WRITE, CONFIG_READ, CONFIG_READ_WRITE);
        List<String> v1 = List.of("v1.0");
        List<String> beta = List.of("beta");
        List<String> both = List.of("v1.0", "beta");
        QueryOptions odata = QueryOptions.ODATA;
        QueryOptions noSection = QueryOptions.NO_SECTION;

        // devices, protection
        get(
                "/deviceManagement/managedDevices",
                v1,
                "intune-devices-manageddevice-list",
                devices,
                noSection,
                DocumentedThrottling.DEVICES);
        get(
                "/deviceManagement/managedDeviceOverview",
                v1,
                "intune-devices-manageddeviceoverview-get",
                List.of(
                        SERVICE_CONFIG_READ,
                        SERVICE_CONFIG_READ_WRITE,
                        CONFIG_READ,
                        CONFIG_READ_WRITE,
                        DEVICES_READ,
                        DEVICES_READ_WRITE),
                odata,
                DocumentedThrottling.DEVICES);
        get(
                "/deviceManagement",
                v1,
                "intune-devices-devicemanagement-get",
                devices,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/windowsMalwareInformation",
                v1,
                "intune-devices-windowsmalwareinformation-list",
                devices,
                noSection,
                DocumentedThrottling.DEVICES);
        get(
                "/deviceManagement/windowsMalwareInformation/{id}/deviceMalwareStates",
                v1,
                "intune-devices-malwarestateforwindowsdevice-list",
                devices,
                noSection,
                DocumentedThrottling.DEVICES);
        add(
                new Endpoint(
                        "GET",
                        "/deviceManagement/managedDevices/{id}/windowsProtectionState",
                        v1,
                        "intune-devices-windowsprotectionstate-get",
                        List.of(
                                "/deviceManagement/detectedApps/{id}/managedDevices/{id}/windowsProtectionState",
                                "/deviceManagement/windowsMalwareInformation/{id}/windowsDevicesProtectionState/{id}"),
                        devices,
                        odata,
                        DocumentedThrottling.DEVICES,
                        true,
                        "The page lists the property through detectedApps/{id}/managedDevices/{id}; it is the same single-valued "
                                + "navigation property managedDevice.windowsProtectionState (v1.0 CSDL), reached from the managedDevices set."));
        // compliance
        get(
                "/deviceManagement/deviceCompliancePolicyDeviceStateSummary",
                v1,
                "intune-deviceconfig-devicecompliancepolicydevicestatesummary-get",
                config,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/deviceCompliancePolicies",
                v1,
                "intune-deviceconfig-devicecompliancepolicy-list",
                config,
                noSection,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview",
                v1,
                "intune-deviceconfig-devicecompliancedeviceoverview-get",
                config,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        // configuration
        get(
                "/deviceManagement/deviceConfigurations",
                v1,
                "intune-deviceconfig-deviceconfiguration-list",
                config,
                noSection,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/deviceConfigurationDeviceStateSummaries",
                both,
                "intune-deviceconfig-deviceconfigurationdevicestatesummary-get",
                config,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/deviceConfigurations/{id}/deviceStatusOverview",
                both,
                "intune-deviceconfig-deviceconfigurationdeviceoverview-get",
                config,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        // connectors
        get(
                "/deviceManagement/applePushNotificationCertificate",
                v1,
                "intune-devices-applepushnotificationcertificate-get",
                List.of(SERVICE_CONFIG_READ_WRITE, DEVICES_READ),
                odata,
                DocumentedThrottling.DEVICES);
        get(
                "/deviceAppManagement/vppTokens",
                v1,
                "intune-onboarding-vpptoken-list",
                serviceConfigOrConfig,
                noSection,
                DocumentedThrottling.ENROLLMENT);
        get(
                "/deviceManagement/depOnboardingSettings",
                beta,
                "intune-enrollment-deponboardingsetting-list",
                List.of(SERVICE_CONFIG_READ, SERVICE_CONFIG_READ_WRITE, CONFIG_READ),
                noSection,
                null);
        get(
                "/deviceManagement/exchangeConnectors",
                v1,
                "intune-onboarding-devicemanagementexchangeconnector-list",
                serviceConfigOrConfig,
                noSection,
                DocumentedThrottling.ENROLLMENT);
        get(
                "/deviceManagement/mobileThreatDefenseConnectors",
                v1,
                "intune-onboarding-mobilethreatdefenseconnector-list",
                serviceConfig,
                noSection,
                DocumentedThrottling.ENROLLMENT);
        get(
                "/deviceManagement/deviceManagementPartners",
                v1,
                "intune-onboarding-devicemanagementpartner-list",
                serviceConfig,
                noSection,
                DocumentedThrottling.ENROLLMENT);
        get(
                "/deviceManagement/ndesConnectors",
                beta,
                "intune-deviceconfig-ndesconnector-list",
                config,
                noSection,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        // enrollment
        get(
                "/deviceManagement/troubleshootingEvents",
                v1,
                "intune-troubleshooting-devicemanagementtroubleshootingevent-list",
                devices,
                noSection,
                DocumentedThrottling.TROUBLESHOOTING);
        get(
                "/deviceManagement/autopilotEvents",
                beta,
                "intune-troubleshooting-devicemanagementautopilotevent-list",
                List.of(CONFIG_READ, CONFIG_READ_WRITE, DEVICES_READ, DEVICES_READ_WRITE),
                noSection,
                DocumentedThrottling.TROUBLESHOOTING);
        // change awareness (issue 17). windowsAutopilotDeviceIdentity and remoteAssistancePartner are in none of the
        // Intune throttling tables; complianceManagementPartner is in the enrollment table,
        // deviceCompliancePolicySettingStateSummary and softwareUpdateStatusSummary in the device configuration table,
        // mobileAppTroubleshootingEvent in troubleshooting.
        get(
                "/deviceManagement/windowsAutopilotDeviceIdentities",
                v1,
                "intune-enrollment-windowsautopilotdeviceidentity-list",
                serviceConfig,
                noSection,
                null);
        get(
                "/deviceManagement/complianceManagementPartners",
                v1,
                "intune-onboarding-compliancemanagementpartner-list",
                serviceConfigOrConfig,
                noSection,
                DocumentedThrottling.ENROLLMENT);
        get(
                "/deviceManagement/remoteAssistancePartners",
                v1,
                "intune-remoteassistance-remoteassistancepartner-list",
                serviceConfig,
                noSection,
                null);
        get(
                "/deviceManagement/deviceCompliancePolicySettingStateSummaries",
                v1,
                "intune-deviceconfig-devicecompliancepolicysettingstatesummary-list",
                config,
                noSection,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/softwareUpdateStatusSummary",
                v1,
                "intune-deviceconfig-softwareupdatestatussummary-get",
                config,
                odata,
                DocumentedThrottling.DEVICE_CONFIGURATION);
        get(
                "/deviceManagement/mobileAppTroubleshootingEvents",
                v1,
                "intune-devices-mobileapptroubleshootingevent-list",
                devices,
                noSection,
                DocumentedThrottling.TROUBLESHOOTING);
        // audit (the page lists no throttling table that names auditEvent)
        get("/deviceManagement/auditEvents", v1, "intune-auditing-auditevent-list", apps, noSection, null);
        // app protection
        get(
                "/deviceAppManagement/managedAppRegistrations",
                v1,
                "intune-mam-managedappregistration-list",
                apps,
                noSection,
                DocumentedThrottling.MANAGED_APPLICATIONS);
        for (String platform : List.of("ios", "android")) {
            get(
                    "/deviceAppManagement/" + platform + "ManagedAppProtections",
                    v1,
                    "intune-mam-" + platform + "managedappprotection-list",
                    apps,
                    noSection,
                    DocumentedThrottling.MANAGED_APPLICATIONS);
            get(
                    "/deviceAppManagement/" + platform + "ManagedAppProtections/{id}/deploymentSummary",
                    v1,
                    "intune-mam-managedapppolicydeploymentsummary-get",
                    apps,
                    odata,
                    DocumentedThrottling.MANAGED_APPLICATIONS);
        }
        // app installs
        get(
                "/deviceAppManagement/mobileApps",
                v1,
                "intune-apps-mobileapp-list",
                apps,
                noSection,
                DocumentedThrottling.APPLICATIONS);
        add(new Endpoint(
                "POST",
                "/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport",
                v1,
                "intune-reporting-devicemanagementreports-retrievedeviceappinstallationstatusreport",
                List.of("/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport"),
                apps,
                QueryOptions.NONE,
                null,
                false,
                "No reference page: Microsoft publishes none (the v1.0 deviceManagementReports resource page lists its documented "
                        + "actions, and this one is not among them; no page file exists in microsoft-graph-docs-contrib). The action is "
                        + "in the v1.0 metadata (parameters name, select, search, groupBy, orderBy, skip, top, sessionId, filter; "
                        + "returns Edm.Stream). DeviceManagementApps.Read.All is the exporter's assumption; every documented "
                        + "deviceManagementReports action (e.g. v1.0 getDeviceNonComplianceReport) accepts it."));
        add(
                new Endpoint(
                        "POST",
                        "/deviceManagement/reports/getAppsInstallSummaryReport",
                        beta,
                        "intune-reporting-devicemanagementreports-getappsinstallsummaryreport",
                        List.of("/deviceManagement/reports/getAppsInstallSummaryReport"),
                        apps,
                        QueryOptions.NONE,
                        null,
                        false,
                        "No reference page: Microsoft publishes none (the beta deviceManagementReports resource page lists its documented "
                                + "actions, and this one is not among them; no page file exists in microsoft-graph-docs-contrib). "
                                + "DeviceManagementApps.Read.All is the exporter's assumption, as for retrieveDeviceAppInstallationStatusReport."));
        // device export source
        add(new Endpoint(
                "POST",
                "/deviceManagement/reports/exportJobs",
                v1,
                "intune-reporting-devicemanagementexportjob-create",
                List.of("/deviceManagement/reports/exportJobs"),
                List.of(CONFIG_READ_WRITE, APPS_READ_WRITE, DEVICES_READ_WRITE),
                QueryOptions.NONE,
                null,
                true,
                ""));
        get(
                "/deviceManagement/reports/exportJobs/{id}",
                v1,
                "intune-reporting-devicemanagementexportjob-get",
                List.of(CONFIG_READ, CONFIG_READ_WRITE, APPS_READ, APPS_READ_WRITE, DEVICES_READ, DEVICES_READ_WRITE),
                odata,
                null);
        // service health
        get(
                "/admin/serviceAnnouncement/healthOverviews",
                v1,
                "serviceannouncement-list-healthoverviews",
                List.of(SERVICE_HEALTH_READ),
                odata,
                DocumentedThrottling.SERVICE_COMMUNICATIONS);
        get(
                "/admin/serviceAnnouncement/healthOverviews/{id}",
                v1,
                "servicehealth-get",
                List.of(SERVICE_HEALTH_READ),
                odata,
                DocumentedThrottling.SERVICE_COMMUNICATIONS);
        get(
                "/admin/serviceAnnouncement/issues",
                v1,
                "serviceannouncement-list-issues",
                List.of(SERVICE_HEALTH_READ),
                odata,
                DocumentedThrottling.SERVICE_COMMUNICATIONS);
        get(
                "/admin/serviceAnnouncement/messages",
                v1,
                "serviceannouncement-list-messages",
                List.of(SERVICE_MESSAGE_READ),
                odata,
                DocumentedThrottling.SERVICE_COMMUNICATIONS);
        // credentials
        add(new Endpoint(
                "GET",
                "/applications/{id}",
                v1,
                "application-get",
                List.of("/applications/{id}", "/applications(appId='{appId}')"),
                List.of(APPLICATION_READ, APPLICATION_READ_WRITE_OWNED_BY, APPLICATION_READ_WRITE),
                QueryOptions.SELECT_ONLY,
                null,
                true,
                "Identity and access limits apply (not an Intune table); $select of keyCredentials is limited to 150 requests per "
                        + "minute per tenant (page)."));
    }

    private GraphReference() {}

    private static void get(
            String template,
            List<String> versions,
            String page,
            List<String> permissions,
            QueryOptions query,
            DocumentedThrottling throttling) {
        add(new Endpoint("GET", template, versions, page, List.of(template), permissions, query, throttling, true, ""));
    }

    private static void add(Endpoint e) {
        ENDPOINTS.add(e);
    }

    /** Every documented endpoint. */
    public static List<Endpoint> endpoints() {
        return Collections.unmodifiableList(ENDPOINTS);
    }

    /** The endpoint of a request, by method and endpoint template (version ignored), or null when none is documented here. */
    public static Endpoint find(String method, String template) {
        for (Endpoint e : ENDPOINTS) {
            if (e.method().equals(method.toUpperCase(Locale.ROOT))
                    && e.template().equals(template)) {
                return e;
            }
        }
        return null;
    }

    /** The permission a read-only permission stands for together with its broader ReadWrite variant (Foo.Read.All: Foo.ReadWrite.All). */
    public static String broader(String permission) {
        return permission.endsWith(".Read.All")
                ? permission.substring(0, permission.length() - ".Read.All".length()) + ".ReadWrite.All"
                : null;
    }
}
