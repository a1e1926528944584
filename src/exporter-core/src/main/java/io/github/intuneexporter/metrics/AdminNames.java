package io.github.intuneexporter.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an admin-chosen name (policy, profile, app, connector, token...) becomes a label value. Admins name
 * things after people ("Kiosk - jane.doe@contoso.com", "Phone +44 20 7946 0958", "Laptop C02XK0AAJGH5"), and a label
 * is copied into every Prometheus, remote-write target and dashboard, so anything that looks like an e-mail address
 * or UPN, a DOMAIN\account name, a phone number or a hardware serial is replaced by a short hash of itself (stable,
 * so the series keeps its identity, but not readable). Whitespace is collapsed and the length bounded. Each
 * replaced name is logged once, without the original. {@link TopN} bounds how many names a family exports.
 */
public final class AdminNames {
    private static final Logger LOG = LoggerFactory.getLogger(AdminNames.class);
    /** The label of everything beyond a family's top N. */
    public static final String OTHER = "_other";
    /** The label of a missing or blank name. */
    public static final String UNNAMED = "(unnamed)";

    public static final int DEFAULT_MAX_LENGTH = 120;
    private static final int MAX_WARNED = 10_000;
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Integer> LAST_CUT = new ConcurrentHashMap<>();

    private record Kind(String name, Pattern pattern) {}

    /** In order: an e-mail inside an account name must be seen as an e-mail. */
    private static final List<Kind> KINDS = List.of(
            new Kind("email", Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}")),
            new Kind("account", Pattern.compile("\\b[A-Za-z0-9][A-Za-z0-9.-]{0,62}\\\\[A-Za-z0-9._$-]{1,64}")),
            // 8+ digits, optionally with a leading + and separators: phone numbers, also long numeric serials and
            // IMEIs.
            new Kind(
                    "phone",
                    Pattern.compile("(?<![A-Za-z0-9])(?:\\+|\\+?\\()?\\d(?:[ ().-]{0,2}\\d){7,}(?![A-Za-z0-9])")),
            // 8+ characters of upper-case letters and digits with at least 3 digits and 2 letters: hardware serials
            // (C02XK0AAJGH5, 5CG1234XYZ, R58M123ABC) but not WIN10 or O365.
            new Kind("serial", Pattern.compile("\\b(?=(?:[A-Z]*\\d){3})(?=(?:\\d*[A-Z]){2})[A-Z0-9]{8,}\\b")));

    private AdminNames() {}

    /** The label for {@code raw} in {@code family} (for the log line, e.g. "compliance policy"), at most 120 characters. */
    public static String label(String family, String raw) {
        return label(family, raw, DEFAULT_MAX_LENGTH);
    }

    public static String label(String family, String raw, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return UNNAMED;
        }
        String s = raw.strip().replaceAll("\\s+", " ");
        Set<String> found = new LinkedHashSet<>();
        for (Kind kind : KINDS) {
            List<int[]> guids = guidSpans(s);
            Matcher m = kind.pattern().matcher(s);
            StringBuilder out = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                if (overlaps(guids, m.start(), m.end())) {
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                    continue;
                }
                any = true;
                m.appendReplacement(out, Matcher.quoteReplacement(kind.name() + "-" + hash(m.group())));
            }
            if (any) {
                m.appendTail(out);
                s = out.toString();
                found.add(kind.name());
            }
        }
        if (s.length() > maxLength) {
            s = s.substring(0, maxLength);
        }
        if (!found.isEmpty() && WARNED.size() < MAX_WARNED && WARNED.add(family + "\u0000" + raw)) {
            LOG.warn(
                    "A {} name holds what looks like personal data ({}); it is exported as \"{}\" (the original is not logged). "
                            + "Rename it in Intune to keep the label readable.",
                    family,
                    String.join(", ", found),
                    s);
        }
        return s;
    }

    // An object id (GUID) is no personal data, but one in four has 8 digits in a row or across a hyphen, which the
    // phone pattern would hash: ids used as names (a connector without a display name) stay readable.
    private static final Pattern GUID = Pattern.compile(
            "(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])");

    private static List<int[]> guidSpans(String s) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = GUID.matcher(s);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        return spans;
    }

    private static boolean overlaps(List<int[]> spans, int start, int end) {
        return spans.stream().anyMatch(g -> start < g[1] && g[0] < end);
    }

    /** True when {@link #label} would replace part of {@code raw}. */
    public static boolean looksPersonal(String raw) {
        if (raw == null) {
            return false;
        }
        List<int[]> guids = guidSpans(raw);
        for (Kind kind : KINDS) {
            Matcher m = kind.pattern().matcher(raw);
            while (m.find()) {
                if (!overlaps(guids, m.start(), m.end())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(value.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Bounds a family's label values: names offered in rank order (most important first) get their own label up to
     * {@code max} distinct ones, every later one is {@link #OTHER}. Values of the same label add up in a
     * {@link GaugeFamily#add}, so {@code _other} carries the rest. Logs once (at info) when it cuts, and again when the number cut changes.
     */
    public static final class TopN {
        private final String family;
        private final String setting;
        private final int max;
        private final Set<String> kept = new LinkedHashSet<>();
        private final List<String> cut = new ArrayList<>();

        public TopN(String family, String setting, int max) {
            this.family = family;
            this.setting = setting;
            this.max = max;
        }

        /** The label of the next name in rank order. */
        public String label(String raw) {
            return rank(AdminNames.label(family, raw));
        }

        /** The label of the next name in rank order, for a name already made a label by {@link AdminNames#label}. */
        public String rank(String name) {
            if (kept.contains(name) || kept.size() < max && kept.add(name)) {
                return name;
            }
            cut.add(name);
            return OTHER;
        }

        /** Logs the cut after the last {@link #label} of a run: once, and again only when the number cut changes. */
        public void finish() {
            Integer before = cut.isEmpty() ? null : LAST_CUT.put(family + "\u0000" + setting, cut.size());
            if (!cut.isEmpty() && (before == null || before != cut.size())) {
                // Info, not a warning: bounding label values is the design; the operator may raise the limit.
                LOG.info(
                        "{} {} names: the first {} are exported by name, the other {} add up as \"{}\" (raise {} to"
                                + " export more)",
                        kept.size() + cut.size(),
                        family,
                        max,
                        cut.size(),
                        OTHER,
                        setting);
            }
        }
    }
}
