package io.github.intuneexporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One tenant's Graph request series for /probe: only its own, every family present, read from the tenant's own counters. */
class GraphRequestMetricsProbeTest {

    private static List<String> tenantsIn(MetricSnapshots snapshots) {
        return snapshots.stream()
                .flatMap(s -> s.getDataPoints().stream())
                .map(p -> p.getLabels().get("tenant"))
                .distinct()
                .toList();
    }

    @Test
    void metricsMergesEveryTenantIntoOneFamilyEach() {
        PrometheusRegistry registry = new PrometheusRegistry();
        GraphRequestMetrics metrics = new GraphRequestMetrics(registry, true);
        IntuneThrottleBucket bucket = IntuneThrottleBucket.values()[0];
        metrics.throttleWaits("fabrikam").waited(bucket, 2);
        metrics.throttleWaits("contoso").waited(bucket, 1.5);
        MetricSnapshots all = registry.scrape();
        assertEquals(5, all.size(), "one family each, not one per tenant");
        MetricSnapshot waits = all.stream()
                .filter(s -> s.getMetadata().getName().equals("intune_graph_throttle_wait_seconds"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of("contoso", "fabrikam"), tenantsIn(new MetricSnapshots(waits)), "sorted by labels");
        assertEquals(3.5, metrics.throttleWaitSeconds(), 1e-9);
    }

    @Test
    void aTenantGetsItsOwnSeriesAndEveryFamily() throws Exception {
        GraphRequestMetrics metrics = new GraphRequestMetrics(new PrometheusRegistry(), true);
        IntuneThrottleBucket bucket = IntuneThrottleBucket.values()[0];
        metrics.throttleWaits("contoso").waited(bucket, 1.5);
        metrics.throttleWaits("fabrikam").waited(bucket, 2);

        MetricSnapshots contoso = metrics.ofTenant("contoso");
        assertEquals(List.of("contoso"), tenantsIn(contoso));
        assertEquals(5, contoso.size(), "the five request families, empty ones included");
        assertEquals(List.of("fabrikam"), tenantsIn(metrics.ofTenant("fabrikam")));
        MetricSnapshots unknown = metrics.ofTenant("northwind");
        assertEquals(5, unknown.size());
        assertTrue(unknown.stream().allMatch(s -> s.getDataPoints().isEmpty()));

        // A probe reads the tenant's own counters: a new wait shows at once.
        metrics.throttleWaits("contoso").waited(bucket, 1);
        double seconds = 0;
        for (MetricSnapshot s : metrics.ofTenant("contoso")) {
            if (s.getMetadata().getName().startsWith("intune_graph_throttle_wait")) {
                seconds = ((io.prometheus.metrics.model.snapshots.CounterSnapshot) s)
                        .getDataPoints()
                        .get(0)
                        .getValue();
            }
        }
        assertEquals(2.5, seconds, 1e-9);
    }
}
