package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubscriptionCollectorTest {

    private static void assertOneHot(MetricSnapshots m, String state) {
        for (String s : SubscriptionCollector.STATES) {
            assertEquals(
                    s.equals(state) ? 1 : 0, SimulatedGraph.value(m, "intune_subscription_state", "state", s), 0.0, s);
        }
        assertEquals(0, SimulatedGraph.value(m, "intune_subscription_state", "state", "unknown"), 0.0);
        assertEquals(
                SubscriptionCollector.STATES.size() + 1, SimulatedGraph.seriesCount(m, "intune_subscription_state"));
    }

    @Test
    void oneHotOverEveryMemberFollowingTheTenant() throws Exception {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(3, 100, clock, Duration.ofMinutes(1));
        ScenarioRun run = ScenarioRun.manual(Scenarios.SUBSCRIPTION_WARNING, clock);
        tenant.play(run);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            SubscriptionCollector c = new SubscriptionCollector(g.api(), Duration.ofMinutes(15));
            MetricSnapshots first = c.collect();
            assertOneHot(first, "active");
            assertEquals(
                    c.families().stream().map(f -> f.name()).toList(),
                    first.stream().map(f -> f.getMetadata().getName()).toList(),
                    "exports exactly its declared families");
            run.startIncident();
            assertOneHot(c.collect(), "warning");
            run.recover();
            assertOneHot(c.collect(), "active");
            assertEquals(3, g.simulator.requestCount("/deviceManagement"), "one request a run");
        }
    }

    @Test
    void everyMemberOfTheV1EnumIsALabel() {
        // deviceManagementSubscriptionState in the v1.0 CSDL: pending, active, warning, disabled, deleted, blocked,
        // lockedOut.
        java.util.List<String> members = io.github.intuneexporter.contract.GraphContract.of("v1.0")
                .enumMembers("deviceManagementSubscriptionState");
        assertEquals(
                members.stream()
                        .map(io.github.intuneexporter.metrics.EnumLabels::snake)
                        .toList(),
                SubscriptionCollector.STATES);
    }
}
