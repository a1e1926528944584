package io.github.intuneexporter.contract;

import static io.github.intuneexporter.SimulatedGraph.seriesCount;
import static io.github.intuneexporter.SimulatedGraph.sum;
import static io.github.intuneexporter.SimulatedGraph.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.intuneexporter.collector.AppTroubleshootingCollector;
import io.github.intuneexporter.collector.AutopilotCollector;
import io.github.intuneexporter.collector.ComplianceSettingsCollector;
import io.github.intuneexporter.collector.PartnersCollector;
import io.github.intuneexporter.collector.SoftwareUpdatesCollector;
import io.github.intuneexporter.config.CollectorSettings;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change-awareness collectors (issue 17) read Microsoft's own example responses of their endpoints (vendored in
 * src/test/resources/graph-examples/v1.0) and export what the examples say. Expected values are read off the examples
 * by hand.
 */
class ChangeAwarenessExamplesTest {
    private static final String V1 = "/v1\\.0";
    /** The examples' timestamps are around 2017-01-01. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2017-01-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void autopilotIdentitiesByEnrollmentState() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/windowsAutopilotDeviceIdentities",
                        "v1.0/intune-enrollment-windowsautopilotdeviceidentity-list",
                        false)) {
            MetricSnapshots m = new AutopilotCollector(g.api(), Duration.ofMinutes(15)).collect();
            assertEquals(1, value(m, "intune_autopilot_device_identities", "enrollment_state", "enrolled"));
            assertEquals(0, value(m, "intune_autopilot_device_identities", "enrollment_state", "not_contacted"));
            assertEquals(
                    5, seriesCount(m, "intune_autopilot_device_identities"), "every v1.0 enrollmentState, zero-filled");
        }
    }

    @Test
    void complianceAndRemoteAssistancePartners() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/complianceManagementPartners",
                        "v1.0/intune-onboarding-compliancemanagementpartner-list",
                        false)
                .get(
                        V1 + "/deviceManagement/remoteAssistancePartners",
                        "v1.0/intune-remoteassistance-remoteassistancepartner-list",
                        false)) {
            MetricSnapshots m = new PartnersCollector(
                            g.api(),
                            CLOCK,
                            Duration.ofMinutes(15),
                            new CollectorSettings.Partners(Duration.ofMinutes(15), 50))
                    .collect();
            String name = "Display Name value";
            assertEquals(1, value(m, "intune_compliance_partner_state", "partner", name, "state", "unavailable"));
            assertEquals(0, value(m, "intune_compliance_partner_state", "partner", name, "state", "enabled"));
            assertEquals(6, seriesCount(m, "intune_compliance_partner_state"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_remote_assistance_partner_onboarding_status",
                            "partner",
                            name,
                            "status",
                            "onboarding"));
            assertEquals(1, sum(m, "intune_remote_assistance_partner_onboarding_status"));
            // 2017-01-01T12:00:00Z less 2016-12-31T23:59:37.9174975-08:00 is 4 h 0 min 22.08 s: whole seconds.
            assertEquals(
                    4 * 3600 + 22,
                    value(m, "intune_partner_heartbeat_age_seconds", "partner_type", "compliance", "partner", name));
            assertEquals(
                    4 * 3600 + 60 + 23, // 4 h 1 min 23.33 s
                    value(
                            m,
                            "intune_partner_heartbeat_age_seconds",
                            "partner_type",
                            "remote_assistance",
                            "partner",
                            name));
            assertEquals(1, value(m, "intune_partners", "partner_type", "compliance"));
            assertEquals(1, value(m, "intune_partners", "partner_type", "remote_assistance"));
        }
    }

    @Test
    void complianceSettingSummaries() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/deviceCompliancePolicySettingStateSummaries",
                        "v1.0/intune-deviceconfig-devicecompliancepolicysettingstatesummary-list",
                        false)) {
            MetricSnapshots m = new ComplianceSettingsCollector(
                            g.api(),
                            Duration.ofMinutes(15),
                            new CollectorSettings.ComplianceSettings(Duration.ofMinutes(15), 10))
                    .collect();
            String setting = "Setting Name value";
            String f = "intune_compliance_setting_devices";
            assertEquals(7, value(m, f, "setting", setting, "platform", "ios", "status", "noncompliant"));
            assertEquals(4, value(m, f, "setting", setting, "platform", "ios", "status", "compliant"));
            assertEquals(3, value(m, f, "setting", setting, "platform", "ios", "status", "conflict"));
            assertEquals(8, value(m, f, "setting", setting, "platform", "ios", "status", "not_applicable"));
            assertEquals(2 + 8 + 4 + 5 + 7 + 0 + 3, sum(m, f));
            assertEquals(1, value(m, "intune_compliance_settings"));
        }
    }

    @Test
    void softwareUpdateStatusSummary() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/softwareUpdateStatusSummary",
                        "v1.0/intune-deviceconfig-softwareupdatestatussummary-get",
                        true)) {
            MetricSnapshots m = new SoftwareUpdatesCollector(g.api(), Duration.ofMinutes(15)).collect();
            assertEquals(4, value(m, "intune_software_update_devices", "status", "compliant"));
            assertEquals(7, value(m, "intune_software_update_devices", "status", "noncompliant"));
            assertEquals(8, value(m, "intune_software_update_devices", "status", "not_applicable"));
            assertEquals(4 + 7 + 5 + 0 + 2 + 3 + 8, sum(m, "intune_software_update_devices"));
            assertEquals(14, value(m, "intune_software_update_users", "status", "error"));
            assertEquals(2 + 5 + 3 + 14 + 0 + 1 + 6, sum(m, "intune_software_update_users"));
        }
    }

    @Test
    void appTroubleshootingEventsCountedOnce() throws Exception {
        try (ExampleGraph g = ExampleGraph.start()
                .get(
                        V1 + "/deviceManagement/mobileAppTroubleshootingEvents",
                        "v1.0/intune-devices-mobileapptroubleshootingevent-list",
                        false)) {
            Path state = dir.resolve("app.json");
            MetricSnapshots first = new AppTroubleshootingCollector(
                            g.api(),
                            CLOCK,
                            Duration.ofMinutes(15),
                            new CollectorSettings.AppTroubleshooting(Duration.ofMinutes(15), Duration.ofDays(7), state))
                    .collect();
            assertEquals(1, value(first, "intune_app_troubleshooting_events_total"));
            assertEquals(1, value(first, "intune_app_troubleshooting_events_listed"));
            // A restarted exporter (new collector, same state file) sees the same event and does not count it again.
            MetricSnapshots again = new AppTroubleshootingCollector(
                            g.api(),
                            CLOCK,
                            Duration.ofMinutes(15),
                            new CollectorSettings.AppTroubleshooting(Duration.ofMinutes(15), Duration.ofDays(7), state))
                    .collect();
            assertEquals(1, value(again, "intune_app_troubleshooting_events_total"));
        }
    }
}
