package io.github.intuneexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's shipped monitoring files (alert rules, Prometheus and Alertmanager configuration, Grafana
 * dashboards, runbooks) and the test copies made from them. The copies change only what a test on loopback must
 * change: addresses, intervals and {@code for:} durations; labels, annotations, expressions, routes and inhibit
 * rules stay the shipped ones.
 */
final class MonitoringBundle {
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FOR_LINE = Pattern.compile("(?m)^(\\s+)for:\\s*\\S+[ \\t]*$");
    private static final Pattern KEEP_FIRING_LINE = Pattern.compile("(?m)^(\\s+)keep_firing_for:\\s*\\S+[ \\t]*$");

    /**
     * Alertmanager's default of send_resolved per integration, for receivers that do not set it
     * (https://prometheus.io/docs/alerting/latest/configuration/).
     */
    private static final Map<String, Boolean> SEND_RESOLVED_DEFAULT = Map.ofEntries(
            Map.entry("email_configs", false),
            Map.entry("slack_configs", false),
            Map.entry("wechat_configs", false),
            Map.entry("pagerduty_configs", true),
            Map.entry("webhook_configs", true),
            Map.entry("opsgenie_configs", true),
            Map.entry("victorops_configs", true),
            Map.entry("pushover_configs", true),
            Map.entry("sns_configs", true),
            Map.entry("telegram_configs", true),
            Map.entry("discord_configs", true),
            Map.entry("webex_configs", true),
            Map.entry("msteams_configs", true));

    /** One alerting rule as shipped. */
    record AlertRule(String alert, Map<String, String> labels, Map<String, String> annotations) {
        String severity() {
            return labels.get("severity");
        }
    }

    /** One query of a dashboard panel. */
    record PanelQuery(String dashboard, String panel, String expr) {}

    final Path root;

    private MonitoringBundle(Path root) {
        this.root = root;
    }

    /**
     * The files of the repository under test. {@code -Dintune.e2e.bundle-dir=DIR} points at another checkout (a
     * branch with the monitoring bundle while developing); the default is the project directory.
     */
    static MonitoringBundle locate() {
        return new MonitoringBundle(
                Path.of(System.getProperty("intune.e2e.bundle-dir", "")).toAbsolutePath());
    }

    Path rulesDir() {
        return root.resolve("alert-rules");
    }

    Path prometheusConfig() {
        return root.resolve("deploy/prometheus/prometheus.yml");
    }

    Path alertmanagerConfig() {
        return root.resolve("deploy/alertmanager/alertmanager.yml");
    }

    Path dashboardsDir() {
        return root.resolve("grafana-dashboards");
    }

    /** The shipped files this suite needs that do not exist. */
    List<Path> missing() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : List.of(rulesDir(), prometheusConfig(), alertmanagerConfig(), dashboardsDir())) {
            if (!Files.exists(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty() && ruleFiles().isEmpty()) {
            out.add(rulesDir().resolve("*.rules.yml"));
        }
        return out;
    }

    /** The rule files Prometheus loads: alert-rules/*.rules.yml (the promtool tests live in alert-rules/tests). */
    List<Path> ruleFiles() throws IOException {
        try (Stream<Path> s = Files.list(rulesDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rules.yml"))
                    .sorted()
                    .toList();
        }
    }

    List<AlertRule> alertRules() throws IOException {
        List<AlertRule> out = new ArrayList<>();
        for (Path file : ruleFiles()) {
            for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.hasNonNull("alert")) {
                        out.add(new AlertRule(
                                rule.get("alert").asText(),
                                strings(rule.path("labels")),
                                strings(rule.path("annotations"))));
                    }
                }
            }
        }
        return out;
    }

    /** The shipped rule of {@code alert} with {@code severity}. */
    AlertRule alertRule(String alert, String severity) throws IOException {
        return alertRules().stream()
                .filter(r -> r.alert().equals(alert) && severity.equals(r.severity()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + severity + " rule " + alert + " in " + rulesDir()));
    }

    /** The runbook page a runbook URL points at: docs/runbooks/NAME.md of this repository. */
    Path runbookFile(String runbookUrl) {
        int i = runbookUrl.indexOf("docs/runbooks/");
        if (i < 0) {
            throw new AssertionError("runbook_url does not point at docs/runbooks/: " + runbookUrl);
        }
        String relative = runbookUrl.substring(i).replaceAll("#.*$", "");
        return root.resolve(relative);
    }

    /** The job name of the exporter's scrape configuration (it must contain "intune"). */
    String exporterJob() throws IOException {
        for (JsonNode sc : YAML.readTree(prometheusConfig().toFile()).path("scrape_configs")) {
            if (sc.path("job_name").asText().contains("intune")) {
                return sc.get("job_name").asText();
            }
        }
        throw new AssertionError(prometheusConfig() + " has no scrape job whose name contains \"intune\"");
    }

    /**
     * Copies the rule files to {@code dir} with every {@code for:} set to {@code forDuration} and every
     * {@code keep_firing_for:} to {@code keepFiringFor}, scaled like the {@code for:} of the exporter-down alerts they
     * must outlast. Only those lines and the enrollment baseline's warm-up change (the shipped durations are minutes to
     * hours, longer than a test can wait).
     */
    void writeTestRules(Path dir, String forDuration, String keepFiringFor) throws IOException {
        Files.createDirectories(dir);
        for (Path file : ruleFiles()) {
            Matcher m = FOR_LINE.matcher(Files.readString(file));
            String text = m.replaceAll("$1for: " + forDuration);
            text = KEEP_FIRING_LINE.matcher(text).replaceAll("$1keep_firing_for: " + keepFiringFor);
            // The enrollment spike alerts wait for 24 h of baseline history; a test has minutes.
            text = BASELINE_HOURS.matcher(text).replaceAll("$1vector(0)$2");
            Files.writeString(dir.resolve(file.getFileName()), text);
        }
    }

    private static final Pattern BASELINE_HOURS = Pattern.compile(
            "(?m)^(\\s+expr: )vector\\([0-9.]+\\)(\\s*\\n\\s+labels: \\{ threshold: enrollment_baseline_min_hours })");

    /**
     * The shipped prometheus.yml with: every interval 1 s; the rule files from {@code rulesDir}; the exporter job
     * scraping {@code exporters}; the prometheus and alertmanager jobs and the alerting section pointing at the test's
     * servers; other jobs dropped. Relabelling and the job name stay as shipped.
     */
    Path writePrometheusConfig(Path file, Path rulesDir, List<String> exporters, String self, String alertmanager)
            throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(prometheusConfig().toFile());
        ObjectNode global = object(config, "global");
        global.put("scrape_interval", "1s");
        global.put("scrape_timeout", "1s");
        global.put("evaluation_interval", "1s");
        config.putArray("rule_files").add(rulesDir.toAbsolutePath() + "/*.rules.yml");
        ArrayNode managers = array(object(config, "alerting"), "alertmanagers");
        if (managers.isEmpty()) {
            managers.addObject();
        }
        for (JsonNode am : managers) {
            retarget((ObjectNode) am, List.of(alertmanager));
        }
        ArrayNode kept = YAML.createArrayNode();
        for (JsonNode node : array(config, "scrape_configs")) {
            ObjectNode sc = (ObjectNode) node;
            String job = sc.path("job_name").asText();
            List<String> targets = job.contains("intune")
                    ? exporters
                    : job.equals("prometheus")
                            ? List.of(self)
                            : job.equals("alertmanager") ? List.of(alertmanager) : null;
            if (targets != null) {
                sc.put("scrape_interval", "1s");
                sc.put("scrape_timeout", "1s");
                retarget(sc, targets);
                kept.add(sc);
            }
        }
        config.set("scrape_configs", kept);
        YAML.writeValue(file.toFile(), config);
        return file;
    }

    /** Replaces any service discovery of a scrape or alertmanager config with static targets. */
    private static void retarget(ObjectNode config, List<String> targets) {
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            if (names.next().endsWith("_sd_configs")) {
                names.remove();
            }
        }
        ArrayNode list = config.putArray("static_configs").addObject().putArray("targets");
        targets.forEach(list::add);
    }

    /**
     * The shipped alertmanager.yml with every integration of every receiver replaced by a webhook to
     * {@code webhookBase}/RECEIVER/INTEGRATION that keeps the integration's send_resolved, and group_wait,
     * group_interval and repeat_interval shortened throughout the route tree. Routes, matchers, grouping and
     * inhibit rules stay as shipped.
     */
    Path writeAlertmanagerConfig(Path file, String webhookBase) throws IOException {
        ObjectNode config = (ObjectNode) YAML.readTree(alertmanagerConfig().toFile());
        shorten((ObjectNode) config.get("route"), true);
        for (JsonNode node : array(config, "receivers")) {
            ObjectNode receiver = (ObjectNode) node;
            String name = receiver.get("name").asText();
            ArrayNode hooks = YAML.createArrayNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = receiver.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!f.getKey().endsWith("_configs")) {
                    continue;
                }
                String integration = f.getKey().substring(0, f.getKey().length() - "_configs".length());
                for (JsonNode integrationConfig : f.getValue()) {
                    ObjectNode hook = hooks.addObject();
                    hook.put("url", webhookBase + "/" + name + "/" + integration);
                    JsonNode sendResolved = integrationConfig.get("send_resolved");
                    hook.put(
                            "send_resolved",
                            sendResolved != null
                                    ? sendResolved.asBoolean()
                                    : SEND_RESOLVED_DEFAULT.getOrDefault(f.getKey(), true));
                }
                fields.remove();
            }
            if (!hooks.isEmpty()) {
                receiver.set("webhook_configs", hooks);
            }
        }
        YAML.writeValue(file.toFile(), config);
        return file;
    }

    private static void shorten(ObjectNode route, boolean root) {
        if (root || route.has("group_wait")) {
            route.put("group_wait", "1s");
        }
        if (root || route.has("group_interval")) {
            route.put("group_interval", "1s");
        }
        if (root || route.has("repeat_interval")) {
            route.put("repeat_interval", "1h");
        }
        for (JsonNode child : route.path("routes")) {
            shorten((ObjectNode) child, false);
        }
    }

    /** Every query of every panel of every dashboard (rows' nested panels included; hidden queries left out). */
    List<PanelQuery> panelQueries() throws IOException {
        List<PanelQuery> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dashboardsDir())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            String title = dashboard.path("title").asText(file.getFileName().toString());
            collect(title, dashboard.path("panels"), out);
        }
        return out;
    }

    private static void collect(String dashboard, JsonNode panels, List<PanelQuery> out) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank() && !target.path("hide").asBoolean(false)) {
                    out.add(new PanelQuery(dashboard, panel.path("title").asText(""), expr));
                }
            }
            collect(dashboard, panel.path("panels"), out);
        }
    }

    /** The dashboards' template variables that are label_values queries: name -> query. */
    Map<String, String> variableQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dashboardsDir())) {
            for (Path file :
                    s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode v :
                        JSON.readTree(file.toFile()).path("templating").path("list")) {
                    if (v.path("type").asText().equals("query")) {
                        JsonNode q = v.path("query");
                        out.put(
                                file.getFileName() + " $" + v.path("name").asText(),
                                q.isObject() ? q.path("query").asText() : q.asText());
                    }
                }
            }
        }
        return out;
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        return parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
    }

    private static ArrayNode array(ObjectNode parent, String name) {
        return parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
