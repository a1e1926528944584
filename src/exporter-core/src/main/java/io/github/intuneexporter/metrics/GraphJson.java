package io.github.intuneexporter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** Lenient reads of Graph JSON values: a missing or odd field gives "absent", never an exception. */
public final class GraphJson {
    private GraphJson() {}

    /** A count field: a JSON number or a numeric string; absent otherwise. */
    public static OptionalLong count(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (v.isIntegralNumber()) {
            return OptionalLong.of(v.longValue());
        }
        if (v.isNumber()) {
            return OptionalLong.of((long) v.doubleValue());
        }
        if (v.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(v.textValue().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * An ISO-8601 timestamp; null for absent, unparseable, and Graph's "never" (0001-01-01 or any year before 1971).
     */
    public static Instant instant(String raw) {
        if (raw == null || raw.isEmpty() || raw.startsWith("0001-")) {
            return null;
        }
        Instant t;
        try {
            t = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            try {
                t = OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        return t.getEpochSecond() < 31_536_000L ? null : t;
    }

    /**
     * The Unix second of a timestamp, or {@code never} where {@link #instant(String)} gives null. The canonical
     * form Graph sends, {@code yyyy-MM-ddTHH:mm:ss[.fffffff]Z}, is read directly from its digits (a full scan reads
     * a million of them); every other form goes through {@link #instant(String)}.
     */
    public static long epochSecond(String raw, long never) {
        if (raw == null || raw.isEmpty() || raw.startsWith("0001-")) {
            return never;
        }
        int n = raw.length();
        if (n >= 20
                && raw.charAt(n - 1) == 'Z'
                && raw.charAt(4) == '-'
                && raw.charAt(7) == '-'
                && raw.charAt(10) == 'T'
                && raw.charAt(13) == ':'
                && raw.charAt(16) == ':'
                && (n == 20 || (raw.charAt(19) == '.' && n >= 22 && n <= 30))) {
            int year = digits(raw, 0, 4);
            int month = digits(raw, 5, 2);
            int day = digits(raw, 8, 2);
            int hour = digits(raw, 11, 2);
            int minute = digits(raw, 14, 2);
            int second = digits(raw, 17, 2);
            boolean fraction = n == 20 || digits(raw, 20, n - 21) >= 0;
            if (year >= 1971
                    && month >= 1
                    && month <= 12
                    && day >= 1
                    && day <= 31
                    && hour >= 0
                    && hour <= 23
                    && minute >= 0
                    && minute <= 59
                    && second >= 0
                    && second <= 59
                    && fraction) {
                try {
                    return java.time.LocalDate.of(year, month, day).toEpochDay() * 86400L
                            + hour * 3600L
                            + minute * 60L
                            + second;
                } catch (java.time.DateTimeException e) {
                    return never; // e.g. February 30th: instant(raw) rejects it too
                }
            }
        }
        Instant t = instant(raw);
        return t == null ? never : t.getEpochSecond();
    }

    /** The decimal value of {@code length} digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String s, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static Instant instant(JsonNode node, String field) {
        return instant(text(node, field));
    }
}
