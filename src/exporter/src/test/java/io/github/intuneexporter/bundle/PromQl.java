package io.github.intuneexporter.bundle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small PromQL scanner: finds the metric selectors of an expression (metric names and their label matchers)
 * and the range selectors, without a full parser. Good enough for lints; promtool checks the syntax.
 */
final class PromQl {
    private PromQl() {}

    /** A vector selector: metric name (null for {__name__=...} forms) and the text between braces ("" if none). */
    record Selector(String metric, String matchers) {}

    /** A range such as [5m] or [$__rate_interval], with the function it is an argument of (may be ""). */
    record Range(String function, String duration) {}

    private static final Set<String> KEYWORDS_WITH_LABELS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
    private static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    /** An aggregation's by/without labels and its argument: {@code sum by (a, b) (arg)} or {@code sum (arg) by (a)}. */
    record Grouping(String aggregation, List<String> labels, String argument) {}

    static List<Grouping> groupings(String e) {
        List<Grouping> out = new ArrayList<>();
        for (int i = 0; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '"' || ch == '\'' || ch == '`') {
                i = skipString(e, i) - 1;
                continue;
            }
            if (!Character.isLetter(ch) || (i > 0 && isNameChar(e.charAt(i - 1)))) {
                continue;
            }
            int end = i;
            while (end < e.length() && isNameChar(e.charAt(end))) {
                end++;
            }
            String word = e.substring(i, end);
            if (AGGREGATIONS.contains(word)) {
                grouping(e, word, end).ifPresent(out::add);
            }
            i = end - 1;
        }
        return out;
    }

    private static java.util.Optional<Grouping> grouping(String e, String aggregation, int afterName) {
        int j = skipSpace(e, afterName);
        List<String> labels = null;
        if (startsWithWord(e, j, "by") || startsWithWord(e, j, "without")) {
            int open = skipSpace(e, j + (startsWithWord(e, j, "by") ? 2 : 7));
            int close = matching(e, open, '(', ')');
            labels = labelList(e.substring(open + 1, close));
            j = skipSpace(e, close + 1);
        }
        if (j >= e.length() || e.charAt(j) != '(') {
            return java.util.Optional.empty();
        }
        int argClose = matching(e, j, '(', ')');
        String argument = e.substring(j + 1, argClose);
        if (labels == null) {
            int k = skipSpace(e, argClose + 1);
            if (!startsWithWord(e, k, "by") && !startsWithWord(e, k, "without")) {
                return java.util.Optional.empty();
            }
            int open = skipSpace(e, k + (startsWithWord(e, k, "by") ? 2 : 7));
            labels = labelList(e.substring(open + 1, matching(e, open, '(', ')')));
        }
        return java.util.Optional.of(new Grouping(aggregation, labels, argument));
    }

    private static boolean startsWithWord(String e, int i, String word) {
        int end = i + word.length();
        return e.startsWith(word, i) && (end >= e.length() || !isNameChar(e.charAt(end)));
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static List<String> labelList(String inside) {
        List<String> labels = new ArrayList<>();
        for (String l : inside.split(",")) {
            if (!l.isBlank()) {
                labels.add(l.trim());
            }
        }
        return labels;
    }

    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        for (Selector s : selectors(expr)) {
            if (s.metric() != null) {
                names.add(s.metric());
            }
        }
        return names;
    }

    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        scan(expr, out, new ArrayList<>());
        return out;
    }

    static List<Range> ranges(String expr) {
        List<Range> out = new ArrayList<>();
        scan(expr, new ArrayList<>(), out);
        return out;
    }

    private static void scan(String e, List<Selector> selectors, List<Range> ranges) {
        int n = e.length();
        int i = 0;
        List<String> functionStack = new ArrayList<>();
        String pendingFunction = "";
        while (i < n) {
            char c = e.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(e, i);
            } else if (c == '{') {
                int end = matching(e, i, '{', '}');
                selectors.add(new Selector(null, e.substring(i + 1, end)));
                i = end + 1;
            } else if (c == '[') {
                int end = matching(e, i, '[', ']');
                String fn = functionStack.isEmpty() ? "" : functionStack.get(functionStack.size() - 1);
                ranges.add(new Range(fn, e.substring(i + 1, end).trim()));
                i = end + 1;
            } else if (c == '(') {
                functionStack.add(pendingFunction);
                pendingFunction = "";
                i++;
            } else if (c == ')') {
                if (!functionStack.isEmpty()) {
                    functionStack.remove(functionStack.size() - 1);
                }
                i++;
            } else if (c == '$') {
                i++;
                if (i < n && e.charAt(i) == '{') {
                    i = matching(e, i, '{', '}') + 1;
                } else {
                    while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_')) {
                        i++;
                    }
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(e.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(e.charAt(i)) || e.charAt(i) == '_' || e.charAt(i) == ':')) {
                    i++;
                }
                String word = e.substring(start, i);
                int j = skipSpace(e, i);
                String lower = word.toLowerCase(Locale.ROOT);
                if (KEYWORDS_WITH_LABELS.contains(lower)) {
                    if (j < n && e.charAt(j) == '(') {
                        i = matching(e, j, '(', ')') + 1;
                    }
                } else if (KEYWORDS.contains(lower)) {
                    // binary operator, modifier or literal
                } else if (AGGREGATIONS.contains(lower) || (j < n && e.charAt(j) == '(')) {
                    pendingFunction = word;
                } else if (j < n && e.charAt(j) == '{') {
                    int end = matching(e, j, '{', '}');
                    selectors.add(new Selector(word, e.substring(j + 1, end)));
                    i = end + 1;
                } else {
                    selectors.add(new Selector(word, ""));
                }
            } else {
                i++;
            }
        }
    }

    private static int skipSpace(String e, int i) {
        while (i < e.length() && Character.isWhitespace(e.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipString(String e, int i) {
        char q = e.charAt(i);
        i++;
        while (i < e.length() && e.charAt(i) != q) {
            if (e.charAt(i) == '\\' && q != '`') {
                i++;
            }
            i++;
        }
        return i + 1;
    }

    private static int matching(String e, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < e.length(); i++) {
            char ch = e.charAt(i);
            if (ch == '"' || ch == '\'' || ch == '`') {
                i = skipString(e, i) - 1;
            } else if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced '" + o + "' in: " + e);
    }
}
