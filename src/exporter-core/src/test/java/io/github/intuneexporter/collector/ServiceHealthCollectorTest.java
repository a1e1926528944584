package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.ServiceHealthData;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceHealthCollectorTest {
    private static final Instant NOW = SimulatedGraph.NOW;

    private static SimulatedTenant tenant(long seed, double odd) {
        return new SimulatedTenant(seed, 50, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), odd);
    }

    /** A seed whose tenant has (or has not) an open Intune incident right now. */
    private static long seedWithIncident(boolean incident) {
        for (long seed = 1; seed < 500; seed++) {
            if ((new ServiceHealthData(tenant(seed, 0)).intuneIncident() != null) == incident) {
                return seed;
            }
        }
        throw new AssertionError("no seed found");
    }

    private static ServiceHealthCollector collector(SimulatedGraph g, boolean messageCenter) {
        return new ServiceHealthCollector(
                g.api(),
                SimulatedGraph.fixedClock(),
                Duration.ofMinutes(5),
                new CollectorSettings.ServiceHealth(
                        Duration.ofMinutes(5), "Microsoft Intune", "Intune", messageCenter));
    }

    /** The test's own reading of the wire strings: PascalCase as in Graph's samples, camelCase as in its metadata. */
    private static String status(String raw) {
        return switch (raw) {
            case "ServiceOperational", "serviceOperational" -> "service_operational";
            case "Investigating", "investigating" -> "investigating";
            case "RestoringService", "restoringService" -> "restoring_service";
            case "ServiceDegradation", "serviceDegradation" -> "service_degradation";
            case "ExtendedRecovery", "extendedRecovery" -> "extended_recovery";
            case "ServiceRestored" -> "service_restored";
            case "PostIncidentReviewPublished" -> "post_incident_review_published";
            case "Resolved" -> "resolved";
            case "FalsePositive" -> "false_positive";
            default -> "unknown";
        };
    }

    private static String classification(String raw) {
        return switch (raw) {
            case "Incident", "incident" -> "incident";
            case "Advisory", "advisory" -> "advisory";
            default -> "unknown";
        };
    }

    private static String category(String raw) {
        return switch (raw) {
            case "planForChange", "PlanForChange" -> "plan_for_change";
            case "stayInformed", "StayInformed" -> "stay_informed";
            case "preventOrFixIssue", "PreventOrFixIssue" -> "prevent_or_fix_issue";
            default -> "unknown";
        };
    }

    private static String severity(String raw) {
        return switch (raw) {
            case "normal", "Normal" -> "normal";
            case "high", "High" -> "high";
            case "critical", "Critical" -> "critical";
            default -> "unknown";
        };
    }

    /** Compares every exported series with the simulator's data; returns the Intune posts counted. */
    private static int assertEqualsGroundTruth(MetricSnapshots m, ServiceHealthData data) {
        String current = status(data.intuneStatus());
        for (String s : ServiceHealthCollector.STATUSES) {
            assertEquals(
                    s.equals(current) ? 1.0 : 0.0, SimulatedGraph.value(m, "intune_service_status", "status", s), s);
        }

        Map<String, Integer> issues = new HashMap<>();
        Map<String, Instant> oldest = new HashMap<>();
        for (ServiceHealthData.Issue i : data.issues()) {
            if (i.service().equals("Microsoft Intune") && !i.resolved()) {
                String c = classification(i.classification());
                issues.merge(c + "|" + status(i.status()), 1, Integer::sum);
                oldest.merge(c, i.start(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        for (String c : List.of("incident", "advisory", "unknown")) {
            for (String s : ServiceHealthCollector.STATUSES) {
                assertEquals(
                        issues.getOrDefault(c + "|" + s, 0),
                        SimulatedGraph.value(m, "intune_service_issues", "classification", c, "status", s),
                        0.0,
                        c + "|" + s);
            }
            double t =
                    SimulatedGraph.value(m, "intune_service_issue_oldest_start_timestamp_seconds", "classification", c);
            if (oldest.containsKey(c)) {
                assertEquals(oldest.get(c).getEpochSecond(), t, 0.0, c);
            } else {
                assertTrue(Double.isNaN(t), "no open " + c + ": no series");
            }
        }
        assertEquals(3 * 18, SimulatedGraph.seriesCount(m, "intune_service_issues"));

        Map<String, Integer> posts = new HashMap<>();
        Instant next = null;
        int counted = 0;
        for (ServiceHealthData.Message msg : data.messages()) {
            boolean published =
                    !msg.start().isAfter(NOW) && (msg.end() == null || msg.end().isAfter(NOW));
            if (!msg.services().contains("Microsoft Intune") || !published) {
                continue;
            }
            counted++;
            posts.merge(
                    category(msg.category()) + "|" + severity(msg.severity()) + "|" + (msg.actionRequiredBy() != null),
                    1,
                    Integer::sum);
            if (msg.actionRequiredBy() != null
                    && msg.actionRequiredBy().isAfter(NOW)
                    && (next == null || msg.actionRequiredBy().isBefore(next))) {
                next = msg.actionRequiredBy();
            }
        }
        for (String c : List.of("prevent_or_fix_issue", "plan_for_change", "stay_informed", "unknown")) {
            for (String s : List.of("normal", "high", "critical", "unknown")) {
                for (String a : List.of("true", "false")) {
                    assertEquals(
                            posts.getOrDefault(c + "|" + s + "|" + a, 0),
                            SimulatedGraph.value(
                                    m,
                                    "intune_message_center_posts",
                                    "category",
                                    c,
                                    "severity",
                                    s,
                                    "action_required",
                                    a),
                            0.0,
                            c + "|" + s + "|" + a);
                }
            }
        }
        assertEquals(counted, SimulatedGraph.sum(m, "intune_message_center_posts"), 0.0);
        assertTrue(next != null, "the simulator has an Intune post whose action date is still ahead");
        assertEquals(
                next.getEpochSecond(),
                SimulatedGraph.value(m, "intune_message_center_next_action_timestamp_seconds"),
                0.0);
        return counted;
    }

    @Test
    void anOpenIncidentIssuesAndPostsEqualTheSimulatorAcrossPages() throws Exception {
        // The healthy tenant never has an open incident of its own: play the service-incident scenario's incident.
        SimulatedTenant incident = tenant(2, 0);
        io.github.intuneexporter.simulator.ScenarioRun run = io.github.intuneexporter.simulator.ScenarioRun.manual(
                io.github.intuneexporter.simulator.Scenarios.SERVICE_INCIDENT, SimulatedGraph.fixedClock());
        incident.play(run);
        run.startIncident();
        try (SimulatedGraph g = SimulatedGraph.start(incident, "")) {
            ServiceHealthData data = new ServiceHealthData(g.tenant);
            MetricSnapshots m = collector(g, true).collect();

            assertTrue(data.intuneIncident() != null);
            assertTrue(
                    data.intuneStatus().matches("[a-z].*"),
                    "the v1.0 enum member (camelCase) on the wire: " + data.intuneStatus());
            assertEquals(0.0, SimulatedGraph.value(m, "intune_service_status", "status", "service_operational"));
            assertEqualsGroundTruth(m, data);

            // The data must exercise the filters: other services' and resolved issues, other services' and expired
            // posts.
            List<ServiceHealthData.Issue> issues = data.issues();
            assertTrue(issues.stream().anyMatch(i -> !i.service().equals("Microsoft Intune") && !i.resolved()));
            assertTrue(issues.stream().anyMatch(i -> i.service().equals("Microsoft Intune") && i.resolved()));
            List<ServiceHealthData.Message> messages = data.messages();
            assertTrue(messages.stream()
                    .anyMatch(x -> x.services().contains("Microsoft Intune")
                            && x.end() != null
                            && x.end().isBefore(NOW)));
            assertTrue(
                    messages.stream()
                            .anyMatch(x -> x.services().contains("Microsoft Intune")
                                    && x.actionRequiredBy() != null
                                    && x.actionRequiredBy().isBefore(NOW)),
                    "a post whose action date has passed");
            // Message Center pages at 100: every page read, each once.
            assertTrue(messages.size() > 100, "more than one page");
            assertEquals((messages.size() + 99) / 100, g.simulator.requestCount("/admin/serviceAnnouncement/messages"));
            assertEquals(1, g.simulator.requestCount("/admin/serviceAnnouncement/issues"));
        }
    }

    @Test
    void withoutAnIncidentIntuneIsOperationalAndAdvisoriesStillCount() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(seedWithIncident(false), 0), "")) {
            ServiceHealthData data = new ServiceHealthData(g.tenant);
            MetricSnapshots m = collector(g, true).collect();
            assertEquals(1.0, SimulatedGraph.value(m, "intune_service_status", "status", "service_operational"));
            assertEquals(1.0, SimulatedGraph.sum(m, "intune_service_status"), 0.0);
            assertTrue(SimulatedGraph.value(
                            m, "intune_service_issue_oldest_start_timestamp_seconds", "classification", "advisory")
                    > 0);
            assertTrue(Double.isNaN(SimulatedGraph.value(
                    m, "intune_service_issue_oldest_start_timestamp_seconds", "classification", "incident")));
            assertEqualsGroundTruth(m, data);
        }
    }

    @Test
    void unknownAndMixedCaseEnumValuesLandInTheirBuckets() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(4, 0.05), "")) {
            ServiceHealthData data = new ServiceHealthData(g.tenant);
            List<ServiceHealthData.Issue> open = data.openIntuneIssues();
            assertTrue(open.stream().anyMatch(i -> i.status().equals("unknownFutureValue")));
            assertTrue(open.stream().anyMatch(i -> i.classification().equals("advisory")));
            assertTrue(data.messages().stream().anyMatch(x -> x.category().equals("retirementAnnouncement")));
            MetricSnapshots m = collector(g, true).collect();
            assertEqualsGroundTruth(m, data);
            assertTrue(SimulatedGraph.sum(m, "intune_service_issues") > 0);
        }
    }

    @Test
    void revokedPermissionsFailTheRunNamingThem() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(2, 0), "")) {
            g.simulator.revokePermission(Permissions.SERVICE_MESSAGE);
            GraphException e =
                    assertThrows(GraphException.class, () -> collector(g, true).collect());
            assertTrue(e.getMessage().contains("ServiceMessage.Read.All"), e.getMessage());

            // Without the Message Center the same permissions suffice, and its families are left out.
            MetricSnapshots m = collector(g, false).collect();
            assertEquals(0, SimulatedGraph.seriesCount(m, "intune_message_center_posts"));
            assertEquals(1.0, SimulatedGraph.sum(m, "intune_service_status"), 0.0);

            g.simulator.grantAllPermissions();
            g.simulator.revokePermission(Permissions.SERVICE_HEALTH);
            e = assertThrows(GraphException.class, () -> collector(g, false).collect());
            assertTrue(e.getMessage().contains("ServiceHealth.Read.All"), e.getMessage());
        }
    }

    @Test
    void malformedMessageCenterJsonFailsTheRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(2, 0), "")) {
            g.simulator.setFaults(List.of(new FaultRule(
                    FaultRule.Kind.MALFORMED, "serviceAnnouncement/messages", 1.0, Duration.ZERO, Duration.ZERO)));
            GraphException e =
                    assertThrows(GraphException.class, () -> collector(g, true).collect());
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void aServiceNameHealthOverviewsDoNotListGivesUnknown() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(2, 0), "")) {
            MetricSnapshots m = new ServiceHealthCollector(
                            g.api(),
                            SimulatedGraph.fixedClock(),
                            Duration.ofMinutes(5),
                            new CollectorSettings.ServiceHealth(Duration.ofMinutes(5), "Contoso Widgets", "", true))
                    .collect();
            assertEquals(1.0, SimulatedGraph.value(m, "intune_service_status", "status", "unknown"));
            assertEquals(0.0, SimulatedGraph.sum(m, "intune_service_issues"), 0.0);
            assertEquals(0.0, SimulatedGraph.sum(m, "intune_message_center_posts"), 0.0);
        }
    }
}
