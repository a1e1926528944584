package io.github.intuneexporter.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The typed, validated view of the configuration, built once at start-up by {@link SettingsLoader}. */
public record ExporterSettings(
        Web web,
        Auth auth,
        Graph graph,
        Collection collection,
        Scale scale,
        Demo demo,
        Config raw,
        List<Tenant> tenants,
        CollectorSettings collectors) {

    /**
     * One Intune tenant to read: its name (the {@code tenant} label when there are several), an optional display
     * name, and its own settings (auth, graph and collectors of the entry over the top-level blocks).
     */
    public record Tenant(String name, String displayName, ExporterSettings settings) {}

    ExporterSettings withTenants(List<Tenant> list) {
        return new ExporterSettings(web, auth, graph, collection, scale, demo, raw, List.copyOf(list), collectors);
    }

    /** True when more than one tenant is configured, so series carry a tenant label. */
    public boolean multiTenant() {
        return tenants.size() > 1;
    }

    /**
     * HTTP endpoint settings; {@code security} holds TLS and basic auth from the web configuration file. {@code host} and
     * {@code port} are the first of {@code listenAddresses} (host:port each, all served alike).
     */
    public record Web(
            String host,
            int port,
            String metricsPath,
            WebConfig security,
            List<String> listenAddresses,
            boolean disableExporterMetrics,
            boolean enableLifecycle) {

        public Web(String host, int port, String metricsPath, WebConfig security) {
            this(host, port, metricsPath, security, List.of(host + ":" + port), false, false);
        }
    }

    /** Credential settings. {@link #toString()} never shows secrets. */
    public record Auth(
            AuthMethod method,
            String tenantId,
            String clientId,
            String clientSecret,
            Path clientCertificatePath,
            String clientCertificatePassword,
            boolean sendCertificateChain,
            Path federatedTokenFile) {

        @Override
        public String toString() {
            return "Auth[method=" + method.key() + ", tenantId=" + tenantId + ", clientId=" + clientId
                    + ", clientSecret=" + (clientSecret.isEmpty() ? "<unset>" : "<redacted>")
                    + ", clientCertificatePath=" + clientCertificatePath
                    + ", clientCertificatePassword=" + (clientCertificatePassword.isEmpty() ? "<unset>" : "<redacted>")
                    + ", federatedTokenFile=" + federatedTokenFile + "]";
        }
    }

    /** Graph client settings. */
    public record Graph(
            Cloud cloud,
            String baseUrl,
            String authorityHost,
            Duration requestTimeout,
            Duration connectTimeout,
            Duration readTimeout,
            int maxRetries,
            Duration retryDelay,
            int pageSize,
            int maxPages,
            double throttleBudget,
            long maxResponseBytes) {

        /** The same settings against another Graph root (demo mode: the simulator). */
        public Graph withBaseUrl(String url) {
            return new Graph(
                    cloud,
                    url,
                    authorityHost,
                    requestTimeout,
                    connectTimeout,
                    readTimeout,
                    maxRetries,
                    retryDelay,
                    pageSize,
                    maxPages,
                    throttleBudget,
                    maxResponseBytes);
        }
    }

    /** Scheduler settings. */
    public record Collection(Duration startupStagger, Duration timeout, int threads) {}

    /**
     * The process-wide settings for many tenants ({@code intune.collection.pool-size},
     * {@code intune.collection.graph-budget-share}, {@code intune.shard}).
     *
     * @param poolSize workers shared by every tenant's collectors; 0 = the pool's default size
     * @param graphBudgetShare share (0..1) of Intune's documented per-tenant throttling limits the collectors may use
     *     per hour before their intervals stretch; 0 turns stretching off
     * @param shard the tenants this replica reads
     * @param tenantSpread share (0..1) of each interval over which the tenants' collection cycles are spread
     */
    public record Scale(int poolSize, double graphBudgetShare, Shard shard, double tenantSpread) {
        /** The phase of the {@code index}-th of {@code count} configured tenants: evenly spread, 0 for the first. */
        public double tenantPhase(int index, int count) {
            return count <= 1 ? 0 : tenantSpread * index / count;
        }
    }

    /**
     * Demo-mode tenant settings; {@code tenants} simulated tenants are served when more than one. {@code interval}
     * replaces the interval of every enabled collector except those in {@code ownIntervals}, whose interval the user's
     * file or command line sets.
     */
    public record Demo(
            int devices,
            long seed,
            Duration evolveEvery,
            Duration interval,
            Duration latency,
            double oddValues,
            int tenants,
            Set<String> ownIntervals) {

        Demo withOwnIntervals(Set<String> names) {
            return new Demo(devices, seed, evolveEvery, interval, latency, oddValues, tenants, names);
        }
    }

    ExporterSettings withDemo(Demo d) {
        return new ExporterSettings(
                web,
                auth,
                graph,
                collection,
                scale,
                d,
                raw,
                tenants.stream()
                        .map(t -> new Tenant(
                                t.name(), t.displayName(), t.settings().withDemo(d)))
                        .toList(),
                collectors);
    }

    /** A duration as a user writes it in the configuration (1d, 2h, 5m, 30s, 250ms), for summaries. */
    public static String describe(Duration d) {
        return ConfigValues.describe(d);
    }

    /** Path of a collector key, for error messages. */
    public static String collectorKey(String collector, String key) {
        return "intune.collectors." + collector + "." + key;
    }
}
