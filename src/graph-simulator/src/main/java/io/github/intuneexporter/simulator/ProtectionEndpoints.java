package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Defender and malware: the deviceManagement singleton (with Graph's habit of returning only id, settings and
 * intuneAccountId unless properties are $select-ed), each managed device's windowsProtectionState (404 for
 * non-Windows devices and devices that never reported), windowsMalwareInformation and its deviceMalwareStates.
 */
final class ProtectionEndpoints {
    /** Properties of deviceManagement a $select may name (the rest of the v1.0 entity is not simulated). */
    private static final Set<String> SINGLETON_PROPERTIES = Set.of(
            "id",
            "settings",
            "intuneAccountId",
            "subscriptionState",
            "deviceProtectionOverview",
            "windowsMalwareOverview",
            "intuneBrand",
            "userExperienceAnalyticsSettings");

    private ProtectionEndpoints() {}

    static void register(TenantSimulator sim) {
        SimulatedTenant tenant = sim.tenant();
        ProtectionData data = ProtectionData.of(tenant);
        sim.route("GET", "/deviceManagement", (req, m) -> singleton(tenant, data, req));
        sim.route(
                "GET",
                "/deviceManagement/managedDevices/([^/]+)/windowsProtectionState",
                (req, m) -> protectionState(tenant, data, req, m.group(1)));
        sim.collection(
                "/deviceManagement/windowsMalwareInformation",
                PAGE,
                data::malware,
                (mw, o) -> malware(mw, data.detections(mw.id()), o));
        sim.route(
                "GET",
                "/deviceManagement/windowsMalwareInformation/([^/]+)/deviceMalwareStates",
                (req, m) -> malwareStates(data, req, m.group(1)));
    }

    /** A device's windowsProtectionState; 404 for a non-Windows device or one that never reported. */
    private static void protectionState(
            SimulatedTenant tenant, ProtectionData data, SimulatorRequest req, String deviceId) throws IOException {
        int index = data.indexOf(deviceId);
        ProtectionData.DeviceProtection p = index < 0 ? null : data.protection(tenant.device(index));
        if (p == null) {
            TenantSimulator.error(
                    req.exchange,
                    404,
                    "ResourceNotFound",
                    "{\"_version\": 3, \"Message\": \"Resource not found: windowsProtectionState of managedDevice "
                            + deviceId + "\"}");
            return;
        }
        TenantSimulator.writeEntity(
                req,
                "deviceManagement/managedDevices('" + deviceId + "')/windowsProtectionState/$entity",
                protectionState(p));
    }

    /** One windowsMalwareInformation; its last detection is the latest state change of its {@code detections}. */
    private static void malware(ProtectionData.Malware mw, List<ProtectionData.Detection> detections, ObjectNode o) {
        o.put("@odata.type", "#microsoft.graph.windowsMalwareInformation");
        o.put("id", mw.id());
        o.put("displayName", mw.displayName());
        o.put(
                "additionalInformationUrl",
                "https://go.microsoft.com/fwlink/?linkid=37020&name="
                        + mw.displayName()
                                .replace(":", "%3a")
                                .replace("/", "%2f")
                                .replace("!", "%21") + "&threatid=" + mw.id());
        o.put("severity", mw.severity());
        o.put("category", mw.category());
        o.put(
                "lastDetectionDateTime",
                detections.isEmpty()
                        ? DeviceEndpoints.NEVER
                        : detections.stream()
                                .map(ProtectionData.Detection::lastStateChangeDateTime)
                                .max(Comparator.naturalOrder())
                                .orElseThrow()
                                .toString());
    }

    /** The deviceMalwareStates of one malware (up to 1000 a page); 404 for an unknown malware id. */
    private static void malwareStates(ProtectionData data, SimulatorRequest req, String malwareId) throws IOException {
        List<ProtectionData.Detection> list = data.detections(malwareId);
        if (list == null) {
            TenantSimulator.notFound(req, "windowsMalwareInformation", malwareId);
            return;
        }
        TenantSimulator.writeRows(
                req,
                "deviceManagement/windowsMalwareInformation('" + malwareId + "')/deviceMalwareStates",
                list,
                1000,
                ProtectionEndpoints::malwareState);
    }

    /** One malwareStateForWindowsDevice. */
    private static void malwareState(ProtectionData.Detection d, ObjectNode o) {
        o.put("@odata.type", "#microsoft.graph.malwareStateForWindowsDevice");
        o.put("id", d.deviceId());
        o.put("deviceName", d.deviceName());
        o.put("executionState", d.executionState());
        o.put("threatState", d.threatState());
        o.put("initialDetectionDateTime", d.initialDetectionDateTime().toString());
        o.put("lastStateChangeDateTime", d.lastStateChangeDateTime().toString());
        o.put("detectionCount", d.detectionCount());
    }

    private static void singleton(SimulatedTenant tenant, ProtectionData data, SimulatorRequest req)
            throws IOException {
        Set<String> select = TenantSimulator.select(req);
        if (select != null) {
            for (String property : select) {
                if (!SINGLETON_PROPERTIES.contains(property)) {
                    throw new IllegalArgumentException("Could not find a property named '" + property
                            + "' on type 'microsoft.graph.deviceManagement'.");
                }
            }
        }
        // Like Graph: without $select only the default properties; the overviews come only when asked for.
        Set<String> wanted = select != null ? select : Set.of("id", "settings", "intuneAccountId");
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        if (wanted.contains("id")) {
            o.put("id", "00000000-0000-0000-0000-000000000000");
        }
        if (wanted.contains("settings")) {
            ObjectNode s = o.putObject("settings");
            s.put("deviceComplianceCheckinThresholdDays", 30);
            s.put("isScheduledActionEnabled", true);
            s.put("secureByDefault", false);
        }
        if (wanted.contains("intuneAccountId")) {
            o.put(
                    "intuneAccountId",
                    new UUID(Rng.hash(tenant.seed(), 1, 900), Rng.hash(tenant.seed(), 2, 900)).toString());
        }
        if (wanted.contains("subscriptionState")) {
            o.put(
                    "subscriptionState",
                    tenant.effects().subscriptionState()); // "active" unless scenario subscription-warning
        }
        if (wanted.contains("intuneBrand")) {
            o.putObject("intuneBrand").put("displayName", "Contoso (simulated)");
        }
        if (wanted.contains("userExperienceAnalyticsSettings")) {
            o.putObject("userExperienceAnalyticsSettings").put("configurationManagerDataConnectorConfigured", false);
        }
        ProtectionData.Aggregates a =
                wanted.contains("deviceProtectionOverview") || wanted.contains("windowsMalwareOverview")
                        ? data.aggregates()
                        : null;
        if (wanted.contains("deviceProtectionOverview")) {
            if (data.overviewReported()) {
                ObjectNode p = o.putObject("deviceProtectionOverview");
                a.protectionOverview().forEach(p::put);
            } else {
                o.putNull("deviceProtectionOverview");
            }
        }
        if (wanted.contains("windowsMalwareOverview")) {
            o.set("windowsMalwareOverview", a.malwareOverview());
        }
        String context = "deviceManagement" + (select == null ? "" : "(" + req.query.get("$select") + ")");
        TenantSimulator.writeEntity(req, context, o);
    }

    private static ObjectNode protectionState(ProtectionData.DeviceProtection p) {
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("@odata.type", "#microsoft.graph.windowsProtectionState");
        o.put("id", p.deviceId());
        putBool(o, "malwareProtectionEnabled", p.malwareProtectionEnabled());
        if (p.deviceState() == null) {
            o.putNull("deviceState");
        } else {
            o.put("deviceState", p.deviceState());
        }
        putBool(o, "realTimeProtectionEnabled", p.realTimeProtectionEnabled());
        putBool(o, "networkInspectionSystemEnabled", p.networkInspectionSystemEnabled());
        o.put("quickScanOverdue", p.quickScanOverdue());
        o.put("fullScanOverdue", p.fullScanOverdue());
        o.put("signatureUpdateOverdue", p.signatureUpdateOverdue());
        o.put("rebootRequired", p.rebootRequired());
        o.put("fullScanRequired", p.fullScanRequired());
        o.put("engineVersion", p.engineVersion());
        o.put("signatureVersion", p.signatureVersion());
        o.put("antiMalwareVersion", p.antiMalwareVersion());
        o.put("lastQuickScanDateTime", p.lastQuickScanDateTime().toString());
        o.put("lastFullScanDateTime", p.lastFullScanDateTime().toString());
        o.put("lastQuickScanSignatureVersion", p.signatureVersion());
        o.put("lastFullScanSignatureVersion", p.signatureVersion());
        o.put("lastReportedDateTime", p.lastReportedDateTime().toString());
        o.put("productStatus", p.productStatus());
        o.put("isVirtualMachine", p.isVirtualMachine());
        putBool(o, "tamperProtectionEnabled", p.tamperProtectionEnabled());
        o.put("controlledConfigurationEnabled", false);
        return o;
    }

    private static void putBool(ObjectNode o, String field, Boolean value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value.booleanValue());
        }
    }
}
