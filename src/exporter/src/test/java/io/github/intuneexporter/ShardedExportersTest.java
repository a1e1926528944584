package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Replicas with --shard=0/2 and --shard=1/2 over one 50-tenant configuration export every tenant exactly once. */
class ShardedExportersTest {
    private static final int TENANTS = 50;

    private static String fiftyTenants() {
        StringBuilder sb = new StringBuilder(
                "intune.auth { client-id = msp-app, client-secret = not-a-secret }\nintune.tenants = [\n");
        for (int i = 0; i < TENANTS; i++) {
            sb.append("  { name = customer-")
                    .append(i)
                    .append(", auth.tenant-id = \"")
                    .append(new UUID(0xC0FFEEL + i * 7919L, i))
                    .append("\" }\n");
        }
        return sb.append("]\n").toString();
    }

    private static Exporter replica(String shard) throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(fiftyTenants() + "intune.shard = \"" + shard + "\""),
                false);
        return Exporter.create(settings, false, Clock.systemUTC());
    }

    /** The tenant label values of intune_tenant_info in a scrape: what a replica exports. */
    private static List<String> exportedTenants(MetricSnapshots scrape) {
        List<String> out = new ArrayList<>();
        for (MetricSnapshot s : scrape) {
            if (s.getMetadata().getPrometheusName().equals("intune_tenant_info")) {
                for (DataPointSnapshot p : s.getDataPoints()) {
                    out.add(p.getLabels().get("tenant"));
                }
            }
        }
        return out;
    }

    @Test
    void twoShardsExportEveryTenantExactlyOnce() throws Exception {
        try (Exporter zero = replica("0/2");
                Exporter one = replica("1/2")) {
            List<String> first = exportedTenants(zero.registry().scrape());
            List<String> second = exportedTenants(one.registry().scrape());
            assertTrue(
                    !first.isEmpty() && !second.isEmpty(),
                    "both replicas have work: " + first.size() + " + " + second.size());
            TreeMap<String, Integer> times = new TreeMap<>();
            first.forEach(t -> times.merge(t, 1, Integer::sum));
            second.forEach(t -> times.merge(t, 1, Integer::sum));
            assertEquals(TENANTS, times.size(), "every tenant is exported");
            times.forEach((tenant, n) -> assertEquals(1, n, tenant + " is exported by exactly one replica"));
            assertEquals(first.size(), zero.tenants().size());
            // The tenant label is on every series even on a shard, so rules and dashboards work unchanged.
            MetricSnapshots m = zero.registry().scrape();
            assertEquals(first.size(), SimulatedGraph.value(m, "intune_shard_info", "shard", "0", "shards", "2"), 0.0);
            String tenant = first.get(0);
            assertEquals(
                    0, SimulatedGraph.value(m, "intune_collector_runs", "collector", "devices", "tenant", tenant), 0.0);
        }
    }

    @Test
    void oneReplicaReadsAllAndTheAssignmentIsTheSameOnEveryReplica() throws Exception {
        try (Exporter all = replica("");
                Exporter again = replica("1/2");
                Exporter twice = replica("1/2")) {
            assertEquals(TENANTS, all.tenants().size());
            assertEquals(
                    again.tenants().stream().map(TenantRuntime::name).toList(),
                    twice.tenants().stream().map(TenantRuntime::name).toList());
        }
    }

    @Test
    void aBadShardIsAOneLineConfigurationError() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> replica("2/2"));
        assertEquals("intune.shard: shard index 2 is not below the shard count 2 (indexes are 0..1)", e.getMessage());
    }

    /**
     * A reload applies a new intune.shard (tenants of the old shard stop, those of the new one start, as for an edited
     * tenant list), and the new Graph budget share and tenant spread; it used to keep the shard it started with.
     */
    @Test
    void aReloadAppliesTheNewShardAndScale() throws Exception {
        java.util.function.Function<String, ExporterSettings> demo = extra -> SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.demo { tenants = 6, devices = 10 }\n" + extra),
                true);
        try (Exporter e = Exporter.create(demo.apply("intune.shard = \"0/2\""), true, Clock.systemUTC())) {
            List<String> first = e.tenants().stream().map(TenantRuntime::name).toList();
            e.reloadFrom(() -> demo.apply("intune.shard = \"1/2\"\n"
                    + "intune.collection { graph-budget-share = 0.3, tenant-spread = 0.2 }"));
            assertEquals(null, e.reload("test"));
            List<String> second = e.tenants().stream().map(TenantRuntime::name).toList();
            assertTrue(first.stream().noneMatch(second::contains), first + " then " + second);
            assertEquals(6, first.size() + second.size(), first + " then " + second);
            assertEquals(
                    second.size(),
                    SimulatedGraph.value(e.registry().scrape(), "intune_shard_info", "shard", "1", "shards", "2"),
                    0.0);
            assertEquals(
                    new ExporterSettings.Scale(0, 0.3, new io.github.intuneexporter.config.Shard(1, 2), 0.2),
                    e.scale());
        }
    }
}
