package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * v1.0 routes of the change-awareness signals, from {@link AwarenessData}: windowsAutopilotDeviceIdentities,
 * complianceManagementPartners, remoteAssistancePartners, deviceCompliancePolicySettingStateSummaries,
 * softwareUpdateStatusSummary (a single entity) and mobileAppTroubleshootingEvents (v1.0: only the id). Every property
 * is the v1.0 CSDL's; the contract check rejects anything else.
 */
final class AwarenessEndpoints {
    private AwarenessEndpoints() {}

    static void register(TenantSimulator sim) {
        AwarenessData data = new AwarenessData(sim.tenant());
        enrollmentRoutes(sim, data);
        summaryRoutes(sim, data);
    }

    /** Autopilot identities, compliance management partners and remote assistance partners. */
    private static void enrollmentRoutes(TenantSimulator sim, AwarenessData data) {
        // Autopilot identities page at 500 here, so a mid-size tenant already needs several pages.
        sim.collection("/deviceManagement/windowsAutopilotDeviceIdentities", 500, data::autopilotIdentities, (a, o) -> {
            o.put("id", a.id());
            o.put("groupTag", a.groupTag());
            o.putNull("purchaseOrderIdentifier");
            o.put("serialNumber", a.serialNumber());
            o.putNull("productKey");
            o.put("manufacturer", a.manufacturer());
            o.put("model", a.model());
            o.put("enrollmentState", a.enrollmentState());
            o.put("lastContactedDateTime", time(a.lastContacted()));
            o.putNull("addressableUserName");
            o.putNull("userPrincipalName");
            o.putNull("resourceName");
            o.putNull("skuNumber");
            o.putNull("systemFamily");
            o.putNull("azureActiveDirectoryDeviceId");
            o.putNull("managedDeviceId");
            o.putNull("displayName");
        });
        sim.collection("/deviceManagement/complianceManagementPartners", PAGE, data::compliancePartners, (p, o) -> {
            o.put("id", p.id());
            o.put("lastHeartbeatDateTime", time(p.lastHeartbeat()));
            o.put("partnerState", p.partnerState());
            o.put("displayName", p.displayName());
            o.put("macOsOnboarded", p.macOs());
            o.put("androidOnboarded", p.android());
            o.put("iosOnboarded", p.ios());
            assignments(o, "macOsEnrollmentAssignments", p.macOs());
            assignments(o, "androidEnrollmentAssignments", p.android());
            assignments(o, "iosEnrollmentAssignments", p.ios());
        });
        sim.collection("/deviceManagement/remoteAssistancePartners", PAGE, data::remoteAssistancePartners, (p, o) -> {
            o.put("id", p.id());
            o.put("displayName", p.displayName());
            o.put("onboardingUrl", p.onboardingUrl());
            o.put("onboardingStatus", p.onboardingStatus());
            o.put("lastConnectionDateTime", time(p.lastConnection()));
        });
    }

    /** Compliance setting summaries, the software update summary and app troubleshooting events. */
    private static void summaryRoutes(TenantSimulator sim, AwarenessData data) {
        sim.collection(
                "/deviceManagement/deviceCompliancePolicySettingStateSummaries",
                PAGE,
                data::settingSummaries,
                (s, o) -> {
                    o.put("id", s.id());
                    o.put("setting", s.setting());
                    o.put("settingName", s.settingName());
                    o.put("platformType", s.platformType());
                    o.put("unknownDeviceCount", s.unknown());
                    o.put("notApplicableDeviceCount", s.notApplicable());
                    o.put("compliantDeviceCount", s.compliant());
                    o.put("remediatedDeviceCount", s.remediated());
                    o.put("nonCompliantDeviceCount", s.nonCompliant());
                    o.put("errorDeviceCount", s.error());
                    o.put("conflictDeviceCount", s.conflict());
                });
        sim.route("GET", "/deviceManagement/softwareUpdateStatusSummary", (req, m) -> {
            AwarenessData.SoftwareUpdateSummary s = data.softwareUpdateSummary();
            ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
            o.put("id", s.id());
            o.put("displayName", s.displayName());
            for (int i = 0; i < AwarenessData.SoftwareUpdateSummary.STATES.size(); i++) {
                String state = AwarenessData.SoftwareUpdateSummary.STATES.get(i);
                o.put(state + "DeviceCount", s.devices()[i]);
                o.put(state + "UserCount", s.users()[i]);
            }
            TenantSimulator.writeEntity(req, "deviceManagement/softwareUpdateStatusSummary/$entity", o);
        });
        sim.collection(
                "/deviceManagement/mobileAppTroubleshootingEvents",
                PAGE,
                data::appTroubleshootingEventIds,
                (id, o) -> o.put("id", id));
    }

    /** Graph's "never" for a non-nullable DateTimeOffset. */
    private static String time(Instant t) {
        return t == null ? DeviceEndpoints.NEVER : t.toString();
    }

    /** A configuration manager collection assignment when the platform is onboarded, else an empty list. */
    private static void assignments(ObjectNode o, String field, boolean onboarded) {
        ArrayNode list = o.putArray(field);
        if (onboarded) {
            ObjectNode target = list.addObject().putObject("target");
            target.put("@odata.type", "#microsoft.graph.configurationManagerCollectionAssignmentTarget");
            target.put("collectionId", "SIM00042");
        }
    }
}
