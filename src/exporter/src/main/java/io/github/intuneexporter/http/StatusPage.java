package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.scheduler.CollectionScheduler.CollectorStatus;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The landing page at {@code /}: what the exporter is and what it is doing (version, uptime, configuration reloads, every
 * tenant's collectors with last success, duration, next run and last error), with links to the metrics, the health
 * endpoints and the documentation. Plain HTML with inline style: no script, no external asset, so it works air-gapped
 * and under a strict Content-Security-Policy. Error messages are the collectors' own, which never hold secrets.
 */
public final class StatusPage implements HttpHandler {
    /** One tenant's collectors. */
    public record Tenant(String name, String displayName, List<CollectorStatus> collectors) {}

    static final String DOCS = "https://github.com/intune-exporter/intune-exporter/tree/main/docs";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final String metricsPath;
    private final Instant started;
    private final Supplier<List<Tenant>> tenants;
    private final ReloadStatus reload;

    public StatusPage(String metricsPath, Instant started, Supplier<List<Tenant>> tenants, ReloadStatus reload) {
        this.metricsPath = metricsPath;
        this.started = started;
        this.tenants = tenants;
        this.reload = reload;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        byte[] body = render(Instant.now()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The page as of {@code now}. */
    public String render(Instant now) {
        StringBuilder sb = new StringBuilder(4096);
        head(sb);
        buildTable(sb, now);
        links(sb);
        for (Tenant tenant : tenants.get()) {
            tenantSection(sb, tenant, now);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void head(StringBuilder sb) {
        sb.append(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>intune-exporter</title>\n<style>")
                .append(
                        "body{font-family:sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append(
                        "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}")
                .append(".ok{color:#17692e}.failed{color:#b00020}.pending{color:#805b00}")
                .append("</style></head><body>\n<h1>intune-exporter</h1>\n")
                .append("<p>Microsoft Intune metrics from Microsoft Graph for Prometheus.</p>\n<table id=\"build\">\n");
    }

    /** Version, build, start, uptime and the last configuration load. */
    private void buildTable(StringBuilder sb, Instant now) {
        row(sb, "Version", BuildInfo.version());
        row(sb, "Build", "revision " + BuildInfo.revision() + ", Java " + System.getProperty("java.version"));
        row(sb, "Started", TIME.format(started));
        row(sb, "Uptime", duration(Duration.between(started, now)));
        ReloadStatus.Outcome reloaded = reload.last();
        row(
                sb,
                "Last configuration load",
                (reloaded.successful() ? "successful" : "FAILED, previous configuration still in use")
                        + " (last success " + TIME.format(Instant.ofEpochMilli(reloaded.successMillis())) + ")");
    }

    private void links(StringBuilder sb) {
        sb.append("</table>\n<ul id=\"links\">\n");
        link(sb, metricsPath, metricsPath, "metrics");
        // Not a link: without a tenant /probe answers 400. Each tenant's section below links its own.
        sb.append("<li><code>/probe?tenant=NAME</code> one tenant's metrics, by tenant name or id (multi-target"
                + " scraping; each tenant below links its own)</li>\n");
        link(sb, "/-/healthy", "/-/healthy", "liveness");
        link(sb, "/-/ready", "/-/ready", "readiness (after every collector's first run)");
        link(sb, DOCS + "/metrics.md", "docs/metrics.md", "every metric");
        link(sb, DOCS + "/operations.md", "docs/operations.md", "flags, reload, scraping");
        link(sb, DOCS + "/runbooks", "docs/runbooks", "alert runbooks");
        sb.append("</ul>\n");
    }

    /** The tenant's heading, its /probe link and one row per collector. */
    private static void tenantSection(StringBuilder sb, Tenant tenant, Instant now) {
        sb.append("<h2 class=\"tenant\" id=\"tenant-")
                .append(escape(tenant.name()))
                .append("\">Tenant ")
                .append(escape(tenant.name()));
        if (!tenant.displayName().isEmpty() && !tenant.displayName().equals(tenant.name())) {
            sb.append(" (").append(escape(tenant.displayName())).append(')');
        }
        String probe = "/probe?tenant=" + URLEncoder.encode(tenant.name(), StandardCharsets.UTF_8);
        sb.append("</h2>\n<p class=\"probe\"><a href=\"")
                .append(escape(probe))
                .append("\">")
                .append(escape(probe))
                .append("</a> this tenant's metrics alone (one scrape target per tenant)</p>");
        sb.append("\n<table class=\"collectors\" data-tenant=\"")
                .append(escape(tenant.name()))
                .append("\">\n")
                .append(
                        "<tr><th>Collector</th><th>Status</th><th>Interval</th><th>Last success</th><th>Last duration</th>")
                .append("<th>Next run</th><th>Runs / failures</th><th>Last error</th></tr>\n");
        for (CollectorStatus c : tenant.collectors()) {
            collectorRow(sb, c, now);
        }
        sb.append("</table>\n");
    }

    private static void collectorRow(StringBuilder sb, CollectorStatus c, Instant now) {
        String state = !c.attempted() ? "pending" : c.lastSucceeded() ? "ok" : "failed";
        sb.append("<tr class=\"collector\" data-collector=\"")
                .append(escape(c.name()))
                .append("\"><td>")
                .append(escape(c.name()))
                .append("</td><td class=\"")
                .append(state)
                .append("\">")
                .append(c.running() ? state + ", running" : state)
                .append("</td><td>")
                .append(duration(c.interval()))
                .append("</td><td>")
                .append(
                        c.lastSuccessMillis() <= 0
                                ? "never"
                                : TIME.format(Instant.ofEpochMilli(c.lastSuccessMillis())) + " ("
                                        + duration(Duration.ofMillis(
                                                Math.max(0, now.toEpochMilli() - c.lastSuccessMillis())))
                                        + " ago)")
                .append("</td><td>")
                .append(c.attempted() ? String.format("%.2f s", c.lastDurationSeconds()) : "")
                .append("</td><td>")
                .append(
                        c.running()
                                ? "running now"
                                : c.nextRunMillis() <= 0
                                        ? ""
                                        : "in "
                                                + duration(Duration.ofMillis(
                                                        Math.max(0, c.nextRunMillis() - now.toEpochMilli()))))
                .append("</td><td>")
                .append(c.runs())
                .append(" / ")
                .append(c.failures())
                .append("</td><td>")
                .append(escape(c.lastError()))
                .append("</td></tr>\n");
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("<tr><th>")
                .append(escape(name))
                .append("</th><td>")
                .append(escape(value))
                .append("</td></tr>\n");
    }

    private static void link(StringBuilder sb, String href, String text, String what) {
        sb.append("<li><a href=\"")
                .append(escape(href))
                .append("\">")
                .append(escape(text))
                .append("</a> ")
                .append(escape(what))
                .append("</li>\n");
    }

    /** 1h 5m 3s, 250ms below a second. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder();
        if (s >= 86400) {
            sb.append(s / 86400).append("d ");
        }
        if (s >= 3600) {
            sb.append(s % 86400 / 3600).append("h ");
        }
        if (s >= 60) {
            sb.append(s % 3600 / 60).append("m ");
        }
        return sb.append(s % 60).append('s').toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
