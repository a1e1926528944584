package io.github.intuneexporter;

import com.azure.core.credential.TokenCredential;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.config.Shard;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.graph.ThrottleBudget;
import io.github.intuneexporter.http.ExporterHttpServer;
import io.github.intuneexporter.http.MetricsEndpoint;
import io.github.intuneexporter.http.ProbeHandler;
import io.github.intuneexporter.http.ReloadHandler;
import io.github.intuneexporter.http.ReloadStatus;
import io.github.intuneexporter.http.StatusPage;
import io.github.intuneexporter.http.TextExposition;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.scheduler.CollectionPool;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.scheduler.GraphBudget;
import io.github.intuneexporter.standin.GraphStandIn;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
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

    /** Replaced as a whole by a reload; scrapes and the status page read whichever list is current. */
    private volatile List<TenantRuntime> tenants;

    private final PrometheusRegistry registry;
    private final boolean demo;
    private final Clock clock;
    private final ReloadStatus reloadStatus;
    private final Instant started = Instant.now();
    private volatile ExporterSettings settings;
    private volatile Supplier<ExporterSettings> reloadSource;
    private final List<ExporterHttpServer> http = new ArrayList<>();

    /**
     * What every tenant's runtime shares; a reload replaces its scale (shard, Graph budget share, tenant spread) and
     * keeps its request metrics and collection pool, the process's only ones.
     */
    private volatile Shared shared;

    /**
     * What all tenants of the process share: request metrics, the collection pool and its settings, and with several
     * tenants one HTTP connection pool (null otherwise).
     */
    private record Shared(
            GraphRequestMetrics requestMetrics,
            CollectionPool pool,
            ExporterSettings.Scale scale,
            okhttp3.ConnectionPool connections,
            GraphStandIn standIn) {}

    private TenantsCollector tenantsCollector;
    /** The tenants' collector data rendered in the text format, shared by /metrics and /probe of every listener. */
    private TextExposition text;

    private Exporter(
            List<TenantRuntime> tenants,
            PrometheusRegistry registry,
            boolean demo,
            Clock clock,
            ExporterSettings settings,
            ReloadStatus reloadStatus,
            Shared shared) {
        this.shared = shared;
        this.tenants = List.copyOf(tenants);
        this.registry = registry;
        this.demo = demo;
        this.clock = clock;
        this.settings = settings;
        this.reloadStatus = reloadStatus;
    }

    /** Demo tenants' names when intune.demo.tenants is above 1. */
    private static final List<String> DEMO_TENANT_NAMES =
            List.of("contoso", "fabrikam", "northwind", "adatum", "litware", "tailspin");

    /** Builds everything without starting the schedules or the HTTP server (tests call collectors directly). */
    public static Exporter create(ExporterSettings settings, boolean demo, Clock clock) throws IOException {
        return create(settings, demo, clock, null);
    }

    /**
     * As above; in demo mode the simulated tenants come from {@code standIn} (the benchmark's simulator in a process of
     * its own), or from the stand-in on the class path when it is null.
     */
    public static Exporter create(ExporterSettings settings, boolean demo, Clock clock, GraphStandIn standIn)
            throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        List<ExporterSettings.Tenant> configured = demo ? demoTenants(settings) : settings.tenants();
        ExporterSettings.Scale scale = settings.scale();
        // Several tenants configured: every series has a tenant label, also on a shard that reads only one of them, so
        // that dashboards and alert rules work the same on every replica.
        boolean multi = configured.size() > 1;
        GraphRequestMetrics requestMetrics = new GraphRequestMetrics(registry, multi);
        CollectionPool pool = new CollectionPool(
                scale.poolSize() == 0 ? CollectionPool.defaultSize() : scale.poolSize(),
                settings.collection().threads());
        List<TenantRuntime> runtimes = new ArrayList<>();
        try {
            // Several tenants: one HTTP connection pool (idle connections and their cleanup thread) for all of them.
            Shared shared =
                    new Shared(requestMetrics, pool, scale, multi ? new okhttp3.ConnectionPool() : null, standIn);
            for (int i : owned(configured, scale.shard(), demo)) {
                runtimes.add(open(configured.get(i), i, configured.size(), demo, clock, shared));
            }
            if (scale.shard().count() > 1) {
                LOG.info(
                        "shard {}: reading {} of the {} configured tenants",
                        scale.shard(),
                        runtimes.size(),
                        configured.size());
            }
            ReloadStatus reloadStatus = new ReloadStatus(clock);
            Exporter exporter = new Exporter(runtimes, registry, demo, clock, settings, reloadStatus, shared);
            exporter.tenantsCollector = new TenantsCollector(() -> exporter.tenants, multi);
            exporter.text = new TextExposition(multi);
            registry.register(exporter.tenantsCollector);
            registry.register(exporter::processMetrics);
            registry.register(reloadStatus);
            BuildInfo.register(registry);
            if (!settings.web().disableExporterMetrics()) {
                JvmMetrics.builder().register(registry);
            }
            return exporter;
        } catch (RuntimeException | IOException e) {
            runtimes.forEach(r -> r.stop(Duration.ZERO));
            pool.shutdown(Duration.ZERO);
            throw e;
        }
    }

    /** Indexes in {@code configured} of the tenants this replica's shard reads. */
    static List<Integer> owned(List<ExporterSettings.Tenant> configured, Shard shard, boolean demo) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            if (shard.owns(shardKey(configured.get(i), i, demo))) {
                out.add(i);
            }
        }
        return out;
    }

    /** What a tenant is sharded by: its tenant id (the name when none is set), the generated id in demo mode. */
    private static String shardKey(ExporterSettings.Tenant tenant, int index, boolean demo) {
        if (demo) {
            return demoTenantId(tenant.settings(), index);
        }
        String id = tenant.settings().auth().tenantId();
        return id == null || id.isBlank() ? tenant.name() : id;
    }

    private static String demoTenantId(ExporterSettings settings, int index) {
        return new UUID(settings.demo().seed() + index, 0x5eedL).toString();
    }

    /** The shared pool's load and this replica's shard. */
    private io.prometheus.metrics.model.snapshots.MetricSnapshots processMetrics() {
        GaugeFamily workers = GaugeFamily.of(
                "intune_collection_pool_workers",
                "Worker threads shared by every tenant's collectors (intune.collection.pool-size).");
        workers.set(shared.pool().size());
        GaugeFamily busy = GaugeFamily.of("intune_collection_pool_busy_workers", "Workers running a collection now.");
        busy.set(shared.pool().busy());
        GaugeFamily queued = GaugeFamily.of(
                "intune_collection_pool_queued_runs",
                "Collector runs due but waiting for a free worker; persistently above 0 means the pool is too small.");
        queued.set(shared.pool().queued());
        GaugeFamily shard = GaugeFamily.of(
                "intune_shard_info",
                "This replica's shard (intune.shard); the value is the number of tenants it reads.",
                "shard",
                "shards");
        Shard current = shared.scale().shard();
        shard.set(tenants.size(), Integer.toString(current.index()), Integer.toString(current.count()));
        return new io.prometheus.metrics.model.snapshots.MetricSnapshots(
                workers.toSnapshot(), busy.toSnapshot(), queued.toSnapshot(), shard.toSnapshot());
    }

    private static List<ExporterSettings.Tenant> demoTenants(ExporterSettings settings) {
        int n = settings.demo().tenants();
        if (n <= 1) {
            return List.of(new ExporterSettings.Tenant("default", "", settings));
        }
        List<ExporterSettings.Tenant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = i < DEMO_TENANT_NAMES.size() ? DEMO_TENANT_NAMES.get(i) : "tenant-" + (i + 1);
            out.add(new ExporterSettings.Tenant(
                    name, "Simulated " + name, SettingsLoader.forDemoTenant(settings, name)));
        }
        return out;
    }

    /** Opens the {@code index}-th of {@code count} configured tenants. */
    private static TenantRuntime open(
            ExporterSettings.Tenant tenant, int index, int count, boolean demo, Clock clock, Shared shared)
            throws IOException {
        try (org.slf4j.MDC.MDCCloseable ignored = org.slf4j.MDC.putCloseable("tenant", tenant.name())) {
            return openTenant(tenant, index, count, demo, clock, shared);
        }
    }

    private static TenantRuntime openTenant(
            ExporterSettings.Tenant tenant, int index, int count, boolean demo, Clock clock, Shared shared)
            throws IOException {
        boolean multi = count > 1;
        GraphRequestMetrics requestMetrics = shared.requestMetrics();
        ExporterSettings settings = tenant.settings();
        ExporterSettings.Graph graphSettings = settings.graph();
        GraphStandIn.Running simulator = null;
        TokenCredential credential;
        String tenantId = settings.auth().tenantId();
        ThrottleBudget.WaitListener waits = requestMetrics.throttleWaits(tenant.name());
        ThrottleBudget budget = ThrottleBudget.documented(graphSettings.throttleBudget(), waits);
        if (demo) {
            ExporterSettings.Demo d = settings.demo();
            // Each simulated tenant has its own seed and token: a token of one tenant is refused by another.
            String token = DEMO_TOKEN + (index == 0 ? "" : "-" + index);
            simulator = startStandIn(
                    shared.standIn(),
                    new GraphStandIn.DemoTenant(
                            index,
                            d.seed(),
                            d.devices(),
                            d.evolveEvery(),
                            d.oddValues(),
                            d.latency(),
                            token,
                            clock,
                            settings.raw()));
            GraphStandIn.Limits limits = simulator.limits();
            if (limits != null) {
                // The simulated tenant throttles at (scaled) Intune limits: the budget applies to the same numbers.
                budget = new ThrottleBudget(graphSettings.throttleBudget(), limits.scale(), limits.window(), waits);
            }
            graphSettings = graphSettings.withBaseUrl(simulator.baseUrl());
            credential = Credentials.staticToken(token);
            tenantId = demoTenantId(settings, index);
        } else {
            credential = Credentials.build(settings.auth(), GraphConnection.authorityHost(graphSettings));
        }
        try {
            GraphConnection graph = GraphConnection.open(
                    graphSettings, credential, requestMetrics.forTenant(tenant.name()), budget, shared.connections());
            List<IntuneCollector> collectors =
                    collectors(settings, graph, clock, demo ? settings.demo().interval() : null, multi, index);
            CollectionScheduler scheduler = scheduler(tenant, collectors, graph, index, count, clock, shared);
            return new TenantRuntime(tenant, tenantId, graph, collectors, scheduler, simulator);
        } catch (RuntimeException e) {
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    /**
     * The tenant's scheduler on the shared pool, with its share of the Graph budget; its phase spreads the tenants'
     * collections over the interval, and a collection that times out has its Graph calls cancelled.
     */
    private static CollectionScheduler scheduler(
            ExporterSettings.Tenant tenant,
            List<IntuneCollector> collectors,
            GraphConnection graph,
            int index,
            int count,
            Clock clock,
            Shared shared) {
        ExporterSettings settings = tenant.settings();
        CollectionScheduler scheduler = new CollectionScheduler(
                collectors,
                settings.collection().startupStagger(),
                settings.collection().timeout(),
                clock,
                tenant.name(),
                shared.pool(),
                new GraphBudget(shared.scale().graphBudgetShare()));
        scheduler.onTimeoutCancel(graph::cancelCallsOf);
        scheduler.phase(shared.scale().tenantPhase(index, count));
        return scheduler;
    }

    /** The tenant's collectors; a configuration error names the tenant's entry when there are several. */
    private static List<IntuneCollector> collectors(
            ExporterSettings settings,
            GraphConnection graph,
            Clock clock,
            Duration demoInterval,
            boolean multi,
            int index) {
        try {
            return CollectorFactory.create(settings, graph.api(), clock, demoInterval);
        } catch (ConfigException e) {
            graph.close();
            throw multi
                    ? new ConfigException(SettingsLoader.forTenant(e.getMessage(), "intune.tenants[" + index + "]"))
                    : e;
        }
    }

    /** The simulated tenant of {@code --demo}, from the Graph stand-in on the class path (the graph-simulator module). */
    private static GraphStandIn.Running startStandIn(GraphStandIn given, GraphStandIn.DemoTenant demo)
            throws IOException {
        GraphStandIn standIn = given != null
                ? given
                : GraphStandIn.find()
                        .orElseThrow(() -> new ConfigException(
                                "intune.demo: demo mode needs the Graph simulator, which this build does not contain"));
        ExporterHttpServer
                .configureJdkServer(); // before the first JDK server of the process starts: it reads them once
        try {
            return standIn.start(demo);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Starts the background collection and the HTTP endpoint. */
    public void start(ExporterSettings.Web web) throws IOException {
        tenants.forEach(t -> t.scheduler().start());
        startHttp(web, web.listenAddresses());
        if (tenants.size() > 1) {
            LOG.info(
                    "reading {} tenants: {}",
                    tenants.size(),
                    String.join(", ", tenants.stream().map(TenantRuntime::name).toList()));
        }
    }

    /** One HTTP server per listen address, all serving the same registry, status page and reload endpoint. */
    private void startHttp(ExporterSettings.Web web, List<String> addresses) throws IOException {
        List<String> enabled =
                tenants.isEmpty() ? List.of() : tenants.get(0).scheduler().enabled();
        StatusPage status = new StatusPage(web.metricsPath(), started, this::statusTenants, reloadStatus);
        ReloadHandler lifecycle =
                web.enableLifecycle() ? new ReloadHandler(afterAnswer -> reload("POST /-/reload", afterAnswer)) : null;
        try {
            for (String address : addresses) {
                String[] hp = splitAddress(address);
                ExporterHttpServer server = ExporterHttpServer.start(
                        hp[0],
                        Integer.parseInt(hp[1]),
                        web.security(),
                        new ExporterHttpServer.Endpoints(
                                web.metricsPath(),
                                new MetricsEndpoint(registry, text, tenantsCollector::data),
                                () -> tenants.stream()
                                        .allMatch(t -> t.scheduler().ready()),
                                () -> shared.pool().alive()
                                        && tenants.stream()
                                                .allMatch(t -> t.scheduler().alive()),
                                status,
                                lifecycle,
                                new ProbeHandler(this::probe, text)));
                http.add(server);
                LOG.info(
                        "intune-exporter {} serving {}://{}:{}{}{} (collectors: {})",
                        BuildInfo.version(),
                        web.security().tls() == null ? "http" : "https",
                        hp[0].equals("0.0.0.0") ? "localhost" : hp[0],
                        server.port(),
                        web.metricsPath(),
                        web.security().basicAuthUsers().isEmpty() ? "" : " with basic auth",
                        String.join(", ", enabled));
            }
        } catch (IOException | RuntimeException e) {
            http.forEach(ExporterHttpServer::close);
            http.clear();
            throw e;
        }
    }

    private static String[] splitAddress(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, address.substring(colon + 1)};
    }

    /** The port of the first listen address (the one chosen by the system when it was 0). */
    public int port() {
        return http.get(0).port();
    }

    /** Reads the configuration again from {@code source} on {@link #reload(String)} (SIGHUP, POST /-/reload). */
    public void reloadFrom(Supplier<ExporterSettings> source) {
        this.reloadSource = source;
    }

    /**
     * Re-reads the configuration (and with it the web configuration) and applies it: tenants whose settings are unchanged
     * keep running untouched; changed ones are rebuilt and take over the data their predecessor served, so no series
     * has a gap; removed ones stop; added ones start. A configuration that does not load or build is rejected and the
     * running one stays. Returns null on success, else the one-line reason.
     */
    public String reload(String trigger) {
        return reload(trigger, Runnable::run);
    }

    /** As {@link #reload(String)}; {@code httpRestart} runs the restart of the HTTP servers a new web configuration needs. */
    synchronized String reload(String trigger, Consumer<Runnable> httpRestart) {
        Supplier<ExporterSettings> source = reloadSource;
        if (source == null) {
            return "reload is not configured";
        }
        try {
            ExporterSettings next = source.get();
            String summary = apply(next, httpRestart);
            reloadStatus.succeeded();
            LOG.atInfo().addKeyValue("trigger", trigger).log("configuration reloaded: {}", summary);
            return null;
        } catch (ConfigException e) {
            return failed(trigger, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.debug("reload failure", e);
            return failed(
                    trigger, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private String failed(String trigger, String reason) {
        reloadStatus.failed();
        LOG.atError()
                .addKeyValue("trigger", trigger)
                .log("reloading the configuration failed, keeping the running one: {}", reason);
        return reason;
    }

    private String apply(ExporterSettings next, Consumer<Runnable> httpRestart) throws IOException {
        ExporterSettings current = settings;
        List<ExporterSettings.Tenant> configured = demo ? demoTenants(next) : next.tenants();
        List<TenantRuntime> running = tenants;
        boolean multi = configured.size() > 1;
        if (multi != shared.requestMetrics().tenantLabel()) {
            throw new ConfigException(
                    "changing between one tenant and several adds or removes the tenant label of every series; "
                            + "restart the exporter to apply it");
        }
        Shared nextShared = rescaled(current, next);
        Map<String, TenantRuntime> byName = new LinkedHashMap<>();
        running.forEach(t -> byName.put(t.name(), t));
        List<TenantRuntime> result = new ArrayList<>();
        List<TenantRuntime> opened = new ArrayList<>();
        List<TenantRuntime> replaced = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        try {
            for (int i : owned(configured, nextShared.scale().shard(), demo)) {
                ExporterSettings.Tenant tenant = configured.get(i);
                TenantRuntime old = byName.get(tenant.name());
                if (old != null && TenantFingerprint.same(old.tenant(), tenant)) {
                    result.add(old);
                    kept.add(tenant.name());
                    continue;
                }
                TenantRuntime fresh = open(tenant, i, configured.size(), demo, clock, nextShared);
                opened.add(fresh);
                if (old != null) {
                    fresh.scheduler().takeOver(old.scheduler());
                    replaced.add(old);
                    changed.add(tenant.name());
                } else {
                    added.add(tenant.name());
                }
                result.add(fresh);
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(r -> r.stop(Duration.ZERO));
            throw e;
        }
        List<TenantRuntime> removed = running.stream()
                .filter(t -> result.stream().noneMatch(r -> r.name().equals(t.name())))
                .toList();
        // The new list is served before the old runtimes stop: their data is already in their successors.
        tenants = List.copyOf(result);
        settings = next;
        shared = nextShared;
        // Their in-flight Graph calls are cancelled and their runs end (with their state file writes) before the
        // successors' first runs.
        replaced.forEach(old -> old.stop(STOP_GRACE));
        removed.forEach(t -> t.stop(STOP_GRACE));
        removed.forEach(t -> nextShared.requestMetrics().forget(t.name())); // after stop: no request records any more
        opened.forEach(t -> t.scheduler().start());
        if (httpNeedsRestart(current.web(), next.web())) {
            httpRestart.accept(() -> restartHttp(current.web(), next.web()));
        }
        return "tenants kept " + kept + ", rebuilt " + changed + ", added " + added + ", removed "
                + removed.stream().map(TenantRuntime::name).toList();
    }

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Warns about the keys a reload changed but cannot apply: only those that changed, so that none is suspected. */
    private static void needRestart(boolean firstChanged, String first, boolean secondChanged, String second) {
        List<String> keys = new ArrayList<>();
        if (firstChanged) {
            keys.add(first);
        }
        if (secondChanged) {
            keys.add(second);
        }
        if (!keys.isEmpty()) {
            LOG.warn(
                    "{} changed; {} at the next restart",
                    String.join(" and ", keys),
                    keys.size() == 1 ? "it applies" : "they apply");
        }
    }

    /**
     * What tenants opened by a reload share: the new shard, Graph budget share and tenant spread apply (a changed shard
     * starts and stops tenants like an edited tenant list); the pool is the running one, so a new pool size or per-tenant
     * cap waits for a restart, with a warning.
     */
    private Shared rescaled(ExporterSettings was, ExporterSettings now) {
        needRestart(
                was.scale().poolSize() != now.scale().poolSize(),
                "intune.collection.pool-size",
                was.collection().threads() != now.collection().threads(),
                "intune.collection.threads");
        Shared current = shared;
        return new Shared(
                current.requestMetrics(), current.pool(), now.scale(), current.connections(), current.standIn());
    }

    /** The shard, Graph budget share and tenant spread in effect (the last successful reload's). */
    ExporterSettings.Scale scale() {
        return shared.scale();
    }

    /**
     * A changed web configuration (TLS, basic auth), metrics path or lifecycle flag restarts the HTTP servers on the
     * addresses they already listen on. Listen address and exporter-metrics changes need a restart of the process.
     */
    private boolean httpNeedsRestart(ExporterSettings.Web was, ExporterSettings.Web now) {
        needRestart(
                !was.listenAddresses().equals(now.listenAddresses()),
                "intune.web.listen-address",
                was.disableExporterMetrics() != now.disableExporterMetrics(),
                "intune.web.disable-exporter-metrics");
        return !http.isEmpty()
                && !(was.security().equals(now.security())
                        && was.metricsPath().equals(now.metricsPath())
                        && was.enableLifecycle() == now.enableLifecycle());
    }

    private synchronized void restartHttp(ExporterSettings.Web was, ExporterSettings.Web now) {
        try {
            restartHttpNow(was, now);
        } catch (IOException | RuntimeException e) {
            LOG.error("restarting the HTTP listener for the new web configuration failed: {}", e.toString());
        }
    }

    private void restartHttpNow(ExporterSettings.Web was, ExporterSettings.Web now) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < http.size(); i++) {
            String host = splitAddress(was.listenAddresses().get(i))[0];
            addresses.add((host.contains(":") ? "[" + host + "]" : host) + ":"
                    + http.get(i).port()); // port 0 keeps its port
        }
        http.forEach(ExporterHttpServer::close);
        http.clear();
        try {
            startHttp(now, addresses);
        } catch (IOException | RuntimeException e) {
            startHttp(was, addresses); // never left without a listener: serve with the previous web configuration
            throw e;
        }
    }

    /** The series of the tenant with this name or tenant id (case-insensitive), for /probe. */
    private Optional<ProbeHandler.Target> probe(String nameOrId) {
        for (TenantRuntime t : tenants) {
            if (t.name().equalsIgnoreCase(nameOrId)
                    || (t.tenantId() != null
                            && !t.tenantId().isEmpty()
                            && t.tenantId().equalsIgnoreCase(nameOrId))) {
                return Optional.of(new ProbeHandler.Target(
                        TenantsCollector.data(t),
                        included -> tenantsCollector.probe(t, shared.requestMetrics(), included)));
            }
        }
        return Optional.empty();
    }

    /** Each tenant's collectors' state, for the status page. */
    private List<StatusPage.Tenant> statusTenants() {
        return tenants.stream()
                .map(t -> new StatusPage.Tenant(
                        t.name(), t.tenant().displayName(), t.scheduler().status()))
                .toList();
    }

    /** The settings last applied (at start or by the last successful reload). */
    public ExporterSettings settings() {
        return settings;
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
        return shared.requestMetrics();
    }

    /** The first tenant's simulated Graph in demo mode, else null. */
    public GraphStandIn.Running simulator() {
        return tenants.get(0).simulator();
    }

    /** The first (or only) tenant's Graph connection. */
    public GraphConnection graph() {
        return tenants.get(0).graph();
    }

    /**
     * Stops every tenant at once, with one deadline for the whole process: no new run starts, every in-flight Graph call
     * is cancelled, and all running collections together get {@code grace} to end (not {@code grace} per tenant). Then
     * the simulators (demo) and the HTTP servers.
     */
    public void stop(Duration grace) {
        List<TenantRuntime> all = tenants;
        all.forEach(t -> t.scheduler().shutdown(Duration.ZERO));
        all.forEach(t -> t.graph().close()); // cancels in-flight calls, so running collections end at once
        shared.pool().shutdown(grace);
        all.parallelStream().forEach(TenantRuntime::closeSimulator);
        if (shared.connections() != null) {
            shared.connections().evictAll();
        }
        synchronized (this) {
            http.forEach(ExporterHttpServer::close);
            http.clear();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
