package io.github.intuneexporter.collector.kit;

import io.github.intuneexporter.metrics.GaugeFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric families one collector exports, declared up front in the collector's own file as a text block:
 *
 * <pre>
 * gauge intune_overview_devices{operating_system}
 *     Enrolled devices by operating system, from managedDeviceOverview.
 * counter intune_audit_events{category,operation_type,result}
 *     Intune audit events by category, operation type and result.
 * </pre>
 *
 * A line at the margin gives the type, the name (a counter's without {@code _total}) and the labels, written as a
 * PromQL selector is; the indented lines below it are the help text, joined by single spaces. The help texts are prose
 * and the name is what dashboards, alerts and docs/metrics.md use, so a collector fills a family by its name
 * ({@link #gauge(String)}): searching for a metric's name finds its declaration and the line that fills it.
 */
public final class FamilySpecs {

    private static final Pattern HEADER =
            Pattern.compile("(gauge|counter) ([a-z0-9_]+)(?:\\{([a-z0-9_]+(?:,[a-z0-9_]+)*)})?");

    private final Map<String, FamilySpec> byName;

    private FamilySpecs(Map<String, FamilySpec> byName) {
        this.byName = byName;
    }

    /** Reads declarations in the form above; a malformed one fails the collector's class initialisation. */
    public static FamilySpecs parse(String declarations) {
        Map<String, FamilySpec> specs = new LinkedHashMap<>();
        List<String> lines = declarations.lines().toList();
        for (int i = 0; i < lines.size(); ) {
            String header = lines.get(i);
            if (header.isBlank()) {
                i++;
                continue;
            }
            Matcher m = HEADER.matcher(header);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1)
                        + ": expected \"gauge|counter name{label,...}\" at the margin, got: " + header);
            }
            List<String> help = new ArrayList<>();
            for (i++; i < lines.size() && lines.get(i).startsWith(" "); i++) {
                help.add(lines.get(i).strip());
            }
            if (help.isEmpty()) {
                throw new IllegalArgumentException(m.group(2) + ": no help text on the indented lines below it");
            }
            String[] labels = m.group(3) == null ? new String[0] : m.group(3).split(",");
            FamilySpec spec = m.group(1).equals("gauge")
                    ? FamilySpec.gauge(m.group(2), String.join(" ", help), labels)
                    : FamilySpec.counter(m.group(2), String.join(" ", help), labels);
            add(specs, spec);
        }
        return new FamilySpecs(specs);
    }

    /** These families followed by {@code more}'s. */
    public FamilySpecs and(FamilySpecs more) {
        Map<String, FamilySpec> all = new LinkedHashMap<>(byName);
        more.byName.values().forEach(spec -> add(all, spec));
        return new FamilySpecs(all);
    }

    /** The declared family of that name (a counter's without {@code _total}). */
    public FamilySpec get(String name) {
        FamilySpec spec = byName.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(name + " is not declared here; declared: " + byName.keySet());
        }
        return spec;
    }

    /** A new, empty gauge of the declared family for one run. */
    public GaugeFamily gauge(String name) {
        return get(name).gauge();
    }

    /** Every family, in declaration order (the order of the exposition). */
    public List<FamilySpec> list() {
        return List.copyOf(byName.values());
    }

    private static void add(Map<String, FamilySpec> specs, FamilySpec spec) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalArgumentException(spec.name() + " is declared twice");
        }
    }
}
