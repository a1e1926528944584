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

    /** The series of one tenant (all of them when there is no tenant label), for a per-tenant scrape. */
    public io.prometheus.metrics.model.snapshots.MetricSnapshots ofTenant(String tenant) {
        io.prometheus.metrics.model.snapshots.CounterSnapshot[] counters = {
            requests.collect(), throttled.collect(), responseBytes.collect(), throttleWait.collect()
        };
        java.util.List<io.prometheus.metrics.model.snapshots.MetricSnapshot> out = new java.util.ArrayList<>();
        for (var c : counters) {
            out.add(new io.prometheus.metrics.model.snapshots.CounterSnapshot(
                    c.getMetadata(), ofTenant(c.getDataPoints(), tenant)));
        }
        var h = duration.collect();
        out.add(new io.prometheus.metrics.model.snapshots.HistogramSnapshot(
                h.getMetadata(), ofTenant(h.getDataPoints(), tenant)));
        return new io.prometheus.metrics.model.snapshots.MetricSnapshots(out);
    }

    private <T extends io.prometheus.metrics.model.snapshots.DataPointSnapshot> java.util.List<T> ofTenant(
            java.util.List<T> points, String tenant) {
        return tenantLabel
                ? points.stream()
                        .filter(p -> tenant.equals(p.getLabels().get("tenant")))
                        .toList()
                : points;
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
            return response.newBuilder()
                    .body(new CountingResponseBody(
                            response.body(),
                            n -> responseBytes.labelValues(byEndpoint).inc(n)))
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
