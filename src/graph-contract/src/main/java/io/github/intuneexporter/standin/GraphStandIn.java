package io.github.intuneexporter.standin;

import com.typesafe.config.Config;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A stand-in for Microsoft Graph that {@code --demo} reads instead of a real tenant. The exporter finds it through
 * {@link ServiceLoader}, so production code never compiles against the simulator: the graph-simulator module provides
 * the one implementation, on the packaged jar's runtime class path only.
 */
public interface GraphStandIn {

    /** The stand-in on the class path, if any. */
    static Optional<GraphStandIn> find() {
        return ServiceLoader.load(GraphStandIn.class, GraphStandIn.class.getClassLoader())
                .findFirst();
    }

    /**
     * Checks the stand-in's own configuration ({@code intune.simulator.*}, {@code intune.demo.scenario}) so that a bad
     * value fails start-up; throws {@link IllegalArgumentException} whose message starts with the key path.
     */
    void check(Config config);

    /** The scenarios it can play, name to one-line summary, in a stable order. */
    Map<String, String> scenarios();

    /** Starts one simulated tenant on a loopback port. */
    Running start(DemoTenant tenant) throws IOException;

    /**
     * One simulated tenant to start: the demo settings, the bearer token it accepts, and the whole configuration for
     * the stand-in's own sections. A scenario plays on the tenant with index 0 only.
     */
    record DemoTenant(
            int index,
            long seed,
            int devices,
            Duration evolveEvery,
            double oddValues,
            Duration latency,
            String token,
            Clock clock,
            Config config) {}

    /** Intune's throttling limits as the stand-in enforces them: scaled, with a shorter window for tests (null = documented). */
    record Limits(double scale, Duration window) {}

    /** A running simulated tenant. */
    interface Running extends AutoCloseable {

        /** The Graph root to read, e.g. {@code http://127.0.0.1:41234/v1.0}. */
        String baseUrl();

        /** The enforced limits, or null when it enforces none (then the exporter's budget uses Intune's documented ones). */
        Limits limits();

        /** One line on the scenario playing (incident window, expected alerts), or "" when none plays. */
        String scenarioLine();

        /** The implementation object, for tests that drive the simulator directly. */
        <T> T unwrap(Class<T> type);

        @Override
        void close();
    }
}
