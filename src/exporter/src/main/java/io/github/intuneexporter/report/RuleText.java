package io.github.intuneexporter.report;

import java.util.regex.Pattern;

/**
 * Alert rule annotations as Prometheus' rules API returns them: Go templates, unexpanded. The report shows them without
 * a running alert to expand them against, so it expands the one template the bundle's links use (the runbook base URL)
 * and drops the rest.
 */
final class RuleText {
    static final String RUNBOOK_BASE_QUERY = "intune:runbook_base_url:info";
    static final String DEFAULT_RUNBOOK_BASE = "docs/runbooks/";
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.*?}}");
    /** The "[tenant] " prefix of the bundle's summaries, which names a tenant only once expanded. */
    private static final Pattern TENANT_PREFIX = Pattern.compile("^\\[[^]]*]\\s*");

    private RuleText() {}

    /** {@code {{ with query "intune:runbook_base_url:info" }}...{{ end }}page.md} becomes {@code base + page.md}. */
    static String runbookUrl(String annotation, String base) {
        if (!annotation.contains("{{")) {
            return annotation;
        }
        String page = annotation.substring(annotation.lastIndexOf("}}") + 2).strip();
        return page.isEmpty() ? "" : base + page;
    }

    /** The text without its template actions, e.g. "[{{ $labels.tenant }}] Compliance is low." becomes "Compliance is low.". */
    static String withoutTemplates(String annotation) {
        if (!annotation.contains("{{")) {
            return annotation;
        }
        String text = TENANT_PREFIX.matcher(annotation).replaceFirst("");
        return TEMPLATE.matcher(text).replaceAll("").replaceAll("\\s+", " ").strip();
    }
}
