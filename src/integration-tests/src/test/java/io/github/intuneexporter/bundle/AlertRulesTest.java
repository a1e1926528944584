package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.bundle.Bundle.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus rule files: syntax, unit tests, conventions, thresholds and test coverage of every alert. */
class AlertRulesTest {
    private static final Pattern CAMEL_CASE = Pattern.compile("^([A-Z]+[a-z0-9]+)+$");
    private static final Pattern SENTENCE = Pattern.compile("^[A-Z].+\\.$");
    private static final Pattern THRESHOLD_USE =
            Pattern.compile("intune:alert_threshold:value\\{threshold=\"([a-z0-9_]+)\"}");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    @Test
    void promtoolAcceptsEveryRuleFile() {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        Bundle.ruleFiles().forEach(f -> cmd.add(f.toString()));
        Tools.Result r = Tools.run(Bundle.ROOT, 60, cmd);
        assertTrue(r.ok(), r.output());
    }

    @Test
    void promtoolUnitTestsPass() {
        Path promtool = Tools.require("promtool", "apt-get install prometheus");
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        Bundle.ruleTestFiles()
                .forEach(f -> cmd.add(Bundle.RULE_TESTS.relativize(f).toString()));
        Tools.Result r = Tools.run(Bundle.RULE_TESTS, 300, cmd);
        assertTrue(r.ok(), r.output());
    }

    @Test
    void everyAlertFollowsTheConventions() {
        List<String> problems = new ArrayList<>();
        for (Rule a : Bundle.alerts()) {
            String name = a.alert();
            if (!name.startsWith("Intune") || !CAMEL_CASE.matcher(name).matches() || name.length() > 40) {
                problems.add(a.where() + ": name must be CamelCase, start with Intune, at most 40 characters");
            }
            if (!SEVERITIES.contains(String.valueOf(a.labels().get("severity")))) {
                problems.add(a.where() + ": severity must be critical, warning or info, not "
                        + a.labels().get("severity"));
            }
            if (a.body().get("for") == null) {
                problems.add(a.where() + ": needs a `for:` duration");
            }
            Map<String, Object> ann = a.annotations();
            String summary = String.valueOf(ann.get("summary"));
            String sentence = summary.startsWith(Bundle.TENANT_PREFIX)
                    ? summary.substring(Bundle.TENANT_PREFIX.length())
                    : summary.startsWith(Bundle.ALL_TENANTS_PREFIX)
                            ? summary.substring(Bundle.ALL_TENANTS_PREFIX.length())
                            : summary;
            if (!SENTENCE.matcher(sentence).matches() || sentence.contains("{{")) {
                problems.add(a.where()
                        + ": after the tenant, the summary must be a static sentence (capital first, period last): "
                        + summary);
            }
            String description = String.valueOf(ann.get("description"));
            if (!description.contains("{{")) {
                problems.add(a.where() + ": description must be templated");
            }
            if (!Bundle.runbookUrl(name).equals(ann.get("runbook_url"))) {
                problems.add(a.where() + ": runbook_url must be " + Bundle.runbookUrl(name));
            }
            Set<String> extra = new TreeSet<>(ann.keySet());
            extra.removeAll(Set.of("summary", "description", "runbook_url"));
            if (!extra.isEmpty()) {
                problems.add(a.where() + ": unexpected annotations " + extra);
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * An MSP on-call must see which customer pages: every summary starts with the tenant label, except the alerts
     * about the exporter itself (which serves all its tenants), whose expressions have no tenant to name.
     */
    @Test
    void everySummaryNamesTheTenant() {
        Set<String> exporterWide = Set.of("IntuneExporterDown", "IntuneExporterAbsent", "IntuneAlertThresholdsMissing");
        List<String> problems = new ArrayList<>();
        for (Rule a : Bundle.alerts()) {
            String summary = String.valueOf(a.annotations().get("summary"));
            String expected = exporterWide.contains(a.alert()) ? Bundle.ALL_TENANTS_PREFIX : Bundle.TENANT_PREFIX;
            if (!summary.startsWith(expected)) {
                problems.add(a.where() + ": summary must start with " + expected + ": " + summary);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The runbook base is set once; every link it makes resolves to a runbook file of this repository. */
    @Test
    void runbookLinksResolveToFilesOfThisRepository() throws java.io.IOException {
        String base = Bundle.runbookBase();
        assertTrue(base.endsWith("/"), "the runbook base URL ends with /: " + base);
        List<String> problems = new ArrayList<>();
        for (String alert : Bundle.alertNames()) {
            // The shipped base is the runbooks' path in this repository; a deployment points it at its own wiki.
            java.nio.file.Path page =
                    Bundle.ROOT.resolve(base + Bundle.runbookFile(alert)).normalize();
            if (!page.startsWith(Bundle.RUNBOOKS) || !java.nio.file.Files.isRegularFile(page)) {
                problems.add(
                        alert + ": " + base + Bundle.runbookFile(alert) + " is not a runbook file of this repository");
            }
        }
        for (java.nio.file.Path f : Bundle.ruleFiles()) {
            if (java.nio.file.Files.readString(f).contains("github.com")) {
                problems.add(Bundle.ROOT.relativize(f) + " hard-codes a github.com address; use the runbook base URL");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Alerts on Intune data keep firing when the exporter's series vanish for a while (an exporter outage), so an
     * outage never sends a false "resolved"; the exporter-down alerts fire well within that time.
     */
    @Test
    void dataAlertsOutliveAnExporterOutage() {
        Set<String> exporterHealth = Set.of(
                "IntuneExporterDown",
                "IntuneExporterAbsent",
                "IntuneAlertThresholdsMissing",
                "IntuneCollectorFailing",
                "IntuneDataStale",
                "IntuneGraphThrottlingSustained");
        long longestOutageFor = 0;
        List<String> problems = new ArrayList<>();
        for (Rule a : Bundle.alerts()) {
            if (a.alert().equals("IntuneExporterDown") || a.alert().equals("IntuneExporterAbsent")) {
                longestOutageFor = Math.max(
                        longestOutageFor, minutes(String.valueOf(a.body().get("for"))));
            }
        }
        for (Rule a : Bundle.alerts()) {
            if (exporterHealth.contains(a.alert())) {
                continue;
            }
            Object keep = a.body().get("keep_firing_for");
            if (keep == null || minutes(String.valueOf(keep)) <= longestOutageFor) {
                problems.add(a.where() + ": needs keep_firing_for longer than the exporter-down alerts' for: ("
                        + longestOutageFor + "m)");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static long minutes(String duration) {
        Matcher m = Pattern.compile("(\\d+)([smhd])").matcher(duration);
        assertTrue(m.matches(), "duration " + duration);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n / 60;
            case "m" -> n;
            case "h" -> n * 60;
            default -> n * 1440;
        };
    }

    @Test
    void versionsOfOneAlertDifferOnlyInSeverity() {
        List<String> problems = new ArrayList<>();
        for (String name : Bundle.alertNames()) {
            List<Rule> versions =
                    Bundle.alerts().stream().filter(r -> r.alert().equals(name)).toList();
            Set<Object> severities = new LinkedHashSet<>();
            for (Rule v : versions) {
                if (!severities.add(v.labels().get("severity"))) {
                    problems.add(
                            name + " has two rules with severity " + v.labels().get("severity"));
                }
                if (!v.annotations()
                        .get("summary")
                        .equals(versions.get(0).annotations().get("summary"))) {
                    problems.add(name + ": all versions must share the summary (notifications group on it)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void thresholdsAreDefinedOnceAndAllUsed() {
        Map<String, Integer> defined = new java.util.TreeMap<>();
        for (Rule r : Bundle.rules()) {
            if ("intune:alert_threshold:value".equals(r.record())) {
                defined.merge(String.valueOf(r.labels().get("threshold")), 1, Integer::sum);
                assertTrue(
                        r.expr().matches("vector\\([0-9.]+\\)"), r.where() + ": a threshold is a plain vector(number)");
                assertTrue(
                        r.file().getFileName().toString().equals("intune-thresholds.rules.yml"),
                        r.where() + ": thresholds live in one file");
            }
        }
        defined.forEach((k, v) -> assertEquals(1, v, "threshold " + k + " defined " + v + " times"));
        Set<String> used = new TreeSet<>();
        for (Rule a : Bundle.alerts()) {
            Matcher m = THRESHOLD_USE.matcher(a.expr() + " " + a.annotations().get("description"));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        Set<String> undefined = new TreeSet<>(used);
        undefined.removeAll(defined.keySet());
        assertEquals(Set.of(), undefined, "thresholds used by alerts but not defined in intune-thresholds.rules.yml");
        Set<String> unused = new TreeSet<>(defined.keySet());
        unused.removeAll(used);
        assertEquals(Set.of(), unused, "thresholds defined but used by no alert");
    }

    @Test
    void recordingRulesUsedAreDefinedAndNamedLevelMetricOperation() {
        Set<String> defined = new TreeSet<>();
        for (Rule r : Bundle.rules()) {
            if (r.record() != null) {
                defined.add(r.record());
                assertTrue(
                        r.record().matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"),
                        r.where() + ": record names are level:metric:operations");
            }
        }
        List<String> problems = new ArrayList<>();
        for (Rule r : Bundle.rules()) {
            for (String name : PromQl.metricNames(r.expr())) {
                if (name.contains(":") && !defined.contains(name)) {
                    problems.add(r.where() + " uses undefined recording rule " + name);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Every alert and every severity of it is tested firing, with all labels and all annotations asserted, and every
     * alert is also tested NOT firing (the other side of its threshold or `for`).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyAlertIsTestedOnBothSides() {
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Path f : Bundle.ruleTestFiles()) {
            for (Map<String, Object> test :
                    (List<Map<String, Object>>) Bundle.yamlMap(f).get("tests")) {
                for (Map<String, Object> t :
                        (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
                    String alert = (String) t.get("alertname");
                    List<Map<String, Object>> exp = (List<Map<String, Object>>) t.get("exp_alerts");
                    if (exp == null || exp.isEmpty()) {
                        silent.add(alert);
                        continue;
                    }
                    for (Map<String, Object> e : exp) {
                        Map<String, Object> labels = (Map<String, Object>) e.getOrDefault("exp_labels", Map.of());
                        Map<String, Object> ann = (Map<String, Object>) e.getOrDefault("exp_annotations", Map.of());
                        firing.add(alert + "/" + labels.get("severity"));
                        if (!ann.keySet().containsAll(Set.of("summary", "description", "runbook_url"))) {
                            problems.add(f.getFileName() + " " + test.get("name") + ": " + alert
                                    + " must assert summary, description and runbook_url");
                        }
                    }
                }
            }
        }
        for (Rule a : Bundle.alerts()) {
            String key = a.alert() + "/" + a.labels().get("severity");
            if (!firing.contains(key)) {
                problems.add(key + " is never tested firing");
            }
            if (!silent.contains(a.alert())) {
                problems.add(a.alert() + " is never tested staying silent");
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(firing.isEmpty());
    }
}
