package io.github.intuneexporter.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report shows numbers, shares, durations and times (English, UTC). */
final class Format {
    private Format() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static String number(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 || Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,d", Math.round(v));
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** A change of a ratio, in percentage points with a sign. */
    static String points(double delta) {
        return String.format(Locale.ROOT, "%+.1f pp", delta * 100);
    }

    static String days(double days) {
        if (days < 0) {
            return String.format(Locale.ROOT, "expired %.0f days ago", -days);
        }
        return String.format(Locale.ROOT, "%.0f days", Math.floor(days));
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return (s / 60) + " min";
        }
        if (s < 2 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
        }
        return String.format(Locale.ROOT, "%.1f days", s / 86400.0);
    }

    private static final DateTimeFormatter SHORT =
            DateTimeFormatter.ofPattern("MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Month, day and time: in tables, under a header that gives the year and the zone. */
    static String shortTime(Instant t) {
        return SHORT.format(t);
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    /** Escapes text for SVG/HTML built outside the template (the template escapes by itself). */
    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
