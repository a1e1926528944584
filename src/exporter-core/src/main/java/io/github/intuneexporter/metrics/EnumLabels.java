package io.github.intuneexporter.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns Graph enum strings into bounded label values. Graph sends camelCase, the docs show PascalCase and
 * some reports use spaces or underscores; all of them are the same value. Anything outside the known set
 * becomes {@code unknown}, so a new enum member never adds series or crashes a run.
 */
public final class EnumLabels {
    public static final String UNKNOWN = "unknown";

    private EnumLabels() {}

    /** {@code inGracePeriod}, {@code InGracePeriod}, {@code in_grace_period} and {@code in grace period} all give in_grace_period. */
    public static String snake(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length() + 8);
        // Apple's product names are one word each, not i_os / mac_os.
        String s =
                raw.trim().replace("iPadOS", "Ipados").replace("macOS", "Macos").replace("iOS", "Ios");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean prevLowerOrDigit =
                        i > 0 && (Character.isLowerCase(s.charAt(i - 1)) || Character.isDigit(s.charAt(i - 1)));
                boolean nextLower = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
                boolean prevUpper = i > 0 && Character.isUpperCase(s.charAt(i - 1));
                if (out.length() > 0
                        && out.charAt(out.length() - 1) != '_'
                        && (prevLowerOrDigit || (prevUpper && nextLower))) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if (c == ' ' || c == '-' || c == '_') {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
            } else {
                out.append(Character.toLowerCase(c));
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '_') {
            end--;
        }
        return out.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The snake_case value if it is in {@code known}, else {@code unknown}. */
    public static String bounded(String raw, Set<String> known) {
        String value = snake(raw);
        return known.contains(value) ? value : UNKNOWN;
    }

    /**
     * Splits a flags enum such as {@code "rebootPending, fullScanPending"} into bounded values. The SDK
     * splits on "," without trimming and so loses every flag after the first when Graph adds spaces.
     */
    public static List<String> flags(String raw, Set<String> known) {
        List<String> out = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String part : raw.split("[,|]")) {
            if (!part.isBlank()) {
                String value = bounded(part, known);
                if (!out.contains(value)) {
                    out.add(value);
                }
            }
        }
        return out;
    }
}
