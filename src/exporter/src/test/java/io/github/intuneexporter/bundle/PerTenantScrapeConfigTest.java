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
}
