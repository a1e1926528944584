package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulator answers 403 and 429 from its own tables of Microsoft's documentation, never from the exporter's. */
class DocumentedTablesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(TenantSimulator sim, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .header("Authorization", "Bearer " + SimulatedGraph.TOKEN)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static TenantSimulator start() throws Exception {
        return TenantSimulator.start(
                new SimulatedTenant(4, 20, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)), SimulatedGraph.TOKEN);
    }

    @Test
    void theTablesImportNothingFromTheExporter() throws Exception {
        Path dir = Path.of("src/graph-simulator/src/main/java/io/github/intuneexporter/simulator");
        for (String file : new String[] {"GraphReference.java", "DocumentedThrottling.java"}) {
            String source = Files.readString(dir.resolve(file));
            assertFalse(
                    source.contains("import io.github.intuneexporter."),
                    file + " must be written from the documentation alone");
        }
        String simulator = Files.readString(dir.resolve("TenantSimulator.java"))
                + Files.readString(dir.resolve("SimulatorLimits.java"));
        for (String production : new String[] {"graph.Permissions", "IntuneThrottleBucket"}) {
            assertFalse(
                    simulator.contains(production),
                    "the simulator decides 403 and 429 without the exporter's " + production);
        }
    }

    @Test
    void aRequestPassesWithAnyOneDocumentedPermission() throws Exception {
        try (TenantSimulator sim = start()) {
            // applePushNotificationCertificate: DeviceManagementServiceConfig.ReadWrite.All or
            // DeviceManagementManagedDevices.Read.All.
            sim.revokePermission(GraphReference.SERVICE_CONFIG_READ);
            assertTrue(get(sim, "/deviceManagement/applePushNotificationCertificate")
                            .statusCode()
                    != 403);
            HttpResponse<String> mtd = get(sim, "/deviceManagement/mobileThreatDefenseConnectors");
            assertEquals(403, mtd.statusCode());
            assertTrue(
                    mtd.body()
                            .contains(
                                    "DeviceManagementServiceConfig.Read.All, DeviceManagementServiceConfig.ReadWrite.All"),
                    mtd.body());
            // vppTokens also accepts DeviceManagementConfiguration.Read.All.
            assertEquals(200, get(sim, "/deviceAppManagement/vppTokens").statusCode());

            sim.grantAllPermissions();
            sim.revokePermission(
                    GraphReference.DEVICES_READ); // and with it DeviceManagementManagedDevices.ReadWrite.All
            assertEquals(
                    403,
                    get(sim, "/deviceManagement/applePushNotificationCertificate")
                            .statusCode());
            assertEquals(403, get(sim, "/deviceManagement/managedDevices").statusCode());
            // managedDeviceOverview is documented with the ServiceConfig and Configuration permissions too.
            assertEquals(
                    200, get(sim, "/deviceManagement/managedDeviceOverview").statusCode());
        }
    }

    @Test
    void limitsComeFromMicrosoftsTablesPerGroup() throws Exception {
        try (TenantSimulator sim = start()) {
            // Scaled: Service Communications 240 -> 1, Intune device configuration 1000 -> 5 per 30 s.
            sim.setLimits(new SimulatorLimits(1.0 / 200, Duration.ofSeconds(30)));
            assertEquals(
                    200, get(sim, "/admin/serviceAnnouncement/healthOverviews").statusCode());
            HttpResponse<String> second = get(sim, "/admin/serviceAnnouncement/messages");
            assertEquals(
                    429, second.statusCode(), "messages share the Service Communications limit with healthOverviews");
            assertTrue(second.headers().firstValue("Retry-After").isPresent());
            Set<Integer> configuration = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                configuration.add(
                        get(sim, i % 2 == 0 ? "/deviceManagement/deviceCompliancePolicies" : "/deviceManagement")
                                .statusCode());
            }
            assertEquals(
                    Set.of(200),
                    configuration,
                    "compliance policies and the deviceManagement singleton: 5 in the window");
            assertEquals(
                    429,
                    get(sim, "/deviceManagement/deviceConfigurations").statusCode(),
                    "the sixth of the same table");
            assertEquals(
                    200, get(sim, "/deviceManagement/managedDevices").statusCode(), "the devices table is separate");
        }
    }

    @Test
    void everyEndpointNamesItsPageAndPermissions() {
        for (GraphReference.Endpoint e : GraphReference.endpoints()) {
            assertFalse(e.applicationPermissions().isEmpty(), e.template());
            assertTrue(e.page().matches("[a-z0-9-]+"), e.page());
            assertTrue(e.documentedPaths().stream().allMatch(p -> p.startsWith("/")), e.template());
            assertTrue(e.verified() || !e.note().isEmpty(), "an unverified row says why: " + e.template());
        }
    }
}
