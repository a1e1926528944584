package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.intuneexporter.SimulatedGraph;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator speaks Graph's wire format: checked with a plain HTTP client, no SDK involved. */
class TenantSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TenantSimulator sim;

    @BeforeEach
    void start() throws IOException {
        sim = TenantSimulator.start(
                new SimulatedTenant(9, 2345, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)), "tok");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = get(url, "tok");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void pagesFollowNextLinksWithoutGapsOrRepeats() throws Exception {
        String url = sim.baseUrl() + "/deviceManagement/managedDevices?$select=id,operatingSystem&$top=500";
        Set<String> ids = new HashSet<>();
        int pages = 0;
        while (url != null) {
            JsonNode page = getJson(url);
            pages++;
            assertTrue(page.get("@odata.context").asText().startsWith("https://graph.microsoft.com/v1.0/$metadata#"));
            for (JsonNode d : page.get("value")) {
                assertTrue(ids.add(d.get("id").asText()));
                assertEquals(Set.of("id", "operatingSystem"), fieldNames(d), "$select keeps only the selected fields");
            }
            url = page.hasNonNull("@odata.nextLink")
                    ? page.get("@odata.nextLink").asText()
                    : null;
            if (url != null) {
                assertTrue(url.startsWith(sim.baseUrl()), url);
                assertTrue(url.contains("$skiptoken="), url);
            }
        }
        assertEquals(5, pages);
        assertEquals(2345, ids.size());
    }

    @Test
    void withoutSelectEveryManagedDeviceFieldIsThere() throws Exception {
        JsonNode d = getJson(sim.baseUrl() + "/deviceManagement/managedDevices?$top=1")
                .get("value")
                .get(0);
        for (String f : List.of(
                "id",
                "deviceName",
                "operatingSystem",
                "complianceState",
                "managementAgent",
                "managedDeviceOwnerType",
                "deviceEnrollmentType",
                "lastSyncDateTime",
                "enrolledDateTime",
                "isEncrypted",
                "jailBroken",
                "userPrincipalName",
                "serialNumber",
                "managementState",
                "exchangeAccessState",
                "totalStorageSpaceInBytes")) {
            assertTrue(d.has(f), f);
        }
    }

    @Test
    void filtersNarrowTheScan() throws Exception {
        String base = sim.baseUrl()
                + "/deviceManagement/managedDevices?$select=operatingSystem,lastSyncDateTime&$top=1000&$filter=";
        long expectedWindows = count(d -> d.operatingSystem().equals("Windows"));
        assertEquals(
                expectedWindows, countAll(base + "operatingSystem%20eq%20%27Windows%27", "operatingSystem", "Windows"));
        Instant cutoff = SimulatedGraph.NOW.minus(Duration.ofDays(7));
        long expectedStale =
                count(d -> d.lastSyncDateTime() == null || d.lastSyncDateTime().isBefore(cutoff));
        assertEquals(expectedStale, countAll(base + "lastSyncDateTime%20lt%20" + cutoff, null, null));
        assertEquals(400, get(base + "deviceName%20eq%20%27x%27", "tok").statusCode(), "unsupported property");
        assertEquals(
                400, get(base + "operatingSystem%20startswith%20%27W%27", "tok").statusCode(), "unsupported operator");
    }

    private long count(java.util.function.Predicate<SimulatedDevice> p) {
        long[] n = {0};
        sim.tenant().forEachDevice(d -> {
            if (p.test(d)) {
                n[0]++;
            }
        });
        return n[0];
    }

    private long countAll(String url, String field, String value) throws Exception {
        long n = 0;
        while (url != null) {
            JsonNode page = getJson(url);
            for (JsonNode d : page.get("value")) {
                if (field != null) {
                    assertEquals(value, d.get(field).asText());
                }
                n++;
            }
            url = page.hasNonNull("@odata.nextLink")
                    ? page.get("@odata.nextLink").asText()
                    : null;
        }
        return n;
    }

    @Test
    void tokenIsRequired() throws Exception {
        HttpResponse<String> none = get(sim.baseUrl() + "/deviceManagement/managedDeviceOverview", null);
        assertEquals(401, none.statusCode());
        assertEquals(
                "InvalidAuthenticationToken",
                JSON.readTree(none.body()).at("/error/code").asText());
        assertEquals(
                401,
                get(sim.baseUrl() + "/deviceManagement/managedDeviceOverview", "wrong")
                        .statusCode());
    }

    @Test
    void revokedPermissionGivesForbiddenNamingIt() throws Exception {
        sim.revokePermission("DeviceManagementConfiguration.Read.All");
        HttpResponse<String> r = get(sim.baseUrl() + "/deviceManagement/deviceCompliancePolicies", "tok");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("DeviceManagementConfiguration.Read.All"));
        assertEquals(
                200,
                get(sim.baseUrl() + "/deviceManagement/managedDeviceOverview", "tok")
                        .statusCode());
    }

    @Test
    void unknownPathsAnswerNotFound() throws Exception {
        assertEquals(
                404, get(sim.baseUrl() + "/deviceManagement/nothingHere", "tok").statusCode());
        assertEquals(404, get(sim.baseUrl().replace("/v1.0", "/v2"), "tok").statusCode());
    }

    @Test
    void faultsAreInjected() throws Exception {
        String url = sim.baseUrl() + "/deviceManagement/managedDeviceOverview";
        sim.setFaults(List.of(new FaultRule(
                FaultRule.Kind.THROTTLE, "managedDeviceOverview", 1.0, Duration.ofMillis(1500), Duration.ZERO)));
        HttpResponse<String> throttled = get(url, "tok");
        assertEquals(429, throttled.statusCode());
        assertEquals("1.5", throttled.headers().firstValue("Retry-After").orElse(""));
        assertEquals(
                200,
                get(sim.baseUrl() + "/deviceManagement/deviceCompliancePolicies", "tok")
                        .statusCode(),
                "other endpoints unaffected");
        sim.setFaults(List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 1.0, Duration.ZERO, Duration.ZERO)));
        assertEquals(503, get(url, "tok").statusCode());
        sim.setFaults(List.of(new FaultRule(FaultRule.Kind.MALFORMED, "", 1.0, Duration.ZERO, Duration.ZERO)));
        HttpResponse<String> malformed = get(url, "tok");
        assertEquals(200, malformed.statusCode());
        assertFalse(malformed.body().endsWith("}"));
        sim.setFaults(List.of(new FaultRule(FaultRule.Kind.SLOW, "", 1.0, Duration.ZERO, Duration.ofMillis(300))));
        long start = System.nanoTime();
        assertEquals(200, get(url, "tok").statusCode());
        assertTrue(System.nanoTime() - start >= 300_000_000L);
        sim.setFaults(List.of(new FaultRule(FaultRule.Kind.UNAVAILABLE, "", 0.3, Duration.ZERO, Duration.ZERO)));
        int failed = 0;
        for (int i = 0; i < 100; i++) {
            if (get(url, "tok").statusCode() == 503) {
                failed++;
            }
        }
        assertTrue(failed > 10 && failed < 60, "about 30% fail: " + failed);
    }

    @Test
    void overviewMatchesTheDevices() throws Exception {
        JsonNode o = getJson(sim.baseUrl() + "/deviceManagement/managedDeviceOverview");
        assertEquals(2345, o.get("enrolledDeviceCount").asLong());
        assertEquals(
                count(d -> d.operatingSystem().equals("Windows")),
                o.at("/deviceOperatingSystemSummary/windowsCount").asLong());
        JsonNode s = getJson(sim.baseUrl() + "/deviceManagement/deviceCompliancePolicyDeviceStateSummary");
        assertEquals(
                count(d -> d.complianceState().equals("noncompliant")),
                s.get("nonCompliantDeviceCount").asLong());
    }

    /**
     * Summaries list their counters in the order of Microsoft's example responses, as Graph does, and the same in every
     * JVM (they were copied with Map.copyOf, whose iteration order changes from one JVM to the next).
     */
    @Test
    void summariesKeepGraphsPropertyOrder() throws Exception {
        JsonNode o = getJson(sim.baseUrl() + "/deviceManagement/managedDeviceOverview");
        JsonNode example = example("intune-devices-manageddeviceoverview-get");
        assertInExampleOrder(example, o);
        assertInExampleOrder(example.get("deviceOperatingSystemSummary"), o.get("deviceOperatingSystemSummary"));
        assertInExampleOrder(
                example.get("deviceExchangeAccessStateSummary"), o.get("deviceExchangeAccessStateSummary"));
        assertInExampleOrder(
                example("intune-deviceconfig-devicecompliancepolicydevicestatesummary-get"),
                getJson(sim.baseUrl() + "/deviceManagement/deviceCompliancePolicyDeviceStateSummary"));
        assertInExampleOrder(
                example("intune-deviceconfig-deviceconfigurationdevicestatesummary-get"),
                getJson(sim.baseUrl() + "/deviceManagement/deviceConfigurationDeviceStateSummaries"));
    }

    private static JsonNode example(String name) throws IOException {
        try (var in = TenantSimulatorTest.class.getResourceAsStream("/graph-examples/v1.0/" + name + ".json")) {
            return JSON.readTree(in).get("value");
        }
    }

    /** The counters both send come in the example's order ("id" stands anywhere in Microsoft's examples). */
    private static void assertInExampleOrder(JsonNode example, JsonNode sent) {
        List<String> order = new ArrayList<>();
        example.fieldNames().forEachRemaining(order::add);
        List<String> common = new ArrayList<>();
        sent.fieldNames().forEachRemaining(name -> {
            if (order.contains(name) && !name.equals("id") && !name.startsWith("@")) {
                common.add(name);
            }
        });
        assertTrue(common.size() > 3, "compared: " + common);
        List<String> expected = new ArrayList<>(common);
        expected.sort(java.util.Comparator.comparingInt(order::indexOf));
        assertEquals(expected, common, "the order of Microsoft's example");
    }

    @Test
    void sameSeedSameTenantAndItEvolves() {
        Clock t0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        SimulatedTenant a = new SimulatedTenant(1, 1000, t0, Duration.ofMinutes(1));
        SimulatedTenant b = new SimulatedTenant(1, 1000, t0, Duration.ofMinutes(1));
        assertEquals(a.device(17), b.device(17));
        assertNotEquals(
                a.device(17).id(),
                new SimulatedTenant(2, 1000, t0, Duration.ofMinutes(1))
                        .device(17)
                        .id());
        int changed = 0;
        for (int i = 0; i < 1000; i++) {
            SimulatedDevice before = a.device(i, 0, t0.instant());
            SimulatedDevice after = a.device(i, 30, t0.instant());
            if (!before.complianceState().equals(after.complianceState())) {
                changed++;
            }
        }
        assertTrue(changed > 5 && changed < 150, "a few devices change state between epochs: " + changed);
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
