package io.github.intuneexporter.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request to the simulator: version, path below it and decoded query options. */
final class SimulatorRequest {
    final HttpExchange exchange;
    final String version;
    final String path;
    final Map<String, String> query;
    /** The root URL clients used, e.g. http://127.0.0.1:1234, for nextLinks and @odata.context. */
    final String origin;
    /** Path prefix before the version (the tenant segment in multi-tenant mode), "" otherwise. */
    final String prefix;

    SimulatorRequest(HttpExchange exchange, String prefix, String version, String path) {
        this.exchange = exchange;
        this.prefix = prefix;
        this.version = version;
        this.path = path;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        String host = exchange.getRequestHeaders().getFirst("Host");
        this.origin = "http://"
                + (host == null ? "127.0.0.1:" + exchange.getLocalAddress().getPort() : host);
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The versioned root, e.g. http://127.0.0.1:1234/v1.0. */
    String root() {
        return origin + prefix + "/" + version;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.put(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
