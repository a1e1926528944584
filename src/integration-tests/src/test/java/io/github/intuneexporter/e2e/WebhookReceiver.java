package io.github.intuneexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for every receiver of the Alertmanager configuration: each receiver's integrations are rewritten to
 * webhooks at {@code /<receiver>/<integration>} of this server, which records the notifications it gets.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert inside a notification. */
    record Alert(String status, Map<String, String> labels, Map<String, String> annotations) {
        String label(String name) {
            return labels.get(name);
        }
    }

    /** One webhook call: the Alertmanager receiver it was meant for, the URL path, the group status and the alerts. */
    record Notification(String receiver, String path, String status, List<Alert> alerts) {}

    private final HttpServer server;
    private final List<Notification> received = new CopyOnWriteArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                received.add(parse(exchange.getRequestURI().getPath(), body));
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
        });
        server.start();
    }

    private static Notification parse(String path, JsonNode body) {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode a : body.path("alerts")) {
            alerts.add(new Alert(a.path("status").asText(), strings(a.path("labels")), strings(a.path("annotations"))));
        }
        return new Notification(
                body.path("receiver").asText(), path, body.path("status").asText(), List.copyOf(alerts));
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Notification> notifications() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
