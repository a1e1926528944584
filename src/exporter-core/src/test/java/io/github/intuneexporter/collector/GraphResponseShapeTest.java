package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Graph answers as the contract allows it, but not as the simulator happens to: a nullable property left out is
 * counted as unknown (never a failure); a response of the wrong structure fails the run with the endpoint and the
 * field named, and the last good snapshot stays exported.
 */
class GraphResponseShapeTest {

    /** A bare Graph stand-in serving fixed bodies by path. */
    private static final class Stub implements AutoCloseable {
        final HttpServer server;
        final AtomicReference<String> apps = new AtomicReference<>();
        final AtomicReference<String> devices = new AtomicReference<>();

        Stub() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                String body = path.endsWith("/deviceAppManagement/mobileApps")
                        ? apps.get()
                        : path.endsWith("/deviceManagement/managedDevices")
                                ? devices.get()
                                : path.endsWith("/retrieveDeviceAppInstallationStatusReport")
                                        ? "{\"TotalRowCount\":1,\"Schema\":[{\"Column\":\"AppInstallState\",\"PropertyType\":\"String\"}],"
                                                + "\"Values\":[[\"installed\"]],\"SessionId\":\"\"}"
                                        : null;
                byte[] bytes = (body == null ? "{\"error\":{\"code\":\"NotFound\",\"message\":\"x\"}}" : body)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        GraphConnection connect() {
            ExporterSettings settings =
                    SettingsLoader.load(SettingsLoader.parseString("intune.graph.base-url = \"http://127.0.0.1:"
                            + server.getAddress().getPort()
                            + "/v1.0\"\nintune.graph.throttle-budget = 0\nintune.graph.max-retries = 0"));
            return GraphConnection.open(
                    settings.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(new PrometheusRegistry()));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void omittedNullablePropertiesCountAsUnknown() throws Exception {
        try (Stub stub = new Stub()) {
            // operatingSystem, isEncrypted, jailBroken, lastSyncDateTime... are nullable in the v1.0 CSDL: Graph may
            // omit them.
            stub.devices.set("{\"@odata.context\":\"x\",\"value\":[{\"id\":\"1\",\"complianceState\":\"compliant\"},"
                    + "{\"id\":\"2\",\"operatingSystem\":null,\"managementAgent\":\"mdm\"}]}");
            try (GraphConnection c = stub.connect()) {
                MetricSnapshots m = new DeviceInventoryCollector(
                                c.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(1), List.of(7))
                        .collect();
                assertEquals(2, SimulatedGraph.sum(m, "intune_managed_devices"), 0.0);
                assertEquals(
                        2,
                        SimulatedGraph.sum(m, "intune_managed_devices") - sumExcept(m, "operating_system", "unknown"),
                        0.0,
                        "both devices without an operating system count as unknown");
            }
        }
    }

    private static double sumExcept(MetricSnapshots m, String label, String value) {
        double sum = 0;
        for (var s : m) {
            if (s.getMetadata().getPrometheusName().equals("intune_managed_devices")) {
                for (var d : s.getDataPoints()) {
                    if (!value.equals(d.getLabels().get(label))) {
                        sum += ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) d)
                                .getValue();
                    }
                }
            }
        }
        return sum;
    }

    @Test
    void aWrongStructureFailsTheRunNamingEndpointAndFieldAndKeepsTheLastSnapshot() throws Exception {
        try (Stub stub = new Stub()) {
            stub.apps.set(
                    "{\"@odata.context\":\"x\",\"value\":[{\"@odata.type\":\"#microsoft.graph.win32LobApp\",\"id\":\"a1\","
                            + "\"displayName\":\"App\",\"assignments\":[{\"id\":\"a1_1\",\"intent\":\"required\"}]}]}");
            try (GraphConnection c = stub.connect();
                    CollectionScheduler scheduler = new CollectionScheduler(
                            List.of(new AppInstallsCollector(
                                    c.api(),
                                    Duration.ofHours(1),
                                    new CollectorSettings.AppInstalls(
                                            Duration.ofHours(1),
                                            false,
                                            new CollectorSettings.NameFilter(Pattern.compile(""), null),
                                            10,
                                            10_000))),
                            Duration.ZERO,
                            Duration.ofSeconds(30),
                            1,
                            SimulatedGraph.fixedClock())) {
                assertTrue(scheduler.runNow(AppInstallsCollector.NAME), scheduler.lastError(AppInstallsCollector.NAME));
                double before = SimulatedGraph.sum(scheduler.collect(), "intune_app_install_devices");
                assertEquals(1, before, 0.0);

                stub.apps.set(
                        "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"a1\",\"displayName\":\"App\",\"assignments\":{}}]}");
                assertFalse(scheduler.runNow(AppInstallsCollector.NAME));
                String error = scheduler.lastError(AppInstallsCollector.NAME);
                assertTrue(error.contains("/deviceAppManagement/mobileApps") && error.contains("assignments"), error);
                assertEquals(
                        before,
                        SimulatedGraph.sum(scheduler.collect(), "intune_app_install_devices"),
                        0.0,
                        "the last good snapshot is still exported");
            }
        }
    }
}
