package io.github.intuneexporter.collector;

import static io.github.intuneexporter.SimulatedGraph.seriesCount;
import static io.github.intuneexporter.SimulatedGraph.sum;
import static io.github.intuneexporter.SimulatedGraph.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.simulator.AwarenessData;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change-awareness collectors (issue 17) against the contract-strict simulator: what they export equals the simulated
 * tenant's ground truth ({@link AwarenessData}), every request and response fits Graph's v1.0 metadata (checked when
 * {@link SimulatedGraph} closes), labels stay bounded, and event counting survives restarts.
 */
class ChangeAwarenessCollectorsTest {
    private static final Duration I = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    /** The test's own reading of v1.0 enrollmentState wire strings. */
    private static String state(String raw) {
        return switch (raw) {
            case "enrolled" -> "enrolled";
            case "notContacted" -> "not_contacted";
            case "pendingReset" -> "pending_reset";
            case "failed" -> "failed";
            default -> "unknown";
        };
    }

    @Test
    void autopilotIdentitiesArePagedAndCountedByState() throws Exception {
        // 2500 devices: 750 identities, two pages of 500.
        try (SimulatedGraph g = SimulatedGraph.start(2500, 17)) {
            MetricSnapshots m = new AutopilotCollector(g.api(), I).collect();
            Map<String, Double> expected = new HashMap<>();
            for (AwarenessData.AutopilotIdentity a : new AwarenessData(g.tenant).autopilotIdentities()) {
                expected.merge(state(a.enrollmentState()), 1.0, Double::sum);
            }
            assertEquals(750, sum(m, "intune_autopilot_device_identities"));
            for (String s : AutopilotCollector.ENROLLMENT_STATES) {
                assertEquals(
                        expected.getOrDefault(s, 0.0),
                        value(m, "intune_autopilot_device_identities", "enrollment_state", s),
                        s);
            }
            assertTrue(
                    expected.get("not_contacted") > 0 && expected.get("failed") > 0,
                    "the simulated tenant has every kind");
            assertTrue(g.simulator.requestCount("/deviceManagement/windowsAutopilotDeviceIdentities") >= 2, "paged");
        }
    }

    @Test
    void partnersStateAndHeartbeatAge() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(2500, 17)) {
            MetricSnapshots m = new PartnersCollector(
                            g.api(), SimulatedGraph.fixedClock(), I, new CollectorSettings.Partners(I, 50))
                    .collect();
            AwarenessData data = new AwarenessData(g.tenant);
            AwarenessData.CompliancePartner jamf = data.compliancePartners().get(0);
            assertEquals(1, value(m, "intune_compliance_partner_state", "partner", "Jamf Pro", "state", "enabled"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_compliance_partner_state",
                            "partner",
                            "Contoso Legacy MDM",
                            "state",
                            "unavailable"));
            assertEquals(
                    2 * PartnersCollector.PARTNER_STATES.size(), seriesCount(m, "intune_compliance_partner_state"));
            assertEquals(
                    Duration.between(jamf.lastHeartbeat(), SimulatedGraph.NOW).getSeconds(),
                    value(
                            m,
                            "intune_partner_heartbeat_age_seconds",
                            "partner_type",
                            "compliance",
                            "partner",
                            "Jamf Pro"));
            assertTrue(value(
                            m,
                            "intune_partner_heartbeat_age_seconds",
                            "partner_type",
                            "compliance",
                            "partner",
                            "Jamf Pro")
                    < 15 * 60);
            // A partner that never reported (Graph's 0001-01-01) has no age series rather than 2000 years.
            assertTrue(Double.isNaN(value(
                    m,
                    "intune_partner_heartbeat_age_seconds",
                    "partner_type",
                    "compliance",
                    "partner",
                    "Contoso Legacy MDM")));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_remote_assistance_partner_onboarding_status",
                            "partner",
                            "TeamViewer",
                            "status",
                            "onboarded"));
            assertEquals(
                    1,
                    value(
                            m,
                            "intune_remote_assistance_partner_onboarding_status",
                            "partner",
                            "Contoso Remote Help Pilot",
                            "status",
                            "not_onboarded"));
            assertTrue(value(
                            m,
                            "intune_partner_heartbeat_age_seconds",
                            "partner_type",
                            "remote_assistance",
                            "partner",
                            "TeamViewer")
                    < 3600);
            assertEquals(2, value(m, "intune_partners", "partner_type", "remote_assistance"));
        }
    }

    @Test
    void theStaleHeartbeatScenarioAgesTheCompliancePartnerAndRecoveryResumesIt() throws Exception {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(17, 500, clock, Duration.ofMinutes(1));
        tenant.play(ScenarioRun.start(
                Scenarios.PARTNER_HEARTBEAT_STALE, clock, Duration.ofMinutes(5), Duration.ofMinutes(30)));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            PartnersCollector c = new PartnersCollector(g.api(), clock, I, new CollectorSettings.Partners(I, 50));
            String age = "intune_partner_heartbeat_age_seconds";
            assertTrue(
                    value(c.collect(), age, "partner_type", "compliance", "partner", "Jamf Pro") < 15 * 60,
                    "normal phase");
            clock.advance(Duration.ofMinutes(10));
            double stale = value(c.collect(), age, "partner_type", "compliance", "partner", "Jamf Pro");
            assertEquals(
                    Duration.ofHours(26).plusMinutes(5).getSeconds(),
                    stale,
                    "26 h before the incident began, 5 min ago");
            clock.advance(Duration.ofMinutes(30));
            assertTrue(
                    value(c.collect(), age, "partner_type", "compliance", "partner", "Jamf Pro") < 15 * 60,
                    "recovered");
        }
    }

    @Test
    void topComplianceSettingsByNoncompliantDevicesWithTheRestInOther() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(2500, 17)) {
            List<AwarenessData.SettingSummary> truth = new AwarenessData(g.tenant).settingSummaries();
            MetricSnapshots m = new ComplianceSettingsCollector(
                            g.api(), I, new CollectorSettings.ComplianceSettings(I, 3))
                    .collect();
            String f = "intune_compliance_setting_devices";
            long total = truth.stream()
                    .mapToLong(AwarenessData.SettingSummary::nonCompliant)
                    .sum();
            AwarenessData.SettingSummary worst = truth.stream()
                    .max(Comparator.comparingLong(AwarenessData.SettingSummary::nonCompliant))
                    .get();
            assertEquals("BitLockerEnabled", worst.settingName());
            assertEquals(
                    worst.nonCompliant(),
                    value(
                            m,
                            f,
                            "setting",
                            worst.settingName(),
                            "platform",
                            "windows10_and_later",
                            "status",
                            "noncompliant"));
            double named = 0;
            double other = 0;
            java.util.Set<String> settings = new java.util.HashSet<>();
            for (var s : m) {
                if (!s.getMetadata().getPrometheusName().equals(f)) {
                    continue;
                }
                for (var d : s.getDataPoints()) {
                    if (!d.getLabels().get("status").equals("noncompliant")) {
                        continue;
                    }
                    double v =
                            ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
                    settings.add(d.getLabels().get("setting"));
                    if (d.getLabels().get("setting").equals("_other")) {
                        other += v;
                    } else {
                        named += v;
                    }
                }
            }
            assertEquals(4, settings.size(), "3 names and _other: " + settings);
            assertEquals(total, named + other, "nothing is lost beyond the top");
            assertTrue(other > 0);
            assertEquals(truth.size(), value(m, "intune_compliance_settings"));
        }
    }

    @Test
    void softwareUpdateSummaryEqualsTheTenant() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(2500, 17)) {
            AwarenessData.SoftwareUpdateSummary s = new AwarenessData(g.tenant).softwareUpdateSummary();
            MetricSnapshots m = new SoftwareUpdatesCollector(g.api(), I).collect();
            assertEquals(s.devices()[0], value(m, "intune_software_update_devices", "status", "compliant"));
            assertEquals(s.devices()[1], value(m, "intune_software_update_devices", "status", "noncompliant"));
            assertEquals(s.users()[3], value(m, "intune_software_update_users", "status", "error"));
            assertEquals(java.util.Arrays.stream(s.devices()).sum(), sum(m, "intune_software_update_devices"));
            assertEquals(7, seriesCount(m, "intune_software_update_devices"));
        }
    }

    @Test
    void appTroubleshootingEventsAreCountedOnceAcrossRunsAndRestarts() throws Exception {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(17, 1000, clock, Duration.ofMinutes(1));
        Path state = dir.resolve("state/app_troubleshooting.json");
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            AwarenessData data = new AwarenessData(tenant);
            int backlog = data.appTroubleshootingEventIds().size();
            // 1000 devices: one event every 30 minutes, listed for 7 days.
            assertEquals(7 * 48, backlog);
            String total = "intune_app_troubleshooting_events_total";
            AppTroubleshootingCollector c = new AppTroubleshootingCollector(
                    g.api(), clock, I, new CollectorSettings.AppTroubleshooting(I, Duration.ofDays(7), state));
            assertEquals(backlog, value(c.collect(), total), "the first run counts what Graph still holds");
            assertEquals(backlog, value(c.collect(), total), "nothing new, nothing counted");
            clock.advance(Duration.ofHours(3));
            MetricSnapshots later = c.collect();
            assertEquals(
                    backlog + 6, value(later, total), "6 new events in 3 h; the 6 that dropped out are not un-counted");
            assertEquals(backlog, value(later, "intune_app_troubleshooting_events_listed"));
            // A restart reads the state file: the events Graph still lists are not counted again.
            AppTroubleshootingCollector restarted = new AppTroubleshootingCollector(
                    g.api(), clock, I, new CollectorSettings.AppTroubleshooting(I, Duration.ofDays(7), state));
            clock.advance(Duration.ofMinutes(30));
            assertEquals(backlog + 7, value(restarted.collect(), total));
            // Without a state file a restart would count the backlog again: the file is what prevents it.
            AppTroubleshootingCollector amnesiac = new AppTroubleshootingCollector(
                    g.api(), clock, I, new CollectorSettings.AppTroubleshooting(I, Duration.ofDays(7), null));
            assertEquals(backlog, value(amnesiac.collect(), total));
        }
    }

    @Test
    void undatedEventsStayRememberedWhileGraphListsThemAndAreForgottenARetentionAfter() {
        java.time.Instant t0 = SimulatedGraph.NOW;
        Duration retention = Duration.ofDays(1);
        EventLedger.Update first = EventLedger.empty(List.of()).begin(t0, retention);
        assertTrue(first.offerUndated("a", List.of()) && first.offerUndated("b", List.of()));
        assertTrue(!first.offerUndated("a", List.of()), "listed twice in one run: counted once");
        EventLedger l1 = first.finish();
        // Two days later Graph still lists a (first seen two retentions ago), no longer b.
        EventLedger.Update second = l1.begin(t0.plus(Duration.ofDays(2)), retention);
        assertTrue(!second.offerUndated("a", List.of()), "still listed: never counted again, however old");
        EventLedger l2 = second.finish();
        assertEquals(java.util.Set.of("a"), l2.seen().keySet(), "b, unlisted for more than a retention, is forgotten");
        assertEquals(2L, l2.counts().get(List.of()));
        EventLedger.Update third = l2.begin(t0.plus(Duration.ofDays(3)), retention);
        assertTrue(!third.offerUndated("a", List.of()));
        assertEquals(2L, third.finish().counts().get(List.of()));
    }
}
