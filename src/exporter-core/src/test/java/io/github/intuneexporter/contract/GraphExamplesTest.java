package io.github.intuneexporter.contract;

import static io.github.intuneexporter.SimulatedGraph.seriesCount;
import static io.github.intuneexporter.SimulatedGraph.sum;
import static io.github.intuneexporter.SimulatedGraph.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.AppInstallsCollector;
import io.github.intuneexporter.collector.AppProtectionCollector;
import io.github.intuneexporter.collector.AuditCollector;
import io.github.intuneexporter.collector.ComplianceCollector;
import io.github.intuneexporter.collector.ConfigurationCollector;
import io.github.intuneexporter.collector.ConnectorsCollector;
import io.github.intuneexporter.collector.CredentialsCollector;
import io.github.intuneexporter.collector.DeviceInventoryCollector;
import io.github.intuneexporter.collector.EnrollmentCollector;
import io.github.intuneexporter.collector.ProtectionCollector;
import io.github.intuneexporter.collector.ServiceHealthCollector;
import io.github.intuneexporter.collector.SubscriptionCollector;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.ReportExport;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each collector reads Microsoft's own example response for every endpoint it calls (the API reference examples
 * vendored in src/exporter-core/src/test/resources/graph-examples/) and exports what that example says. Expected values are read off
 * the examples by hand, never computed with the collectors' code.
 */
class GraphExamplesTest {
    private static final String V1 = "/v1\\.0";
    private static final String BETA = "/beta";
    /** The examples' timestamps are around 2017-01-01; "now" is that day, so nothing is stale or out of a 24 h window. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-01-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static double epoch(String documented) {
        return OffsetDateTime.parse(documented).toEpochSecond();
    }

    @Test
    void everyVendoredExampleIsValidJsonAndHasItsRequest() throws Exception {
        Path root = Path.of("src/exporter-core/src/test/resources/graph-examples");
        int pairs = 0;
        for (String version : List.of("v1.0", "beta")) {
            try (Stream<Path> files = Files.list(root.resolve(version))) {
                for (Path json :
                        files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    JsonNode node = ExampleGraph.json(version + "/" + json.getFileName());
                    assertTrue(node.isObject(), json.toString());
                    Path http =
                            json.resolveSibling(json.getFileName().toString().replace(".json", ".http"));
                    assertTrue(Files.exists(http), "example request of " + json);
                    String first = Files.readAllLines(http).get(0);
                    assertTrue(
                            first.matches("(GET|POST) https://graph\\.microsoft\\.com/(v1\\.0|v1|beta)/.+"),
                            http + ": " + first);
                    pairs++;
                }
            }
        }
        assertEquals(43, pairs, "vendored example pairs (see graph-examples/README.md)");
        assertTrue(Files.exists(root.resolve("LICENSE")) && Files.exists(root.resolve("LICENSE-CODE")));
    }

    @Test
    void theIntuneSingleEntityExamplesAreWrappedInValueWhichTheServerUnwraps() {
        // The generated Intune pages show a single entity as {"value": {...}}; servicehealth-get does not, and Graph
        // never does.
        assertTrue(ExampleGraph.json("v1.0/intune-devices-manageddeviceoverview-get.json")
                .path("value")
                .isObject());
        assertTrue(ExampleGraph.json("v1.0/application-get.example-2.json").has("appId"));
    }

    @Test
    void compliance() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/managedDeviceOverview",
                        "v1.0/intune-devices-manageddeviceoverview-get",
                        true)
                .get(
                        V1 + "/deviceManagement/deviceCompliancePolicyDeviceStateSummary",
                        "v1.0/intune-deviceconfig-devicecompliancepolicydevicestatesummary-get",
                        true)
                .get(
                        V1 + "/deviceManagement/deviceCompliancePolicies",
                        "v1.0/intune-deviceconfig-devicecompliancepolicy-list",
                        false)
                .get(
                        V1 + "/deviceManagement/deviceCompliancePolicies/[^/]+/deviceStatusOverview",
                        "v1.0/intune-deviceconfig-devicecompliancedeviceoverview-get",
                        true)) {
            MetricSnapshots m = new ComplianceCollector(
                            g.api(), Duration.ofMinutes(5), new CollectorSettings.Compliance(Duration.ofMinutes(5), 10))
                    .collect();
            assertEquals(3, value(m, "intune_overview_enrolled_devices"));
            assertEquals(0, value(m, "intune_overview_mdm_enrolled_devices"));
            assertEquals(7, value(m, "intune_overview_dual_enrolled_devices"));
            assertEquals(12, value(m, "intune_overview_devices", "operating_system", "windows"));
            assertEquals(8, value(m, "intune_overview_devices", "operating_system", "ios"));
            assertEquals(10, value(m, "intune_overview_devices", "operating_system", "macos"));
            assertEquals(12, value(m, "intune_overview_devices", "operating_system", "android"));
            assertEquals(2, value(m, "intune_overview_devices", "operating_system", "windows_mobile"));
            assertEquals(12, value(m, "intune_overview_devices", "operating_system", "unknown"));
            assertEquals(6, value(m, "intune_exchange_access_devices", "state", "quarantined"));
            assertEquals(6, value(m, "intune_exchange_access_devices", "state", "unavailable"));
            assertEquals(2 + 2 + 6 + 2 + 6, sum(m, "intune_exchange_access_devices"));
            assertEquals(4, value(m, "intune_compliance_state_devices", "status", "compliant"));
            assertEquals(7, value(m, "intune_compliance_state_devices", "status", "noncompliant"));
            assertEquals(2, value(m, "intune_compliance_state_devices", "status", "in_grace_period"));
            assertEquals(3, value(m, "intune_compliance_state_devices", "status", "conflict"));
            assertEquals(2, value(m, "intune_compliance_state_devices", "status", "config_manager"));
            assertEquals(2 + 2 + 2 + 8 + 4 + 5 + 7 + 0 + 3, sum(m, "intune_compliance_state_devices"));
            // The example's policy is the abstract #microsoft.graph.deviceCompliancePolicy: no platform to tell.
            String policy = "Display Name value";
            assertEquals(
                    12,
                    value(
                            m,
                            "intune_compliance_policy_devices",
                            "policy",
                            policy,
                            "platform",
                            "unknown",
                            "status",
                            "compliant"));
            assertEquals(
                    11,
                    value(
                            m,
                            "intune_compliance_policy_devices",
                            "policy",
                            policy,
                            "platform",
                            "unknown",
                            "status",
                            "noncompliant"));
            assertEquals(
                    10,
                    value(
                            m,
                            "intune_compliance_policy_devices",
                            "policy",
                            policy,
                            "platform",
                            "unknown",
                            "status",
                            "error"));
            assertEquals(
                    12,
                    value(
                            m,
                            "intune_compliance_policy_devices",
                            "policy",
                            policy,
                            "platform",
                            "unknown",
                            "status",
                            "pending"));
            assertEquals(
                    2,
                    value(
                            m,
                            "intune_compliance_policy_devices",
                            "policy",
                            policy,
                            "platform",
                            "unknown",
                            "status",
                            "not_applicable"));
            assertEquals(5, seriesCount(m, "intune_compliance_policy_devices"), "v1.0 has no conflictCount");
            assertEquals(1, value(m, "intune_compliance_policies"));
        }
    }

    @Test
    void configurationInV1AndBeta() throws Exception {
        for (boolean beta : List.of(false, true)) {
            String version = beta ? "beta" : "v1.0";
            String root = beta ? BETA : V1;
            try (ExampleGraph g = ExampleGraph.start()
                    .get(
                            V1 + "/deviceManagement/deviceConfigurations",
                            "v1.0/intune-deviceconfig-deviceconfiguration-list",
                            false)
                    .get(
                            V1 + "/deviceManagement/deviceConfigurationDeviceStateSummaries",
                            "v1.0/intune-deviceconfig-deviceconfigurationdevicestatesummary-get",
                            true)
                    .get(
                            root + "/deviceManagement/deviceConfigurations/[^/]+/deviceStatusOverview",
                            version + "/intune-deviceconfig-deviceconfigurationdeviceoverview-get",
                            true)) {
                MetricSnapshots m = new ConfigurationCollector(
                                g.api(),
                                Duration.ofMinutes(5),
                                new CollectorSettings.Configuration(
                                        Duration.ofMinutes(5), new CollectorSettings.NameFilter(null, null), 10, beta))
                        .collect();
                String p = "Display Name value";
                assertEquals(
                        12,
                        value(
                                m,
                                "intune_configuration_profile_devices",
                                "profile",
                                p,
                                "platform",
                                "unknown",
                                "status",
                                "success"));
                assertEquals(
                        10,
                        value(
                                m,
                                "intune_configuration_profile_devices",
                                "profile",
                                p,
                                "platform",
                                "unknown",
                                "status",
                                "error"));
                assertEquals(
                        11,
                        value(
                                m,
                                "intune_configuration_profile_devices",
                                "profile",
                                p,
                                "platform",
                                "unknown",
                                "status",
                                "failed"));
                assertEquals(
                        12,
                        value(
                                m,
                                "intune_configuration_profile_devices",
                                "profile",
                                p,
                                "platform",
                                "unknown",
                                "status",
                                "pending"));
                assertEquals(
                        2,
                        value(
                                m,
                                "intune_configuration_profile_devices",
                                "profile",
                                p,
                                "platform",
                                "unknown",
                                "status",
                                "not_applicable"));
                if (beta) {
                    assertEquals(
                            13,
                            value(
                                    m,
                                    "intune_configuration_profile_devices",
                                    "profile",
                                    p,
                                    "platform",
                                    "unknown",
                                    "status",
                                    "conflict"));
                } else {
                    assertEquals(
                            5, seriesCount(m, "intune_configuration_profile_devices"), "v1.0 has no conflictCount");
                }
                assertEquals(4, value(m, "intune_configuration_state_devices", "status", "compliant"));
                assertEquals(3, value(m, "intune_configuration_state_devices", "status", "conflict"));
                assertEquals(2 + 8 + 4 + 5 + 7 + 0 + 3, sum(m, "intune_configuration_state_devices"));
                assertEquals(1, value(m, "intune_configuration_profiles"));
            }
        }
    }

    @Test
    void connectorsEverySource() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/applePushNotificationCertificate",
                        "v1.0/intune-devices-applepushnotificationcertificate-get",
                        true)
                .get(V1 + "/deviceAppManagement/vppTokens", "v1.0/intune-onboarding-vpptoken-list", false)
                .get(
                        BETA + "/deviceManagement/depOnboardingSettings",
                        "beta/intune-enrollment-deponboardingsetting-list",
                        false)
                .get(
                        V1 + "/deviceManagement/exchangeConnectors",
                        "v1.0/intune-onboarding-devicemanagementexchangeconnector-list",
                        false)
                .get(
                        V1 + "/deviceManagement/mobileThreatDefenseConnectors",
                        "v1.0/intune-onboarding-mobilethreatdefenseconnector-list",
                        false)
                .get(
                        V1 + "/deviceManagement/deviceManagementPartners",
                        "v1.0/intune-onboarding-devicemanagementpartner-list",
                        false)
                .get(BETA + "/deviceManagement/ndesConnectors", "beta/intune-deviceconfig-ndesconnector-list", false)) {
            MetricSnapshots m = new ConnectorsCollector(
                            g.api(),
                            Duration.ofMinutes(15),
                            new CollectorSettings.Connectors(
                                    Duration.ofMinutes(15), CollectorSettings.ConnectorSources.all(), 64, 50))
                    .collect();
            String exp = "intune_connector_expiration_timestamp_seconds";
            String sync = "intune_connector_last_sync_timestamp_seconds";
            String beat = "intune_connector_last_heartbeat_timestamp_seconds";
            String state = "intune_connector_state";
            assertEquals(
                    epoch("2016-12-31T23:57:57.2481234-08:00"),
                    value(m, exp, "connector_type", "apple_push_certificate", "name", "apns"));
            assertEquals(
                    epoch("2016-12-31T23:57:57.2481234-08:00"),
                    value(m, exp, "connector_type", "vpp_token", "name", "Organization Name value"));
            assertEquals(
                    epoch("2017-01-01T00:02:49.3205976-08:00"),
                    value(m, sync, "connector_type", "vpp_token", "name", "Organization Name value"));
            assertEquals(
                    1,
                    value(
                            m,
                            state,
                            "connector_type",
                            "vpp_token",
                            "name",
                            "Organization Name value",
                            "state",
                            "valid"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_connector_sync_status",
                            "connector_type",
                            "vpp_token",
                            "name",
                            "Organization Name value",
                            "status",
                            "in_progress"));
            assertEquals(
                    epoch("2016-12-31T23:59:54.0590989-08:00"),
                    value(m, exp, "connector_type", "dep_token", "name", "Token Name value"));
            assertEquals(
                    epoch("2017-01-01T00:03:28.120883-08:00"),
                    value(m, sync, "connector_type", "dep_token", "name", "Token Name value"));
            assertEquals(
                    epoch("2017-01-01T00:02:49.3205976-08:00"),
                    value(m, sync, "connector_type", "exchange_connector", "name", "Server Name value"));
            assertEquals(
                    1,
                    value(
                            m,
                            state,
                            "connector_type",
                            "exchange_connector",
                            "name",
                            "Server Name value",
                            "state",
                            "connection_pending"));
            // MTD connectors have no name: the label is the id.
            String mtd = "e4bede14-de14-e4be-14de-bee414debee4";
            assertEquals(
                    epoch("2016-12-31T23:59:37.9174975-08:00"),
                    value(m, beat, "connector_type", "mtd_connector", "name", mtd));
            assertEquals(1, value(m, state, "connector_type", "mtd_connector", "name", mtd, "state", "available"));
            assertEquals(
                    epoch("2016-12-31T23:59:37.9174975-08:00"),
                    value(m, beat, "connector_type", "management_partner", "name", "Display Name value"));
            assertEquals(
                    1,
                    value(
                            m,
                            state,
                            "connector_type",
                            "management_partner",
                            "name",
                            "Display Name value",
                            "state",
                            "unavailable"));
            assertEquals(
                    epoch("2016-12-31T23:58:36.6670033-08:00"),
                    value(m, beat, "connector_type", "ndes_connector", "name", "Display Name value"));
            assertEquals(
                    1,
                    value(
                            m,
                            state,
                            "connector_type",
                            "ndes_connector",
                            "name",
                            "Display Name value",
                            "state",
                            "active"));
            assertEquals(
                    5,
                    sum(m, state),
                    "one current state per connector with a state: VPP, Exchange, MTD, partner, NDES");
        }
    }

    @Test
    void protectionWithThePerDeviceFallback() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(V1 + "/deviceManagement", "v1.0/intune-devices-devicemanagement-get", true)
                .get(
                        V1 + "/deviceManagement/windowsMalwareInformation",
                        "v1.0/intune-devices-windowsmalwareinformation-list",
                        false)
                .get(
                        V1 + "/deviceManagement/windowsMalwareInformation/[^/]+/deviceMalwareStates",
                        "v1.0/intune-devices-malwarestateforwindowsdevice-list",
                        false)
                .get(V1 + "/deviceManagement/managedDevices", "v1.0/intune-devices-manageddevice-list", false)
                .get(
                        V1 + "/deviceManagement/managedDevices/[^/]+/windowsProtectionState",
                        "v1.0/intune-devices-windowsprotectionstate-get",
                        true)) {
            MetricSnapshots m = new ProtectionCollector(
                            g.api(),
                            Duration.ofMinutes(5),
                            new CollectorSettings.Protection(Duration.ofMinutes(5), 10, false))
                    .collect();
            assertEquals(8, value(m, "intune_defender_reported_devices"));
            assertEquals(0, value(m, "intune_defender_devices", "state", "clean"));
            assertEquals(11, value(m, "intune_defender_devices", "state", "critical"));
            assertEquals(9, value(m, "intune_defender_devices", "state", "reboot_pending"));
            assertEquals(10, value(m, "intune_defender_devices", "state", "full_scan_pending"));
            assertEquals(13, value(m, "intune_defender_devices", "state", "manual_steps_pending"));
            assertEquals(13, value(m, "intune_defender_devices", "state", "offline_scan_pending"));
            assertEquals(11, value(m, "intune_defender_devices", "state", "quick_scan_pending"));
            assertEquals(1, value(m, "intune_defender_devices", "state", "signature_update_pending"));
            assertEquals(14, value(m, "intune_defender_devices", "state", "inactive_agent"));
            assertEquals(2, value(m, "intune_defender_devices", "state", "unknown_state"));
            assertEquals(10, value(m, "intune_malware_detected_devices"));
            assertEquals(5, value(m, "intune_malware_severity_detections", "severity", "low"));
            assertEquals(5, sum(m, "intune_malware_severity_detections"));
            assertEquals(11, value(m, "intune_malware_category_devices", "category", "adware"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_malware_detections",
                            "severity",
                            "low",
                            "category",
                            "adware",
                            "state",
                            "action_failed"));
            assertEquals(1, sum(m, "intune_malware_detections"));
            assertEquals(1, value(m, "intune_malware_active_devices"), "actionFailed is unresolved");
            // The one device of the managedDevices example, read through its windowsProtectionState example.
            assertEquals(1, value(m, "intune_defender_protection_checked_devices"));
            for (String check :
                    List.of("real_time_protection", "malware_protection", "tamper_protection", "network_inspection")) {
                assertEquals(1, value(m, "intune_defender_protection_devices", "check", check, "status", "ok"), check);
            }
            for (String check : List.of("signature_update", "quick_scan", "full_scan")) {
                assertEquals(
                        1, value(m, "intune_defender_protection_devices", "check", check, "status", "problem"), check);
            }
            assertEquals(1, value(m, "intune_defender_product_status_devices", "status", "service_not_running"));
            assertEquals(1, sum(m, "intune_defender_product_status_devices"));
        }
    }

    @Test
    void appProtectionWithExpandedDeploymentSummaries() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceAppManagement/managedAppRegistrations",
                        "v1.0/intune-mam-managedappregistration-list",
                        false)
                .get(
                        V1 + "/deviceAppManagement/iosManagedAppProtections",
                        "v1.0/intune-mam-iosmanagedappprotection-list",
                        false)
                .get(
                        V1 + "/deviceAppManagement/androidManagedAppProtections",
                        "v1.0/intune-mam-androidmanagedappprotection-list",
                        false)) {
            MetricSnapshots m = new AppProtectionCollector(
                            g.api(),
                            CLOCK,
                            Duration.ofMinutes(5),
                            new CollectorSettings.AppProtection(Duration.ofMinutes(5), Set.of(), 10, 30, 10))
                    .collect();
            // The example's registration is the abstract #microsoft.graph.managedAppRegistration: no platform to tell.
            assertEquals(
                    1,
                    value(m, "intune_app_protection_registrations", "platform", "unknown", "app", "Package Id value"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_app_protection_flagged_registrations",
                            "platform",
                            "unknown",
                            "reason",
                            "rooted_device"));
            assertEquals(1, sum(m, "intune_app_protection_flagged_registrations"));
            assertEquals(1, value(m, "intune_app_protection_flagged_users"));
            assertEquals(
                    0, sum(m, "intune_app_protection_stale_registrations"), "synced 2017-01-01, 'now' is that day");
            assertEquals(
                    14,
                    value(
                            m,
                            "intune_app_protection_policy_deployed_users",
                            "policy",
                            "Display Name value",
                            "platform",
                            "ios"));
            assertEquals(
                    14,
                    value(
                            m,
                            "intune_app_protection_policy_deployed_users",
                            "policy",
                            "Display Name value",
                            "platform",
                            "android"));
        }
    }

    @Test
    void enrollmentAndAutopilot() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/troubleshootingEvents",
                        "v1.0/intune-troubleshooting-devicemanagementtroubleshootingevent-list",
                        false)
                .get(
                        BETA + "/deviceManagement/autopilotEvents",
                        "beta/intune-troubleshooting-devicemanagementautopilotevent-list",
                        false)) {
            MetricSnapshots m = new EnrollmentCollector(
                            g.api(),
                            CLOCK,
                            Duration.ofMinutes(5),
                            new CollectorSettings.Enrollment(
                                    Duration.ofMinutes(5), Duration.ofDays(1), dir.resolve("state.json"), true))
                    .collect();
            // The example event is the base deviceManagementTroubleshootingEvent, not an
            // enrollmentTroubleshootingEvent: no failure.
            assertEquals(0, sum(m, "intune_enrollment_failures"));
            assertEquals(0, seriesCount(m, "intune_enrollment_last_failure_timestamp_seconds"));
            assertEquals(1, value(m, "intune_autopilot_deployments_total", "deployment_state", "success"));
            assertEquals(1, sum(m, "intune_autopilot_deployments"));
            assertEquals(0, value(m, "intune_autopilot_failures_last_day"));
        }
    }

    @Test
    void auditEventsCountedWithoutActorOrResourceEvenWhenGraphRefusesTheFilter() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .refuseFilter()
                .get(V1 + "/deviceManagement/auditEvents", "v1.0/intune-auditing-auditevent-list", false)) {
            // The example event is at 2017-01-01T07:59:51Z; a day of lateness reaches it from "now" (12:00).
            AuditCollector c = new AuditCollector(
                    g.api(),
                    CLOCK,
                    Duration.ofMinutes(5),
                    new CollectorSettings.Audit(Duration.ofMinutes(5), Duration.ofDays(1), dir.resolve("audit.json")));
            MetricSnapshots m = c.collect();
            // "Category value" and the other placeholders are no known value: other.
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_audit_events_total",
                            "category",
                            "other",
                            "operation_type",
                            "other",
                            "result",
                            "other"));
            assertEquals(1, sum(m, "intune_audit_events"));
            assertEquals(
                    epoch("2016-12-31T23:59:51.6363086-08:00"),
                    value(m, "intune_audit_last_event_timestamp_seconds"),
                    1.0);
            List<String> paths = g.paths();
            assertTrue(paths.get(0).contains("$filter=activityDateTime"), paths.get(0));
            assertFalse(paths.get(1).contains("$filter"), "refused with 400: the whole log instead: " + paths.get(1));
            // A second run counts nothing twice and does not try the filter again.
            assertEquals(1, sum(c.collect(), "intune_audit_events"));
            assertFalse(g.paths().get(g.paths().size() - 1).contains("$filter"));
        }
    }

    @Test
    void subscriptionStateOfTheDeviceManagementExample() throws Exception {
        try (ExampleGraph g =
                ExampleGraph.start().get(V1 + "/deviceManagement", "v1.0/intune-devices-devicemanagement-get", true)) {
            MetricSnapshots m = new SubscriptionCollector(g.api(), Duration.ofMinutes(5)).collect();
            assertEquals(1, value(m, "intune_subscription_state", "state", "active"));
            assertEquals(1, sum(m, "intune_subscription_state"));
        }
    }

    @Test
    void serviceHealthAndMessageCenter() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/admin/serviceAnnouncement/healthOverviews",
                        "v1.0/serviceannouncement-list-healthoverviews.example-1",
                        false)
                .get(V1 + "/admin/serviceAnnouncement/issues", "v1.0/serviceannouncement-list-issues", false)
                .get(V1 + "/admin/serviceAnnouncement/messages", "v1.0/serviceannouncement-list-messages", false)) {
            // The examples are about Exchange Online and SharePoint Online; the service name is configurable.
            Clock issueTime = Clock.fixed(Instant.parse("2020-11-14T00:00:00Z"), ZoneOffset.UTC);
            MetricSnapshots m = new ServiceHealthCollector(
                            g.api(),
                            issueTime,
                            Duration.ofMinutes(5),
                            new CollectorSettings.ServiceHealth(Duration.ofMinutes(5), "Exchange Online", "", false))
                    .collect();
            assertEquals(1, value(m, "intune_service_status", "status", "service_operational"));
            assertEquals(1, sum(m, "intune_service_status"));
            assertEquals(0, sum(m, "intune_service_issues"), "the example's issue is resolved (isResolved true)");

            Clock messageTime = Clock.fixed(Instant.parse("2019-03-01T00:00:00Z"), ZoneOffset.UTC);
            m = new ServiceHealthCollector(
                            g.api(),
                            messageTime,
                            Duration.ofMinutes(5),
                            new CollectorSettings.ServiceHealth(Duration.ofMinutes(5), "SharePoint Online", "", true))
                    .collect();
            assertEquals(
                    1,
                    value(m, "intune_service_status", "status", "unknown"),
                    "not among the example's three services");
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_message_center_posts",
                            "category",
                            "stay_informed",
                            "severity",
                            "normal",
                            "action_required",
                            "false"));
            assertEquals(1, sum(m, "intune_message_center_posts"));
            assertEquals(0, seriesCount(m, "intune_message_center_next_action_timestamp_seconds"));
            assertTrue(
                    g.paths().stream().anyMatch(p -> p.contains("messages?$skip=100")),
                    "the example's nextLink was followed");
        }
    }

    @Test
    void credentialsOfBothApplicationExamples() throws Exception {
        for (String example : List.of("v1.0/application-get.example-1", "v1.0/application-get.example-2")) {
            try (ExampleGraph g = ExampleGraph.start().get(V1 + "/applications\\(appId=.*\\)", example, false)) {
                MetricSnapshots m = new CredentialsCollector(
                                g.api(),
                                Duration.ofMinutes(5),
                                new CollectorSettings.Credentials(
                                        Duration.ofMinutes(5), "46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b"),
                                CredentialsCollector.SignIn.other())
                        .collect();
                // Example 1 lists empty passwordCredentials and keyCredentials; example 2 selects neither.
                assertEquals(0, seriesCount(m, "intune_exporter_credential_expiration_timestamp_seconds"), example);
            }
        }
    }

    @Test
    void devicesFromTheManagedDevicesList() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(V1 + "/deviceManagement/managedDevices", "v1.0/intune-devices-manageddevice-list", false)) {
            MetricSnapshots m =
                    new DeviceInventoryCollector(g.api(), CLOCK, Duration.ofMinutes(5), List.of(1, 30)).collect();
            // operatingSystem "Operating System value" is no known OS.
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_managed_devices",
                            "operating_system",
                            "unknown",
                            "compliance_state",
                            "compliant",
                            "owner_type",
                            "company",
                            "management_agent",
                            "mdm"));
            assertEquals(1, sum(m, "intune_managed_devices"));
            assertEquals(1, value(m, "intune_devices_encrypted", "operating_system", "unknown", "encrypted", "true"));
            assertEquals(
                    1, value(m, "intune_devices_jailbroken", "operating_system", "unknown", "jailbroken", "unknown"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_enrollment_type_devices",
                            "operating_system",
                            "unknown",
                            "enrollment_type",
                            "user_enrollment"));
            assertEquals(0, sum(m, "intune_stale_devices"), "synced 2017-01-01T08:02:49Z, 'now' is four hours later");
            // managementCertificateExpirationDate 2017-01-01T07:57:59Z and the grace period's end 07:56:44Z are before
            // "now".
            assertEquals(1, value(m, "intune_management_certificate_expired_devices", "operating_system", "unknown"));
            assertEquals(0, sum(m, "intune_management_certificate_expiring_devices"));
            assertEquals(0, sum(m, "intune_compliance_grace_period_devices"));
            assertEquals(0, seriesCount(m, "intune_android_security_patch_age_devices"), "no Android device");
        }
    }

    @Test
    void exportJobOfTheExamplesNeverCompletesAndSaysSo() {
        // Microsoft's examples show a job created and read back as notStarted: the export waits, then fails naming the
        // status.
        try (ExampleGraph g = ExampleGraph.start()) {
            g.post(
                            V1 + "/deviceManagement/reports/exportJobs",
                            "v1.0/intune-reporting-devicemanagementexportjob-create",
                            201)
                    .get(
                            V1 + "/deviceManagement/reports/exportJobs.*",
                            "v1.0/intune-reporting-devicemanagementexportjob-get",
                            true);
            GraphException e = assertThrows(
                    GraphException.class,
                    () -> ReportExport.csv(
                            g.api(), "DeviceCompliance", List.of("OS"), Duration.ofMillis(20), Duration.ofMillis(300)));
            assertTrue(
                    e.getMessage().contains("not completed") && e.getMessage().contains("notStarted"), e.getMessage());
            assertTrue(
                    g.paths().get(1).startsWith("GET /v1.0/deviceManagement/reports/exportJobs"),
                    g.paths().toString());
            assertTrue(
                    g.paths().get(1).contains("9ddfb995-b995-9ddf-95b9-df9d95b9df9d"),
                    "polls the example job's id: " + g.paths());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void appInstallsReadsTheMobileAppsListWithoutAssignmentsAsNothingAssigned() throws Exception {
        // The v1.0 example has no assignment information (the stub expands an empty collection); Microsoft's page for
        // the device install report has no stored example, so the report half is not exercised here (see
        // graph-examples/README.md).
        try (ExampleGraph g = ExampleGraph.start()
                .get(V1 + "/deviceAppManagement/mobileApps", "v1.0/intune-apps-mobileapp-list", false)) {
            MetricSnapshots m = new AppInstallsCollector(
                            g.api(),
                            Duration.ofMinutes(5),
                            new CollectorSettings.AppInstalls(
                                    Duration.ofMinutes(5),
                                    false,
                                    new CollectorSettings.NameFilter(null, null),
                                    10,
                                    100_000))
                    .collect();
            assertEquals(0, value(m, "intune_apps_tracked"));
            assertTrue(
                    g.paths().stream().allMatch(p -> p.startsWith("GET /v1.0/deviceAppManagement/mobileApps")),
                    g.paths().toString());
        }
    }
}
