package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.scheduler.CollectionScheduler.CollectorStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPageTest {
    @Test
    void listsEveryCollectorWithItsStateAndEscapesErrors() {
        Instant now = Instant.parse("2026-12-06T05:00:00Z");
        var reload = new io.github.intuneexporter.http.ReloadStatus(java.time.Clock.systemUTC());
        List<StatusPage.Tenant> tenants = List.of(new StatusPage.Tenant(
                "contoso",
                "Contoso <Ltd>",
                List.of(
                        new CollectorStatus(
                                "devices",
                                Duration.ofMinutes(15),
                                true,
                                true,
                                now.minusSeconds(90).toEpochMilli(),
                                1.5,
                                now.plusSeconds(600).toEpochMilli(),
                                false,
                                3,
                                0,
                                ""),
                        new CollectorStatus(
                                "service_health",
                                Duration.ofMinutes(5),
                                true,
                                false,
                                0,
                                0.2,
                                now.plusSeconds(60).toEpochMilli(),
                                false,
                                2,
                                2,
                                "Graph /admin: HTTP 403 <script>alert(1)</script>"),
                        new CollectorStatus(
                                "compliance", Duration.ofMinutes(5), false, false, 0, 0, 0, true, 0, 0, ""))));
        String html = new StatusPage("/metrics", now.minus(Duration.ofHours(2).plusMinutes(3)), () -> tenants, reload)
                .render(now);
        assertTrue(html.contains("<td>2h 3m 0s</td>"), html);
        assertTrue(html.contains("Contoso &lt;Ltd&gt;"));
        assertTrue(
                html.contains(
                        "data-collector=\"devices\"><td>devices</td><td class=\"ok\">ok</td><td>15m 0s</td>"
                                + "<td>2026-12-06 04:58:30 UTC (1m 30s ago)</td><td>1.50 s</td><td>in 10m 0s</td><td>3 / 0</td>"),
                html);
        assertTrue(html.contains("<td class=\"failed\">failed</td>")
                && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(html.contains("<script>"));
        assertFalse(html.contains("href=\"/probe?tenant=\""), "no link to /probe without a tenant (400)");
        assertTrue(html.contains("/probe?tenant=NAME"), html);
        assertTrue(html.contains("<td class=\"pending\">pending, running</td>") && html.contains("running now"));
        assertEquals("250ms", StatusPage.duration(Duration.ofMillis(250)));
        assertEquals("1d 0h 0m 5s", StatusPage.duration(Duration.ofDays(1).plusSeconds(5)));
    }
}
