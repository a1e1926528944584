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
    private static final String BODY = body(List.of(NAME));
    /** The same with three objects, the one named after a person first by name: more names than a max of 1. */
    private static final String BODY_MANY = body(List.of("A " + NAME, "Beta", "Gamma"));

    private static String item(int n, String name) {
        return "{\"id\":\"00000000-0000-0000-0000-00000000000" + n + "\",\"displayName\":\"" + name + "\","
                + "\"organizationName\":\"" + name + "\",\"tokenName\":\"" + name + "\",\"serverName\":\"" + name
                + "\","
                + "\"@odata.type\":\"#microsoft.graph.iosCompliancePolicy\",\"assignments\":[{\"id\":\"a\"}],"
                + "\"deploymentSummary\":{\"configurationDeployedUserCount\":5},\"lastSyncStatus\":\"completed\","
                + "\"expirationDateTime\":\"2030-01-01T00:00:00Z\",\"partnerState\":\"enabled\",\"state\":\"active\","
                + "\"lastHeartbeatDateTime\":\"2026-11-20T00:00:00Z\",\"lastSyncDateTime\":\"2026-11-20T00:00:00Z\"}";
    }

    private static String body(List<String> names) {
        StringBuilder items = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            items.append(i == 0 ? "" : ",").append(item(i + 1, names.get(i)));
            rows.append(i == 0 ? "" : ",")
                    .append("[\"a")
                    .append(i + 1)
                    .append("\",\"")
                    .append(names.get(i))
                    .append("\",\"iOS\",4,\"installed\",\"d")
                    .append(i + 1)
                    .append("\"]");
        }
        return "{\"value\":[" + items + "],"
                + "\"successCount\":3,\"failedCount\":1,\"errorCount\":0,\"pendingCount\":0,\"notApplicableCount\":0,"
                + "\"Schema\":[{\"Column\":\"ApplicationId\",\"PropertyType\":\"String\"},"
                + "{\"Column\":\"DisplayName\",\"PropertyType\":\"String\"},{\"Column\":\"Platform\",\"PropertyType\":\"String\"},"
                + "{\"Column\":\"InstalledDeviceCount\",\"PropertyType\":\"Int32\"},{\"Column\":\"InstallState\",\"PropertyType\":\"String\"},"
                + "{\"Column\":\"DeviceId\",\"PropertyType\":\"String\"}],"
                + "\"TotalRowCount\":" + names.size() + ",\"Values\":[" + rows + "]}";
    }

    private HttpServer server;
    private String root;
    private volatile String answer = BODY;
    private GraphConnection connection;
    private ExporterSettings settings;

    @BeforeEach
    void fakeGraph() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        root = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0";
        server.createContext("/", ex -> {
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        settings = SettingsLoader.load(
                SettingsLoader.parseString("intune.graph { base-url = \"" + root + "\", throttle-budget = 0 }"));
        connection = GraphConnection.open(
                settings.graph(), Credentials.staticToken("t"), new GraphRequestMetrics(new PrometheusRegistry()));
    }

    @AfterEach
    void stop() {
        connection.close();
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compliance", "configuration", "app_protection", "app_installs", "connectors", "partners"})
    void noFamilyExportsPersonalDataFromAnAdminChosenName(String family) throws Exception {
        IntuneCollector collector =
                CollectorFactory.create(settings, connection.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(1))
                        .stream()
                        .filter(c -> c.name().equals(family))
                        .findFirst()
                        .orElseThrow();
        PrometheusRegistry registry = new PrometheusRegistry();
        var snapshots = collector.collect();
        registry.register(() -> snapshots);
        String text = SimulatedGraph.scrape(registry);
        for (String personal : List.of(EMAIL, "jane.doe", "contoso.com", "7946", SERIAL)) {
            assertFalse(text.contains(personal), family + " exports '" + personal + "':\n" + text);
        }
        assertTrue(
                text.contains("Kiosk") || text.contains("id-00000000"),
                family + " still exports the readable rest:\n" + text);
    }

    /**
     * Every family that exports an admin-chosen name keeps at most its configured number of names and sums the rest
     * under _other, and the name that holds personal data is hashed whether it is kept or not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"compliance", "configuration", "app_protection", "app_installs", "connectors", "partners"})
    void everyFamilyBoundsItsNamesWithOther(String family) throws Exception {
        answer = BODY_MANY;
        ExporterSettings one = SettingsLoader.load(
                SettingsLoader.parseString(
                        "intune.graph { base-url = \"" + root
                                + "\", throttle-budget = 0 }\nintune.collectors { compliance.max-policies = 1, configuration.max-profiles = 1, "
                                + "app_protection.max-policies = 1, app_installs.max-apps = 1, connectors.max-per-type = 1, partners.max-partners = 1 }"));
        IntuneCollector collector =
                CollectorFactory.create(one, connection.api(), SimulatedGraph.fixedClock(), Duration.ofMinutes(1))
                        .stream()
                        .filter(c -> c.name().equals(family))
                        .findFirst()
                        .orElseThrow();
        PrometheusRegistry registry = new PrometheusRegistry();
        var snapshots = collector.collect();
        registry.register(() -> snapshots);
        String text = SimulatedGraph.scrape(registry);
        String label = switch (family) {
            case "compliance", "app_protection" -> "policy";
            case "configuration" -> "profile";
            case "partners" -> "partner";
            case "app_installs" -> "app";
            default -> "name";
        };
        assertTrue(
                text.contains(label + "=\"_other\""),
                family + " sums the names beyond the first under _other:\n" + text);
        assertTrue(text.contains("email-"), family + " keeps the first name, its e-mail address hashed:\n" + text);
        assertFalse(text.contains("Beta") || text.contains("Gamma"), family + " exports only the first name:\n" + text);
        for (String personal : List.of(EMAIL, "jane.doe", "contoso.com", "7946", SERIAL)) {
            assertFalse(text.contains(personal), family + " exports '" + personal + "':\n" + text);
        }
    }
}
