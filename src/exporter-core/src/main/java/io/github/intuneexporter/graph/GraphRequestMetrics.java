package io.github.intuneexporter.graph;

import io.github.intuneexporter.contract.EndpointTemplates;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts every HTTP attempt to Graph, retries included (it runs as an OkHttp network interceptor, below the
 * SDK's RetryHandler). These are the exporter's own activity, so direct instrumentation is right here.
 *
 * <p>Each tenant has its own set of the five families (with a constant tenant label when several tenants are
 * configured): a /probe collects only its tenant's set, at a cost that does not grow with the number of tenants, and
 * /metrics merges every tenant's set into one family each.
 */
public final class GraphRequestMetrics implements Interceptor, MultiCollector {
    private static final String REQUESTS = "intune_graph_requests_total";
    private static final String THROTTLED = "intune_graph_throttled_requests_total";
    private static final String RESPONSE_BYTES = "intune_graph_response_bytes_total";
    private static final String DURATION = "intune_graph_request_duration_seconds";
    private static final String THROTTLE_WAIT = "intune_graph_throttle_wait_seconds_total";

    private final boolean tenantLabel;
    /** Each tenant's series by tenant name; the single tenant's under "" when there is no tenant label. */
    private final Map<String, TenantSeries> tenants = new ConcurrentHashMap<>();
    /** The five families with no series: what a probe of a tenant without requests yet shows. */
    private final TenantSeries none;

    public GraphRequestMetrics(PrometheusRegistry registry) {
        this(registry, false);
    }

    /** With {@code tenantLabel}, every series also carries the tenant of the connection (several tenants configured). */
    public GraphRequestMetrics(PrometheusRegistry registry, boolean tenantLabel) {
        this.tenantLabel = tenantLabel;
        this.none = new TenantSeries(Labels.EMPTY);
        registry.register(this);
    }

    /** One tenant's five families, built unregistered: {@link #collect()} merges them. */
    private static final class TenantSeries {
        final Counter requests;
        final Counter throttled;
        final Counter responseBytes;
        final Histogram duration;
        final Counter throttleWait;

        TenantSeries(Labels tenant) {
            requests = Counter.builder()
                    .name(REQUESTS)
                    .help(
                            "HTTP requests sent to Microsoft Graph, retries included, by endpoint template and status code "
                                    + "(code=\"error\" when no response arrived).")
                    .constLabels(tenant)
                    .labelNames("endpoint", "code")
                    .build();
            throttled = Counter.builder()
                    .name(THROTTLED)
                    .help("Graph responses with status 429 (throttled), by endpoint template.")
                    .constLabels(tenant)
                    .labelNames("endpoint")
                    .build();
            responseBytes = Counter.builder()
                    .name(RESPONSE_BYTES)
                    .help("Bytes of Graph response bodies read, by endpoint template.")
                    .constLabels(tenant)
                    .labelNames("endpoint")
                    .build();
            duration = Histogram.builder()
                    .name(DURATION)
                    .help(
                            "Duration of single HTTP attempts to Graph until the response headers arrived, by endpoint template.")
                    .constLabels(tenant)
                    .labelNames("endpoint")
                    .classicUpperBounds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                    .classicOnly()
                    .build();
            throttleWait = Counter.builder()
                    .name(THROTTLE_WAIT)
                    .help(
                            "Time requests waited for the exporter's own Graph throttle budget (intune.graph.throttle-budget), by Intune "
                                    + "throttling bucket.")
                    .constLabels(tenant)
                    .labelNames("bucket")
                    .build();
        }

        List<MetricSnapshot> collect() {
            return List.of(
                    requests.collect(),
                    throttled.collect(),
                    responseBytes.collect(),
                    duration.collect(),
                    throttleWait.collect());
        }
    }

    private TenantSeries series(String tenant) {
        return tenants.computeIfAbsent(
                tenantLabel ? tenant : "", t -> new TenantSeries(tenantLabel ? Labels.of("tenant", t) : Labels.EMPTY));
    }

    /** Drops a tenant's series (a reload removed the tenant, whose requests have ended): its series go from /metrics. */
    public void forget(String tenant) {
        if (tenantLabel) {
            tenants.remove(tenant);
        }
    }

    /** Whether every series carries a tenant label (several tenants configured). */
    public boolean tenantLabel() {
        return tenantLabel;
    }

    /** The series of one tenant (all of them when there is no tenant label), for a per-tenant scrape. */
    public MetricSnapshots ofTenant(String tenant) {
        TenantSeries own = tenants.get(tenantLabel ? tenant : "");
        return new MetricSnapshots((own != null ? own : none).collect());
    }

    /** Every tenant's series, one family each (for /metrics). */
    @Override
    public MetricSnapshots collect() {
        // Each tenant's families collected once, then merged family by family.
        List<List<MetricSnapshot>> all =
                tenants.values().stream().map(TenantSeries::collect).toList();
        if (all.size() == 1) {
            return new MetricSnapshots(all.get(0));
        }
        List<MetricSnapshot> merged = new ArrayList<>(none.collect());
        for (int f = 0; f < merged.size(); f++) {
            MetricSnapshot empty = merged.get(f);
            List<DataPointSnapshot> points = new ArrayList<>();
            for (List<MetricSnapshot> tenant : all) {
                points.addAll(tenant.get(f).getDataPoints());
            }
            merged.set(
                    f,
                    empty instanceof HistogramSnapshot
                            ? new HistogramSnapshot(empty.getMetadata(), as(points))
                            : new CounterSnapshot(empty.getMetadata(), as(points)));
        }
        return new MetricSnapshots(merged);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(
                "intune_graph_requests",
                "intune_graph_throttled_requests",
                "intune_graph_response_bytes",
                DURATION,
                "intune_graph_throttle_wait_seconds");
    }

    /** The points of one family, all of its own point type. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> as(List<?> points) {
        return (List<T>) points;
    }

    /** Records a wait in the throttle budget (see {@link ThrottleBudget}) of the single (default) tenant. */
    public void recordThrottleWait(IntuneThrottleBucket bucket, double seconds) {
        throttleWaits("default").waited(bucket, seconds);
    }

    /** Records the throttle budget waits of one tenant's connection. */
    public ThrottleBudget.WaitListener throttleWaits(String tenant) {
        Counter waits = series(tenant).throttleWait;
        return (bucket, seconds) -> waits.labelValues(bucket.label()).inc(seconds);
    }

    /** Total seconds waited for the throttle budget, all buckets. */
    public double throttleWaitSeconds() {
        return total(t -> t.throttleWait);
    }

    /** The sum of one counter over every tenant and label. */
    private double total(Function<TenantSeries, Counter> counter) {
        double sum = 0;
        for (TenantSeries t : tenants.values()) {
            for (var p : counter.apply(t).collect().getDataPoints()) {
                sum += p.getValue();
            }
        }
        return sum;
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
        TenantSeries series = series(tenant);
        String endpoint = EndpointTemplates.of(chain.request().url().encodedPath());
        // The throttled series exists (at 0) from an endpoint's first request on, so rate() sees the first 429 and
        // dashboards show 0 rather than "No data".
        var throttledPoint = series.throttled.labelValues(endpoint);
        long start = System.nanoTime();
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException | RuntimeException e) {
            series.requests.labelValues(endpoint, "error").inc();
            series.duration.labelValues(endpoint).observe((System.nanoTime() - start) / 1e9);
            throw e;
        }
        series.duration.labelValues(endpoint).observe((System.nanoTime() - start) / 1e9);
        series.requests.labelValues(endpoint, Integer.toString(response.code())).inc();
        if (response.code() == 429) {
            throttledPoint.inc();
        }
        if (response.body() != null) {
            // Looked up once: the body is read in many small pieces, and each lookup allocates a label list.
            var bytesPoint = series.responseBytes.labelValues(endpoint);
            return response.newBuilder()
                    .body(new CountingResponseBody(response.body(), bytesPoint::inc))
                    .build();
        }
        return response;
    }

    /** Total throttled responses so far, all endpoints (for tests and the benchmark). */
    public double throttledCount() {
        return total(t -> t.throttled);
    }

    /** Total requests so far, all endpoints and codes. */
    public double requestCount() {
        return total(t -> t.requests);
    }

    /** Total response bytes so far. */
    public double responseBytes() {
        return total(t -> t.responseBytes);
    }
}
