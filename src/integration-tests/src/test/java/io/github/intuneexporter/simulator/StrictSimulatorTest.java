package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the simulator serves, as the collectors call it with every option on (beta and opt-in sources,
 * both device sources), in the healthy tenant and in every scenario (normal and incident phase): Graph's published
 * metadata must allow every request, and every response must fit it. Any finding fails the test.
 */
class StrictSimulatorTest {
    /** Every opt-in source on, and the v1.0 choice of every either/or option (the demo defaults to the beta ones). */
    private static final String ALL_V1 = """
            intune.collectors.devices.source = "graph-list"
            intune.collectors.configuration.beta-status-overview = false
            intune.collectors.app_installs.beta-summary-report = false
            intune.collectors.connectors { dep-tokens = true, ndes-connectors = true }
            intune.collectors.enrollment { autopilot = true, state-file = "" }
            intune.collectors.service_health.message-center = true
            """;
    /** The other choice of every either/or option: export-job devices, beta overview and summary report. */
    private static final String ALTERNATIVES = ALL_V1 + """
            intune.collectors.devices { source = "export-job", export-poll-interval = 10ms, export-timeout = 5s }
            intune.collectors.configuration.beta-status-overview = true
            intune.collectors.app_installs.beta-summary-report = true
            """;

    private static final String PARTITIONED = ALL_V1 + "intune.collectors.devices.scan-concurrency = 4\n";

    private static Exporter exporter(String scenario, String options) throws Exception {
        String play = scenario == null ? "" : ", scenario { name = " + scenario + ", normal = 1h }";
        // Small tenants: the contract does not depend on size, and the test runs 2 x 7 scenarios x 3 runs.
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                SettingsLoader.parseString(
                        "intune.demo { devices = " + (scenario == null ? 300 : 120) + ", latency = 0s" + play + " }\n"
                                + "intune.graph { max-retries = 0, retry-delay = 1s }\n" + options),
                true);
        return Exporter.create(settings, true, SimulatedGraph.fixedClock());
    }

    /** Runs every collector; returns the ones that failed. */
    private static List<String> runAll(Exporter e) {
        List<String> failed = new ArrayList<>();
        for (IntuneCollector c : e.tenants().get(0).collectors()) {
            if (!e.scheduler().runNow(c.name())) {
                failed.add(c.name() + ": " + e.scheduler().lastError(c.name()));
            }
        }
        return failed;
    }

    @Test
    void healthyTenantEveryOption() throws Exception {
        for (String options : List.of(ALL_V1, ALTERNATIVES, PARTITIONED)) {
            try (Exporter e = exporter(null, options)) {
                assertEquals(List.of(), runAll(e), "every collector succeeds on the strict simulator");
                assertEquals(
                        List.of(),
                        e.simulator()
                                .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                                .contractFindings());
            }
        }
    }

    @Test
    void everyScenarioBothPhases() throws Exception {
        Set<String> failures = new TreeSet<>();
        for (String scenario : Scenarios.names()) {
            for (String options : List.of(ALL_V1, ALTERNATIVES)) {
                try (Exporter e = exporter(scenario, options)) {
                    List<String> normal = runAll(e);
                    assertEquals(List.of(), normal, scenario + " normal phase");
                    e.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .tenant()
                            .scenario()
                            .startIncident();
                    runAll(e); // outage and throttling scenarios fail collectors on purpose
                    e.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .tenant()
                            .scenario()
                            .recover();
                    assertEquals(List.of(), runAll(e), scenario + " after recovery");
                    e.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .contractFindings()
                            .forEach(f -> failures.add(scenario + ": " + f));
                }
            }
        }
        assertEquals(Set.of(), failures);
    }

    @Test
    void theCheckSeesAnInvalidRequest() throws Exception {
        try (Exporter e = exporter(null, "")) {
            var api = e.tenants().get(0).graph().api();
            var ex = org.junit.jupiter.api.Assertions.assertThrows(
                    io.github.intuneexporter.graph.GraphException.class,
                    () -> api.get("/deviceAppManagement/mobileApps?$select=id,displayName,isAssigned"));
            assertEquals(400, ex.status());
            assertTrue(
                    ex.graphMessage()
                            .contains(
                                    "Could not find a property named 'isAssigned' on type 'microsoft.graph.mobileApp'."),
                    ex.graphMessage());
            assertEquals(
                    1,
                    e.simulator()
                            .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                            .contractFindings()
                            .size());
        }
    }
}
