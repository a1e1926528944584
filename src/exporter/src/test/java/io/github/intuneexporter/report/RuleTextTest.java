package io.github.intuneexporter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report expands the bundle's templated runbook links and drops template actions from summaries. */
class RuleTextTest {
    @Test
    void runbookLinksAreBuiltFromTheBase() {
        String annotation =
                "{{ with query \"intune:runbook_base_url:info\" }}{{ . | first | label \"url\" }}{{ end }}intunedatastale.md";
        assertEquals(
                "https://wiki.example.com/rb/intunedatastale.md",
                RuleText.runbookUrl(annotation, "https://wiki.example.com/rb/"));
        assertEquals("https://x/plain.md", RuleText.runbookUrl("https://x/plain.md", "ignored/"));
        assertEquals("", RuleText.runbookUrl("{{ $labels.x }}", "docs/runbooks/"));
    }

    @Test
    void summariesLoseTheirTemplates() {
        assertEquals(
                "Microsoft Defender real-time protection is off on many Windows devices.",
                RuleText.withoutTemplates(
                        "[{{ with $labels.tenant }}{{ . }}{{ else }}default{{ end }}] Microsoft Defender real-time protection is off on many Windows devices."));
        assertEquals(
                "[all tenants] No Intune exporter metrics reach Prometheus.",
                RuleText.withoutTemplates("[all tenants] No Intune exporter metrics reach Prometheus."));
        assertEquals("Data of is stale.", RuleText.withoutTemplates("Data of {{ $labels.collector }} is stale."));
    }
}
