package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Structural lint of the Grafana dashboards (the rules of grafana/dashboard-linter that matter for provisioning),
 * plus a promtool syntax check of every panel query.
 */
class DashboardsTest {
    private static final String DS_UID = "${datasource}";
    private static final Set<String> RATE_FUNCTIONS = Set.of("rate", "irate", "increase");
    private static final String RUNBOOK_VARIABLE = "${runbook_base}";

    @Test
    void dashboardsAreProvisioningReady() {
        List<String> problems = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        List<Path> files = Bundle.dashboardFiles();
        assertEquals(7, files.size(), "the six Intune dashboards and the management report");
        for (Path f : files) {
            JsonNode d = Bundle.dashboard(f);
            String name = f.getFileName().toString();
            String uid = d.path("uid").asText("");
            if (!uid.matches("[a-z0-9-]{8,40}") || !uids.add(uid)) {
                problems.add(name + ": uid must be fixed, unique, 8-40 characters of a-z0-9-: '" + uid + "'");
            }
            if (!(name.equals(uid + ".json"))) {
                problems.add(name + ": file name must be <uid>.json");
            }
            if (!d.has("id") || !d.get("id").isNull()) {
                problems.add(name + ": \"id\" must be null");
            }
            if (!d.path("title").asText().startsWith("Intune / ")
                    || !titles.add(d.path("title").asText())) {
                problems.add(name + ": title must be unique and start with 'Intune / '");
            }
            if (!d.path("tags").toString().contains("intune-exporter-mixin")) {
                problems.add(name + ": tag intune-exporter-mixin links the dashboards to each other");
            }
            if (d.path("editable").asBoolean(true)) {
                problems.add(name + ": provisioned dashboards are not editable in the UI");
            }
            if (d.toString().contains("${DS_") || d.has("__inputs")) {
                problems.add(name + ": no __inputs / ${DS_...} placeholders: provisioning does not resolve them");
            }
            checkVariables(name, d, problems);
            checkPanels(name, d, problems);
        }
        assertEquals(List.of(), problems);
    }

    private static void checkVariables(String name, JsonNode d, List<String> problems) {
        JsonNode ds = null;
        JsonNode job = null;
        JsonNode instance = null;
        JsonNode tenant = null;
        for (JsonNode v : d.path("templating").path("list")) {
            switch (v.path("name").asText()) {
                case "datasource" -> ds = v;
                case "job" -> job = v;
                case "instance" -> instance = v;
                case "tenant" -> tenant = v;
                default -> {}
            }
        }
        // "All" is .*: a single-tenant exporter's series carry no tenant label and must still match.
        if (tenant == null
                || !tenant.path("multi").asBoolean()
                || !tenant.path("includeAll").asBoolean()
                || !".*".equals(tenant.path("allValue").asText())
                || !tenant.path("definition").asText().startsWith("label_values(intune_tenant_info")
                || tenant.path("refresh").asInt() != 2) {
            problems.add(
                    name
                            + ": needs a 'tenant' variable: label_values(intune_tenant_info..., tenant), multi, include All (.*), refresh on time change");
        }
        if (ds == null
                || !ds.path("type").asText().equals("datasource")
                || !ds.path("query").asText().equals("prometheus")
                || !ds.path("label").asText().equals("Data Source")) {
            problems.add(
                    name + ": needs a 'datasource' variable of type datasource, query prometheus, label 'Data Source'");
        }
        for (JsonNode v : new JsonNode[] {job, instance}) {
            if (v == null
                    || !v.path("multi").asBoolean()
                    || !v.path("includeAll").asBoolean()
                    || !".+".equals(v.path("allValue").asText())
                    || !DS_UID.equals(v.path("datasource").path("uid").asText())
                    || v.path("refresh").asInt() != 2) {
                problems.add(
                        name
                                + ": needs 'job' and 'instance' query variables on ${datasource}, multi, include All (.+), refresh on time change");
            }
        }
    }

    private static void checkPanels(String name, JsonNode d, List<String> problems) {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : Bundle.panels(d)) {
            String where = name + " / " + p.path("title").asText("(untitled)");
            if (!ids.add(p.path("id").asInt())) {
                problems.add(where + ": duplicate panel id " + p.path("id").asInt());
            }
            JsonNode grid = p.path("gridPos");
            if (grid.path("x").asInt() + grid.path("w").asInt() > 24
                    || grid.path("w").asInt() <= 0
                    || grid.path("h").asInt() <= 0) {
                problems.add(where + ": gridPos outside the 24-column grid");
            }
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            if (p.path("title").asText("").isBlank()) {
                problems.add(where + ": panel without title");
            }
            if (p.path("description").asText("").isBlank()) {
                problems.add(where + ": panel without description");
            }
            if (p.path("fieldConfig").path("defaults").path("unit").asText("").isBlank()) {
                problems.add(where + ": panel without unit");
            }
            if (!DS_UID.equals(p.path("datasource").path("uid").asText())) {
                problems.add(where + ": panel datasource must be ${datasource}");
            }
            if (p.path("targets").isEmpty()) {
                problems.add(where + ": panel without query");
            }
            for (JsonNode t : p.path("targets")) {
                if (!DS_UID.equals(t.path("datasource").path("uid").asText())) {
                    problems.add(where + ": query datasource must be ${datasource}");
                }
                checkExpression(where, t.path("expr").asText(), problems);
            }
            for (JsonNode link : p.path("links")) {
                checkRunbookLink(where, link.path("url").asText(), problems);
            }
        }
    }

    /** Runbook links use the ${runbook_base} variable (read from the one recording rule) and name an existing page. */
    private static void checkRunbookLink(String where, String url, List<String> problems) {
        if (url.contains("github.com")) {
            problems.add(where + ": link to github.com: " + url + " (runbook links use ${runbook_base})");
        } else if (url.startsWith(RUNBOOK_VARIABLE)
                && !Files.isRegularFile(Bundle.RUNBOOKS.resolve(url.substring(RUNBOOK_VARIABLE.length())))) {
            problems.add(where + ": runbook link to missing page " + url);
        } else if (url.contains("runbook") && !url.startsWith(RUNBOOK_VARIABLE)) {
            problems.add(where + ": runbook link without ${runbook_base}: " + url);
        }
    }

    @Test
    void dashboardLinksResolve() {
        List<String> problems = new ArrayList<>();
        for (Path f : Bundle.dashboardFiles()) {
            JsonNode d = Bundle.dashboard(f);
            for (JsonNode link : d.path("links")) {
                checkRunbookLink(
                        f.getFileName() + " (dashboard link)", link.path("url").asText(), problems);
            }
            boolean variable = false;
            for (JsonNode v : d.path("templating").path("list")) {
                variable |= v.path("name").asText().equals("runbook_base")
                        && v.path("definition").asText().equals("label_values(intune:runbook_base_url:info, url)");
            }
            if (!variable) {
                problems.add(f.getFileName()
                        + ": needs the hidden runbook_base variable label_values(intune:runbook_base_url:info, url)");
            }
            if (d.toString().contains("github.com")) {
                problems.add(f.getFileName() + ": hard-codes a github.com address");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void checkExpression(String where, String expr, List<String> problems) {
        if (expr.isBlank()) {
            problems.add(where + ": empty query");
            return;
        }
        for (PromQl.Selector s : PromQl.selectors(expr)) {
            if (s.metric() == null) {
                continue; // a bare {..} would be a label-only selector; none is used
            }
            if (s.metric().equals("intune:alert_threshold:value")) {
                continue; // a tenant-independent constant of the thresholds file
            }
            if (!s.matchers().contains("job=~\"$job\"") || !s.matchers().contains("instance=~\"$instance\"")) {
                problems.add(where + ": " + s.metric() + " needs job=~\"$job\" and instance=~\"$instance\" matchers");
            }
            // Series of the exporter process itself carry no tenant label: a tenant matcher would blank them when one
            // tenant is picked.
            boolean exporterWide = s.metric().equals("up")
                    || s.metric().startsWith("jvm_")
                    || s.metric().startsWith("process_")
                    || s.metric().equals("intune_exporter_build_info")
                    || s.metric().startsWith("intune_exporter_config_last_reload_")
                    || s.metric().startsWith("intune_collection_pool_")
                    || s.metric().equals("intune_shard_info")
                    || s.metric().equals("intune_tenant_info") && where.contains("variable");
            if (!exporterWide && !s.matchers().contains("tenant=~\"$tenant\"")) {
                problems.add(where + ": " + s.metric() + " needs a tenant=~\"$tenant\" matcher");
            }
        }
        for (PromQl.Range r : PromQl.ranges(expr)) {
            // [$__range]: a total over the dashboard's time range (the management report's period figures).
            if (RATE_FUNCTIONS.contains(r.function())
                    && !r.duration().equals("$__rate_interval")
                    && !r.duration().equals("$__range")) {
                problems.add(where + ": " + r.function()
                        + "() must use [$__rate_interval] (or [$__range] for a total), not [" + r.duration() + "]");
            }
        }
        for (String metric : PromQl.metricNames(expr)) {
            if (metric.endsWith("_total") || metric.endsWith("_bucket")) {
                boolean wrapped = PromQl.ranges(expr).stream().anyMatch(r -> RATE_FUNCTIONS.contains(r.function()));
                if (!wrapped) {
                    problems.add(where + ": counter " + metric + " must be wrapped in rate()/increase()");
                }
            }
        }
    }

    @Test
    void everyDashboardQueryParses() throws IOException {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        Map<String, String> exprs = Bundle.dashboardExpressions();
        assertFalse(exprs.isEmpty());
        // promtool parses PromQL when it checks a rule file: one recording rule per dashboard query.
        StringBuilder file = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        List<String> keys = new ArrayList<>(exprs.keySet());
        for (int i = 0; i < keys.size(); i++) {
            file.append("      - record: dashboard:query_")
                    .append(i)
                    .append(":check\n        expr: ")
                    .append(Bundle.JSON.writeValueAsString(Bundle.withoutGrafanaVariables(exprs.get(keys.get(i)))))
                    .append('\n');
        }
        Path tmp = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(tmp, file);
            Tools.Result r = Tools.run(Bundle.ROOT, 60, promtool.toString(), "check", "rules", tmp.toString());
            String hint = r.ok() ? "" : "\nqueries by index: " + keys;
            assertTrue(r.ok(), r.output() + hint);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void scannerFindsSelectorsAndRanges() {
        String e =
                "sum by (failure_category) (increase(intune_enrollment_failures_total{job=~\"$job\"}[$__rate_interval])) "
                        + "/ on (job) group_left() max(up) and vector(0) or intune:alert_threshold:value{threshold=\"x\"} offset 1d";
        assertEquals(
                Set.of("intune_enrollment_failures_total", "up", "intune:alert_threshold:value"),
                PromQl.metricNames(e));
        assertEquals(List.of(new PromQl.Range("increase", "$__rate_interval")), PromQl.ranges(e));
    }
}
