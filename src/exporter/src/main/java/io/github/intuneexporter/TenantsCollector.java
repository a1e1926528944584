package io.github.intuneexporter;

import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.http.TextExposition;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.TenantLabels;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Serves every tenant's last good snapshots. With one tenant they pass through unchanged; with several, every series
 * gets a {@code tenant} label. {@code intune_tenant_info} names each tenant either way.
 */
final class TenantsCollector implements MultiCollector {
    private static final String INFO = "intune_tenant_info";
    private final Supplier<List<TenantRuntime>> current;
    /** Several tenants configured: a tenant label on every series, also when this shard reads only one of them. */
    private final boolean tenantLabel;

    /** {@code current} gives the tenants being served now; a reload replaces the list. */
    TenantsCollector(Supplier<List<TenantRuntime>> current, boolean tenantLabel) {
        this.current = current;
        this.tenantLabel = tenantLabel;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(current.get(), name -> true);
    }

    /** Builds only the families {@code included} names: a text scrape has the collectors' data rendered already. */
    @Override
    public MetricSnapshots collect(Predicate<String> included, PrometheusScrapeRequest request) {
        return collect(current.get(), included);
    }

    /** The collectors' data of every tenant, for the cache of rendered text. */
    List<TextExposition.TenantData> data() {
        return current.get().stream().map(TenantsCollector::data).toList();
    }

    static TextExposition.TenantData data(TenantRuntime tenant) {
        return new TextExposition.TenantData(tenant.name(), tenant.scheduler().data());
    }

    /**
     * One tenant's series named by {@code included}, labelled as on /metrics, with its Graph request metrics (for
     * /probe).
     */
    MetricSnapshots probe(TenantRuntime tenant, GraphRequestMetrics requests, Predicate<String> included) {
        List<MetricSnapshot> out = new ArrayList<>();
        collect(List.of(tenant), included).forEach(out::add);
        for (MetricSnapshot s : requests.ofTenant(tenant.name())) {
            if (included.test(s.getMetadata().getPrometheusName())) {
                out.add(s);
            }
        }
        return new MetricSnapshots(out);
    }

    private MetricSnapshots collect(List<TenantRuntime> tenants, Predicate<String> included) {
        List<MetricSnapshot> out = new ArrayList<>();
        if (!tenantLabel) {
            tenants.forEach(t -> t.scheduler().collect(included).forEach(out::add));
        } else {
            Map<String, MetricSnapshots> byTenant = new LinkedHashMap<>();
            for (TenantRuntime t : tenants) {
                byTenant.put(t.name(), t.scheduler().collect(included));
            }
            TenantLabels.merge(byTenant).forEach(out::add);
        }
        if (included.test(INFO)) {
            GaugeFamily info = GaugeFamily.of(
                    INFO,
                    "The Intune tenants this exporter reads; the value is always 1.",
                    "tenant",
                    "tenant_id",
                    "tenant_name");
            for (TenantRuntime t : tenants) {
                info.set(
                        1,
                        t.name(),
                        t.tenantId(),
                        t.tenant().displayName().isEmpty()
                                ? t.name()
                                : t.tenant().displayName());
            }
            out.add(info.toSnapshot());
        }
        return new MetricSnapshots(out);
    }
}
