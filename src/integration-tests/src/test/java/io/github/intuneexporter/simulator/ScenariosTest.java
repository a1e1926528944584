package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.Scenario.Phase;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Each scenario through the real exporter in demo mode: its incident changes what the collectors read from the
 * simulator's Graph endpoints, exactly as the tenant's ground truth says, and recovery undoes it. The clock is
 * fixed; {@link ScenarioRun#startIncident()} and {@link ScenarioRun#recover()} move the phase boundaries.
 */
class ScenariosTest {
    private static final int DEVICES = 1000;

    /** A demo exporter (not started: collectors are run by hand) playing {@code scenario}, still in its normal phase. */
    private static Exporter exporter(String scenario, String extra) throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                SettingsLoader.parseString("intune.demo { devices = " + DEVICES + ", latency = 0s, scenario { name = "
                        + scenario + ", normal = 1h } }\n" + "intune.graph { max-retries = 1, retry-delay = 1s }\n"
                        + extra),
                true);
        return Exporter.create(settings, true, SimulatedGraph.fixedClock());
    }

    private static MetricSnapshots run(Exporter e, String... collectors) {
        for (String c : collectors) {
            assertTrue(e.scheduler().runNow(c), c + " failed: " + e.scheduler().lastError(c));
        }
        return e.registry().scrape();
    }

    /** Devices the devices collector counted as noncompliant, over all other labels. */
    private static double noncompliant(MetricSnapshots m) {
        double sum = 0;
        for (MetricSnapshot s : m) {
            if (s.getMetadata().getPrometheusName().equals("intune_managed_devices")) {
                for (DataPointSnapshot d : s.getDataPoints()) {
                    if (d.getLabels().get("compliance_state").equals("noncompliant")) {
                        sum += ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
                    }
                }
            }
        }
        return sum;
    }

    private static int count(SimulatedTenant tenant, String complianceState) {
        AtomicInteger n = new AtomicInteger();
        tenant.forEachDevice(d -> {
            if (d.complianceState().equals(complianceState)) {
                n.incrementAndGet();
            }
        });
        return n.get();
    }

    @Test
    void thePhaseFollowsTheClock() {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        ScenarioRun run =
                ScenarioRun.start(Scenarios.SERVICE_INCIDENT, clock, Duration.ofMinutes(5), Duration.ofMinutes(10));
        assertEquals(Phase.NORMAL, run.phase());
        assertEquals(ScenarioEffects.IntuneIncident.NONE, run.effects().intuneIncident());
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertEquals(Phase.NORMAL, run.phase());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Phase.INCIDENT, run.phase());
        assertEquals(ScenarioEffects.IntuneIncident.OPEN, run.effects().intuneIncident());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Phase.RECOVERED, run.phase());
        assertEquals(ScenarioEffects.IntuneIncident.RESOLVED, run.effects().intuneIncident());

        ScenarioRun manual = ScenarioRun.manual(Scenarios.GRAPH_OUTAGE, clock);
        clock.advance(Duration.ofDays(400));
        assertEquals(Phase.NORMAL, manual.phase(), "a manual run waits for startIncident()");
        manual.startIncident();
        clock.advance(Duration.ofDays(400));
        assertEquals(Phase.INCIDENT, manual.phase());
        assertEquals(1, manual.effects().faults().size());
        manual.recover();
        assertEquals(Phase.RECOVERED, manual.phase());
        assertTrue(manual.effects().faults().isEmpty());
    }

    @Test
    void everyScenarioHasANameSummaryAlertsAndAnIncidentThatDiffersFromNormal() {
        Set<String> names = new HashSet<>();
        for (Scenario s : Scenarios.ALL) {
            assertTrue(s.name().matches("[a-z]+(-[a-z]+)+"), s.name());
            assertTrue(names.add(s.name()), "duplicate " + s.name());
            assertFalse(s.summary().isBlank());
            assertFalse(s.alerts().isEmpty(), s.name());
            assertFalse(s.incident().equals(s.normal()), s.name());
            assertFalse(s.incident().equals(s.recovered()), s.name());
            assertEquals(s, Scenarios.byName(s.name()).orElseThrow());
        }
        assertTrue(Scenarios.byName("nope").isEmpty());
    }

    @Test
    void noncomplianceSpikeFlipsDevicesInTheListAndTheSummaries() throws Exception {
        try (Exporter e = exporter("noncompliance-spike", "")) {
            SimulatedTenant tenant = e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant();
            MetricSnapshots before = run(e, "devices", "compliance");
            int normalNoncompliant = count(tenant, "noncompliant");
            int normalCompliant = count(tenant, "compliant");
            assertEquals(normalNoncompliant, noncompliant(before), 0);
            assertEquals(
                    normalNoncompliant,
                    SimulatedGraph.value(before, "intune_compliance_state_devices", "status", "noncompliant"),
                    0);

            tenant.scenario().startIncident();
            MetricSnapshots during = run(e, "devices", "compliance");
            int flipped = count(tenant, "noncompliant") - normalNoncompliant;
            assertEquals(normalCompliant - flipped, count(tenant, "compliant"), "only compliant devices flip");
            assertTrue(
                    flipped > 0.20 * normalCompliant && flipped < 0.30 * normalCompliant,
                    flipped + " of " + normalCompliant);
            assertEquals(normalNoncompliant + flipped, noncompliant(during), 0, "device list");
            assertEquals(
                    normalNoncompliant + flipped,
                    SimulatedGraph.value(during, "intune_compliance_state_devices", "status", "noncompliant"),
                    0,
                    "deviceCompliancePolicyDeviceStateSummary");
            assertEquals(
                    normalCompliant - flipped,
                    SimulatedGraph.value(during, "intune_compliance_state_devices", "status", "compliant"),
                    0);

            tenant.scenario().recover();
            MetricSnapshots after = run(e, "devices", "compliance");
            assertEquals(normalNoncompliant, noncompliant(after), 0);
            assertEquals(
                    normalNoncompliant,
                    SimulatedGraph.value(after, "intune_compliance_state_devices", "status", "noncompliant"),
                    0);
        }
    }

    @Test
    void defenderOutageTurnsRealTimeProtectionOffAndSignaturesOverdue() throws Exception {
        try (Exporter e = exporter("defender-outage", "")) {
            SimulatedTenant tenant = e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant();
            ProtectionData data = ProtectionData.of(tenant);
            MetricSnapshots before = run(e, "protection");
            int[] normal = groundTruth(tenant, data);
            assertEquals(
                    normal[0],
                    SimulatedGraph.value(
                            before,
                            "intune_defender_protection_devices",
                            "check",
                            "real_time_protection",
                            "status",
                            "problem"),
                    0);

            tenant.scenario().startIncident();
            MetricSnapshots during = run(e, "protection");
            int[] incident = groundTruth(tenant, data);
            assertTrue(
                    incident[0] > normal[0] + 0.25 * incident[2],
                    incident[0] + " vs " + normal[0] + " of " + incident[2]);
            assertTrue(incident[1] > normal[1] + 0.25 * incident[2], incident[1] + " vs " + normal[1]);
            assertEquals(
                    incident[0],
                    SimulatedGraph.value(
                            during,
                            "intune_defender_protection_devices",
                            "check",
                            "real_time_protection",
                            "status",
                            "problem"),
                    0);
            assertEquals(
                    incident[1],
                    SimulatedGraph.value(
                            during,
                            "intune_defender_protection_devices",
                            "check",
                            "signature_update",
                            "status",
                            "problem"),
                    0);
            assertEquals(
                    incident[1],
                    SimulatedGraph.value(during, "intune_defender_devices", "state", "signature_update_pending"),
                    0,
                    "deviceProtectionOverview counts the same devices");

            tenant.scenario().recover();
            MetricSnapshots after = run(e, "protection");
            assertEquals(
                    normal[1],
                    SimulatedGraph.value(
                            after,
                            "intune_defender_protection_devices",
                            "check",
                            "signature_update",
                            "status",
                            "problem"),
                    0);
        }
    }

    /** Windows devices with real-time protection off, with overdue signatures, with a protection state. */
    private static int[] groundTruth(SimulatedTenant tenant, ProtectionData data) {
        int[] n = new int[3];
        tenant.forEachDevice(d -> {
            ProtectionData.DeviceProtection p = data.protection(d);
            if (p != null) {
                n[0] += Boolean.FALSE.equals(p.realTimeProtectionEnabled()) ? 1 : 0;
                n[1] += p.signatureUpdateOverdue() ? 1 : 0;
                n[2]++;
            }
        });
        return n;
    }

    /** Enrollment failures of one category counted by the exporter, over all other labels. */
    private static double failures(MetricSnapshots m, String category) {
        double sum = 0;
        for (MetricSnapshot s : m) {
            if (s.getMetadata().getPrometheusName().equals("intune_enrollment_failures")) {
                for (DataPointSnapshot d : s.getDataPoints()) {
                    if (d.getLabels().get("failure_category").equals(category)) {
                        sum += ((CounterSnapshot.CounterDataPointSnapshot) d).getValue();
                    }
                }
            }
        }
        return sum;
    }

    /** Enrollment failures with category userValidation (any casing) that Graph lists at {@code now} and happened after {@code after}. */
    private static long userValidationSince(EnrollmentData data, Instant after, Instant now) {
        return data.troubleshootingEvents(now).stream()
                .filter(e -> EnrollmentData.ENROLLMENT_TYPE.equals(e.odataType())
                        && "userValidation".equalsIgnoreCase(e.failureCategory())
                        && e.eventDateTime().isAfter(after))
                .count();
    }

    @Test
    void enrollmentFailureBurstAddsAFailureEveryThreeSecondsAndKeepsThemAfterRecovery() throws Exception {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                SettingsLoader.parseString("intune.demo { devices = " + DEVICES
                        + ", latency = 0s, scenario { name = enrollment-failure-burst, normal = 1h } }"),
                true);
        try (Exporter e = Exporter.create(settings, true, clock)) {
            SimulatedTenant tenant = e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant();
            EnrollmentData data = new EnrollmentData(tenant);
            double before = failures(run(e, "enrollment"), "user_validation");
            Instant t0 = clock.instant();
            assertTrue(data.burst(t0).isEmpty(), "no burst before the incident");

            tenant.scenario().startIncident();
            clock.advance(Duration.ofSeconds(60));
            Instant t1 = clock.instant();
            List<EnrollmentData.TroubleshootingEvent> burst = data.burst(t1);
            assertEquals(20, burst.size(), "one every 3 s");
            assertEquals(t1, burst.get(0).eventDateTime(), "newest first");
            double during = failures(run(e, "enrollment"), "user_validation");
            assertEquals(userValidationSince(data, t0, t1), during - before, 0, "each new failure counted once");
            assertTrue(during - before >= 20);

            tenant.scenario().recover();
            clock.advance(Duration.ofSeconds(60));
            Instant t2 = clock.instant();
            assertEquals(burst, data.burst(t2), "the burst's failures stay listed after recovery, no new ones");
            double after = failures(run(e, "enrollment"), "user_validation");
            assertEquals(
                    userValidationSince(data, t1, t2), after - during, 0, "only the usual failures after recovery");
        }
    }

    @Test
    void apnsExpiringCountsDownFromTheIncidentStartAndRecoveryRenewsForAYear() throws Exception {
        try (Exporter e = exporter("apns-expiring", "")) {
            SimulatedTenant tenant = e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant();
            ConnectorData data = new ConnectorData(tenant);
            String[] apns = {"connector_type", "apple_push_certificate", "name", "apns"};
            double generated =
                    SimulatedGraph.value(run(e, "connectors"), "intune_connector_expiration_timestamp_seconds", apns);
            assertEquals(data.applePushCertificate().expiration().getEpochSecond(), generated, 0);

            tenant.scenario().startIncident();
            double expiring =
                    SimulatedGraph.value(run(e, "connectors"), "intune_connector_expiration_timestamp_seconds", apns);
            assertEquals(SimulatedGraph.NOW.plus(Duration.ofDays(5)).getEpochSecond(), expiring, 0);

            tenant.scenario().recover();
            double renewed =
                    SimulatedGraph.value(run(e, "connectors"), "intune_connector_expiration_timestamp_seconds", apns);
            assertEquals(SimulatedGraph.NOW.plus(Duration.ofDays(365)).getEpochSecond(), renewed, 0);
        }
    }

    @Test
    void serviceIncidentOpensAnIntuneIncidentAndResolvesIt() throws Exception {
        try (Exporter e = exporter("service-incident", "")) {
            SimulatedTenant tenant = e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant();
            MetricSnapshots before = run(e, "service_health");
            assertEquals(
                    0,
                    SimulatedGraph.value(
                            before, "intune_service_issues", "classification", "incident", "status", "investigating"),
                    0);
            assertEquals(
                    1,
                    SimulatedGraph.value(before, "intune_service_status", "status", "service_operational"),
                    0,
                    "the normal phase hides generated incidents: a quiet baseline");

            tenant.scenario().startIncident();
            MetricSnapshots during = run(e, "service_health");
            assertEquals(
                    1,
                    SimulatedGraph.value(
                            during, "intune_service_issues", "classification", "incident", "status", "investigating"),
                    0);
            assertEquals(1, SimulatedGraph.value(during, "intune_service_status", "status", "investigating"), 0);
            ServiceHealthData.Issue open = new ServiceHealthData(tenant).intuneIncident();
            assertNotNull(open);
            assertEquals(SimulatedGraph.NOW, open.start());

            tenant.scenario().recover();
            MetricSnapshots after = run(e, "service_health");
            assertEquals(
                    0,
                    SimulatedGraph.value(
                            after, "intune_service_issues", "classification", "incident", "status", "investigating"),
                    0);
            assertEquals(1, SimulatedGraph.value(after, "intune_service_status", "status", "service_operational"), 0);
            assertTrue(
                    new ServiceHealthData(tenant)
                            .issues().stream().anyMatch(i -> i.id().equals(open.id()) && i.resolved()),
                    "the incident is listed as resolved");
        }
    }

    @Test
    void graphThrottlingFailsRunsAndKeepsTheLastGoodData() throws Exception {
        try (Exporter e = exporter("graph-throttling", "")) {
            MetricSnapshots before = run(e, "devices");
            assertEquals(DEVICES, SimulatedGraph.sum(before, "intune_managed_devices"), 0);

            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario()
                    .startIncident();
            assertFalse(e.scheduler().runNow("devices"), "the run fails once the retries are used up");
            assertTrue(
                    e.scheduler().lastError("devices").contains("429"),
                    e.scheduler().lastError("devices"));
            MetricSnapshots during = e.registry().scrape();
            assertEquals(
                    DEVICES,
                    SimulatedGraph.sum(during, "intune_managed_devices"),
                    0,
                    "the last good data is still served");
            assertEquals(0, SimulatedGraph.value(during, "intune_collector_success", "collector", "devices"), 0);
            assertTrue(
                    SimulatedGraph.sum(during, "intune_graph_throttled_requests") >= 2,
                    "the first try and the retry were throttled");

            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario()
                    .recover();
            assertEquals(
                    1, SimulatedGraph.value(run(e, "devices"), "intune_collector_success", "collector", "devices"), 0);
        }
    }

    @Test
    void graphOutageFailsRunsWith503() throws Exception {
        try (Exporter e = exporter("graph-outage", "")) {
            run(e, "service_health");
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario()
                    .startIncident();
            assertFalse(e.scheduler().runNow("service_health"));
            assertTrue(
                    e.scheduler().lastError("service_health").contains("503"),
                    e.scheduler().lastError("service_health"));
            e.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario()
                    .recover();
            run(e, "service_health");
        }
    }

    @Test
    void scenarioConfigurationIsValidated() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> exporter("nope", ""));
        assertTrue(
                e.getMessage().contains("intune.demo.scenario.name")
                        && e.getMessage().contains("noncompliance-spike"),
                e.getMessage());
        try (Exporter plain = exporter("\"\"", "")) {
            assertEquals(
                    null,
                    plain.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .tenant()
                            .scenario());
            assertEquals(
                    ScenarioEffects.NONE,
                    plain.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .tenant()
                            .effects());
        }
        try (Exporter timed = exporter("apns-expiring", "intune.demo.scenario { normal = 2m, incident = 7m }")) {
            ScenarioRun run = timed.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario();
            assertEquals(SimulatedGraph.NOW.plus(Duration.ofMinutes(2)), run.incidentStart());
            assertEquals(SimulatedGraph.NOW.plus(Duration.ofMinutes(9)), run.incidentEnd());
        }
        try (Exporter defaults = exporter("enrollment-failure-burst", "intune.demo.scenario.normal = 0s")) {
            ScenarioRun run = defaults.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario();
            assertEquals(Phase.NORMAL, run.phase());
            assertEquals(
                    SimulatedGraph.NOW.plus(Duration.ofMinutes(15)),
                    run.incidentStart(),
                    "the scenario's own normal length");
            assertEquals(
                    run.incidentStart().plus(Scenarios.ENROLLMENT_FAILURE_BURST.incidentLength()), run.incidentEnd());
        }
    }
}
