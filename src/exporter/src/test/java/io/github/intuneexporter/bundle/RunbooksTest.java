package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The runbooks of docs/runbooks/ against the rule files of alert-rules/: both sides are read from disk, so alerts
 * and runbooks added later are checked without touching this test. The rules themselves are in {@link RunbookLint}.
 */
class RunbooksTest {

    /** Every alert's rules (one per severity), by alert name, in file order. */
    private static Map<String, List<RunbookLint.AlertRule>> alertRules() {
        Map<String, List<RunbookLint.AlertRule>> out = new LinkedHashMap<>();
        for (Bundle.Rule r : Bundle.alerts()) {
            out.computeIfAbsent(r.alert(), a -> new ArrayList<>()).add(RunbookLint.AlertRule.of(r));
        }
        return out;
    }

    @Test
    void everyAlertHasItsRunbook() {
        List<String> missing = new ArrayList<>();
        for (String alert : Bundle.alertNames()) {
            Path page = Bundle.RUNBOOKS.resolve(RunbookLint.fileName(alert));
            if (!Files.isRegularFile(page)) {
                missing.add(alert + " has no runbook " + Bundle.ROOT.relativize(page));
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyRunbookBelongsToAnAlert() {
        Set<String> expected = new TreeSet<>();
        Bundle.alertNames().forEach(a -> expected.add(RunbookLint.fileName(a)));
        Set<String> orphans = new TreeSet<>();
        for (Path p : Bundle.list(Bundle.RUNBOOKS, ".md")) {
            String name = p.getFileName().toString();
            if (!name.equals("README.md") && !expected.contains(name)) {
                orphans.add(name);
            }
        }
        assertEquals(Set.of(), orphans, "runbooks whose alert no longer exists in alert-rules/");
    }

    @Test
    void everyRunbookFollowsTheStructureQuotesItsRuleAndCitesItsSources() throws IOException {
        Map<String, String> thresholds = RunbookLint.thresholds(Bundle.rules());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<RunbookLint.AlertRule>> a : alertRules().entrySet()) {
            Path page = Bundle.RUNBOOKS.resolve(RunbookLint.fileName(a.getKey()));
            if (Files.isRegularFile(page)) {
                problems.addAll(RunbookLint.lint(
                        page.getFileName().toString(),
                        Files.readString(page),
                        a.getValue(),
                        thresholds,
                        Bundle.RUNBOOKS,
                        Bundle.ROOT));
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    /**
     * The PromQL a runbook tells people to run uses metrics that exist: recording rules defined in alert-rules/, and
     * exporter metrics documented in docs/metrics.md (which MetricsExistTest ties to the real exporter).
     */
    @Test
    void runbookPromQlUsesExistingMetrics() throws IOException {
        Set<String> recorded = new TreeSet<>();
        Bundle.rules().stream().filter(r -> r.record() != null).forEach(r -> recorded.add(r.record()));
        String metricsDoc = Files.readString(Bundle.ROOT.resolve("docs/metrics.md"));
        java.util.regex.Pattern inline = java.util.regex.Pattern.compile("`([^`\\n]*intune[_:][^`\\n]*)`");
        List<String> problems = new ArrayList<>();
        for (Path page : Bundle.list(Bundle.RUNBOOKS, ".md")) {
            String text = Files.readString(page);
            List<String> queries = new ArrayList<>(RunbookLint.blocks(text, "promql"));
            java.util.regex.Matcher m = inline.matcher(text);
            while (m.find()) {
                queries.add(m.group(1));
            }
            for (String q : queries) {
                for (String name : PromQl.metricNames(q.replaceAll("(?m)^\\s*#.*$", ""))) {
                    String base = name.replaceFirst("_(bucket|sum|count)$", "");
                    boolean ok = name.contains(":")
                            ? recorded.contains(name)
                            : !name.startsWith("intune_")
                                    || metricsDoc.contains("`" + name + "`")
                                    || metricsDoc.contains("`" + base + "`");
                    if (!ok) {
                        problems.add(page.getFileName() + ": " + name
                                + " is neither a recording rule nor in docs/metrics.md");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every ```promql block of the runbooks is valid PromQL (placeholders such as <category> filled in). */
    @Test
    void promtoolAcceptsEveryRunbookQuery() throws IOException {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        StringBuilder rules = new StringBuilder("groups:\n  - name: runbook-queries\n    rules:\n");
        int n = 0;
        for (Path page : Bundle.list(Bundle.RUNBOOKS, ".md")) {
            for (String q : RunbookLint.blocks(Files.readString(page), "promql")) {
                String expr = q.replaceAll("<[a-z_]+>", "x");
                // The record name carries the page, so promtool's message says which runbook to fix.
                String name = page.getFileName().toString().replace(".md", "").replaceAll("[^a-z0-9_]", "_");
                rules.append("      - record: runbook:")
                        .append(name)
                        .append(':')
                        .append(++n)
                        .append("\n        expr: |\n");
                expr.lines().forEach(l -> rules.append("          ").append(l).append('\n'));
            }
        }
        Path file = Files.createTempFile("runbook-queries", ".rules.yml");
        try {
            Files.writeString(file, rules);
            Tools.Result r =
                    Tools.run(Bundle.ROOT, 60, List.of(promtool.toString(), "check", "rules", file.toString()));
            assertEquals(0, r.exitCode(), r.output());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void theIndexLinksEveryRunbookAndOnlyCitableOrLocalPages() throws IOException {
        String index = Files.readString(Bundle.RUNBOOKS.resolve("README.md"));
        List<String> problems = new ArrayList<>();
        for (String alert : Bundle.alertNames()) {
            if (!index.contains("](" + RunbookLint.fileName(alert) + ")")) {
                problems.add("README.md does not link " + RunbookLint.fileName(alert));
            }
        }
        for (String link : RunbookLint.links(index)) {
            String bad = RunbookLint.badLink(link, Bundle.RUNBOOKS, Bundle.ROOT);
            if (bad != null) {
                problems.add("README.md: link " + link + " " + bad);
            }
        }
        assertEquals(List.of(), problems);
    }
}
