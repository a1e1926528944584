package io.github.intuneexporter.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A stand-in for Graph on loopback that answers with Microsoft's own example responses, vendored under
 * src/exporter-core/src/test/resources/graph-examples/. Only as much is adapted as the examples need to be served at all, each
 * adaptation because the example is a documentation artefact rather than what Graph sends:
 * <ul>
 *   <li>The generated Intune pages wrap a single entity in {@code "value": {...}}; Graph returns the entity itself (OData
 *       JSON format, and every other page, such as servicehealth-get). {@link Route#unwrap} serves the inner object.</li>
 *   <li>Absolute {@code @odata.nextLink}s to graph.microsoft.com point back here, and a request for a next page
 *       ({@code $skip}/{@code $skiptoken}) gets an empty last page: the example shows one page.</li>
 *   <li>{@code $expand=deploymentSummary} embeds the deploymentSummary example into each policy, as Graph's $expand does
 *       (the list example shows the policies without it).</li>
 *   <li>{@code $expand=assignments} adds an empty {@code assignments} collection to each app: Graph always includes an
 *       expanded collection, and the mobileApps list example has no assignment information.</li>
 * </ul>
 * Query options are otherwise ignored ($select is not applied): the example is served whole.
 */
final class ExampleGraph implements AutoCloseable {
    private static final String TOKEN = "example-token";

    /** One recorded request: method, raw path with query, body (or null). */
    record Request(String method, String pathAndQuery, String body) {}

    /** An example served for a method and a path pattern (below the host, version included). */
    record Route(String method, Pattern path, String fixture, int status, boolean unwrap) {}

    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private GraphConnection connection;
    private volatile boolean refuseFilter;

    private ExampleGraph(HttpServer server) {
        this.server = server;
    }

    static ExampleGraph start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExampleGraph g = new ExampleGraph(server);
        server.createContext("/", g::handle);
        server.start();
        return g;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves a fixture (path below graph-examples/, without extension) for GET of {@code pathRegex}; {@code unwrap}: see class doc. */
    ExampleGraph get(String pathRegex, String fixture, boolean unwrap) {
        routes.add(new Route("GET", Pattern.compile(pathRegex), fixture, 200, unwrap));
        return this;
    }

    ExampleGraph post(String pathRegex, String fixture, int status) {
        routes.add(new Route("POST", Pattern.compile(pathRegex), fixture, status, false));
        return this;
    }

    /** Answers every request with $filter 400, as Graph does for a filter an endpoint does not support. */
    ExampleGraph refuseFilter() {
        refuseFilter = true;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** A Graph connection to this server, through the exporter's own SDK plumbing. */
    GraphApi api() {
        if (connection == null) {
            var settings = SettingsLoader.load(SettingsLoader.parseString("intune.graph.base-url = \"" + origin()
                    + "/v1.0\"\n" + "intune.graph.throttle-budget = 0\nintune.graph.max-retries = 0"));
            connection = GraphConnection.open(
                    settings.graph(),
                    Credentials.staticToken(TOKEN),
                    new GraphRequestMetrics(new PrometheusRegistry()));
        }
        return connection.api();
    }

    /** The vendored example text. */
    static String fixture(String name) {
        try (InputStream in = ExampleGraph.class.getResourceAsStream("/graph-examples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture graph-examples/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return GraphApi.mapper().readTree(fixture(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    raw + (query == null ? "" : "?" + query),
                    body.length == 0 ? null : new String(body, StandardCharsets.UTF_8)));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(
                        exchange,
                        401,
                        "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token is empty.\"}}");
                return;
            }
            String decodedQuery = exchange.getRequestURI().getQuery() == null
                    ? ""
                    : exchange.getRequestURI().getQuery();
            if (refuseFilter && decodedQuery.contains("$filter=")) {
                send(exchange, 400, "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Invalid filter clause\"}}");
                return;
            }
            for (Route r : routes) {
                if (!r.method().equals(exchange.getRequestMethod())
                        || !r.path().matcher(raw).matches()) {
                    continue;
                }
                if (decodedQuery.contains("$skip=") || decodedQuery.contains("$skiptoken=")) {
                    send(exchange, 200, "{\"value\":[]}");
                    return;
                }
                JsonNode node = json(r.fixture() + ".json");
                if (r.unwrap() && node.path("value").isObject()) {
                    node = node.get("value");
                }
                if (decodedQuery.contains("$expand=deploymentSummary")
                        && node.path("value").isArray()) {
                    JsonNode summary = json("v1.0/intune-mam-managedapppolicydeploymentsummary-get.json")
                            .get("value");
                    for (JsonNode item : (ArrayNode) node.get("value")) {
                        ((ObjectNode) item).set("deploymentSummary", summary.deepCopy());
                    }
                }
                if (decodedQuery.contains("$expand=assignments")
                        && node.path("value").isArray()) {
                    for (JsonNode item : (ArrayNode) node.get("value")) {
                        ((ObjectNode) item).putArray("assignments");
                    }
                }
                String text = GraphApi.mapper()
                        .writeValueAsString(node)
                        .replace("https://graph.microsoft.com/v1.0/", origin() + "/v1.0/")
                        .replace("https://graph.microsoft.com/beta/", origin() + "/beta/");
                send(exchange, r.status(), text);
                return;
            }
            send(
                    exchange,
                    404,
                    "{\"error\":{\"code\":\"NotFound\",\"message\":\"Resource not found for the segment '" + raw
                            + "'.\"}}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Paths of the recorded requests, in order. */
    List<String> paths() {
        List<String> out = new ArrayList<>();
        requests.forEach(r -> out.add(r.method() + " " + r.pathAndQuery()));
        return out;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        server.stop(0);
    }
}
