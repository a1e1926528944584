package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * App protection (MAM): managedAppRegistrations (streamed page by page from the devices, never materialised),
 * iosManagedAppProtections / androidManagedAppProtections with {@code $expand=deploymentSummary,apps,assignments},
 * and each policy's deploymentSummary.
 */
final class AppProtectionEndpoints {
    private static final Set<String> EXPANDABLE = Set.of("deploymentSummary", "apps", "assignments");

    private AppProtectionEndpoints() {}

    static void register(TenantSimulator sim) {
        SimulatedTenant tenant = sim.tenant();
        AppProtectionData data = AppProtectionData.of(tenant);
        sim.route("GET", "/deviceAppManagement/managedAppRegistrations", (req, m) -> registrations(tenant, data, req));
        for (String platform : List.of("ios", "android")) {
            String collection = platform + "ManagedAppProtections";
            sim.route("GET", "/deviceAppManagement/" + collection, (req, m) -> {
                Set<String> expand = expand(req);
                List<ObjectNode> items = new ArrayList<>();
                for (AppProtectionData.Policy p : data.policies()) {
                    if (p.platform().equals(platform)) {
                        items.add(policy(tenant, data, p, expand));
                    }
                }
                TenantSimulator.writeCollection(req, "deviceAppManagement/" + collection, items, PAGE);
            });
            sim.route("GET", "/deviceAppManagement/" + collection + "/([^/]+)/deploymentSummary", (req, m) -> {
                AppProtectionData.Policy p = find(data, platform, m.group(1));
                if (p == null) {
                    TenantSimulator.notFound(req, collection, m.group(1));
                    return;
                }
                TenantSimulator.writeEntity(
                        req,
                        "deviceAppManagement/" + collection + "('" + m.group(1) + "')/deploymentSummary/$entity",
                        deploymentSummary(tenant, data, p));
            });
        }
    }

    private static AppProtectionData.Policy find(AppProtectionData data, String platform, String id) {
        for (AppProtectionData.Policy p : data.policies()) {
            if (p.platform().equals(platform) && p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    private static Set<String> expand(SimulatorRequest req) {
        String raw = req.query.get("$expand");
        Set<String> out = new HashSet<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String s : raw.split(",")) {
            String nav = s.trim();
            if (!EXPANDABLE.contains(nav)) {
                throw new IllegalArgumentException("Could not find a navigation property named '" + nav + "'.");
            }
            out.add(nav);
        }
        return out;
    }

    /** Registrations in device order; the $skiptoken position is deviceIndex * MAX_PER_DEVICE + slot. */
    private static void registrations(SimulatedTenant tenant, AppProtectionData data, SimulatorRequest req)
            throws IOException {
        if (req.query.containsKey("$filter")) {
            throw new IllegalArgumentException(
                    "$filter is not supported on managedAppRegistrations by this simulator.");
        }
        int top = TenantSimulator.top(req, 1000);
        int position = TenantSimulator.skip(req);
        Set<String> select = TenantSimulator.select(req);
        int n = tenant.deviceCount();
        int device = position / AppProtectionData.MAX_PER_DEVICE;
        int slot = position % AppProtectionData.MAX_PER_DEVICE;
        List<AppProtectionData.Registration> page = new ArrayList<>();
        int next = -1;
        while (device < n) {
            List<AppProtectionData.Registration> regs = data.registrations(tenant.device(device));
            while (slot < regs.size() && page.size() < top) {
                page.add(regs.get(slot++));
            }
            if (page.size() >= top) {
                next = slot < regs.size()
                        ? device * AppProtectionData.MAX_PER_DEVICE + slot
                        : (device + 1) * AppProtectionData.MAX_PER_DEVICE;
                break;
            }
            device++;
            slot = 0;
        }
        if (next >= 0 && next / AppProtectionData.MAX_PER_DEVICE >= n) {
            next = -1;
        }
        try (JsonGenerator g = TenantSimulator.startJson(req.exchange)) {
            g.writeStartObject();
            g.writeStringField(
                    "@odata.context",
                    "https://graph.microsoft.com/" + req.version
                            + "/$metadata#deviceAppManagement/managedAppRegistrations");
            if (next >= 0) {
                g.writeStringField("@odata.nextLink", TenantSimulator.nextLink(req, next));
            }
            g.writeArrayFieldStart("value");
            for (AppProtectionData.Registration r : page) {
                writeRegistration(g, r, select);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static boolean want(Set<String> select, String field) {
        return select == null || select.contains(field);
    }

    private static void writeRegistration(JsonGenerator g, AppProtectionData.Registration r, Set<String> s)
            throws IOException {
        boolean ios = r.platform().equals("ios");
        g.writeStartObject();
        g.writeStringField(
                "@odata.type",
                ios ? "#microsoft.graph.iosManagedAppRegistration" : "#microsoft.graph.androidManagedAppRegistration");
        if (want(s, "id")) {
            g.writeStringField("id", r.id());
        }
        if (want(s, "createdDateTime")) {
            g.writeStringField("createdDateTime", r.createdDateTime().toString());
        }
        if (want(s, "lastSyncDateTime")) {
            g.writeStringField(
                    "lastSyncDateTime",
                    r.lastSyncDateTime() == null
                            ? DeviceEndpoints.NEVER
                            : r.lastSyncDateTime().toString());
        }
        if (want(s, "applicationVersion")) {
            g.writeStringField("applicationVersion", r.app().version());
        }
        if (want(s, "managementSdkVersion")) {
            g.writeStringField("managementSdkVersion", ios ? "19.8.0" : "10.6.0");
        }
        if (want(s, "platformVersion")) {
            g.writeStringField("platformVersion", r.platformVersion());
        }
        if (want(s, "deviceType")) {
            g.writeStringField("deviceType", r.deviceType());
        }
        if (want(s, "deviceTag")) {
            g.writeStringField("deviceTag", r.id().substring(0, 8));
        }
        if (want(s, "deviceName")) {
            g.writeStringField("deviceName", r.deviceName());
        }
        if (want(s, "flaggedReasons")) {
            g.writeArrayFieldStart("flaggedReasons");
            for (String reason : r.flaggedReasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
        }
        if (want(s, "userId")) {
            g.writeStringField("userId", r.userId());
        }
        if (want(s, "appIdentifier")) {
            writeAppIdentifier(g, ios, r.app().appId());
        }
        if (want(s, "version")) {
            g.writeStringField("version", "5");
        }
        g.writeEndObject();
    }

    /** The registration's appIdentifier: the iOS bundle id or the Android package id. */
    private static void writeAppIdentifier(JsonGenerator g, boolean ios, String appId) throws IOException {
        g.writeObjectFieldStart("appIdentifier");
        g.writeStringField(
                "@odata.type",
                ios ? "#microsoft.graph.iosMobileAppIdentifier" : "#microsoft.graph.androidMobileAppIdentifier");
        g.writeStringField(ios ? "bundleId" : "packageId", appId);
        g.writeEndObject();
    }

    private static ObjectNode policy(
            SimulatedTenant tenant, AppProtectionData data, AppProtectionData.Policy p, Set<String> expand) {
        boolean ios = p.platform().equals("ios");
        Instant origin = tenant.origin();
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put(
                "@odata.type",
                ios ? "#microsoft.graph.iosManagedAppProtection" : "#microsoft.graph.androidManagedAppProtection");
        o.put("displayName", p.displayName());
        o.put("description", "Generated by the intune-exporter tenant simulator");
        o.put("createdDateTime", origin.minusSeconds(500L * 86400).toString());
        o.put("lastModifiedDateTime", origin.minusSeconds(45L * 86400).toString());
        o.put("id", p.id());
        o.put("version", "\"" + p.id().substring(2, 10) + "-0000-0d00-0000-66b0f2e00000\"");
        putSettings(o, p, ios);
        if (expand.contains("deploymentSummary")) {
            o.set("deploymentSummary", deploymentSummary(tenant, data, p));
        }
        if (expand.contains("apps")) {
            putApps(o, p, ios);
        }
        if (expand.contains("assignments")) {
            putAssignments(o, tenant, p);
        }
        return o;
    }

    /** The policy's protection settings, the same in every generated policy but for the platform's own. */
    private static void putSettings(ObjectNode o, AppProtectionData.Policy p, boolean ios) {
        o.put("periodOfflineBeforeAccessCheck", "PT12H");
        o.put("periodOnlineBeforeAccessCheck", "PT30M");
        o.put("allowedInboundDataTransferSources", "managedApps");
        o.put("allowedOutboundDataTransferDestinations", "managedApps");
        o.put("organizationalCredentialsRequired", false);
        o.put("allowedOutboundClipboardSharingLevel", "managedAppsWithPasteIn");
        o.put("dataBackupBlocked", true);
        o.put("deviceComplianceRequired", true);
        o.put("managedBrowserToOpenLinksRequired", true);
        o.put("saveAsBlocked", true);
        o.put("periodOfflineBeforeWipeIsEnforced", "P90D");
        o.put("pinRequired", true);
        o.put("maximumPinRetries", 5);
        o.put("simplePinBlocked", true);
        o.put("minimumPinLength", 6);
        o.put("pinCharacterSet", "numeric");
        o.put("periodBeforePinReset", "PT0S");
        o.putArray("allowedDataStorageLocations").add("oneDriveForBusiness").add("sharePoint");
        o.put("contactSyncBlocked", false);
        o.put("printBlocked", true);
        o.put("fingerprintBlocked", false);
        o.put("disableAppPinIfDevicePinIsSet", false);
        o.put("minimumRequiredOsVersion", ios ? "17.0" : "13.0");
        o.put("isAssigned", p.assigned());
        o.put("deployedAppCount", p.appIds().size());
        if (ios) {
            o.put("appDataEncryptionType", "whenDeviceLocked");
            o.put("faceIdBlocked", false);
            o.put("minimumRequiredSdkVersion", "19.0.0");
        } else {
            o.put("screenCaptureBlocked", true);
            o.put("disableAppEncryptionIfDeviceEncryptionIsEnabled", false);
            o.put("encryptAppData", true);
            o.put("minimumRequiredPatchVersion", "2024-06-01");
        }
    }

    /** The expanded apps of the policy. */
    private static void putApps(ObjectNode o, AppProtectionData.Policy p, boolean ios) {
        ArrayNode apps = o.putArray("apps");
        for (String appId : p.appIds()) {
            ObjectNode a = apps.addObject();
            a.put("id", appId + (ios ? ".ios" : ".android"));
            ObjectNode ident = a.putObject("mobileAppIdentifier");
            ident.put(
                    "@odata.type",
                    ios ? "#microsoft.graph.iosMobileAppIdentifier" : "#microsoft.graph.androidMobileAppIdentifier");
            ident.put(ios ? "bundleId" : "packageId", appId);
            a.putNull("version");
        }
    }

    /** The expanded assignments of the policy: one group when it is assigned, none otherwise. */
    private static void putAssignments(ObjectNode o, SimulatedTenant tenant, AppProtectionData.Policy p) {
        ArrayNode assignments = o.putArray("assignments");
        if (p.assigned()) {
            ObjectNode a = assignments.addObject();
            a.put("id", p.id() + "_group");
            ObjectNode target = a.putObject("target");
            target.put("@odata.type", "#microsoft.graph.groupAssignmentTarget");
            target.put("groupId", new UUID(Rng.hash(tenant.seed(), p.id().hashCode(), 352), 0).toString());
        }
    }

    private static ObjectNode deploymentSummary(
            SimulatedTenant tenant, AppProtectionData data, AppProtectionData.Policy p) {
        boolean ios = p.platform().equals("ios");
        AppProtectionData.DeploymentSummary s = data.deploymentSummary(p);
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("@odata.type", "#microsoft.graph.managedAppPolicyDeploymentSummary");
        o.put("id", p.id().replace("T_", "D_"));
        o.put("displayName", p.displayName());
        o.put("configurationDeployedUserCount", s.deployedUsers());
        o.put("lastRefreshTime", tenant.clock().instant().minusSeconds(3600).toString());
        ArrayNode perApp = o.putArray("configurationDeploymentSummaryPerApp");
        s.appliedUsersPerApp().forEach((appId, users) -> {
            ObjectNode a = perApp.addObject();
            ObjectNode ident = a.putObject("mobileAppIdentifier");
            ident.put(
                    "@odata.type",
                    ios ? "#microsoft.graph.iosMobileAppIdentifier" : "#microsoft.graph.androidMobileAppIdentifier");
            ident.put(ios ? "bundleId" : "packageId", appId);
            a.put("configurationAppliedUserCount", users);
        });
        o.put("version", "1");
        return o;
    }
}
