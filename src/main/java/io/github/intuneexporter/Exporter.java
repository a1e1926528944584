package io.github.intuneexporter;

import com.azure.core.credential.TokenCredential;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ConfigValues;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.http.ExporterHttpServer;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.simulator.Scenario;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running exporter: Graph connection, collectors, scheduler and HTTP endpoint, and in demo mode the
 * tenant simulator they read from. {@link Main} and the tests start it the same way.
 */
public final class Exporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    /** The bearer token the demo simulator accepts; it protects nothing real. */
    static final String DEMO_TOKEN = "demo-token-not-a-secret";

    private final TenantSimulator simulator;
    private final GraphConnection graph;
    private final CollectionScheduler scheduler;
    private final PrometheusRegistry registry;
    private final GraphRequestMetrics requestMetrics;
    private ExporterHttpServer http;

    private Exporter(TenantSimulator simulator, GraphConnection graph, CollectionScheduler scheduler, PrometheusRegistry registry,
            GraphRequestMetrics requestMetrics) {
        this.simulator = simulator;
        this.graph = graph;
        this.scheduler = scheduler;
        this.registry = registry;
        this.requestMetrics = requestMetrics;
    }

    /** Builds everything without starting the schedule or the HTTP server (tests call collectors directly). */
    public static Exporter create(ExporterSettings settings, boolean demo, Clock clock) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        GraphRequestMetrics requestMetrics = new GraphRequestMetrics(registry);
        TenantSimulator simulator = null;
        ExporterSettings.Graph graphSettings = settings.graph();
        TokenCredential credential;
        Duration intervalOverride = null;
        if (demo) {
            ExporterSettings.Demo d = settings.demo();
            ScenarioRun scenario = scenario(settings, clock); // before the simulator starts: a bad name leaks nothing
            simulator = TenantSimulator.start(new SimulatedTenant(d.seed(), d.devices(), clock, d.evolveEvery(), d.oddValues()), DEMO_TOKEN);
            simulator.setLatency(d.latency());
            simulator.setFaults(settings.faults());
            simulator.tenant().play(scenario);
            graphSettings = new ExporterSettings.Graph(graphSettings.cloud(), simulator.baseUrl(), graphSettings.authorityHost(),
                    graphSettings.requestTimeout(), graphSettings.connectTimeout(), graphSettings.readTimeout(),
                    graphSettings.maxRetries(), graphSettings.retryDelay(), graphSettings.pageSize(), graphSettings.maxPages());
            credential = Credentials.staticToken(DEMO_TOKEN);
            intervalOverride = d.interval();
        } else {
            credential = Credentials.build(settings.auth(), GraphConnection.authorityHost(graphSettings));
        }
        try {
            GraphConnection graph = GraphConnection.open(graphSettings, credential, requestMetrics);
            List<IntuneCollector> collectors = CollectorFactory.create(settings, graph.api(), clock, intervalOverride);
            CollectionScheduler scheduler = new CollectionScheduler(collectors, settings.collection().startupStagger(),
                    settings.collection().timeout(), settings.collection().threads(), clock);
            registry.register(scheduler);
            BuildInfo.register(registry);
            JvmMetrics.builder().register(registry);
            return new Exporter(simulator, graph, scheduler, registry, requestMetrics);
        } catch (RuntimeException e) {
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    /** The scenario of {@code intune.demo.scenario}, starting now, or null when none is set. */
    private static ScenarioRun scenario(ExporterSettings settings, Clock clock) {
        ConfigValues block = new ConfigValues(settings.raw().getConfig("intune.demo.scenario"), "intune.demo.scenario");
        String name = block.string("name");
        if (name.isEmpty()) {
            return null;
        }
        Scenario scenario = Scenarios.byName(name).orElseThrow(() -> new ConfigException(block.key("name") + ": unknown scenario '"
                + name + "', expected one of " + String.join(", ", Scenarios.names())));
        Duration normal = block.duration("normal", Duration.ZERO);
        Duration incident = block.duration("incident", Duration.ZERO);
        return ScenarioRun.start(scenario, clock, normal.isZero() ? scenario.normalLength() : normal,
                incident.isZero() ? scenario.incidentLength() : incident);
    }

    /** Starts the background collection and the HTTP endpoint. */
    public void start(ExporterSettings.Web web) throws IOException {
        scheduler.start();
        http = ExporterHttpServer.start(web.host(), web.port(), web.metricsPath(), web.security(), registry, scheduler::ready,
                scheduler.enabled());
        LOG.info("intune-exporter {} serving {}://{}:{}{}{} (collectors: {})", BuildInfo.version(),
                web.security().tls() == null ? "http" : "https",
                web.host().equals("0.0.0.0") ? "localhost" : web.host(), http.port(), web.metricsPath(),
                web.security().basicAuthUsers().isEmpty() ? "" : " with basic auth", String.join(", ", scheduler.enabled()));
    }

    public int port() {
        return http.port();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public CollectionScheduler scheduler() {
        return scheduler;
    }

    public GraphRequestMetrics requestMetrics() {
        return requestMetrics;
    }

    /** The simulator in demo mode, else null. */
    public TenantSimulator simulator() {
        return simulator;
    }

    public GraphConnection graph() {
        return graph;
    }

    /** Stops collection (running runs get {@code grace} to end), then the HTTP server, the Graph client and the simulator. */
    public void stop(Duration grace) {
        scheduler.shutdown(grace);
        if (http != null) {
            http.close();
        }
        graph.close();
        if (simulator != null) {
            simulator.close();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
