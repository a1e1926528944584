package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.EnrollmentData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentCollectorTest {
    private static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path dir;

    /** A clock the test moves forward; the simulated tenant and the collector share it. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    // The test's own mapping of the simulator's wire strings, written out rather than reusing the collector's code.
    private static String category(String raw) {
        if (raw == null) {
            return "unknown";
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "authentication" -> "authentication";
            case "authorization" -> "authorization";
            case "accountvalidation" -> "account_validation";
            case "uservalidation" -> "user_validation";
            case "devicenotsupported" -> "device_not_supported";
            case "inmaintenance" -> "in_maintenance";
            case "badrequest" -> "bad_request";
            case "featurenotsupported" -> "feature_not_supported";
            case "enrollmentrestrictionsenforced" -> "enrollment_restrictions_enforced";
            case "clientdisconnected" -> "client_disconnected";
            case "userabandonment" -> "user_abandonment";
            default -> "unknown";
        };
    }

    private static String os(String raw) {
        return SimulatedGraph.expectedOs(raw);
    }

    private static String enrollmentType(String raw) {
        if (raw == null) {
            return "unknown";
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "windowsazureadjoin" -> "windows_azure_ad_join";
            case "windowsautoenrollment" -> "windows_auto_enrollment";
            case "windowscomanagement" -> "windows_co_management";
            case "windowsbulkuserless" -> "windows_bulk_userless";
            case "userenrollment" -> "user_enrollment";
            case "appleuserenrollment" -> "apple_user_enrollment";
            case "applebulkwithuser" -> "apple_bulk_with_user";
            case "applebulkwithoutuser" -> "apple_bulk_without_user";
            case "deviceenrollmentmanager" -> "device_enrollment_manager";
            default -> "unknown";
        };
    }

    private static String deploymentState(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "success" -> "success";
            case "inprogress" -> "in_progress";
            case "failure" -> "failure";
            case "successwithtimeout" -> "success_with_timeout";
            case "notattempted" -> "not_attempted";
            case "disabled" -> "disabled";
            case "successonretry" -> "success_on_retry";
            default -> "unknown";
        };
    }

    /** Expected counter values: every enrollment failure in any of the views, once per id. */
    private static Map<String, Integer> expectedFailures(List<List<EnrollmentData.TroubleshootingEvent>> views) {
        Map<String, Integer> expected = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (List<EnrollmentData.TroubleshootingEvent> view : views) {
            for (EnrollmentData.TroubleshootingEvent e : view) {
                if (EnrollmentData.ENROLLMENT_TYPE.equals(e.odataType()) && ids.add(e.id())) {
                    expected.merge(
                            category(e.failureCategory()) + "|" + os(e.operatingSystem()) + "|"
                                    + enrollmentType(e.enrollmentType()),
                            1,
                            Integer::sum);
                }
            }
        }
        return expected;
    }

    private static void assertFailures(Map<String, Integer> expected, MetricSnapshots m) {
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            String[] k = e.getKey().split("\\|");
            assertEquals(
                    e.getValue(),
                    SimulatedGraph.value(
                            m,
                            "intune_enrollment_failures_total",
                            "failure_category",
                            k[0],
                            "operating_system",
                            k[1],
                            "enrollment_type",
                            k[2]),
                    0.0,
                    e.getKey());
        }
        assertEquals(
                expected.values().stream().mapToInt(Integer::intValue).sum(),
                SimulatedGraph.sum(m, "intune_enrollment_failures"),
                0.0,
                "no other series counts anything");
    }

    private EnrollmentCollector collector(SimulatedGraph g, Clock clock, Path stateFile, boolean autopilot) {
        return new EnrollmentCollector(
                g.api(),
                clock,
                Duration.ofMinutes(15),
                new CollectorSettings.Enrollment(Duration.ofMinutes(15), RETENTION, stateFile, autopilot));
    }

    @Test
    void countsEveryFailureGraphHoldsOnceAcrossManyPages() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(21, 1000, clock, Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m =
                    collector(g, clock, dir.resolve("state.json"), false).collect();

            List<EnrollmentData.TroubleshootingEvent> held =
                    new EnrollmentData(tenant).troubleshootingEvents(clock.instant());
            Map<String, Integer> expected = expectedFailures(List.of(held));
            assertFailures(expected, m);
            // The generated stream has the odd values Graph sends; they reached the collector and were mapped.
            assertEquals(
                    tenant.oddValues() > 0,
                    held.stream()
                            .anyMatch(e -> "EnrollmentRestrictionsEnforced".equals(e.failureCategory())
                                    || "UserValidation".equals(e.failureCategory())),
                    "PascalCase categories in the stream only with odd values");
            assertEquals(
                    tenant.oddValues() > 0,
                    held.stream().anyMatch(e -> "unknownFutureValue".equals(e.failureCategory())),
                    "a value v1.0's deviceEnrollmentFailureReason lacks, only with odd values");
            assertTrue(held.stream().anyMatch(e -> e.odataType() == null), "base-type events without @odata.type");
            assertTrue(
                    held.stream()
                            .anyMatch(e -> EnrollmentData.ENROLLMENT_TYPE.equals(e.odataType())
                                    && e.operatingSystem() == null),
                    "events without operatingSystem");
            assertTrue(expected.keySet().stream().anyMatch(k -> k.startsWith("unknown|")), "unknown category counted");
            assertTrue(
                    expected.keySet().stream().anyMatch(k -> k.contains("|unknown|")), "missing OS counted as unknown");

            // Last 24 hours, by category and OS.
            Map<String, Integer> lastDay = new HashMap<>();
            Instant newest = null;
            for (EnrollmentData.TroubleshootingEvent e : held) {
                if (!EnrollmentData.ENROLLMENT_TYPE.equals(e.odataType())) {
                    continue;
                }
                if (e.eventDateTime().isAfter(clock.instant().minus(Duration.ofDays(1)))) {
                    lastDay.merge(category(e.failureCategory()) + "|" + os(e.operatingSystem()), 1, Integer::sum);
                }
                newest = newest == null || e.eventDateTime().isAfter(newest) ? e.eventDateTime() : newest;
            }
            for (Map.Entry<String, Integer> e : lastDay.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(
                                m,
                                "intune_enrollment_failures_last_day",
                                "failure_category",
                                k[0],
                                "operating_system",
                                k[1]),
                        0.0,
                        e.getKey());
            }
            assertEquals(
                    lastDay.values().stream().mapToInt(Integer::intValue).sum(),
                    SimulatedGraph.sum(m, "intune_enrollment_failures_last_day"),
                    0.0);
            assertEquals(
                    newest.getEpochSecond(),
                    SimulatedGraph.value(m, "intune_enrollment_last_failure_timestamp_seconds"),
                    0.0);

            // Every category exists (0 included) for each OS and enrollment type seen.
            for (String c : EnrollmentCollector.FAILURE_CATEGORIES) {
                assertFalse(
                        Double.isNaN(SimulatedGraph.value(
                                m,
                                "intune_enrollment_failures_total",
                                "failure_category",
                                c,
                                "operating_system",
                                "windows",
                                "enrollment_type",
                                "windows_azure_ad_join")),
                        c);
                assertFalse(
                        Double.isNaN(SimulatedGraph.value(
                                m,
                                "intune_enrollment_failures_last_day",
                                "failure_category",
                                c,
                                "operating_system",
                                "windows")),
                        c);
            }
            // Paged at $top=1000 (intune.graph.page-size), no $filter sent (the simulator rejects one).
            assertTrue(held.size() > 1000, "several pages: " + held.size());
            assertEquals(
                    (held.size() + 999) / 1000, g.simulator.requestCount("/deviceManagement/troubleshootingEvents"));
            assertTrue(
                    Double.isNaN(SimulatedGraph.value(m, "intune_autopilot_failures_last_day")), "Autopilot is opt-in");
        }
    }

    @Test
    void laterRunsCountOnlyNewEventsAsTheClockAdvances() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(22, 700, clock, Duration.ofMinutes(1));
        EnrollmentData truth = new EnrollmentData(tenant);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            EnrollmentCollector c = collector(g, clock, dir.resolve("state.json"), false);
            List<EnrollmentData.TroubleshootingEvent> first = truth.troubleshootingEvents(clock.instant());
            MetricSnapshots m1 = c.collect();
            assertFailures(expectedFailures(List.of(first)), m1);

            // Same clock: the same events again, nothing more counted.
            MetricSnapshots again = c.collect();
            assertFailures(expectedFailures(List.of(first)), again);

            // Three hours later: new events appeared, the oldest ones left Graph's window; each counted once.
            clock.advance(Duration.ofHours(3));
            List<EnrollmentData.TroubleshootingEvent> later = truth.troubleshootingEvents(clock.instant());
            assertTrue(
                    later.stream().anyMatch(e -> e.eventDateTime().isAfter(SimulatedGraph.NOW)), "new events appeared");
            MetricSnapshots m2 = c.collect();
            assertFailures(expectedFailures(List.of(first, later)), m2);
            assertTrue(SimulatedGraph.sum(m2, "intune_enrollment_failures")
                    > SimulatedGraph.sum(m1, "intune_enrollment_failures"));
        }
    }

    @Test
    void aRestartWithTheStateFileDoesNotCountAgain() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(23, 600, clock, Duration.ofMinutes(1));
        EnrollmentData truth = new EnrollmentData(tenant);
        Path state = dir.resolve("sub/dir/enrollment.json");
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            List<EnrollmentData.TroubleshootingEvent> first = truth.troubleshootingEvents(clock.instant());
            collector(g, clock, state, true).collect();
            assertTrue(Files.isRegularFile(state), "state written, directories created");
            assertFalse(
                    Files.list(state.getParent()).anyMatch(p -> p.toString().endsWith(".tmp")), "no temp file left");

            clock.advance(Duration.ofHours(2));
            List<EnrollmentData.TroubleshootingEvent> later = truth.troubleshootingEvents(clock.instant());
            // A new process: a second collector instance on the same file.
            MetricSnapshots restarted = collector(g, clock, state, true).collect();
            assertFailures(expectedFailures(List.of(first, later)), restarted);

            // And the same again through a third instance without new events: still no double count.
            MetricSnapshots third = collector(g, clock, state, true).collect();
            assertFailures(expectedFailures(List.of(first, later)), third);
        }
    }

    @Test
    void aCorruptStateFileIsSetAsideAndCountingStartsFresh() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(24, 300, clock, Duration.ofMinutes(1));
        Path state = dir.resolve("enrollment.json");
        Files.writeString(state, "{\"format\":1,\"ledgers\":{\"troubleshootingEvents\":{\"labelNames\":[");
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m = collector(g, clock, state, false).collect();
            assertFailures(
                    expectedFailures(List.of(new EnrollmentData(tenant).troubleshootingEvents(clock.instant()))), m);
            assertTrue(
                    Files.isRegularFile(dir.resolve("enrollment.json.corrupt")),
                    "the corrupt file is kept for inspection");
            assertTrue(Files.readString(state).contains("\"format\":1"), "a valid state replaced it");

            // Valid JSON with a bad entry is just as corrupt.
            Files.writeString(
                    state,
                    "{\"format\":1,\"ledgers\":{\"troubleshootingEvents\":{\"labelNames\":"
                            + "[\"failure_category\",\"operating_system\",\"enrollment_type\"],\"watermark\":null,"
                            + "\"counts\":[{\"labels\":[\"x\"],\"value\":-3}],\"seen\":{}}}}");
            MetricSnapshots fresh = collector(g, clock, state, false).collect();
            assertFailures(
                    expectedFailures(List.of(new EnrollmentData(tenant).troubleshootingEvents(clock.instant()))),
                    fresh);
        }
    }

    @Test
    void aFailedRunLeavesCountersAndStateFileUntouched() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(25, 600, clock, Duration.ofMinutes(1));
        EnrollmentData truth = new EnrollmentData(tenant);
        Path state = dir.resolve("enrollment.json");
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            EnrollmentCollector c = collector(g, clock, state, true);
            List<EnrollmentData.TroubleshootingEvent> first = truth.troubleshootingEvents(clock.instant());
            c.collect();
            byte[] saved = Files.readAllBytes(state);
            EventLedger committed = c.ledger(EnrollmentCollector.FAILURES);

            // Every troubleshootingEvents page is read (and offered to the run's ledger), then autopilotEvents fails.
            clock.advance(Duration.ofHours(2));
            g.simulator.setFaults(List.of(
                    new FaultRule(FaultRule.Kind.MALFORMED, "autopilotEvents", 1.0, Duration.ZERO, Duration.ZERO)));
            Exception e = assertThrows(GraphException.class, c::collect);
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
            assertArrayEquals(saved, Files.readAllBytes(state), "the state file did not move");
            assertTrue(committed == c.ledger(EnrollmentCollector.FAILURES), "the counters in memory did not move");

            g.simulator.setFaults(List.of());
            MetricSnapshots m = c.collect();
            assertFailures(expectedFailures(List.of(first, truth.troubleshootingEvents(clock.instant()))), m);
        }
    }

    @Test
    void malformedJsonFailsTheRunAndWritesNothing() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(500, 26)) {
            g.simulator.setFaults(List.of(new FaultRule(
                    FaultRule.Kind.MALFORMED, "troubleshootingEvents", 1.0, Duration.ZERO, Duration.ZERO)));
            Path state = dir.resolve("enrollment.json");
            Exception e = assertThrows(
                    GraphException.class,
                    () -> collector(g, SimulatedGraph.fixedClock(), state, false)
                            .collect());
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
            assertFalse(Files.exists(state));
        }
    }

    @Test
    void aRevokedPermissionFailsTheRunNamingIt() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(500, 27)) {
            g.simulator.revokePermission(Permissions.MANAGED_DEVICES);
            Exception e = assertThrows(
                    GraphException.class,
                    () -> collector(g, SimulatedGraph.fixedClock(), dir.resolve("s.json"), false)
                            .collect());
            assertTrue(e.getMessage().contains("DeviceManagementManagedDevices.Read.All"), e.getMessage());
            assertTrue(e.getMessage().contains("403"), e.getMessage());
        }
    }

    @Test
    void autopilotDeploymentsCountEachStateOnceAndFailuresOfTheLastDay() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW.plus(Duration.ofMinutes(45)));
        SimulatedTenant tenant = new SimulatedTenant(28, 3000, clock, Duration.ofMinutes(1));
        EnrollmentData truth = new EnrollmentData(tenant);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            EnrollmentCollector c = collector(g, clock, null, true);
            Map<String, Set<String>> seen = new HashMap<>(); // state -> ids
            for (int step = 0; step < 3; step++) {
                List<EnrollmentData.AutopilotEvent> held = truth.autopilotEvents(clock.instant());
                for (EnrollmentData.AutopilotEvent e : held) {
                    seen.computeIfAbsent(deploymentState(e.deploymentState()), k -> new HashSet<>())
                            .add(e.id());
                }
                MetricSnapshots m = c.collect();
                for (String state : EnrollmentCollector.DEPLOYMENT_STATES) {
                    int expected = seen.getOrDefault(state, Set.of()).size();
                    assertEquals(
                            expected,
                            SimulatedGraph.value(m, "intune_autopilot_deployments_total", "deployment_state", state),
                            0.0,
                            state + " at step " + step);
                }
                long failedLastDay = held.stream()
                        .filter(e -> e.deploymentState().equalsIgnoreCase("failure")
                                && e.eventDateTime().isAfter(clock.instant().minus(Duration.ofDays(1))))
                        .count();
                assertEquals(failedLastDay, SimulatedGraph.value(m, "intune_autopilot_failures_last_day"), 0.0);
                if (step == 0) {
                    assertTrue(held.size() > 100, "several pages: " + held.size());
                    assertTrue(
                            held.stream().anyMatch(e -> e.deploymentState().equals("inProgress")),
                            "deployments in progress");
                    // PascalCase is not a member of the beta enum: only a tenant with odd values sends it.
                    assertEquals(
                            tenant.oddValues() > 0,
                            held.stream()
                                    .anyMatch(e -> Character.isUpperCase(
                                            e.deploymentState().charAt(0))),
                            "PascalCase states only with odd values");
                }
                clock.advance(Duration.ofMinutes(40));
            }
            // Deployments seen in progress went on to a final state, and both were counted.
            assertTrue(seen.get("in_progress").stream()
                    .anyMatch(id -> seen.get("success").contains(id)));
        }
    }

    @Test
    void anUnwritableStateLocationKeepsCountingInMemory() throws Exception {
        MutableClock clock = new MutableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(29, 300, clock, Duration.ofMinutes(1));
        EnrollmentData truth = new EnrollmentData(tenant);
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x", StandardCharsets.UTF_8);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            EnrollmentCollector c = collector(g, clock, blocker.resolve("enrollment.json"), false);
            List<EnrollmentData.TroubleshootingEvent> first = truth.troubleshootingEvents(clock.instant());
            c.collect();
            clock.advance(Duration.ofHours(5));
            MetricSnapshots m = c.collect();
            assertFailures(expectedFailures(List.of(first, truth.troubleshootingEvents(clock.instant()))), m);
        }
    }

    @Test
    void ledgerForgetsIdsBehindTheWindowAndNeverCountsEventsOlderThanIt() {
        List<String> labels = List.of("k");
        Instant t0 = Instant.parse("2026-01-10T00:00:00Z");
        Duration retention = Duration.ofDays(2);
        EventLedger.Update u = EventLedger.empty(labels).begin(t0, retention);
        assertTrue(u.offer("a", t0.minus(Duration.ofHours(1)), List.of("x")));
        assertFalse(u.offer("a", t0.minus(Duration.ofHours(1)), List.of("x")), "duplicate in the same run");
        assertFalse(u.offer("old", t0.minus(Duration.ofDays(3)), List.of("x")), "older than the window on a first run");
        assertTrue(u.offer("future", t0.plus(Duration.ofDays(5)), List.of("x")), "a future stamp counts");
        EventLedger l1 = u.finish();
        assertEquals(t0, l1.watermark(), "a future stamp does not move the watermark past the clock");
        assertEquals(2L, l1.counts().get(List.of("x")));

        EventLedger.Update u2 = l1.begin(t0.plus(Duration.ofDays(3)), retention);
        assertTrue(u2.offer("b", t0.plus(Duration.ofDays(3)), List.of("x")));
        assertFalse(
                u2.offer("late", t0.minus(Duration.ofDays(2).plusHours(1)), List.of("x")),
                "behind watermark - retention");
        EventLedger l2 = u2.finish();
        assertFalse(l2.seen().containsKey("a"), "forgotten once behind the new window");
        assertTrue(l2.seen().containsKey("b"));
        assertEquals(3L, l2.counts().get(List.of("x")));
        assertEquals(2L, l1.counts().get(List.of("x")), "the old ledger is unchanged");
    }
}
