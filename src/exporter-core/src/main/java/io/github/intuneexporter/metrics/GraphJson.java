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
     * The Unix second of a timestamp, or {@code never} where {@link #instant(String)} gives null. See
     * {@link #epochSecond(char[], int, int, long)}.
     */
    public static long epochSecond(String raw, long never) {
        return raw == null ? never : epochSecond(raw.toCharArray(), 0, raw.length(), never);
    }

    /**
     * The Unix second of the timestamp in {@code text[offset, offset + length)} (a parser's text buffer), or
     * {@code never} where {@link #instant(String)} gives null. The canonical form Graph sends,
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, is read from its digits in place without allocating (a full device
     * scan reads millions of them); any other form (an offset, a year before 1971, odd text) takes the slow,
     * lenient path through {@link #instant(String)}.
     */
    public static long epochSecond(char[] text, int offset, int length, long never) {
        if (length == 0 || isNoValue(text, offset, length)) {
            return never;
        }
        long fast = canonicalUtc(text, offset, length);
        if (fast != NOT_CANONICAL) {
            return fast;
        }
        Instant t = instant(new String(text, offset, length));
        return t == null ? never : t.getEpochSecond();
    }

    /** Graph's "no value" for a timestamp: year 0001 ({@code 0001-01-01T00:00:00Z}). */
    private static boolean isNoValue(char[] s, int at, int length) {
        return length >= 5
                && s[at] == '0'
                && s[at + 1] == '0'
                && s[at + 2] == '0'
                && s[at + 3] == '1'
                && s[at + 4] == '-';
    }

    private static final long NOT_CANONICAL = Long.MIN_VALUE + 1;

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} from 1971 on, as Unix seconds; {@link #NOT_CANONICAL} otherwise. */
    private static long canonicalUtc(char[] s, int at, int n) {
        if (n < 20
                || n > 30
                || s[at + n - 1] != 'Z'
                || s[at + 4] != '-'
                || s[at + 7] != '-'
                || s[at + 10] != 'T'
                || s[at + 13] != ':'
                || s[at + 16] != ':'
                || (n > 20 && (n == 21 || s[at + 19] != '.' || digits(s, at + 20, n - 21) < 0))) {
            return NOT_CANONICAL;
        }
        int century = twoDigits(s, at);
        int yearOfCentury = twoDigits(s, at + 2);
        int year = century * 100 + yearOfCentury;
        int month = twoDigits(s, at + 5);
        int day = twoDigits(s, at + 8);
        int hour = twoDigits(s, at + 11);
        int minute = twoDigits(s, at + 14);
        int second = twoDigits(s, at + 17);
        // A non-digit makes its pair negative; month and day are checked by epochDay.
        if (century < 0
                || yearOfCentury < 0
                || year < 1971
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_CANONICAL;
        }
        long epochDay = epochDay(year, month, day);
        if (epochDay == Long.MIN_VALUE) {
            return NOT_CANONICAL; // e.g. February 30th: the slow path rejects it too
        }
        return epochDay * 86400L + hour * 3600L + minute * 60L + second;
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date, or {@code Long.MIN_VALUE} when month or day is out of
     * range (February 29th only in leap years). Same result as {@code LocalDate.of(y, m, d).toEpochDay()}
     * without its allocation and exception (H. Hinnant's days_from_civil).
     */
    public static long epochDay(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            return Long.MIN_VALUE;
        }
        long y = month <= 2 ? year - 1L : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The two digits at {@code at} as 0..99, or a negative number if either is not a digit (the hot path of dates). */
    private static int twoDigits(char[] s, int at) {
        int tens = s[at] - '0';
        int ones = s[at + 1] - '0';
        return (tens | ones | (9 - tens) | (9 - ones)) < 0 ? -1 : tens * 10 + ones;
    }

    /** The decimal value of {@code length} (at most 9) digits at {@code from}, or -1 if any is not a digit. */
    public static int digits(char[] s, int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; i++) {
            char c = s[i];
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
