package io.github.intuneexporter.simulator;

import com.typesafe.config.Config;
import io.github.intuneexporter.standin.GraphStandIn;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Graph tenant simulator as the exporter's {@code --demo} stand-in (registered in META-INF/services). */
public final class SimulatorStandIn implements GraphStandIn {

    @Override
    public void check(Config config) {
        StandInSettings.bind(config);
    }

    @Override
    public Map<String, String> scenarios() {
        Map<String, String> out = new LinkedHashMap<>();
        Scenarios.ALL.forEach(s -> out.put(s.name(), s.summary()));
        return out;
    }

    @Override
    public Running start(DemoTenant demo) throws IOException {
        StandInSettings settings = StandInSettings.bind(demo.config());
        // A scenario plays on the first demo tenant only: with several tenants, the others stay normal.
        ScenarioRun scenario = demo.index() != 0 || settings.scenario() == null
                ? null
                : ScenarioRun.start(
                        settings.scenario(),
                        demo.clock(),
                        settings.normal().isZero() ? settings.scenario().normalLength() : settings.normal(),
                        settings.incident().isZero() ? settings.scenario().incidentLength() : settings.incident());
        SimulatedTenant tenant = new SimulatedTenant(
                demo.seed() + demo.index(), demo.devices(), demo.clock(), demo.evolveEvery(), demo.oddValues());
        // The first tenant has a server of its own; the others share one, so that hundreds of demo tenants (bench msp)
        // do not start hundreds of servers and thread pools.
        TenantSimulator simulator = demo.index() == 0
                ? TenantSimulator.start(tenant, demo.token())
                : SharedHost.start(tenant, demo.token());
        simulator.setLatency(demo.latency());
        simulator.setFaults(settings.faults());
        simulator.setLimits(settings.limits());
        settings.revokedPermissions().forEach(simulator::revokePermission);
        simulator.tenant().play(scenario);
        return new Handle(simulator, settings.limits(), demo.index() != 0);
    }

    /** The shared server of the demo tenants after the first, started with the first of them and closed with the last. */
    private static final class SharedHost {
        private static TenantSimulator.Host host;
        private static int users;

        static synchronized TenantSimulator start(SimulatedTenant tenant, String token) throws IOException {
            if (host == null) {
                // Graph serves each tenant concurrently: with 8 threads each held for the simulated latency, 199
                // tenants shared about 400 requests per second and the exporter's workers queued on the simulator
                // (bench msp's stalled second cycle). 64 exceeds any exporter's collection pool.
                host = TenantSimulator.Host.start(64);
            }
            users++;
            return TenantSimulator.start(tenant, token, host);
        }

        static synchronized void release() {
            if (--users == 0) {
                host.close();
                host = null;
            }
        }
    }

    private record Handle(TenantSimulator simulator, SimulatorLimits enforced, boolean hosted) implements Running {

        @Override
        public String baseUrl() {
            return simulator.baseUrl();
        }

        @Override
        public Limits limits() {
            return enforced == null ? null : new Limits(enforced.scale(), enforced.windowOverride());
        }

        @Override
        public String scenarioLine() {
            ScenarioRun run = simulator.tenant().scenario();
            return run == null
                    ? ""
                    : "Scenario " + run.scenario().name() + ": incident from " + run.incidentStart() + " to "
                            + run.incidentEnd() + "; expected alerts: "
                            + String.join(", ", run.scenario().alerts());
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            return type.cast(simulator);
        }

        @Override
        public void close() {
            simulator.close();
            if (hosted) {
                SharedHost.release();
            }
        }
    }
}
