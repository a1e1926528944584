package io.github.intuneexporter.simulator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The $filter forms Intune accepts and the exporter uses: comparisons joined with "and", e.g.
 * {@code operatingSystem eq 'Windows' and lastSyncDateTime lt 2024-01-01T00:00:00Z}. Anything else is
 * rejected with 400, so a collector that sends a filter Intune would not honour fails loudly in tests.
 */
final class ODataFilter {
    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9/]*)\\s+(eq|ne|lt|gt|le|ge)\\s+('(?:[^']|'')*'|[0-9TZ:.+-]+|true|false|null)\\s*");

    private final List<Clause> clauses;

    private record Clause(String field, String op, Object value) {}

    private ODataFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    static ODataFilter parse(String text) {
        List<Clause> clauses = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new ODataFilter(clauses);
        }
        for (String part : text.split("(?i)\\s+and\\s+")) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("Invalid filter clause: " + part.trim());
            }
            clauses.add(new Clause(m.group(1), m.group(2).toLowerCase(Locale.ROOT), literal(m.group(3))));
        }
        return new ODataFilter(clauses);
    }

    List<String> fields() {
        return clauses.stream().map(Clause::field).toList();
    }

    private static Object literal(String raw) {
        if (raw.startsWith("'")) {
            return raw.substring(1, raw.length() - 1).replace("''", "'");
        }
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.valueOf(raw);
        }
        if (raw.equals("null")) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            try {
                return Double.valueOf(raw);
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException("Invalid literal in filter: " + raw);
            }
        }
    }

    /** Whether an item matches; {@code field} gives an item's value of a property (String, Instant, Boolean, Number or null). */
    boolean test(Function<String, Object> field) {
        for (Clause c : clauses) {
            if (!test(c, field.apply(c.field()))) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean test(Clause c, Object actual) {
        Object expected = c.value();
        if (actual instanceof String s && expected instanceof String e) {
            // Intune compares enum and string properties case-insensitively.
            int cmp = s.compareToIgnoreCase(e);
            return compare(c.op(), cmp);
        }
        if (actual == null || expected == null) {
            boolean same = actual == expected;
            return c.op().equals("eq") ? same : c.op().equals("ne") && !same;
        }
        if (actual instanceof Number a && expected instanceof Number b) {
            return compare(c.op(), Double.compare(a.doubleValue(), b.doubleValue()));
        }
        if (actual instanceof Comparable a && expected.getClass().isInstance(actual)) {
            return compare(c.op(), a.compareTo(expected));
        }
        throw new IllegalArgumentException("Invalid filter: cannot compare " + c.field() + " with " + expected);
    }

    private static boolean compare(String op, int cmp) {
        return switch (op) {
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            case "lt" -> cmp < 0;
            case "gt" -> cmp > 0;
            case "le" -> cmp <= 0;
            default -> cmp >= 0;
        };
    }
}
