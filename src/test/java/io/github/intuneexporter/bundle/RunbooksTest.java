package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** One runbook per alert, none without an alert, each with the four sections an on-call engineer expects. */
class RunbooksTest {
    private static final List<String> SECTIONS = List.of("## Meaning", "## Impact", "## Diagnosis", "## Mitigation");
    /** The structure every runbook moves to; pages that have "First five minutes" must have all of it. */
    private static final List<String> FULL_SECTIONS = List.of("## Meaning", "## Impact", "## First five minutes",
            "## Find the affected devices or users", "## Diagnosis", "## Mitigation", "## Escalation", "## Verify recovery",
            "## Permissions", "## References");
    /** Alerts whose runbooks were written in the full structure; they stay in it. */
    private static final Set<String> FULL_STRUCTURE = Set.of("IntuneOsComplianceRatioDrop", "IntuneStaleDevicesHigh",
            "IntuneJailbrokenDevicesAppeared", "IntuneEncryptionRatioDrop", "IntuneAppProtectionFlaggedUsers",
            "IntuneDefenderTamperProtectionOff", "IntuneDefenderRealTimeProtectionOff", "IntuneAutopilotFailureSpike",
            "IntuneServiceHealthDegraded");

    @Test
    void everyAlertHasItsRunbook() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String alert : Bundle.alertNames()) {
            Path page = Bundle.RUNBOOKS.resolve(alert.toLowerCase(Locale.ROOT) + ".md");
            if (!Files.isRegularFile(page)) {
                problems.add(alert + " has no runbook " + Bundle.ROOT.relativize(page));
                continue;
            }
            String text = Files.readString(page);
            if (!text.startsWith("# " + alert + "\n")) {
                problems.add(page.getFileName() + " must start with '# " + alert + "'");
            }
            int last = -1;
            for (String section : SECTIONS) {
                int at = text.indexOf("\n" + section + "\n");
                if (at < 0 || at < last) {
                    problems.add(page.getFileName() + " lacks section '" + section + "' (in the order " + SECTIONS + ")");
                }
                last = at;
            }
            // Intune alerts point to the Intune/Entra admin center; exporter alerts to Prometheus' own pages.
            if (!text.contains("`") || !(text.toLowerCase(Locale.ROOT).contains("admin center") || text.contains("Prometheus →"))) {
                problems.add(page.getFileName() + " must show PromQL and where to look (an admin center or Prometheus' UI)");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Pages in the full structure have all ten sections in order, and their Meaning quotes the expression of every
     * version of the alert exactly as the rule file has it, so a changed rule cannot leave its runbook behind.
     */
    @Test
    void fullStructureRunbooksQuoteTheirRule() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String alert : Bundle.alertNames()) {
            Path page = Bundle.RUNBOOKS.resolve(Bundle.runbookFile(alert));
            String text = Files.exists(page) ? Files.readString(page) : "";
            if (!FULL_STRUCTURE.contains(alert) && !text.contains("\n## First five minutes\n")) {
                continue;
            }
            int last = -1;
            for (String section : FULL_SECTIONS) {
                int at = text.indexOf("\n" + section + "\n");
                if (at < 0 || at < last) {
                    problems.add(page.getFileName() + " lacks section '" + section + "' (in the order " + FULL_SECTIONS + ")");
                }
                last = at;
            }
            int meaningEnd = text.indexOf("\n## Impact\n");
            String meaning = meaningEnd < 0 ? text : text.substring(0, meaningEnd);
            for (Bundle.Rule r : Bundle.alerts()) {
                String expr = r.expr().endsWith("\n") ? r.expr() : r.expr() + "\n";
                if (r.alert().equals(alert) && !meaning.contains("```promql\n" + expr + "```")) {
                    problems.add(page.getFileName() + ": Meaning must quote the " + r.labels().get("severity") + " rule's expression as in the rule file");
                }
            }
            String references = text.substring(Math.max(0, text.indexOf("\n## References\n")));
            java.util.regex.Matcher web = java.util.regex.Pattern.compile("\\]\\((https?://[^)]+)\\)").matcher(references);
            while (web.find()) {
                if (!web.group(1).startsWith("https://learn.microsoft.com/")) {
                    problems.add(page.getFileName() + ": References link only to learn.microsoft.com, not " + web.group(1));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyRunbookBelongsToAnAlert() {
        Set<String> expected = new TreeSet<>();
        Bundle.alertNames().forEach(a -> expected.add(a.toLowerCase(Locale.ROOT) + ".md"));
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
    void runbookLinksBetweenPagesResolve() throws IOException {
        List<String> broken = new ArrayList<>();
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("\\]\\(([a-z0-9]+\\.md)\\)");
        for (Path p : Bundle.list(Bundle.RUNBOOKS, ".md")) {
            java.util.regex.Matcher m = link.matcher(Files.readString(p));
            while (m.find()) {
                if (!Files.exists(Bundle.RUNBOOKS.resolve(m.group(1)))) {
                    broken.add(p.getFileName() + " -> " + m.group(1));
                }
            }
        }
        assertEquals(List.of(), broken);
    }
}
