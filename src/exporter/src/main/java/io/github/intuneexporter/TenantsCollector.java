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

    /** {@code current} gives the tenants being served now; a reload replaces the list. */
    TenantsCollector(java.util.function.Supplier<List<TenantRuntime>> current) {
        this.current = current;
    }

    @Override
    public MetricSnapshots collect() {
        List<TenantRuntime> tenants = current.get();
        List<MetricSnapshot> out = new ArrayList<>();
        if (tenants.size() == 1) {
            tenants.get(0).scheduler().collect().forEach(out::add);
        } else {
            Map<String, MetricSnapshots> byTenant = new LinkedHashMap<>();
            for (TenantRuntime t : tenants) {
                byTenant.put(t.name(), t.scheduler().collect());
            }
            TenantLabels.merge(byTenant).forEach(out::add);
        }
        GaugeFamily info = GaugeFamily.of("intune_tenant_info",
                "The Intune tenants this exporter reads; the value is always 1.", "tenant", "tenant_id", "tenant_name");
        for (TenantRuntime t : tenants) {
            info.set(1, t.name(), t.tenantId(), t.tenant().displayName().isEmpty() ? t.name() : t.tenant().displayName());
        }
        out.add(info.toSnapshot());
        return new MetricSnapshots(out);
    }
}
