package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Connector and token health: applePushNotificationCertificate (v1.0 singleton, 404 when none is uploaded),
 * vppTokens, depOnboardingSettings (beta only), exchangeConnectors, mobileThreatDefenseConnectors,
 * deviceManagementPartners and ndesConnectors (beta only), from {@link ConnectorData}.
 */
final class ConnectorEndpoints {
    private ConnectorEndpoints() {}

    static void register(TenantSimulator sim) {
        ConnectorData data = new ConnectorData(sim.tenant());
        sim.route("GET", "/deviceManagement/applePushNotificationCertificate", (req, m) -> apnsCertificate(req, data));
        sim.collection("/deviceAppManagement/vppTokens", PAGE, data::vppTokens, ConnectorEndpoints::vppToken);
        sim.betaCollection(
                "/deviceManagement/depOnboardingSettings", PAGE, data::depTokens, ConnectorEndpoints::depToken);
        sim.collection(
                "/deviceManagement/exchangeConnectors",
                PAGE,
                data::exchangeConnectors,
                ConnectorEndpoints::exchangeConnector);
        sim.collection(
                "/deviceManagement/mobileThreatDefenseConnectors",
                PAGE,
                data::mtdConnectors,
                ConnectorEndpoints::mtdConnector);
        sim.collection(
                "/deviceManagement/deviceManagementPartners",
                PAGE,
                data::managementPartners,
                ConnectorEndpoints::managementPartner);
        sim.betaCollection(
                "/deviceManagement/ndesConnectors", PAGE, data::ndesConnectors, ConnectorEndpoints::ndesConnector);
    }

    /** The APNs certificate (a v1.0 singleton), or Graph's 404 when none is uploaded. */
    private static void apnsCertificate(SimulatorRequest req, ConnectorData data) throws IOException {
        ConnectorData.ApplePushCertificate c = data.applePushCertificate();
        if (c == null) {
            TenantSimulator.error(
                    req.exchange,
                    404,
                    "ResourceNotFound",
                    "{\"_version\": 3, \"Message\": \"No Apple push notification certificate has been uploaded.\"}");
            return;
        }
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("id", c.id());
        o.put("appleIdentifier", c.appleIdentifier());
        o.put("topicIdentifier", c.topicIdentifier());
        o.put("lastModifiedDateTime", c.lastModified().toString());
        o.put("expirationDateTime", c.expiration().toString());
        o.putNull("certificateUploadStatus");
        o.putNull("certificateUploadFailureReason");
        o.put("certificateSerialNumber", c.serialNumber());
        TenantSimulator.writeEntity(req, "deviceManagement/applePushNotificationCertificate/$entity", o);
    }

    /** One vppToken (the token itself is never sent). */
    private static void vppToken(ConnectorData.VppToken t, ObjectNode o) {
        o.put("id", t.id());
        o.put("organizationName", t.organizationName());
        o.put("vppTokenAccountType", t.accountType());
        o.put("appleId", t.appleId());
        o.put("expirationDateTime", t.expiration().toString());
        o.put("lastSyncDateTime", t.lastSync().toString());
        o.putNull("token");
        o.put("lastModifiedDateTime", t.lastModified().toString());
        o.put("state", t.state());
        o.put("lastSyncStatus", t.lastSyncStatus());
        o.put("automaticallyUpdateApps", true);
        o.put("countryOrRegion", "us");
    }

    /** One depOnboardingSetting (beta): a DEP or Apple School Manager token. */
    private static void depToken(ConnectorData.DepToken t, ObjectNode o) {
        o.put("id", t.id());
        o.put("appleIdentifier", t.appleIdentifier());
        o.put("tokenExpirationDateTime", t.expiration().toString());
        o.put("lastModifiedDateTime", t.lastModified().toString());
        o.put("lastSuccessfulSyncDateTime", t.lastSuccessfulSync().toString());
        o.put("lastSyncTriggeredDateTime", t.lastSyncTriggered().toString());
        o.put("shareTokenWithSchoolDataSyncService", false);
        o.put("lastSyncErrorCode", 0);
        o.put("tokenType", t.tokenType());
        o.put("tokenName", t.tokenName());
        o.put("syncedDeviceCount", t.syncedDeviceCount());
        o.put("dataSharingConsentGranted", true);
        o.putArray("roleScopeTagIds").add("0");
    }

    /** One exchangeConnector; one that never synced has no lastSyncDateTime. */
    private static void exchangeConnector(ConnectorData.ExchangeConnector c, ObjectNode o) {
        o.put("id", c.id());
        if (c.lastSync() != null) {
            o.put("lastSyncDateTime", c.lastSync().toString());
        }
        o.put("status", c.status());
        o.put("primarySmtpAddress", c.primarySmtpAddress());
        o.put("serverName", c.serverName());
        o.put("connectorServerName", c.connectorServerName());
        o.put("exchangeConnectorType", c.connectorType());
        o.put("version", c.version());
        o.put("exchangeAlias", "IntuneConnector");
        o.put("exchangeOrganization", "Contoso Sim");
    }

    /** One deviceManagementPartner; "never" heartbeats are Graph's 0001-01-01. */
    private static void managementPartner(ConnectorData.ManagementPartner p, ObjectNode o) {
        o.put("id", p.id());
        o.put(
                "lastHeartbeatDateTime",
                p.lastHeartbeat() == null
                        ? DeviceEndpoints.NEVER
                        : p.lastHeartbeat().toString());
        o.put("partnerState", p.partnerState());
        o.put("partnerAppType", p.appType());
        o.put("singleTenantAppId", p.appType().equals("singleTenantApp") ? p.id() : null);
        o.put("displayName", p.displayName());
        o.put("isConfigured", p.configured());
        o.putNull("whenPartnerDevicesWillBeRemovedDateTime");
        o.putNull("whenPartnerDevicesWillBeMarkedAsNonCompliantDateTime");
        o.putArray("groupsRequiringPartnerEnrollment");
    }

    /** One ndesConnector (beta). */
    private static void ndesConnector(ConnectorData.NdesConnector c, ObjectNode o) {
        o.put("id", c.id());
        o.put("lastConnectionDateTime", c.lastConnection().toString());
        o.put("state", c.state());
        o.put("displayName", c.displayName());
        o.put("machineName", c.machineName());
        o.put("enrolledDateTime", c.enrolled().toString());
        o.put("connectorVersion", c.version());
        o.putArray("roleScopeTagIds").add("0");
    }

    /** One mobileThreatDefenseConnector: the partner's state and heartbeat, the platforms it is enabled for. */
    private static void mtdConnector(ConnectorData.MtdConnector c, ObjectNode o) {
        o.put("id", c.id());
        o.put("lastHeartbeatDateTime", c.lastHeartbeat().toString());
        o.put("partnerState", c.partnerState());
        o.put("androidMobileApplicationManagementEnabled", false);
        o.put("iosMobileApplicationManagementEnabled", false);
        o.put("androidEnabled", c.android());
        o.put("iosEnabled", c.ios());
        o.put("windowsEnabled", c.windows());
        o.put("macEnabled", c.mac());
        o.put("androidDeviceBlockedOnMissingPartnerData", false);
        o.put("iosDeviceBlockedOnMissingPartnerData", false);
        o.put("windowsDeviceBlockedOnMissingPartnerData", false);
        o.put("macDeviceBlockedOnMissingPartnerData", false);
        o.put("partnerUnsupportedOsVersionBlocked", false);
        o.put("partnerUnresponsivenessThresholdInDays", c.unresponsiveThresholdDays());
        o.put("allowPartnerToCollectIOSApplicationMetadata", false);
        o.put("allowPartnerToCollectIOSPersonalApplicationMetadata", false);
        o.put("microsoftDefenderForEndpointAttachEnabled", c.id().equals(ConnectorData.DEFENDER_MTD_ID));
    }
}
