package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.intuneexporter.http.TextExposition.TenantData;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics}: the Prometheus text format from the bytes cached by {@link TextExposition} (what Prometheus asks
 * for by default), and client_java's own handler for everything else it negotiates: OpenMetrics and protobuf, the
 * {@code name[]} filter and the {@code debug} parameter. Compressed with gzip when the client accepts it, at the fastest
 * level: a full scrape of hundreds of tenants is tens of megabytes of repetitive text, which the fastest level still
 * shrinks about thirty times in a fraction of the time of the default one.
 */
public final class MetricsEndpoint implements HttpHandler {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private final TextExposition text;
    private final Supplier<List<TenantData>> tenants;
    private final Function<Predicate<String>, MetricSnapshots> series;
    private final HttpHandler other;

    /**
     * Serves {@code registry}; the collector data of {@code tenants}, which the registry serves too, comes from the
     * cache of {@code text} when the client asks for the text format.
     */
    public MetricsEndpoint(PrometheusRegistry registry, TextExposition text, Supplier<List<TenantData>> tenants) {
        this.text = text;
        this.tenants = tenants;
        this.series = registry::scrape;
        this.other = new MetricsHandler(registry);
    }

    /** Serves {@code registry} with nothing cached (a registry whose data changes at every scrape). */
    public static MetricsEndpoint of(PrometheusRegistry registry) {
        return new MetricsEndpoint(registry, new TextExposition(false), List::of);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        serve(exchange, text, tenants.get(), series, other, true);
    }

    /**
     * Answers a GET with {@code tenants}' cached collector data and the rest of {@code series} in the text format, or
     * hands the request to {@code other} when the client negotiates anything else.
     */
    static void serve(
            HttpExchange exchange,
            TextExposition text,
            List<TenantData> tenants,
            Function<Predicate<String>, MetricSnapshots> series,
            HttpHandler other,
            boolean forgetOthers)
            throws IOException {
        if (!textFormat(exchange)) {
            other.handle(exchange);
            return;
        }
        List<byte[]> body;
        try {
            body = text.render(tenants, series, forgetOthers);
        } catch (RuntimeException e) { // a collector's bad snapshot: one line, as client_java answers it
            byte[] message = ("An Exception occurred while scraping metrics: " + e.getMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(500, message.length);
            exchange.getResponseBody().write(message);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", text.contentType());
        if (acceptsGzip(exchange)) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream gzip = new FastGzip(exchange.getResponseBody())) {
                for (byte[] part : body) {
                    gzip.write(part);
                }
            }
            return;
        }
        long length = 0;
        for (byte[] part : body) {
            length += part.length;
        }
        exchange.sendResponseHeaders(200, length == 0 ? -1 : length);
        OutputStream out = exchange.getResponseBody();
        for (byte[] part : body) {
            out.write(part);
        }
    }

    /** The Prometheus text format, negotiated as client_java does, with no filter or debug parameter. */
    static boolean textFormat(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (hasParameter(query, "name[]") || hasParameter(query, "debug")) {
            return false;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return FORMATS.findWriter(accept) instanceof PrometheusTextFormatWriter
                && EscapingScheme.fromAcceptHeader(accept) == TextExposition.ESCAPING;
    }

    private static boolean hasParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return true; // undecodable: client_java answers it (400)
            }
        }
        return false;
    }

    /** As client_java decides it: any Accept-Encoding value listing gzip, unless configured to prefer plain. */
    private static boolean acceptsGzip(HttpExchange exchange) {
        if (PrometheusProperties.get().getExporterHttpServerProperties().isPreferUncompressedResponse()) {
            return false;
        }
        List<String> values = exchange.getRequestHeaders().get("Accept-Encoding");
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String encoding : value.split(",")) {
                if (encoding.trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** gzip at the fastest level, with a buffer large enough for whole families. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
