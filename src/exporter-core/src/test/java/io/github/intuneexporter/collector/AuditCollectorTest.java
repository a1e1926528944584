package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.simulator.AuditData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCollectorTest {
    private static final Duration LATENESS = Duration.ofHours(2);
    private static final String EVENTS = "/deviceManagement/auditEvents";

    @TempDir
    Path dir;

    // The test's own mapping of the simulator's wire strings, written out rather than reusing the collector's code.
    private static String category(String raw) {
        return switch (raw) {
            case "DeviceConfiguration" -> "device_configuration";
            case "Compliance" -> "compliance";
            case "Application" -> "application";
            case "Device" -> "device";
            case "Enrollment" -> "enrollment";
            case "Role" -> "role";
            case "DeviceIntent" -> "device_intent";
            case "SoftwareUpdates" -> "software_updates";
            case "AssignmentFilter" -> "assignment_filter";
            default -> "other";
        };
    }

    /** Expected counter values: the events with from <= time <= to, by category|operation|result. */
    private static Map<String, Integer> expected(List<AuditData.AuditEvent> events, Instant from, Instant to) {
        Map<String, Integer> out = new HashMap<>();
        for (AuditData.AuditEvent e : events) {
            if (!e.activityDateTime().isBefore(from) && !e.activityDateTime().isAfter(to)) {
                out.merge(
                        category(e.category()) + "|" + e.operationType().toLowerCase(Locale.ROOT) + "|"
                                + e.result().toLowerCase(Locale.ROOT),
                        1,
                        Integer::sum);
            }
        }
        return out;
    }

    private static void assertCounts(Map<String, Integer> expected, MetricSnapshots m) {
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String[] k = e.getKey().split("\\|");
            assertEquals(
                    e.getValue(),
                    SimulatedGraph.value(
                            m, "intune_audit_events_total", "category", k[0], "operation_type", k[1], "result", k[2]),
                    0.0,
                    e.getKey());
        }
        assertEquals(
                expected.values().stream().mapToInt(Integer::intValue).sum(),
                SimulatedGraph.sum(m, "intune_audit_events"),
                0.0,
                "no other series counts anything");
    }

    private AuditCollector collector(SimulatedGraph g, MovableClock clock, Path state) {
        return new AuditCollector(
                g.api(),
                clock,
                Duration.ofMinutes(5),
                new CollectorSettings.Audit(Duration.ofMinutes(5), LATENESS, state));
    }

    @Test
    void countsEachEventOnceAcrossRunsAndRestartsAndAsksGraphOnlyForTheNewOnes() throws Exception {
        // A Friday afternoon: office hours, a few changes an hour.
        MovableClock clock = new MovableClock(Instant.parse("2026-11-20T15:00:00Z"));
        SimulatedTenant tenant = new SimulatedTenant(5, 20_000, clock, Duration.ofMinutes(1));
        AuditData log = new AuditData(tenant);
        Path state = dir.resolve("audit.json");
        Instant start = clock.instant();
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 5")) {
            AuditCollector first = collector(g, clock, state);
            MetricSnapshots m = first.collect();
            assertEquals(
                    first.families().stream().map(f -> f.name()).toList(),
                    m.stream().map(f -> f.getMetadata().getName()).toList(),
                    "exports exactly its declared families");
            // The first start counts the last `lateness` of the log, not the year Graph holds.
            assertCounts(expected(log.events(null, clock.instant()), start.minus(LATENESS), clock.instant()), m);
            assertTrue(
                    SimulatedGraph.sum(m, "intune_audit_events") >= 20,
                    "20000 devices: about 20 changes an office hour");
            long firstRun = g.simulator.requestCount(EVENTS);
            assertTrue(firstRun > 3, "the simulator pages 100 events per page: " + firstRun);

            // The next runs, and a restart with the state file in between: nothing lost, nothing counted twice.
            clock.advance(Duration.ofMinutes(5));
            collector(g, clock, state).collect();
            clock.advance(Duration.ofMinutes(40));
            AuditCollector afterRestart = collector(g, clock, state);
            long before = g.simulator.requestCount(EVENTS);
            m = afterRestart.collect();
            assertCounts(expected(log.events(null, clock.instant()), start.minus(LATENESS), clock.instant()), m);
            assertTrue(
                    g.simulator.requestCount(EVENTS) - before < 3 * firstRun,
                    "a run reads from the watermark on, not the whole log: "
                            + (g.simulator.requestCount(EVENTS) - before));
            // Series of the usual successful changes exist from the first run, so the first burst is an increase.
            assertFalse(Double.isNaN(SimulatedGraph.value(
                    m,
                    "intune_audit_events_total",
                    "category",
                    "role",
                    "operation_type",
                    "delete",
                    "result",
                    "success")));
            Instant newest = log.events(null, clock.instant()).stream()
                    .map(AuditData.AuditEvent::activityDateTime)
                    .max(Instant::compareTo)
                    .orElseThrow();
            assertEquals(
                    newest.getEpochSecond(), SimulatedGraph.value(m, "intune_audit_last_event_timestamp_seconds"), 0.0);
            // No actor, resource or free text anywhere in the state or the labels.
            String stored = Files.readString(state);
            assertFalse(
                    stored.contains("@contoso-sim.example") || stored.contains("Patch DeviceConfiguration"), stored);
        }
    }

    @Test
    void aFailedRunLeavesTheCountersAndTheNextRunCatchesUp() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-18T10:00:00Z"));
        SimulatedTenant tenant = new SimulatedTenant(6, 10_000, clock, Duration.ofMinutes(1));
        AuditData log = new AuditData(tenant);
        Instant start = clock.instant();
        try (SimulatedGraph g =
                SimulatedGraph.start(tenant, "intune.graph.page-size = 5\nintune.graph.max-retries = 0")) {
            AuditCollector c = collector(g, clock, dir.resolve("audit.json"));
            c.collect();
            double counted = SimulatedGraph.sum(c.collect(), "intune_audit_events");
            clock.advance(Duration.ofHours(1));
            g.simulator.setFaults(List.of(
                    new FaultRule(FaultRule.Kind.UNAVAILABLE, "auditEvents", 1.0, Duration.ZERO, Duration.ZERO)));
            assertThrows(Exception.class, c::collect, "Graph fails: the run fails");
            assertEquals(
                    counted,
                    c.ledger().counts().values().stream()
                            .mapToLong(Long::longValue)
                            .sum(),
                    0.0,
                    "nothing committed");
            g.simulator.setFaults(List.of());
            clock.advance(Duration.ofMinutes(5));
            assertCounts(
                    expected(log.events(null, clock.instant()), start.minus(LATENESS), clock.instant()), c.collect());
        }
    }

    @Test
    void aNightTimeBurstIsCountedAsItHappens() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-19T01:00:00Z"));
        SimulatedTenant tenant = new SimulatedTenant(7, 2000, clock, Duration.ofMinutes(1));
        ScenarioRun run = ScenarioRun.manual(Scenarios.ADMIN_CHANGE_BURST, clock);
        tenant.play(run);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            AuditCollector c = collector(g, clock, null);
            double quiet = SimulatedGraph.sum(c.collect(), "intune_audit_events");
            assertTrue(quiet < 5, "a quiet night: " + quiet);
            run.startIncident();
            clock.advance(Duration.ofMinutes(30));
            double burst = SimulatedGraph.sum(c.collect(), "intune_audit_events") - quiet;
            // 180 an hour: 90 in half an hour, plus the odd automation change.
            assertTrue(burst >= 90 && burst < 95, "burst: " + burst);
            run.recover();
            clock.advance(Duration.ofMinutes(30));
            double after = SimulatedGraph.sum(c.collect(), "intune_audit_events") - quiet - burst;
            assertTrue(after < 5, "recovered: " + after);
        }
    }

    @Test
    void freeTextValuesBecomeBoundedLabels() {
        assertEquals(
                "device_configuration",
                AuditCollector.bounded("DeviceConfiguration", java.util.Set.copyOf(AuditCollector.CATEGORIES)));
        assertEquals("other", AuditCollector.bounded("Cloud PC", java.util.Set.copyOf(AuditCollector.CATEGORIES)));
        assertEquals("other", AuditCollector.bounded(null, java.util.Set.copyOf(AuditCollector.RESULTS)));
        assertEquals("patch", AuditCollector.bounded("Patch", java.util.Set.copyOf(AuditCollector.OPERATION_TYPES)));
        assertEquals(
                "other",
                AuditCollector.bounded("jane@contoso.com", java.util.Set.copyOf(AuditCollector.OPERATION_TYPES)));
        assertEquals(
                "/deviceManagement/auditEvents?$filter=activityDateTime%20ge%202026-11-20T10:00:00Z"
                        + "&$select=id,activityDateTime,category,activityOperationType,activityResult",
                AuditCollector.query(Instant.parse("2026-11-20T10:00:00.123Z")));
    }
}
