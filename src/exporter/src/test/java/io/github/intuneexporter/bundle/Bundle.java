package io.github.intuneexporter.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The files of the monitoring bundle (rules, dashboards, runbooks, deploy/) and helpers to read them. */
final class Bundle {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path RULES = ROOT.resolve("alert-rules");
    static final Path RULE_TESTS = RULES.resolve("tests");
    static final Path DASHBOARDS = ROOT.resolve("grafana-dashboards");
    static final Path RUNBOOKS = ROOT.resolve("docs/runbooks");
    /** Every runbook_url starts with the base URL from the one recording rule that holds it. */
    static final String RUNBOOK_URL_PREFIX =
            "{{ with query \"intune:runbook_base_url:info\" }}{{ . | first | label \"url\" }}{{ end }}";
    /** The tenant at the start of every summary: the tenant label, "default" for a single-tenant exporter. */
    static final String TENANT_PREFIX = "[{{ with $labels.tenant }}{{ . }}{{ else }}default{{ end }}] ";
    /** Summaries of the alerts about the exporter itself, which serves every tenant. */
    static final String ALL_TENANTS_PREFIX = "[all tenants] ";

    static final ObjectMapper JSON = new ObjectMapper();

    private Bundle() {}

    /** One rule of a rule file. */
    record Rule(Path file, String group, Map<String, Object> body) {
        String alert() {
            return (String) body.get("alert");
        }

        String record() {
            return (String) body.get("record");
        }

        String expr() {
            return String.valueOf(body.get("expr"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> labels() {
            Object l = body.get("labels");
            return l == null ? Map.of() : (Map<String, Object>) l;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> annotations() {
            Object a = body.get("annotations");
            return a == null ? Map.of() : (Map<String, Object>) a;
        }

        String where() {
            return ROOT.relativize(file) + " group " + group
                    + (alert() != null ? " alert " + alert() : " record " + record());
        }
    }

    static Object yaml(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlMap(Path file) {
        return (Map<String, Object>) yaml(file);
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> ruleFiles() {
        return list(RULES, ".rules.yml");
    }

    static List<Path> ruleTestFiles() {
        return list(RULE_TESTS, ".test.yml");
    }

    static List<Path> dashboardFiles() {
        return list(DASHBOARDS, ".json");
    }

    @SuppressWarnings("unchecked")
    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        for (Path f : ruleFiles()) {
            for (Map<String, Object> g : (List<Map<String, Object>>) yamlMap(f).get("groups")) {
                for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                    out.add(new Rule(f, (String) g.get("name"), r));
                }
            }
        }
        return out;
    }

    static List<Rule> alerts() {
        return rules().stream().filter(r -> r.alert() != null).toList();
    }

    /** Distinct alert names, in file order. */
    static List<String> alertNames() {
        return alerts().stream().map(Rule::alert).distinct().toList();
    }

    /** The runbook_url annotation an alert must have. */
    static String runbookUrl(String alert) {
        return RUNBOOK_URL_PREFIX + runbookFile(alert);
    }

    static String runbookFile(String alert) {
        return alert.toLowerCase(Locale.ROOT) + ".md";
    }

    /** The url label of intune:runbook_base_url:info: where runbook links point. */
    static String runbookBase() {
        List<Rule> base = rules().stream()
                .filter(r -> "intune:runbook_base_url:info".equals(r.record()))
                .toList();
        if (base.size() != 1) {
            throw new AssertionError(
                    "intune:runbook_base_url:info must be recorded exactly once, found " + base.size());
        }
        return String.valueOf(base.get(0).labels().get("url"));
    }

    static JsonNode dashboard(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every PromQL expression of every dashboard panel, keyed "file / panel title #n". */
    static Map<String, String> dashboardExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path f : dashboardFiles()) {
            for (JsonNode panel : panels(dashboard(f))) {
                int n = 0;
                for (JsonNode t : panel.path("targets")) {
                    out.put(
                            f.getFileName() + " / " + panel.path("title").asText() + " #" + (++n),
                            t.path("expr").asText());
                }
            }
        }
        return out;
    }

    /** All panels, including those nested in collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode inner : p.path("panels")) {
                out.add(inner);
            }
        }
        return out;
    }

    /** Grafana variables replaced by values that keep the PromQL valid, for promtool and the scanner. */
    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
                .replace("$__range", "1h")
                .replace("${job}", ".+")
                .replace("$job", ".+")
                .replace("${instance}", ".+")
                .replace("$instance", ".+")
                .replace("${tenant}", ".*")
                .replace("$tenant", ".*");
    }

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Per sample name of an exposition (a demo's /metrics, the golden file), each label and the values it takes. */
    static Map<String, Map<String, Set<String>>> labelValues(String exposition) {
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, Set<String>> labels = out.computeIfAbsent(m.group(1), k -> new HashMap<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.computeIfAbsent(l.group(1), k -> new HashSet<>()).add(l.group(2));
                }
            }
        }
        return out;
    }

    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Labels Prometheus adds (at scrape time, or to histogram buckets), and the tenant label of several tenants. */
    static final Set<String> TARGET_LABELS = Set.of("job", "instance", "tenant", "le");

    /**
     * Checks the label matchers of one selector ({@code a="b", c=~"d"}, without braces) against the labels and values a
     * family is exported with: a label it lacks, or {@code label="value"} on a value it never takes, is added to
     * {@code problems} (in Prometheus both silently match nothing). {@code placeholder} says which values stand for
     * others (empty, which matches a missing label; a doc's {@code <policy>}). Returns how many matchers it read.
     */
    static int checkMatchers(
            String where,
            String metric,
            String matchers,
            Map<String, Set<String>> labels,
            Predicate<String> placeholder,
            List<String> problems) {
        int read = 0;
        Matcher m = MATCHER.matcher(matchers);
        for (; m.find(); read++) {
            String label = m.group(1);
            String value = m.group(3);
            if (TARGET_LABELS.contains(label)) {
                continue;
            }
            if (!labels.containsKey(label)) {
                problems.add(where + ": " + metric + " has no label " + label + " (it has " + labels.keySet() + ")");
            } else if (m.group(2).equals("=")
                    && !placeholder.test(value)
                    && !labels.get(label).contains(value)) {
                problems.add(where + ": " + metric + "{" + label + "=\"" + value + "\"} matches no exported value "
                        + labels.get(label));
            }
        }
        return read;
    }
}
