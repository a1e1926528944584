package io.github.intuneexporter.bundle;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every runbook of docs/runbooks/ follows, checked against the alert rules it documents. Pure: it gets the
 * runbook text, the alert's rules and the threshold values, and returns one line per problem, so tests can run it on
 * the real files and on synthetic runbooks alike.
 *
 * <ul>
 *   <li>The page starts with {@code # <AlertName>} and has the {@link #SECTIONS} in this order.</li>
 *   <li><b>Meaning</b> quotes every expression of the alert in a {@code ```promql} block whose first line is
 *       {@code # severity: <s>, for: <d>}, exactly as in the rule file (runs of whitespace aside), and a table
 *       row {@code | `name` | `value` |} for each threshold the expression reads from intune:alert_threshold:value,
 *       with the value of the threshold recording rule.</li>
 *   <li><b>Verify recovery</b> has a {@code ```promql} block; <b>References</b> has at least one link.</li>
 *   <li>Every navigation path ({@code A > B} or {@code A → B} outside code) has a link in the same section.</li>
 *   <li>Every link is a well-formed https://learn.microsoft.com/ or https://support.apple.com/ address, or a
 *       relative path that exists in the repository.</li>
 * </ul>
 */
final class RunbookLint {
    static final List<String> SECTIONS = List.of(
            "Meaning",
            "Impact",
            "First five minutes",
            "Find the affected devices or users",
            "Diagnosis",
            "Mitigation",
            "Escalation",
            "Verify recovery",
            "Permissions",
            "References");
    static final Set<String> CITABLE_HOSTS = Set.of("learn.microsoft.com", "support.apple.com");

    private static final Pattern FENCE = Pattern.compile("(?ms)^[ \\t]*```([a-z]*)\\n(.*?)^[ \\t]*```[ \\t]*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    private static final Pattern MD_LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]*)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern AUTO_LINK = Pattern.compile("<(https?://[^>\\s]+)>");
    private static final Pattern BARE_URL = Pattern.compile("(?<![(<\\w])https?://[^\\s)>\\]]+");
    /** Two menu items joined by > or → ("Devices > Compliance", "*Devices* → *Monitor*"). */
    private static final Pattern NAV_PATH = Pattern.compile("[\\p{L}*_)]\\s+(?:>|→)\\s+[*_]*\\p{L}");

    private static final Pattern THRESHOLD_REF =
            Pattern.compile("intune:alert_threshold:value\\{threshold=\"([a-z0-9_]+)\"\\}");
    private static final Pattern THRESHOLD_ROW =
            Pattern.compile("(?m)^\\|\\s*`([a-z0-9_]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern QUOTE_HEADER = Pattern.compile("#\\s*severity:\\s*(\\S+),\\s*for:\\s*(\\S+)\\s*");

    private RunbookLint() {}

    /** One alert rule as the runbook must quote it. */
    record AlertRule(String alert, String severity, String forDuration, String expr) {
        static AlertRule of(Bundle.Rule r) {
            Object f = r.body().get("for");
            return new AlertRule(
                    r.alert(), String.valueOf(r.labels().get("severity")), f == null ? "0s" : f.toString(), r.expr());
        }
    }

    /**
     * Problems of one runbook.
     *
     * @param file       the runbook's file name, for messages
     * @param text       the runbook's markdown
     * @param rules      every rule of its alert (one per severity)
     * @param thresholds threshold name to its value in the threshold rule file (the PromQL literal of vector(...))
     * @param dir        the directory of the runbook, to resolve relative links
     * @param repoRoot   relative links must stay inside it
     */
    static List<String> lint(
            String file, String text, List<AlertRule> rules, Map<String, String> thresholds, Path dir, Path repoRoot) {
        List<String> problems = new ArrayList<>();
        String alert = rules.isEmpty() ? "?" : rules.get(0).alert();
        if (!text.startsWith("# " + alert + "\n")) {
            problems.add(file + ": must start with '# " + alert + "'");
        }
        Map<String, String> sections = sections(text);
        for (String s : SECTIONS) {
            if (!sections.containsKey(s)) {
                problems.add(file + ": lacks section '## " + s + "'");
            } else if (sections.get(s).isBlank()) {
                problems.add(file + ": section '## " + s + "' is empty");
            }
        }
        List<String> found =
                sections.keySet().stream().filter(SECTIONS::contains).toList();
        List<String> wanted = SECTIONS.stream().filter(sections::containsKey).toList();
        if (!found.equals(wanted)) {
            problems.add(file + ": sections are out of order: " + found + ", expected " + wanted);
        }
        problems.addAll(meaning(file, sections.getOrDefault("Meaning", ""), rules, thresholds));
        if (sections.containsKey("Verify recovery")
                && blocks(sections.get("Verify recovery"), "promql").isEmpty()) {
            problems.add(file + ": 'Verify recovery' needs a ```promql block that shows the return to normal");
        }
        if (sections.containsKey("References")
                && links(sections.get("References")).isEmpty()) {
            problems.add(file + ": 'References' has no link");
        }
        for (Map.Entry<String, String> s : sections.entrySet()) {
            String prose = prose(s.getValue());
            Matcher nav = NAV_PATH.matcher(prose);
            if (nav.find() && links(s.getValue()).stream().noneMatch(RunbookLint::isCitation)) {
                String around =
                        prose.substring(Math.max(0, nav.start() - 30), Math.min(prose.length(), nav.end() + 30));
                problems.add(file + ": section '" + s.getKey() + "' names the path '..."
                        + around.replace('\n', ' ').strip() + "...' but cites no Microsoft Learn or Apple page");
            }
        }
        for (String link : links(text)) {
            String bad = badLink(link, dir, repoRoot);
            if (bad != null) {
                problems.add(file + ": link " + link + " " + bad);
            }
        }
        return problems;
    }

    private static List<String> meaning(
            String file, String meaning, List<AlertRule> rules, Map<String, String> thresholds) {
        List<String> problems = new ArrayList<>();
        Set<String> quoted = new LinkedHashSet<>();
        for (String block : blocks(meaning, "promql")) {
            String[] lines = block.split("\n", 2);
            Matcher h = QUOTE_HEADER.matcher(lines[0].strip());
            if (!h.matches()) {
                problems.add(file + ": a ```promql block in 'Meaning' must start with '# severity: <s>, for: <d>'");
                continue;
            }
            quoted.add(h.group(1) + "|" + h.group(2) + "|" + normalise(lines.length > 1 ? lines[1] : ""));
        }
        Set<String> expected = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (AlertRule r : rules) {
            expected.add(r.severity() + "|" + r.forDuration() + "|" + normalise(r.expr()));
            Matcher t = THRESHOLD_REF.matcher(r.expr());
            while (t.find()) {
                names.add(t.group(1));
            }
        }
        for (String e : expected) {
            if (!quoted.contains(e)) {
                String[] p = e.split("\\|", 3);
                problems.add(file + ": 'Meaning' does not quote the " + p[0] + " rule (for: " + p[1]
                        + ") exactly as alert-rules/ has it:\n" + p[2]);
            }
        }
        for (String q : quoted) {
            if (!expected.contains(q)) {
                problems.add(file + ": 'Meaning' quotes an expression that is not the alert's rule:\n"
                        + q.split("\\|", 3)[2]);
            }
        }
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = THRESHOLD_ROW.matcher(meaning);
        while (row.find()) {
            rows.put(row.group(1), row.group(2).strip());
        }
        for (String n : names) {
            String want = thresholds.get(n);
            if (!rows.containsKey(n)) {
                problems.add(file + ": 'Meaning' lacks the table row | `" + n + "` | `" + want + "` |");
            } else if (want == null) {
                problems.add(file + ": threshold " + n + " has no recording rule in alert-rules/");
            } else if (!sameNumber(rows.get(n), want)) {
                problems.add(file + ": 'Meaning' quotes threshold " + n + " = " + rows.get(n) + ", but its rule says "
                        + want);
            }
        }
        for (String n : rows.keySet()) {
            if (!names.contains(n)) {
                problems.add(file + ": 'Meaning' quotes threshold " + n + ", which the alert's rules do not read");
            }
        }
        return problems;
    }

    /** Sections by their '## ' title, in file order (text before the first one is dropped). */
    static Map<String, String> sections(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        boolean inFence = false;
        for (String line : text.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
            }
            if (!inFence && line.startsWith("## ")) {
                if (current != null) {
                    out.put(current, body.toString());
                }
                current = line.substring(3).strip();
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            out.put(current, body.toString());
        }
        return out;
    }

    static List<String> blocks(String text, String language) {
        List<String> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(language)) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    /** Every link target: markdown links, autolinks and bare URLs, outside code. */
    static List<String> links(String text) {
        String prose = FENCE.matcher(text).replaceAll("");
        prose = INLINE_CODE.matcher(prose).replaceAll("");
        List<String> out = new ArrayList<>();
        for (Pattern p : List.of(MD_LINK, AUTO_LINK, BARE_URL)) {
            Matcher m = p.matcher(prose);
            while (m.find()) {
                out.add(m.group(1 <= m.groupCount() ? 1 : 0));
            }
        }
        return out;
    }

    /** Text without code blocks, code spans and link targets: where navigation paths are looked for. */
    private static String prose(String text) {
        String s = FENCE.matcher(text).replaceAll("");
        s = INLINE_CODE.matcher(s).replaceAll("");
        s = MD_LINK.matcher(s).replaceAll("[link]");
        return s.replaceAll("(?m)^\\s*>+", "");
    }

    private static boolean isCitation(String link) {
        try {
            URI u = new URI(link);
            return "https".equals(u.getScheme()) && CITABLE_HOSTS.contains(u.getHost());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Null when the link is acceptable, else why not. */
    static String badLink(String link, Path dir, Path repoRoot) {
        if (link.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            URI u;
            try {
                u = new URI(link);
            } catch (URISyntaxException e) {
                return "is not a well-formed address: " + e.getMessage();
            }
            if (!"https".equals(u.getScheme()) || !CITABLE_HOSTS.contains(u.getHost())) {
                return "must be an https://learn.microsoft.com/... or https://support.apple.com/... address or a path in this repository";
            }
            if (u.getPort() != -1
                    || u.getUserInfo() != null
                    || u.getPath() == null
                    || u.getPath().length() < 2
                    || u.getPath().contains("//")) {
                return "is not a well-formed page address";
            }
            return null;
        }
        if (link.startsWith("#")) {
            return null;
        }
        String path = link.replaceFirst("#.*$", "");
        if (path.isEmpty() || path.startsWith("/")) {
            return "must be a relative path in this repository";
        }
        Path target = dir.resolve(path).normalize();
        if (!target.startsWith(repoRoot)) {
            return "leaves the repository";
        }
        return Files.exists(target) ? null : "points to " + repoRoot.relativize(target) + ", which does not exist";
    }

    /** Whitespace collapsed: YAML block scalars and markdown break and indent lines differently. */
    static String normalise(String expr) {
        return expr.strip().replaceAll("\\s+", " ");
    }

    private static boolean sameNumber(String a, String b) {
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return a.equals(b);
        }
    }

    /** Threshold name to value, from every intune:alert_threshold:value recording rule of alert-rules/. */
    static Map<String, String> thresholds(List<Bundle.Rule> rules) {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern vector = Pattern.compile("^\\s*vector\\(\\s*([^)]+?)\\s*\\)\\s*$");
        for (Bundle.Rule r : rules) {
            if ("intune:alert_threshold:value".equals(r.record())) {
                Matcher m = vector.matcher(r.expr());
                out.put(
                        String.valueOf(r.labels().get("threshold")),
                        m.matches() ? m.group(1) : r.expr().strip());
            }
        }
        return out;
    }

    /** The runbook file name of an alert. */
    static String fileName(String alert) {
        return alert.toLowerCase(Locale.ROOT) + ".md";
    }
}
