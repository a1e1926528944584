package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.GraphRequestMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every family that exports an admin-chosen name (policies, profiles, apps, connectors) passes it through the one
 * label helper: a Graph tenant whose objects are named after a person's e-mail, phone number and laptop serial
 * exports none of them. One fake Graph answers every request with objects named that way.
 */
class AdminNameLabelsTest {
    private static final String EMAIL = "jane.doe@contoso.com";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String SERIAL = "C02XK0AAJGH5";
    private static final String NAME = "Kiosk " + EMAIL + " " + PHONE + " " + SERIAL;
    /** An answer every collector can read: a collection page, an object with counts, and a report page at once. */
    private static final String BODY = "{\"value\":[{\"id\":\"00000000-0000-0000-0000-000000000001\",\"displayName\":\"" + NAME + "\","
            + "\"organizationName\":\"" + NAME + "\",\"tokenName\":\"" + NAME + "\",\"serverName\":\"" + NAME + "\","
            + "\"@odata.type\":\"#microsoft.graph.iosCompliancePolicy\",\"assignments\":[{\"id\":\"a\"}],"
            + "\"deploymentSummary\":{\"configurationDeployedUserCount\":5},\"lastSyncStatus\":\"completed\","
            + "\"expirationDateTime\":\"2030-01-01T00:00:00Z\",\"partnerState\":\"enabled\",\"state\":\"active\","
            + "\"lastHeartbeatDateTime\":\"2026-11-20T00:00:00Z\",\"lastSyncDateTime\":\"2026-11-20T00:00:00Z\"}],"
            + "\"successCount\":3,\"failedCount\":1,\"errorCount\":0,\"pendingCount\":0,\"notApplicableCount\":0,"
            + "\"TotalRowCount\":1,\"Schema\":[{\"Column\":\"ApplicationId\",\"PropertyType\":\"String\"},"
            + "{\"Column\":\"DisplayName\",\"PropertyType\":\"String\"},{\"Column\":\"Platform\",\"PropertyType\":\"String\"},"
            + "{\"Column\":\"InstalledDeviceCount\",\"PropertyType\":\"Int32\"},{\"Column\":\"InstallState\",\"PropertyType\":\"String\"},"
            + "{\"Column\":\"DeviceId\",\"PropertyType\":\"String\"}],"
            + "\"Values\":[[\"a1\",\"" + NAME + "\",\"iOS\",4,\"installed\",\"d1\"]]}";

    private HttpServer server;
    private GraphConnection connection;
    private ExporterSettings settings;

    @BeforeEach
    void fakeGraph() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String root = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
        server.createContext("/", ex -> {
            byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        settings = SettingsLoader.load(SettingsLoader.parseString("intune.graph { base-url = \"" + root + "\", throttle-budget = 0 }"));
        connection = GraphConnection.open(settings.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(new PrometheusRegistry()));
    }

    @AfterEach
    void stop() {
        connection.close();
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compliance", "configuration", "app_protection", "app_installs", "connectors"})
    void noFamilyExportsPersonalDataFromAnAdminChosenName(String family) throws Exception {
        IntuneCollector collector = CollectorFactory.create(settings, connection.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(1))
                .stream().filter(c -> c.name().equals(family)).findFirst().orElseThrow();
        PrometheusRegistry registry = new PrometheusRegistry();
        var snapshots = collector.collect();
        registry.register(() -> snapshots);
        String text = SimulatedGraph.scrape(registry);
        for (String personal : List.of(EMAIL, "jane.doe", "contoso.com", "7946", SERIAL)) {
            assertFalse(text.contains(personal), family + " exports '" + personal + "':\n" + text);
        }
        assertTrue(text.contains("Kiosk") || text.contains("id-00000000"), family + " still exports the readable rest:\n" + text);
    }
}
