package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Clock;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md: "removed tenants stop and their series go". The Graph request counters of a removed tenant
 * stayed on /metrics until the process restarted (found by probing the packaged jar: 614 lines of a removed demo
 * tenant).
 */
class RemovedTenantSeriesTest {
    private static ExporterSettings demo(int tenants) {
        return SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.demo { tenants = " + tenants + ", devices = 10, latency = 0s }, "
                        + "intune.collection.startup-stagger = 0s"),
                true);
    }

    /** The tenant label values on series whose name starts with {@code prefix}. */
    private static TreeSet<String> tenantsOf(Exporter e, String prefix) {
        TreeSet<String> out = new TreeSet<>();
        for (MetricSnapshot s : e.registry().scrape()) {
            if (s.getMetadata().getPrometheusName().startsWith(prefix)) {
                for (DataPointSnapshot p : s.getDataPoints()) {
                    out.add(p.getLabels().get("tenant"));
                }
            }
        }
        return out;
    }

    @Test
    void aRemovedTenantsGraphRequestSeriesGo() throws Exception {
        try (Exporter e = Exporter.create(demo(3), true, Clock.systemUTC())) {
            for (TenantRuntime t : e.tenants()) {
                t.scheduler().runNow("devices");
            }
            TreeSet<String> before = tenantsOf(e, "intune_graph_");
            assertEquals(3, before.size(), "every tenant sent Graph requests: " + before);
            String removed = e.tenants().get(2).name();

            e.reloadFrom(() -> demo(2));
            assertEquals(null, e.reload("test"));
            TreeSet<String> after = tenantsOf(e, "intune_graph_");
            assertTrue(!after.contains(removed) && after.size() == 2, removed + " removed: " + after);
            assertEquals(after, tenantsOf(e, "intune_tenant_info"));
        }
    }
}
