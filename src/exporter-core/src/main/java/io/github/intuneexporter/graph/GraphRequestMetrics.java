package io.github.intuneexporter.graph;

import io.github.intuneexporter.contract.EndpointTemplates;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts every HTTP attempt to Graph, retries included (it runs as an OkHttp network interceptor, below the
 * SDK's RetryHandler). These are the exporter's own activity, so direct instrumentation is right here.
 */
public final class GraphRequestMetrics implements Interceptor {
    private final Counter requests;
    private final Counter throttled;
    private final Counter responseBytes;
    private final Histogram duration;
    private final Counter throttleWait;
    private final boolean tenantLabel;

    public GraphRequestMetrics(PrometheusRegistry registry) {
        this(registry, false);
    }

    /** With {@code tenantLabel}, every series also carries the tenant of the connection (several tenants configured). */
    public GraphRequestMetrics(PrometheusRegistry registry, boolean tenantLabel) {
        this.tenantLabel = tenantLabel;
        requests = Counter.builder()
                .name("intune_graph_requests_total")
                .help("HTTP requests sent to Microsoft Graph, retries included, by endpoint template and status code "
                        + "(code=\"error\" when no response arrived).")
                .labelNames(names(tenantLabel, "endpoint", "code"))
                .register(registry);
        throttled = Counter.builder()
                .name("intune_graph_throttled_requests_total")
                .help("Graph responses with status 429 (throttled), by endpoint template.")
                .labelNames(names(tenantLabel, "endpoint"))
                .register(registry);
        responseBytes = Counter.builder()
                .name("intune_graph_response_bytes_total")
                .help("Bytes of Graph response bodies read, by endpoint template.")
                .labelNames(names(tenantLabel, "endpoint"))
                .register(registry);
        duration = Histogram.builder()
                .name("intune_graph_request_duration_seconds")
                .help(
                        "Duration of single HTTP attempts to Graph until the response headers arrived, by endpoint template.")
                .labelNames(names(tenantLabel, "endpoint"))
                .classicUpperBounds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .classicOnly()
                .register(registry);
        throttleWait = Counter.builder()
                .name("intune_graph_throttle_wait_seconds_total")
                .help(
                        "Time requests waited for the exporter's own Graph throttle budget (intune.graph.throttle-budget), by Intune "
                                + "throttling bucket.")
                .labelNames(names(tenantLabel, "bucket"))
                .register(registry);
    }

    /** Whether every series carries a tenant label (several tenants configured). */
    public boolean tenantLabel() {
        return tenantLabel;
    }

    /**
     * The series of one tenant (all of them when there is no tenant label), for a per-tenant scrape. Collecting these
     * families means collecting every tenant's series (tens of milliseconds with hundreds of tenants, more than a whole
     * /probe may take), so they are split by tenant at most once a second, in the background, and probes answer from
     * the last split: a probe's Graph request counters may be a second or two old (only the very first probe waits).
     */
    public io.prometheus.metrics.model.snapshots.MetricSnapshots ofTenant(String tenant) {
        if (!tenantLabel) {
            return split().get(null);
        }
        ByTenant last = byTenant;
        if (last == null) {
            last = resplit();
        } else if (System.nanoTime() - last.atNanos() > SPLIT_REUSE_NANOS && splitting.compareAndSet(false, true)) {
            Thread t = new Thread(
                    () -> {
                        try {
                            resplit();
                        } finally {
                            splitting.set(false);
                        }
                    },
                    "intune-graph-metrics-split");
            t.setDaemon(true);
            t.start();
        }
        var own = last.series().get(tenant);
        return own != null ? own : last.series().get(null);
    }

    /** How long the per-tenant split of the request metrics serves probes. */
    private static final long SPLIT_REUSE_NANOS = 1_000_000_000L;

    private record ByTenant(
            long atNanos, java.util.Map<String, io.prometheus.metrics.model.snapshots.MetricSnapshots> series) {}

    private volatile ByTenant byTenant;
    private final java.util.concurrent.atomic.AtomicBoolean splitting = new java.util.concurrent.atomic.AtomicBoolean();

    private ByTenant resplit() {
        ByTenant now = new ByTenant(System.nanoTime(), split());
        byTenant = now;
        return now;
    }

    /**
     * Every tenant's series of the five families, by tenant; under the key null the five families with no series (or,
     * without a tenant label, with all of them).
     */
    /** The points of one family, all of its own point type. */
    @SuppressWarnings("unchecked")
    private static <T> java.util.List<T> as(java.util.List<?> points) {
        return (java.util.List<T>) points;
    }

    private java.util.Map<String, io.prometheus.metrics.model.snapshots.MetricSnapshots> split() {
        java.util.List<io.prometheus.metrics.model.snapshots.MetricSnapshot> families = java.util.List.of(
                requests.collect(),
                throttled.collect(),
                responseBytes.collect(),
                throttleWait.collect(),
                duration.collect());
        java.util.Map<String, java.util.List<java.util.List<io.prometheus.metrics.model.snapshots.DataPointSnapshot>>>
                points = new java.util.HashMap<>();
        for (int f = 0; f < families.size(); f++) {
            for (var p : families.get(f).getDataPoints()) {
                String tenant = tenantLabel ? p.getLabels().get("tenant") : null;
                var lists = points.computeIfAbsent(tenant, k -> {
                    var l = new java.util.ArrayList<
                            java.util.List<io.prometheus.metrics.model.snapshots.DataPointSnapshot>>();
                    for (int i = 0; i < families.size(); i++) {
                        l.add(new java.util.ArrayList<>());
                    }
                    return l;
                });
                lists.get(f).add(p);
            }
        }
        points.computeIfAbsent(null, k -> java.util.Collections.nCopies(families.size(), java.util.List.of()));
        java.util.Map<String, io.prometheus.metrics.model.snapshots.MetricSnapshots> out = new java.util.HashMap<>();
        points.forEach((tenant, lists) -> {
            java.util.List<io.prometheus.metrics.model.snapshots.MetricSnapshot> own = new java.util.ArrayList<>();
            for (int f = 0; f < families.size(); f++) {
                var family = families.get(f);
                own.add(
                        family instanceof io.prometheus.metrics.model.snapshots.HistogramSnapshot
                                ? new io.prometheus.metrics.model.snapshots.HistogramSnapshot(
                                        family.getMetadata(), as(lists.get(f)))
                                : new io.prometheus.metrics.model.snapshots.CounterSnapshot(
                                        family.getMetadata(), as(lists.get(f))));
            }
            out.put(tenant, new io.prometheus.metrics.model.snapshots.MetricSnapshots(own));
        });
        return out;
    }

    /** Records a wait in the throttle budget (see {@link ThrottleBudget}) of the single (default) tenant. */
    public void recordThrottleWait(IntuneThrottleBucket bucket, double seconds) {
        throttleWaits("default").waited(bucket, seconds);
    }

    /** Records the throttle budget waits of one tenant's connection. */
    public ThrottleBudget.WaitListener throttleWaits(String tenant) {
        return (bucket, seconds) -> throttleWait
                .labelValues(tenantLabel ? new String[] {tenant, bucket.label()} : new String[] {bucket.label()})
                .inc(seconds);
    }

    /** Total seconds waited for the throttle budget, all buckets. */
    public double throttleWaitSeconds() {
        return throttleWait.collect().getDataPoints().stream()
                .mapToDouble(d -> d.getValue())
                .sum();
    }

    private static String[] names(boolean tenantLabel, String... names) {
        if (!tenantLabel) {
            return names;
        }
        String[] out = new String[names.length + 1];
        out[0] = "tenant";
        System.arraycopy(names, 0, out, 1, names.length);
        return out;
    }

    /** The interceptor for one tenant's connection. */
    public Interceptor forTenant(String tenant) {
        return chain -> intercept(chain, tenant);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return intercept(chain, "default");
    }

    private Response intercept(Chain chain, String tenant) throws IOException {
        String endpoint = EndpointTemplates.of(chain.request().url().encodedPath());
        String[] byEndpoint = tenantLabel ? new String[] {tenant, endpoint} : new String[] {endpoint};
        // The throttled series exists (at 0) from an endpoint's first request on, so rate() sees the first 429 and
        // dashboards show 0 rather than "No data".
        var throttledPoint = throttled.labelValues(byEndpoint);
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException | RuntimeException e) {
            requests.labelValues(withCode(byEndpoint, "error")).inc();
            duration.labelValues(byEndpoint).observe((System.nanoTime() - start) / 1e9);
            throw e;
        }
        duration.labelValues(byEndpoint).observe((System.nanoTime() - start) / 1e9);
        requests.labelValues(withCode(byEndpoint, Integer.toString(response.code())))
                .inc();
        if (response.code() == 429) {
            throttledPoint.inc();
        }
        if (response.body() != null) {
            // Looked up once: the body is read in many small pieces, and each lookup allocates a label list.
            var bytesPoint = responseBytes.labelValues(byEndpoint);
            return response.newBuilder()
                    .body(new CountingResponseBody(response.body(), bytesPoint::inc))
                    .build();
        }
        return response;
    }

    private static String[] withCode(String[] byEndpoint, String code) {
        String[] out = java.util.Arrays.copyOf(byEndpoint, byEndpoint.length + 1);
        out[byEndpoint.length] = code;
        return out;
    }

    /** Total throttled responses so far, all endpoints (for tests and the benchmark). */
    public double throttledCount() {
        return throttled.collect().getDataPoints().stream()
                .mapToDouble(d -> d.getValue())
                .sum();
    }

    /** Total requests so far, all endpoints and codes. */
    public double requestCount() {
        return requests.collect().getDataPoints().stream()
                .mapToDouble(d -> d.getValue())
                .sum();
    }

    /** Total response bytes so far. */
    public double responseBytes() {
        return responseBytes.collect().getDataPoints().stream()
                .mapToDouble(d -> d.getValue())
                .sum();
    }
}
