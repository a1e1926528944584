package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-tenant scrape examples (deploy/prometheus/msp) are valid Prometheus configuration and scrape /probe. */
class PerTenantScrapeConfigTest {
    private static final Path DIR = Bundle.ROOT.resolve("deploy/prometheus/msp");

    @Test
    void promtoolAcceptsTheConfiguration() {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        Tools.Result r =
                Tools.run(DIR, 60, List.of(promtool.toString(), "check", "config", "prometheus-per-tenant.yml"));
        assertTrue(r.ok(), r.output());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTenantJobProbesOneTenantPerTargetAndTheFileListsTenantsWithTheirExporter() throws Exception {
        Map<String, Object> config = Bundle.yamlMap(DIR.resolve("prometheus-per-tenant.yml"));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        long probing = jobs.stream()
                .filter(j -> "/probe".equals(j.get("metrics_path")))
                .peek(j -> {
                    String relabel = String.valueOf(j.get("relabel_configs"));
                    assertTrue(
                            relabel.contains("target_label=__param_tenant")
                                    && relabel.contains("target_label=instance"),
                            relabel);
                })
                .count();
        assertEquals(2, probing, "file_sd and http_sd");
        JsonNode file = new ObjectMapper().readTree(DIR.resolve("tenants.json").toFile());
        for (JsonNode group : file) {
            assertTrue(group.path("targets").size() > 0);
            assertTrue(group.path("labels").path("exporter").asText().endsWith(":9786"));
        }
    }

    /**
     * The example is the scrape side of the msp-sharded overlay: each target of tenants.json is a tenant of the overlay's
     * tenants.conf (by name or tenant id), sent to the replica whose shard reads it (every other replica answers 404, so
     * its up would be 0), every tenant once; and the process-metrics job scrapes every replica.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theTenantsFileSendsEachTenantOfTheShardedOverlayToTheReplicaThatReadsIt() throws Exception {
        Path overlay = Bundle.ROOT.resolve("deploy/kubernetes/overlays/msp-sharded");
        Map<String, Object> sts = Bundle.yamlMap(overlay.resolve("statefulset.yaml"));
        Map<String, Object> spec = (Map<String, Object>) sts.get("spec");
        int replicas = ((Number) spec.get("replicas")).intValue();
        Map<String, Object> container = ((List<Map<String, Object>>)
                        ((Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec"))
                                .get("containers"))
                .get(0);
        Object port =
                ((List<Map<String, Object>>) container.get("ports")).get(0).get("containerPort");
        String pod = ((Map<String, Object>) sts.get("metadata")).get("name") + "-";
        String domain = "." + spec.get("serviceName") + ":" + port;
        Map<String, String> tenantIds = new java.util.LinkedHashMap<>();
        for (com.typesafe.config.Config t : com.typesafe.config.ConfigFactory.parseFile(
                        overlay.resolve("tenants.conf").toFile())
                .getConfigList("intune.tenants")) {
            tenantIds.put(t.getString("name"), t.getString("auth.tenant-id"));
        }
        List<String> routed = new java.util.ArrayList<>();
        for (JsonNode group :
                new ObjectMapper().readTree(DIR.resolve("tenants.json").toFile())) {
            String exporter = group.path("labels").path("exporter").asText();
            for (JsonNode target : group.path("targets")) {
                String name = tenantIds.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(target.asText())
                                || e.getValue().equalsIgnoreCase(target.asText()))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(
                                target + " is no tenant of the msp-sharded overlay's tenants.conf: its /probe is 404"));
                routed.add(name);
                String reader = pod + io.github.intuneexporter.config.Shard.of(tenantIds.get(name), replicas) + domain;
                assertEquals(reader, exporter, target + " is read by " + reader);
            }
        }
        assertEquals(List.copyOf(tenantIds.keySet()), routed.stream().sorted().toList(), "every tenant once");
        Map<String, Object> config = Bundle.yamlMap(DIR.resolve("prometheus-per-tenant.yml"));
        Map<String, Object> process = ((List<Map<String, Object>>) config.get("scrape_configs"))
                .stream()
                        .filter(j -> "/metrics".equals(j.get("metrics_path")))
                        .findFirst()
                        .orElseThrow();
        List<String> targets = (List<String>) ((List<Map<String, Object>>) process.get("static_configs"))
                .get(0)
                .get("targets");
        List<String> all = java.util.stream.IntStream.range(0, replicas)
                .mapToObj(i -> pod + i + domain)
                .toList();
        assertEquals(all, targets, "the process metrics of every replica");
    }
}
