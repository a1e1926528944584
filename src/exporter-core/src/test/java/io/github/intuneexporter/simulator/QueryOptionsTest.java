package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.intuneexporter.SimulatedGraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator refuses a system query option that the endpoint's API reference page does not allow
 * ({@link GraphReference.QueryOptions}), with Graph's 400 and error body, and accepts the ones it allows.
 */
class QueryOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> get(SimulatedGraph g, String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(g.simulator.baseUrl() + pathAndQuery))
                                .header("Authorization", "Bearer " + SimulatedGraph.TOKEN)
                                .header("client-request-id", "c-1")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(SimulatedGraph g, String pathAndQuery, String option) throws Exception {
        HttpResponse<String> r = get(g, pathAndQuery);
        assertEquals(400, r.statusCode(), pathAndQuery + ": " + r.body());
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertEquals("BadRequest", error.get("code").asText());
        assertEquals(
                "Query option '" + option + "' is not allowed. To allow it, set the 'AllowedQueryOptions' property on "
                        + "EnableQueryAttribute or QueryValidationSettings.",
                error.get("message").asText());
        assertEquals("c-1", error.get("innerError").get("client-request-id").asText());
        assertTrue(error.get("innerError").hasNonNull("request-id")
                && error.get("innerError").hasNonNull("date"));
    }

    @Test
    void optionsTheReferencePageDoesNotAllowAreRefused() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(20, 3)) {
            // Intune list pages without an "Optional query parameters" section: no $count, $search, $orderby, $skip.
            assertRefused(g, "/deviceManagement/managedDevices?$count=true", "Count");
            assertRefused(g, "/deviceManagement/managedDevices?$search=%22x%22", "Search");
            assertRefused(g, "/deviceManagement/managedDevices?$orderby=enrolledDateTime%20desc", "OrderBy");
            assertRefused(g, "/deviceAppManagement/mobileApps?$skip=10", "Skip");
            // application-get names $select only.
            assertRefused(
                    g, "/applications(appId='" + AppRegistrationData.DEMO_CLIENT_ID + "')?$expand=owners", "Expand");
            List<String> findings = g.simulator.contractFindings();
            assertEquals(5, findings.size(), findings.toString());
            assertTrue(findings.stream().allMatch(f -> f.startsWith("request refused")), findings.toString());
            g.simulator.clearContractFindings(); // refused on purpose; the fixture fails on findings left at close
        }
    }

    @Test
    void optionsTheReferencePageAllowsAreServed() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(20, 3)) {
            assertEquals(
                    200,
                    get(
                                    g,
                                    "/deviceManagement/managedDevices?$select=id&$filter=operatingSystem%20eq%20'Windows'&$top=5")
                            .statusCode());
            assertEquals(
                    200,
                    get(g, "/deviceAppManagement/mobileApps?$select=id,displayName&$expand=assignments&$top=5")
                            .statusCode());
            // The service communications pages support the OData query parameters, $orderby and $count included.
            assertEquals(
                    200,
                    get(g, "/admin/serviceAnnouncement/messages?$orderby=lastModifiedDateTime%20desc&$top=5")
                            .statusCode());
            assertEquals(
                    200,
                    get(g, "/applications(appId='" + AppRegistrationData.DEMO_CLIENT_ID + "')?$select=id,appId")
                            .statusCode());
            assertEquals(List.of(), g.simulator.contractFindings());
        }
    }

    @Test
    void everyEndpointStatesWhatItsPageSays() {
        for (GraphReference.Endpoint e : GraphReference.endpoints()) {
            assertTrue(!e.queryOptions().pageSays().isBlank(), e.page());
            if (e.method().equals("POST")) {
                assertEquals(
                        GraphReference.QueryOptions.NONE,
                        e.queryOptions(),
                        e.page() + ": an action takes no query options");
            }
            assertTrue(
                    e.queryOptions().allowed().stream()
                            .allMatch(o -> o.startsWith("$") && o.equals(o.toLowerCase(java.util.Locale.ROOT))),
                    e.page() + ": " + e.queryOptions().allowed());
        }
    }
}
