package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.TenantRuntime;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /probe?tenant=: one tenant's cached snapshot, the multi-target exporter pattern. */
class ProbeTest {
    private static Exporter exporter;

    @BeforeAll
    static void start() throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(
                        "intune.demo { devices = 300, latency = 0s, tenants = 3 }, intune.collectors.protection.per-device-budget = 0, "
                                + "intune.web.listen-address = \"127.0.0.1:0\""),
                true);
        exporter = Exporter.create(settings, true, SimulatedGraph.fixedClock());
        for (TenantRuntime t : exporter.tenants()) {
            for (String c : t.scheduler().enabled()) {
                t.scheduler().runNow(c);
            }
        }
        exporter.start(settings.web());
    }

    @AfterAll
    static void stop() {
        exporter.close();
    }

    private record Answer(int status, String type, String body, String encoding) {}

    private static Answer get(String pathAndQuery, String method, boolean gzip) throws Exception {
        HttpURLConnection c =
                (HttpURLConnection) new URL("http://127.0.0.1:" + exporter.port() + pathAndQuery).openConnection();
        c.setRequestMethod(method);
        if (gzip) {
            c.setRequestProperty("Accept-Encoding", "gzip");
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (in != null) {
            try (InputStream body = "gzip".equals(c.getContentEncoding()) ? new GZIPInputStream(in) : in) {
                body.transferTo(out);
            }
        }
        return new Answer(status, c.getContentType(), out.toString(StandardCharsets.UTF_8), c.getContentEncoding());
    }

    @Test
    void servesOneTenantByNameOrTenantIdWithItsTenantLabel() throws Exception {
        TenantRuntime fabrikam = exporter.tenants().get(1);
        for (String key : new String[] {
            "fabrikam", "FABRIKAM", fabrikam.tenantId(), fabrikam.tenantId().toUpperCase(java.util.Locale.ROOT)
        }) {
            Answer a = get("/probe?tenant=" + key, "GET", false);
            assertEquals(200, a.status(), key);
            assertTrue(a.body().contains("intune_managed_devices{"), key);
            assertTrue(a.body().contains("tenant=\"fabrikam\""));
            assertFalse(a.body().contains("tenant=\"contoso\""), "only the probed tenant");
            assertFalse(a.body().contains("tenant=\"northwind\""));
            assertTrue(a.body().contains("intune_tenant_info{tenant=\"fabrikam\""));
            assertTrue(
                    a.body()
                            .contains(
                                    "intune_graph_requests_total{code=\"200\",endpoint=\"/deviceManagement/managedDevices\",tenant=\"fabrikam\"}"),
                    "the tenant's own Graph request counters");
            assertTrue(a.body().contains("intune_collector_success{collector=\"devices\",tenant=\"fabrikam\"} 1"));
        }
    }

    @Test
    void gzipWhenAskedAndTheSameSeriesAsMetricsForThatTenant() throws Exception {
        Answer zipped = get("/probe?tenant=northwind", "GET", true);
        assertEquals(200, zipped.status());
        assertEquals("gzip", zipped.encoding());
        Answer all = get("/metrics", "GET", true);
        assertEquals("gzip", all.encoding());
        for (String line : zipped.body()
                .lines()
                .filter(l -> l.startsWith("intune_managed_devices{"))
                .toList()) {
            assertTrue(all.body().contains(line + "\n"), "same series and value on /metrics: " + line);
        }
    }

    /**
     * The text format comes from bytes cached per collector run; {@code ?debug=text} goes through client_java's own
     * writer. The collectors' data is the same in both: the same families with the same lines (for /probe in the same
     * order too). The exporter's own metrics change between two scrapes and are left out of the comparison.
     */
    @Test
    void cachedTextHasTheSameDataAsClientJavasWriter() throws Exception {
        for (String path : new String[] {"/probe?tenant=fabrikam", "/metrics"}) {
            Answers answers = cachedAndReference(path);
            java.util.Map<String, java.util.List<String>> cached = answers.cached();
            java.util.Map<String, java.util.List<String>> reference = answers.reference();
            assertTrue(
                    cached.containsKey("intune_managed_devices"),
                    cached.keySet().toString());
            assertEquals(
                    reference.keySet().stream().toList(),
                    cached.keySet().stream().toList(),
                    path);
            reference.forEach((family, lines) -> {
                if (path.startsWith("/probe")) {
                    assertEquals(lines, cached.get(family), path + " " + family);
                } else {
                    assertEquals(
                            lines.stream().sorted().toList(),
                            cached.get(family).stream().sorted().toList(),
                            path + " " + family);
                }
            });
        }
    }

    private record Answers(
            java.util.Map<String, java.util.List<String>> cached,
            java.util.Map<String, java.util.List<String>> reference) {}

    /**
     * The cached answer of {@code path} and client_java's. Collectors keep running in the background: only a cached
     * answer read between two equal reference answers is returned, so that a run finishing between the reads is not
     * taken for a difference.
     */
    private static Answers cachedAndReference(String path) throws Exception {
        String reference = path + (path.contains("?") ? "&" : "?") + "debug=text";
        Answers answers = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            java.util.Map<String, java.util.List<String>> before =
                    dataFamilies(get(reference, "GET", false).body());
            answers = new Answers(
                    dataFamilies(get(path, "GET", true).body()),
                    dataFamilies(get(reference, "GET", false).body()));
            if (before.equals(answers.reference())) {
                break;
            }
        }
        return answers;
    }

    /** The collectors' data families (not the exporter's own, which change at every scrape), in the order written. */
    private static java.util.Map<String, java.util.List<String>> dataFamilies(String text) {
        java.util.Map<String, java.util.List<String>> out = new java.util.LinkedHashMap<>();
        String family = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
                boolean own = !family.startsWith("intune_")
                        || family.startsWith("intune_collector_")
                        || family.startsWith("intune_graph_")
                        || family.startsWith("intune_collection_pool_")
                        || family.startsWith("intune_reload_")
                        || family.startsWith("intune_config_");
                assertTrue(!out.containsKey(family), "family written twice: " + family);
                if (own) {
                    family = null;
                    continue;
                }
                out.put(family, new java.util.ArrayList<>());
            }
            if (family != null) {
                out.get(family).add(line);
            }
        }
        return out;
    }

    @Test
    void unknownOrMissingTenantGetsAOneLineAnswer() throws Exception {
        Answer unknown = get("/probe?tenant=%0Aevil%20tenant", "GET", false);
        assertEquals(404, unknown.status());
        assertEquals(
                "Not Found: this exporter reads no tenant '?evil tenant' (names and ids are on the status page /)\n",
                unknown.body());
        Answer missing = get("/probe", "GET", false);
        assertEquals(400, missing.status());
        assertEquals(1, missing.body().lines().count());
        assertEquals(400, get("/probe?tenant=", "GET", false).status());
        assertEquals(404, get("/probe/", "GET", false).status(), "exact path only");
        assertEquals(405, get("/probe?tenant=contoso", "POST", false).status());
        Answer head = get("/probe?tenant=contoso", "HEAD", false);
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    @Test
    void theStatusPageLinksEachTenantsProbe() throws Exception {
        Answer page = get("/", "GET", false);
        assertTrue(page.body().contains("href=\"/probe?tenant=contoso\""), page.body());
    }
}
