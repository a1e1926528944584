package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code /probe?tenant=<name or tenant id>}: one tenant's last good snapshot, the Prometheus multi-target exporter
 * pattern, so that a large MSP scrapes each tenant as its own target (its own {@code up}, {@code scrape_duration_seconds}
 * and sample limit). Served like {@code /metrics} (text from the bytes rendered once per collector run, OpenMetrics or
 * protobuf as negotiated, gzip when asked); it only reads snapshots, never Graph. A missing or unknown tenant gets a one-line 400 or 404.
 */
public final class ProbeHandler implements HttpHandler {
    /** Longest tenant parameter echoed in an error message. */
    private static final int ECHO_LIMIT = 80;

    private final Function<String, Optional<Target>> tenants;
    private final TextExposition text;

    /**
     * One tenant's series: its collector data (served from the cache of rendered bytes) and {@code series}, which
     * gives all of its series or, filtered by name, the rest (its collectors' own metrics, its Graph requests).
     */
    public record Target(TextExposition.TenantData data, Function<Predicate<String>, MetricSnapshots> series) {}

    /**
     * {@code tenants} finds the tenant with a given name or tenant id (case-insensitive); {@code text} is the cache
     * {@code /metrics} renders the same tenants' data into.
     */
    public ProbeHandler(Function<String, Optional<Target>> tenants, TextExposition text) {
        this.tenants = tenants;
        this.text = text;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String tenant = parameter(exchange.getRequestURI().getRawQuery(), "tenant");
        if (tenant == null || tenant.isBlank()) {
            text(exchange, 400, "Bad Request: missing parameter, use /probe?tenant=<tenant name or tenant id>\n");
            return;
        }
        Optional<Target> found = tenants.apply(tenant.trim());
        if (found.isEmpty()) {
            text(
                    exchange,
                    404,
                    "Not Found: this exporter reads no tenant '" + printable(tenant)
                            + "' (names and ids are on the status page /)\n");
            return;
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Type", MetricsEndpoint.headContentType(exchange));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        Target target = found.get();
        // The text format from the cache; any other format from a registry of the one tenant, through the client
        // library's handler, as for /metrics.
        MetricsEndpoint.serve(
                exchange,
                text,
                List.of(target.data()),
                target.series(),
                other -> {
                    PrometheusRegistry one = new PrometheusRegistry();
                    one.register(() -> target.series().apply(name -> true));
                    new MetricsHandler(one).handle(other);
                },
                false);
    }

    /** The first value of {@code name} in a raw query string, decoded; null when absent or not decodable. */
    static String parameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The parameter as it may appear in a one-line answer: printable ASCII only, shortened. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
            if (sb.length() >= ECHO_LIMIT) {
                return sb.append("...").toString();
            }
        }
        return sb.toString();
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
