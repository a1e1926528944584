package io.github.intuneexporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.FaultRule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GraphApiTest {

    @Test
    void throttlingIsRetriedHonouringRetryAfterAndCounted() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(50, 1)) {
            g.simulator.setFaults(List.of(new FaultRule(
                    FaultRule.Kind.THROTTLE, "managedDeviceOverview", 0.5, Duration.ofMillis(1000), Duration.ZERO)));
            long start = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        50,
                        g.api()
                                .get("/deviceManagement/managedDeviceOverview")
                                .get("enrolledDeviceCount")
                                .asLong());
            }
            double throttled = g.requestMetrics.throttledCount();
            assertTrue(throttled >= 1, "some requests were throttled: " + throttled);
            assertTrue(System.nanoTime() - start >= (long) (throttled * 0.9e9), "each retry waited about Retry-After");
            String text = SimulatedGraph.scrape(g.registry);
            assertTrue(
                    text.contains(
                            "intune_graph_requests_total{code=\"429\",endpoint=\"/deviceManagement/managedDeviceOverview\"}"),
                    text);
            assertTrue(
                    text.contains(
                            "intune_graph_requests_total{code=\"200\",endpoint=\"/deviceManagement/managedDeviceOverview\"} 4.0"),
                    text);
        }
    }

    @Test
    void persistentThrottlingFailsAfterTheConfiguredRetries() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(
                new io.github.intuneexporter.simulator.SimulatedTenant(
                        1, 10, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)),
                "intune.graph { max-retries = 2, retry-delay = 1s }")) {
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.THROTTLE, "", 1.0, Duration.ofMillis(100), Duration.ZERO)));
            GraphException e =
                    assertThrows(GraphException.class, () -> g.api().get("/deviceManagement/managedDeviceOverview"));
            assertEquals(429, e.status());
            assertTrue(e.getMessage().contains("throttled"), e.getMessage());
            assertEquals(
                    3, g.simulator.requestCount("/deviceManagement/managedDeviceOverview"), "first try + 2 retries");
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 1.0, Duration.ZERO, Duration.ZERO)));
            GraphException unavailable =
                    assertThrows(GraphException.class, () -> g.api().get("/deviceManagement/managedDeviceOverview"));
            assertEquals(503, unavailable.status());
        }
    }

    @Test
    void revokedTokenOrPermissionGivesAClearMessage() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(10, 1)) {
            g.simulator.revokePermission(Permissions.MANAGED_DEVICES);
            GraphException e =
                    assertThrows(GraphException.class, () -> g.api().list("/deviceManagement/managedDevices"));
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("DeviceManagementManagedDevices.Read.All"), e.getMessage());
            assertTrue(e.getMessage().contains("admin consent"), e.getMessage());
        }
    }

    /** A one-route fake Graph for malformed shapes the simulator never produces on its own. */
    private static GraphApi fake(Function<String, String> body, PrometheusRegistry registry, HttpServer[] holder)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
        server.createContext("/", ex -> {
            byte[] b = body.apply(root).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        holder[0] = server;
        ExporterSettings s =
                SettingsLoader.load(SettingsLoader.parseString("intune.graph.base-url = \"" + root + "\""));
        return GraphConnection.open(s.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(registry))
                .api();
    }

    @Test
    void aNextLinkLoopIsDetected() throws Exception {
        HttpServer[] server = new HttpServer[1];
        GraphApi api = fake(
                root -> "{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":\"" + root
                        + "/deviceManagement/vppTokens?$skiptoken=x\"}",
                new PrometheusRegistry(),
                server);
        try {
            GraphException e = assertThrows(GraphException.class, () -> api.list("/deviceManagement/vppTokens"));
            assertTrue(e.getMessage().contains("nextLink loop"), e.getMessage());
        } finally {
            server[0].stop(0);
        }
    }

    @Test
    void oddShapesAreClearErrors() throws Exception {
        String[] response = {"[]"};
        HttpServer[] server = new HttpServer[1];
        GraphApi api = fake(root -> response[0], new PrometheusRegistry(), server);
        try {
            assertTrue(assertThrows(GraphException.class, () -> api.get("/deviceManagement/x"))
                    .getMessage()
                    .contains("not a JSON object"));
            response[0] = "{\"value\": 3}";
            assertTrue(assertThrows(GraphException.class, () -> api.list("/deviceManagement/x"))
                    .getMessage()
                    .contains("without a 'value'"));
            response[0] = "{\"value\": [1, 2]}";
            assertTrue(assertThrows(GraphException.class, () -> api.list("/deviceManagement/x"))
                    .getMessage()
                    .contains("non-object item"));
            response[0] = "{\"value\": [{\"a\": ";
            assertTrue(assertThrows(GraphException.class, () -> api.list("/deviceManagement/x"))
                    .getMessage()
                    .contains("malformed JSON"));
            response[0] = "{\"value\": [], \"unexpected\": {\"nested\": [1,2,{}]}}";
            assertEquals(0, api.list("/deviceManagement/x").size(), "unknown fields are skipped");
            response[0] = "{\"id\": \"x\"}";
            JsonNode ok = api.get("/deviceManagement/x");
            assertEquals("x", ok.get("id").asText());
        } finally {
            server[0].stop(0);
        }
    }

    @Test
    void aDeadServerIsAClearError() throws Exception {
        HttpServer[] server = new HttpServer[1];
        GraphApi api = fake(root -> "{}", new PrometheusRegistry(), server);
        server[0].stop(0);
        GraphException e = assertThrows(GraphException.class, () -> api.get("/deviceManagement/x"));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("request failed"), e.getMessage());
    }

    @Test
    void aNonStringNextLinkIsAnErrorNotTheLastPage() throws Exception {
        String[] response = {"{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":42}"};
        HttpServer[] server = new HttpServer[1];
        GraphApi api = fake(root -> response[0], new PrometheusRegistry(), server);
        try {
            GraphException e = assertThrows(GraphException.class, () -> api.list("/deviceManagement/vppTokens"));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "Graph /deviceManagement/vppTokens: @odata.nextLink is VALUE_NUMBER_INT, not a string"),
                    e.getMessage());
            response[0] = "{\"value\":[],\"@odata.nextLink\":{\"href\":\"x\"}}";
            assertTrue(assertThrows(GraphException.class, () -> api.list("/deviceManagement/vppTokens"))
                    .getMessage()
                    .contains("@odata.nextLink is START_OBJECT"));
            response[0] = "{\"value\":[],\"@odata.nextLink\":null}";
            assertTrue(assertThrows(GraphException.class, () -> api.list("/deviceManagement/vppTokens"))
                    .getMessage()
                    .contains("@odata.nextLink is VALUE_NULL"));
        } finally {
            server[0].stop(0);
        }
    }

    @Test
    void aResponseAboveTheSizeLimitIsAClearErrorNamingTheEndpoint() throws Exception {
        StringBuilder big = new StringBuilder("{\"value\":[");
        for (int i = 0; i < 3000; i++) {
            big.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"")
                    .append(i)
                    .append("\",\"deviceName\":\"device-")
                    .append(i)
                    .append("\"}");
        }
        String page = big.append("]}").toString();
        String object = "{\"id\":\"" + "x".repeat(100_000) + "\"}";
        String[] response = {page};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
        server.createContext("/", ex -> {
            byte[] b = response[0].getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to go by, only the bytes read
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            ExporterSettings s = SettingsLoader.load(SettingsLoader.parseString(
                    "intune.graph.base-url = \"" + root + "\"\n" + "intune.graph.max-response-size = 64KiB"));
            GraphApi api = GraphConnection.open(
                            s.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(new PrometheusRegistry()))
                    .api();
            assertTrue(page.length() > 65536);
            GraphException e = assertThrows(
                    GraphException.class, () -> api.forEach("/deviceManagement/managedDevices", p -> p.skipChildren()));
            assertEquals(
                    "Graph /deviceManagement/managedDevices: response larger than 65536 bytes (intune.graph.max-response-size);"
                            + " not read further",
                    e.getMessage());
            response[0] = object;
            assertTrue(assertThrows(GraphException.class, () -> api.get("/deviceManagement/managedDeviceOverview"))
                    .getMessage()
                    .startsWith("Graph /deviceManagement/managedDeviceOverview: response larger than 65536 bytes"));
            response[0] = "{\"value\":[{\"id\":\"1\"}]}";
            assertEquals(1, api.list("/deviceManagement/managedDevices").size(), "small answers still read");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSizeLimitBelowOnePageIsAConfigurationError() {
        var e = assertThrows(
                io.github.intuneexporter.config.ConfigException.class,
                () -> SettingsLoader.load(SettingsLoader.parseString("intune.graph.max-response-size = 1KiB")));
        assertTrue(e.getMessage().startsWith("intune.graph.max-response-size"), e.getMessage());
    }

    /** A timed-out collection cancels its own calls, also while the body is being streamed, and no other thread's. */
    @Test
    void cancellingAThreadsCallsEndsItsBlockedReadAtOnce() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch endServer = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write("{\"value\":[{\"id\":\"1\"},".getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            stalled.countDown();
            try {
                endServer.await(30, TimeUnit.SECONDS); // Graph stops sending mid-page
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.start();
        ExporterSettings s =
                SettingsLoader.load(SettingsLoader.parseString("intune.graph.base-url = \"" + root + "\""));
        try (GraphConnection connection = GraphConnection.open(
                s.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(new PrometheusRegistry()))) {
            java.util.concurrent.CompletableFuture<Throwable> result = new java.util.concurrent.CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    connection.api().list("/deviceManagement/managedDevices");
                    result.complete(null);
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            reader.start();
            assertTrue(stalled.await(10, TimeUnit.SECONDS));
            Thread.sleep(200); // the reader is now blocked in the body
            assertEquals(0, connection.cancelCallsOf(Thread.currentThread()), "another thread's calls are left alone");
            assertEquals(1, connection.cancelCallsOf(reader));
            Throwable t = result.get(5, TimeUnit.SECONDS);
            assertTrue(t instanceof GraphException, String.valueOf(t));
        } finally {
            endServer.countDown();
            server.stop(0);
        }
    }
}
