package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.bundle.Bundle.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric family documented in docs/metrics.md is on a dashboard panel (directly, or through a recording rule
 * a panel reads), or is listed in docs/metrics.md's "Not on a dashboard" section with the reason.
 */
class EveryMetricOnAWallTest {
    static final Path METRICS_DOC = Bundle.ROOT.resolve("docs/metrics.md");
    private static final Pattern FAMILY_ROW = Pattern.compile("(?m)^\\| `(intune_[a-z0-9_]+)` \\|");
    private static final Pattern UNDASHBOARDED_ROW =
            Pattern.compile("(?m)^\\| `(intune_[a-z0-9_]+)` \\| ([^|]*[a-z][^|]*) \\|\\s*$");
    static final String SECTION = "\n## Not on a dashboard\n";

    /** Documented families (from the tables of docs/metrics.md, outside the "Not on a dashboard" section). */
    static Set<String> documentedFamilies(String doc) {
        int section = doc.indexOf(SECTION);
        String tables = section < 0 ? doc : doc.substring(0, section);
        Set<String> out = new TreeSet<>();
        Matcher m = FAMILY_ROW.matcher(tables);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Families listed as deliberately not dashboarded, with their reason. */
    static Map<String, String> undashboarded(String doc) {
        Map<String, String> out = new TreeMap<>();
        int section = doc.indexOf(SECTION);
        if (section >= 0) {
            String rest = doc.substring(section + SECTION.length());
            int next = rest.indexOf("\n## ");
            Matcher m = UNDASHBOARDED_ROW.matcher(next < 0 ? rest : rest.substring(0, next));
            while (m.find()) {
                out.put(m.group(1), m.group(2).trim());
            }
        }
        return out;
    }

    /** Metric names the dashboards read, following recording rules down to the exported families. */
    static Set<String> dashboardedFamilies() {
        Map<String, String> recordings = new TreeMap<>();
        for (Rule r : Bundle.rules()) {
            if (r.record() != null) {
                recordings.merge(r.record(), r.expr(), (a, b) -> a + "\n" + b);
            }
        }
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        Bundle.dashboardExpressions()
                .values()
                .forEach(e -> todo.addAll(PromQl.metricNames(Bundle.withoutGrafanaVariables(e))));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (seen.add(name) && recordings.containsKey(name)) {
                todo.addAll(PromQl.metricNames(recordings.get(name)));
            }
        }
        Set<String> families = new TreeSet<>();
        for (String name : seen) {
            families.add(name);
            families.add(name.replaceAll("_(bucket|count|sum)$", ""));
        }
        return families;
    }

    @Test
    void everyExportedFamilyIsOnADashboardOrListedWithAReason() throws IOException {
        String doc = Files.readString(METRICS_DOC);
        Set<String> documented = documentedFamilies(doc);
        assertTrue(documented.size() > 40, "families found in docs/metrics.md: " + documented.size());
        Set<String> onWall = dashboardedFamilies();
        Map<String, String> listed = undashboarded(doc);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(onWall);
        missing.removeAll(listed.keySet());
        assertEquals(
                Set.of(),
                missing,
                "families on no dashboard panel and not listed in docs/metrics.md '## Not on a dashboard' "
                        + "(| `name` | reason |)");
        Set<String> stale = new TreeSet<>(listed.keySet());
        stale.retainAll(onWall);
        assertEquals(Set.of(), stale, "listed as not dashboarded but on a dashboard: remove them from the list");
        Set<String> unknown = new TreeSet<>(listed.keySet());
        unknown.removeAll(documented);
        assertEquals(Set.of(), unknown, "listed as not dashboarded but not documented as a metric");
    }

    /** The check fails for a family that is neither on a wall nor listed. */
    @Test
    void aFamilyOnNoWallIsReported() {
        String doc = "| `intune_a` | gauge |\n| `intune_b` | gauge |\n" + SECTION
                + "| `intune_b` | read by the alerts only |\n";
        Set<String> missing = new TreeSet<>(documentedFamilies(doc));
        missing.removeAll(Set.of("intune_x"));
        missing.removeAll(undashboarded(doc).keySet());
        assertEquals(Set.of("intune_a"), missing);
    }
}
