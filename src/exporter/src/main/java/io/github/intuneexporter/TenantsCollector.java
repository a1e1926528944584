package io.github.intuneexporter;

import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.TenantLabels;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves every tenant's last good snapshots. With one tenant they pass through unchanged; with several, every series
 * gets a {@code tenant} label. {@code intune_tenant_info} names each tenant either way.
 */
final class TenantsCollector implements MultiCollector {
    private final java.util.function.Supplier<List<TenantRuntime>> current;
    /** Several tenants configured: a tenant label on every series, also when this shard reads only one of them. */
    private final boolean tenantLabel;

    /** {@code current} gives the tenants being served now; a reload replaces the list. */
    TenantsCollector(java.util.function.Supplier<List<TenantRuntime>> current, boolean tenantLabel) {
        this.current = current;
        this.tenantLabel = tenantLabel;
    }

    @Override
    public MetricSnapshots collect() {
        return collect(current.get());
    }

    /** One tenant's series, labelled as on /metrics, with its Graph request metrics (for /probe). */
    MetricSnapshots probe(TenantRuntime tenant, io.github.intuneexporter.graph.GraphRequestMetrics requests) {
        List<MetricSnapshot> out = new ArrayList<>();
        collect(List.of(tenant)).forEach(out::add);
        requests.ofTenant(tenant.name()).forEach(out::add);
        return new MetricSnapshots(out);
    }

    private MetricSnapshots collect(List<TenantRuntime> tenants) {
        List<MetricSnapshot> out = new ArrayList<>();
        if (!tenantLabel) {
            tenants.forEach(t -> t.scheduler().collect().forEach(out::add));
        } else {
            Map<String, MetricSnapshots> byTenant = new LinkedHashMap<>();
            for (TenantRuntime t : tenants) {
                byTenant.put(t.name(), t.scheduler().collect());
            }
            TenantLabels.merge(byTenant).forEach(out::add);
        }
        GaugeFamily info = GaugeFamily.of(
                "intune_tenant_info",
                "The Intune tenants this exporter reads; the value is always 1.",
                "tenant",
                "tenant_id",
                "tenant_name");
        for (TenantRuntime t : tenants) {
            info.set(
                    1,
                    t.name(),
                    t.tenantId(),
                    t.tenant().displayName().isEmpty() ? t.name() : t.tenant().displayName());
        }
        out.add(info.toSnapshot());
        return new MetricSnapshots(out);
    }
}
