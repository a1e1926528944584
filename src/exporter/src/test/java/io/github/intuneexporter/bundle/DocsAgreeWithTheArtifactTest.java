package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the prose of README.md and docs/ names exists in what ships: relative links and #anchors resolve, every metric
 * and recording-rule name quoted exists (with the labels its selector uses), every dashboard and panel a page points
 * to has that title, the README's and docs/scenarios.md's scenario lists are what {@code --scenario list} prints, and
 * docs/monitoring-bundle.md's dashboard, alert and threshold tables list every dashboard, alert and threshold with
 * its values. The tables of docs/metrics.md are held to the collectors by DeclaredFamiliesTest; this test covers
 * everything else a reader copies from the docs.
 */
class DocsAgreeWithTheArtifactTest {
    private static final Path GOLDEN = Bundle.ROOT.resolve("src/exporter/src/test/resources/golden/demo-metrics.txt");

    private static final Pattern FENCE = Pattern.compile("```.*?```", Pattern.DOTALL);
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]+`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$", Pattern.MULTILINE);
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a (?:name|id)=\"([^\"]+)\"");
    /** A metric name of this exporter, not part of a recording-rule name (level:metric:operations) or a wildcard. */
    private static final Pattern METRIC = Pattern.compile("(?<![\\w:])(intune_[a-z0-9_]*[a-z0-9])(?![\\w:*])");

    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])(intune_[a-z0-9_]+)\\{([^}]*)\\}");
    /** Values the docs write for "any value": empty (a missing label), {@code <policy>}, {@code $tenant}, "...". */
    private static final Predicate<String> PLACEHOLDER =
            v -> v.isEmpty() || v.contains("<") || v.contains("$") || v.equals("...");

    private static final Pattern WILDCARD = Pattern.compile("(?<![\\w:])(intune_[a-z0-9_]+_)\\*");
    private static final Pattern RECORDING = Pattern.compile("(?<![\\w:])([a-z_]+:[a-z0-9_]+:[a-z0-9_]+)(?![\\w:])");
    private static final Pattern DASHBOARD_REF =
            Pattern.compile("\\*(Intune /[^*]+)\\*(?:,\\s*(?:row |panel )?\\*([^*]+)\\*)?");
    private static final Pattern TEST_CLASS = Pattern.compile("\\b([A-Z][A-Za-z0-9]+(?:Test|IT))\\b");
    /** Names that look like metrics in the docs but are not: a placeholder in the metrics.md test description. */
    private static final Set<String> NOT_METRICS = Set.of("intune_name");

    @Test
    void relativeLinksAndAnchorsResolve() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = LINK.matcher(withoutCode(read(page)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(where(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")) {
                    String anchor = target.substring(hash + 1);
                    if (!anchors(read(resolved)).contains(anchor)) {
                        broken.add(where(page) + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links:\n  " + String.join("\n  ", broken));
    }

    /** GitHub's heading ids: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new TreeMap<>();
        Matcher m = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String text =
                    m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
            String slug = text.strip()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            out.add(n == 0 ? slug : slug + "-" + n);
        }
        Matcher a = HTML_ANCHOR.matcher(markdown);
        while (a.find()) {
            out.add(a.group(1));
        }
        return out;
    }

    @Test
    void anchorsAreComputedAsGitHubDoes() {
        assertEquals(
                Set.of("many-tenants-in-one-process", "4-thresholds", "intune--enrollment--deployment", "faq", "faq-1"),
                anchors("# Many tenants in one process\n## 4. Thresholds\n### Intune / Enrollment & deployment\n"
                        + "## FAQ\n```\n# not a heading\n```\n## FAQ\n"));
    }

    @Test
    void everyMetricTheDocsNameExistsWithTheLabelsTheyUse() {
        Map<String, Map<String, Set<String>>> golden = goldenLabels();
        Set<String> documented = metricsMdFamilies();
        Set<String> recorded = new TreeSet<>();
        Bundle.rules().stream().filter(r -> r.record() != null).forEach(r -> recorded.add(r.record()));
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            String code = codeOnly(read(page));
            Matcher m = METRIC.matcher(code);
            while (m.find()) {
                String name = m.group(1);
                if (!NOT_METRICS.contains(name)
                        && family(name, golden) == null
                        && !documented.contains(name.replaceAll("_(bucket|count|sum)$", ""))) {
                    problems.add(where(page) + ": " + name + " is neither exported by the demo nor in docs/metrics.md");
                }
            }
            String text = read(page);
            Matcher w = WILDCARD.matcher(text);
            while (w.find()) {
                String prefix = w.group(1);
                if (golden.keySet().stream().noneMatch(n -> n.startsWith(prefix))
                        && documented.stream().noneMatch(n -> n.startsWith(prefix))) {
                    problems.add(where(page) + ": no metric matches " + prefix + "*");
                }
            }
            Matcher r = RECORDING.matcher(code);
            while (r.find()) {
                if (r.group(1).contains("intune") && !recorded.contains(r.group(1))) {
                    problems.add(where(page) + ": recording rule " + r.group(1) + " is not in alert-rules/");
                }
            }
            Matcher s = SELECTOR.matcher(text);
            while (s.find()) {
                Map<String, Set<String>> labels = family(s.group(1), golden);
                if (labels == null) {
                    continue;
                }
                Bundle.checkMatchers(where(page), s.group(1), s.group(2), labels, PLACEHOLDER, problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The labels and values of a family in the golden demo exposition, by any of its sample names. */
    private static Map<String, Set<String>> family(String name, Map<String, Map<String, Set<String>>> golden) {
        for (String suffix : List.of("", "_total", "_bucket", "_count", "_info")) {
            Map<String, Set<String>> labels = golden.get(name + suffix);
            if (labels != null) {
                return labels;
            }
        }
        return null;
    }

    private static Map<String, Map<String, Set<String>>> goldenLabels() {
        return Bundle.labelValues(read(GOLDEN));
    }

    /** The families named in the first column of docs/metrics.md's tables (volatile ones are not in the golden file). */
    private static Set<String> metricsMdFamilies() {
        Set<String> out = new TreeSet<>();
        Matcher m =
                Pattern.compile("(?m)^\\| `(intune_[a-z0-9_]+)`").matcher(read(Bundle.ROOT.resolve("docs/metrics.md")));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void dashboardsAndPanelsTheDocsPointToExist() {
        Map<String, List<String>> panels = new TreeMap<>();
        for (Path f : Bundle.dashboardFiles()) {
            JsonNode d = Bundle.dashboard(f);
            panels.put(
                    d.path("title").asText(),
                    Bundle.panels(d).stream()
                            .map(p -> p.path("title").asText().toLowerCase(Locale.ROOT))
                            .toList());
        }
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = DASHBOARD_REF.matcher(read(page));
            while (m.find()) {
                String dashboard = m.group(1).replaceAll("\\s+", " ").strip();
                List<String> titles = panels.get(dashboard);
                if (titles == null) {
                    problems.add(
                            where(page) + ": no dashboard *" + dashboard + "* (there are " + panels.keySet() + ")");
                } else if (m.group(2) != null) {
                    String panel = m.group(2).replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
                    if (titles.stream().noneMatch(t -> t.contains(panel))) {
                        problems.add(where(page) + ": " + dashboard + " has no panel or row *" + m.group(2) + "*");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void scenarioListsAreWhatTheJarPlays() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, MainAccess.run(new String[] {"--scenario", "list"}, print, print));
        List<String> played = out.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> !l.isBlank() && !l.startsWith(" "))
                .map(l -> l.split("\\s+")[0])
                .toList();
        assertTrue(played.size() > 5, "--scenario list printed " + played);

        List<String> headings = new ArrayList<>();
        Matcher h = Pattern.compile("(?m)^### ([a-z-]+)$").matcher(read(Bundle.ROOT.resolve("docs/scenarios.md")));
        while (h.find()) {
            headings.add(h.group(1));
        }
        assertEquals(played, headings, "docs/scenarios.md has one section per scenario, in --scenario list order");

        String readme = read(Bundle.ROOT.resolve("README.md"));
        int start = readme.indexOf("**Scenarios**");
        int end = readme.indexOf("(`--scenario list` shows them)", start);
        assertTrue(start >= 0 && end > start, "README.md lists the scenarios before '(`--scenario list` shows them)'");
        List<String> listed = new ArrayList<>();
        Matcher c = Pattern.compile("`(?:--scenario )?([a-z]+(?:-[a-z]+)+)`").matcher(readme.substring(start, end));
        while (c.find()) {
            listed.add(c.group(1));
        }
        assertEquals(played, listed, "README.md's scenario list");
    }

    /** docs/operations.md's flag table lists what --help lists (per-collector flags as --[no-]collector.<name>). */
    @Test
    void operationsFlagTableIsWhatHelpLists() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(0, MainAccess.run(new String[] {"--help"}, print, print));
        String help = out.toString(StandardCharsets.UTF_8);
        Set<String> helped = new TreeSet<>();
        Matcher f =
                Pattern.compile("(?m)^\\s+(?:-h, )?(--[a-z.\\-\\[\\]]+[a-z])").matcher(help);
        while (f.find()) {
            helped.add(f.group(1).startsWith("--[no-]collector.") ? "--[no-]collector.<name>" : f.group(1));
        }
        Matcher c = Pattern.compile("(?m)^(?:Commands:)?\\s+([a-z]+)  ").matcher(help);
        while (c.find()) {
            helped.add(c.group(1));
        }
        helped.remove("--help");
        assertTrue(
                helped.containsAll(Set.of("--web.listen-address", "--shard", "doctor", "report")), helped.toString());

        String doc = read(Bundle.ROOT.resolve("docs/operations.md"));
        String table = doc.substring(doc.indexOf("| Flag |"), doc.indexOf("\n\n", doc.indexOf("| Flag |")));
        Set<String> documented = new TreeSet<>();
        for (String row : table.lines().skip(2).toList()) {
            String first = row.split("\\|")[1];
            Matcher name =
                    Pattern.compile("`(--[a-z.\\-\\[\\]<>]+|[a-z]+)[ =`]").matcher(first);
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        documented.remove("bench"); // not a command of this jar: the row says where the benchmarks are
        assertEquals(helped, documented, "docs/operations.md's flag table against --help");
    }

    @Test
    void monitoringBundlePageListsEveryDashboardAlertAndThreshold() {
        String doc = read(Bundle.ROOT.resolve("docs/monitoring-bundle.md"));
        List<String> problems = new ArrayList<>();

        List<Path> dashboards = Bundle.dashboardFiles();
        for (Path f : dashboards) {
            JsonNode d = Bundle.dashboard(f);
            String row =
                    "| " + d.path("title").asText() + " | `" + d.path("uid").asText() + "` |";
            if (!doc.contains(row)) {
                problems.add("dashboard table has no row starting " + row);
            }
        }
        String count = numberWord(dashboards.size());
        if (!doc.contains(count + " dashboards")) {
            problems.add("the page should say \"" + count + " dashboards\"");
        }

        Map<String, String[]> alerts = new LinkedHashMap<>();
        for (Bundle.Rule r : Bundle.alerts()) {
            String severity = String.valueOf(r.labels().get("severity"));
            alerts.merge(
                    r.alert(), new String[] {severity, String.valueOf(r.body().get("for"))}, (a, b) ->
                            new String[] {a[0] + " / " + b[0], a[1].equals(b[1]) ? a[1] : a[1] + " / " + b[1]});
        }
        alerts.forEach((name, sf) -> {
            String row =
                    "| [" + name + "](runbooks/" + Bundle.runbookFile(name) + ") | " + sf[0] + " | " + sf[1] + " |";
            if (!doc.contains(row)) {
                problems.add("alert table has no row starting " + row);
            }
        });
        Matcher listedAlert = Pattern.compile("(?m)^\\| \\[(Intune\\w+)\\]").matcher(doc);
        while (listedAlert.find()) {
            if (!alerts.containsKey(listedAlert.group(1))) {
                problems.add("alert table lists " + listedAlert.group(1) + ", which alert-rules/ does not define");
            }
        }

        Map<String, String> thresholds = new TreeMap<>();
        Pattern vector = Pattern.compile("vector\\(([^)]+)\\)");
        for (Bundle.Rule r : Bundle.rules()) {
            if ("intune:alert_threshold:value".equals(r.record())) {
                Matcher v = vector.matcher(r.expr());
                assertTrue(v.find(), r.where());
                thresholds.put(
                        String.valueOf(r.labels().get("threshold")), v.group(1).strip());
            }
        }
        Map<String, String> documented = new TreeMap<>();
        Matcher t = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([0-9.]+) \\|").matcher(doc);
        while (t.find()) {
            documented.put(t.group(1), t.group(2));
        }
        thresholds.forEach((name, value) -> {
            String doc1 = documented.get(name);
            if (doc1 == null) {
                problems.add("threshold table has no row for " + name + " (default " + value + ")");
            } else if (Double.parseDouble(doc1) != Double.parseDouble(value)) {
                problems.add("threshold table says " + name + " = " + doc1 + ", the rules " + value);
            }
        });
        documented.keySet().stream()
                .filter(n -> !thresholds.containsKey(n))
                .forEach(n -> problems.add("threshold table lists " + n + ", which the thresholds file does not"));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static String numberWord(int n) {
        String[] words = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"};
        return n < words.length ? words[n] : String.valueOf(n);
    }

    @Test
    void testClassesTheDocsCiteExist() {
        Set<String> classes = new TreeSet<>();
        try (Stream<Path> s = Files.walk(Bundle.ROOT.resolve("src"))) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java"))
                    .forEach(n -> classes.add(n.substring(0, n.length() - 5)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> missing = new ArrayList<>();
        for (Path page : pages()) {
            Matcher m = TEST_CLASS.matcher(read(page));
            while (m.find()) {
                if (!classes.contains(m.group(1)) && !m.group(1).equals("SomeTest")) {
                    missing.add(where(page) + ": " + m.group(1));
                }
            }
        }
        assertTrue(missing.isEmpty(), "tests the docs cite but the repository does not have:\n" + missing);
    }

    /** README.md and every page under docs/. */
    static List<Path> pages() {
        List<Path> out = new ArrayList<>(List.of(Bundle.ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.walk(Bundle.ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String withoutCode(String markdown) {
        return CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    }

    /** Fenced blocks and code spans only: where the docs quote names (prose also lists label values). */
    private static String codeOnly(String markdown) {
        StringBuilder out = new StringBuilder();
        Matcher f = FENCE.matcher(markdown);
        while (f.find()) {
            out.append(f.group()).append('\n');
        }
        Matcher c = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (c.find()) {
            out.append(c.group()).append('\n');
        }
        return out.toString();
    }

    private static String where(Path page) {
        return Bundle.ROOT.relativize(page).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
