package io.github.intuneexporter;

import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.standin.GraphStandIn;
import java.time.Duration;
import java.util.List;

/**
 * Everything that reads one tenant: its Graph connection and its scheduler, and in demo mode its own simulator. The
 * schedulers of all tenants share the process's collection pool, which queues per tenant and caps each tenant's
 * workers, so one tenant's failures or slowness never reach another's data.
 */
public record TenantRuntime(
        ExporterSettings.Tenant tenant,
        String tenantId,
        GraphConnection graph,
        List<IntuneCollector> collectors,
        CollectionScheduler scheduler,
        GraphStandIn.Running simulator) {

    public String name() {
        return tenant.name();
    }

    void stop(Duration grace) {
        graph.close(); // cancels in-flight Graph calls first, so running collections end at once
        scheduler.shutdown(grace);
        closeSimulator();
    }

    void closeSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
