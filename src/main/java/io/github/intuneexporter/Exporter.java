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
import io.github.intuneexporter.graph.ThrottleBudget;
import io.github.intuneexporter.http.ExporterHttpServer;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.simulator.Scenario;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.SimulatorLimits;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

    private final List<TenantRuntime> tenants;
    private final PrometheusRegistry registry;
    private final GraphRequestMetrics requestMetrics;
    private ExporterHttpServer http;

    private Exporter(List<TenantRuntime> tenants, PrometheusRegistry registry, GraphRequestMetrics requestMetrics) {
        this.tenants = List.copyOf(tenants);
        this.registry = registry;
        this.requestMetrics = requestMetrics;
    }

    /** Demo tenants' names when intune.demo.tenants is above 1. */
    private static final List<String> DEMO_TENANT_NAMES = List.of("contoso", "fabrikam", "northwind", "adatum", "litware", "tailspin");

    /** Builds everything without starting the schedules or the HTTP server (tests call collectors directly). */
    public static Exporter create(ExporterSettings settings, boolean demo, Clock clock) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        List<ExporterSettings.Tenant> configured = demo ? demoTenants(settings) : settings.tenants();
        GraphRequestMetrics requestMetrics = new GraphRequestMetrics(registry, configured.size() > 1);
        List<TenantRuntime> runtimes = new ArrayList<>();
        try {
            for (int i = 0; i < configured.size(); i++) {
                runtimes.add(open(configured.get(i), i, demo, clock, requestMetrics, configured.size() > 1));
            }
            registry.register(new TenantsCollector(runtimes));
            BuildInfo.register(registry);
            JvmMetrics.builder().register(registry);
            return new Exporter(runtimes, registry, requestMetrics);
        } catch (RuntimeException | IOException e) {
            runtimes.forEach(r -> r.stop(Duration.ZERO));
            throw e;
        }
    }

    private static List<ExporterSettings.Tenant> demoTenants(ExporterSettings settings) {
        int n = settings.demo().tenants();
        if (n <= 1) {
            return List.of(new ExporterSettings.Tenant("default", "", settings));
        }
        List<ExporterSettings.Tenant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = i < DEMO_TENANT_NAMES.size() ? DEMO_TENANT_NAMES.get(i) : "tenant-" + (i + 1);
            out.add(new ExporterSettings.Tenant(name, "Simulated " + name, settings));
        }
        return out;
    }

    private static TenantRuntime open(ExporterSettings.Tenant tenant, int index, boolean demo, Clock clock,
            GraphRequestMetrics requestMetrics, boolean multi) throws IOException {
        ExporterSettings settings = tenant.settings();
        ExporterSettings.Graph graphSettings = settings.graph();
        TenantSimulator simulator = null;
        TokenCredential credential;
        Duration intervalOverride = null;
        String tenantId = settings.auth().tenantId();
        ThrottleBudget.WaitListener waits = requestMetrics.throttleWaits(tenant.name());
        ThrottleBudget budget = ThrottleBudget.documented(graphSettings.throttleBudget(), waits);
        if (demo) {
            ExporterSettings.Demo d = settings.demo();
            // A scenario plays on the first demo tenant only: with several tenants, the others stay normal.
            ScenarioRun scenario = index == 0 ? scenario(settings, clock) : null; // before the simulator starts: a bad name leaks nothing
            SimulatorLimits limits = SimulatorLimits.fromConfig(settings.raw());
            if (limits != null) {
                // The simulated tenant throttles at (scaled) Intune limits: the budget applies to the same numbers.
                budget = limits.budget(graphSettings.throttleBudget(), waits);
            }
            // Each simulated tenant has its own seed and token: a token of one tenant is refused by another.
            String token = DEMO_TOKEN + (index == 0 ? "" : "-" + index);
            simulator = TenantSimulator.start(new SimulatedTenant(d.seed() + index, d.devices(), clock, d.evolveEvery(), d.oddValues()),
                    token);
            simulator.setLatency(d.latency());
            simulator.setFaults(settings.faults());
            simulator.setLimits(limits);
            settings.raw().getStringList("intune.simulator.revoked-permissions").forEach(simulator::revokePermission);
            simulator.tenant().play(scenario);
            graphSettings = graphSettings.withBaseUrl(simulator.baseUrl());
            credential = Credentials.staticToken(token);
            intervalOverride = d.interval();
            tenantId = new java.util.UUID(d.seed() + index, 0x5eedL).toString();
        } else {
            credential = Credentials.build(settings.auth(), GraphConnection.authorityHost(graphSettings));
        }
        try {
            GraphConnection graph = GraphConnection.open(graphSettings, credential, requestMetrics.forTenant(tenant.name()), budget);
            List<IntuneCollector> collectors;
            try {
                collectors = CollectorFactory.create(settings, graph.api(), clock, intervalOverride);
            } catch (io.github.intuneexporter.config.ConfigException e) {
                graph.close();
                throw multi ? new io.github.intuneexporter.config.ConfigException(
                        io.github.intuneexporter.config.SettingsLoader.forTenant(e.getMessage(), "intune.tenants[" + index + "]")) : e;
            }
            CollectionScheduler scheduler = new CollectionScheduler(collectors, settings.collection().startupStagger(),
                    settings.collection().timeout(), settings.collection().threads(), clock, multi ? tenant.name() : null);
            scheduler.onTimeoutCancel(graph::cancelCallsOf);
            return new TenantRuntime(tenant, tenantId, graph, collectors, scheduler, simulator);
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
        tenants.forEach(t -> t.scheduler().start());
        List<String> enabled = tenants.get(0).scheduler().enabled();
        http = ExporterHttpServer.start(web.host(), web.port(), web.metricsPath(), web.security(), registry,
                () -> tenants.stream().allMatch(t -> t.scheduler().ready()),
                () -> tenants.stream().allMatch(t -> t.scheduler().alive()), enabled);
        LOG.info("intune-exporter {} serving {}://{}:{}{}{} (collectors: {})", BuildInfo.version(),
                web.security().tls() == null ? "http" : "https",
                web.host().equals("0.0.0.0") ? "localhost" : web.host(), http.port(), web.metricsPath(),
                web.security().basicAuthUsers().isEmpty() ? "" : " with basic auth", String.join(", ", enabled));
        if (tenants.size() > 1) {
            LOG.info("reading {} tenants: {}", tenants.size(), String.join(", ", tenants.stream().map(TenantRuntime::name).toList()));
        }
    }

    public int port() {
        return http.port();
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The first (or only) tenant's scheduler. */
    public CollectionScheduler scheduler() {
        return tenants.get(0).scheduler();
    }

    public List<TenantRuntime> tenants() {
        return tenants;
    }

    public GraphRequestMetrics requestMetrics() {
        return requestMetrics;
    }

    /** The first tenant's simulator in demo mode, else null. */
    public TenantSimulator simulator() {
        return tenants.get(0).simulator();
    }

    /** The first (or only) tenant's Graph connection. */
    public GraphConnection graph() {
        return tenants.get(0).graph();
    }

    /** Stops collection (running runs get {@code grace} to end), then the HTTP server, the Graph client and the simulator. */
    public void stop(Duration grace) {
        tenants.forEach(t -> t.scheduler().shutdown(Duration.ZERO));
        tenants.forEach(t -> t.stop(grace));
        if (http != null) {
            http.close();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
