package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.intuneexporter.http.TextExposition.TenantData;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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

    /** The Content-Type a GET of this request gets: what a HEAD answers with, without a body. */
    static String headContentType(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (textFormat(query, accept)) {
            return TEXT_CONTENT_TYPE;
        }
        return hasParameter(query, "debug")
                ? "text/plain; charset=utf-8"
                : FORMATS.findWriter(accept).getContentType();
    }

    private static final String TEXT_CONTENT_TYPE = new TextExposition(false).contentType();

    /** Whether the cached text format answers the request: see {@link #textFormat(String, String)}. */
    static boolean textFormat(HttpExchange exchange) {
        return textFormat(
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Accept"));
    }

    /**
     * The cached Prometheus text format answers a request with no filter or debug parameter whose Accept header
     * client_java answers with the text format, or that prefers OpenMetrics but lists the text format too. The
     * latter is what Prometheus sends by default (2.x: {@code application/openmetrics-text;version=1.0.0,...,
     * text/plain;version=0.0.4;q=0.5,*}{@code /*;q=0.1}; 3.x the same with {@code escaping=allow-utf-8}): without it
     * every real scrape would miss the cache. Prometheus takes the same samples from either format. A client that
     * lists only OpenMetrics, or prefers protobuf (native histograms), is answered by client_java.
     */
    static boolean textFormat(String rawQuery, String accept) {
        if (hasParameter(rawQuery, "name[]") || hasParameter(rawQuery, "debug")) {
            return false;
        }
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
        // Our names are all valid legacy names, which these schemes leave as they are.
        if (escaping != TextExposition.ESCAPING
                && escaping != EscapingScheme.UNDERSCORE_ESCAPING
                && escaping != EscapingScheme.ALLOW_UTF8) {
            return false;
        }
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        return writer instanceof PrometheusTextFormatWriter
                || (writer instanceof OpenMetricsTextFormatWriter && listsText(accept));
    }

    /** Whether an Accept header lists text/plain (without a version, or one Prometheus writes) with a q above 0. */
    private static boolean listsText(String accept) {
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().equalsIgnoreCase("text/plain")) {
                continue;
            }
            boolean ok = true;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                String value = kv.length < 2 ? "" : kv[1].trim();
                if (key.equals("version") && !value.equals("0.0.4") && !value.equals("1.0.0")) {
                    ok = false;
                } else if (key.equals("q") && value.matches("0(\\.0*)?")) {
                    ok = false;
                }
            }
            if (ok) {
                return true;
            }
        }
        return false;
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
