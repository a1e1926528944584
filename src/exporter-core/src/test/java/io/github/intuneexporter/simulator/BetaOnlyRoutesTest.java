package io.github.intuneexporter.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.intuneexporter.SimulatedGraph;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Endpoints Graph serves in beta only answer v1.0 as Graph answers an unknown segment, and serve beta. */
class BetaOnlyRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> send(SimulatedGraph g, String version, String method, String path)
            throws Exception {
        String url = g.simulator.baseUrl().replace("/v1.0", "/" + version) + path;
        HttpRequest.BodyPublisher body = method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("{\"select\":[\"ApplicationId\"],\"top\":1}")
                : HttpRequest.BodyPublishers.noBody();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .method(method, body)
                                .header("Authorization", "Bearer " + SimulatedGraph.TOKEN)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void v1RefusesBetaOnlyEndpointsAndBetaServesThem() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(600, 3)) {
            String[][] endpoints = {
                {"GET", "/deviceManagement/depOnboardingSettings", "depOnboardingSettings"},
                {"GET", "/deviceManagement/ndesConnectors", "ndesConnectors"},
                {"GET", "/deviceManagement/autopilotEvents", "autopilotEvents"},
                {"POST", "/deviceManagement/reports/getAppsInstallSummaryReport", "getAppsInstallSummaryReport"},
            };
            for (String[] e : endpoints) {
                HttpResponse<String> v1 = send(g, "v1.0", e[0], e[1]);
                assertEquals(404, v1.statusCode(), e[1] + ": " + v1.body());
                JsonNode error = JSON.readTree(v1.body()).get("error");
                assertEquals("BadRequest", error.get("code").asText(), e[1]);
                assertEquals(
                        "Resource not found for the segment '" + e[2] + "'.",
                        error.get("message").asText());
                HttpResponse<String> beta = send(g, "beta", e[0], e[1]);
                assertEquals(200, beta.statusCode(), e[1] + ": " + beta.body());
            }
            assertEquals(4, g.simulator.contractFindings().size(), "the v1.0 requests, refused by the contract check");
            g.simulator.clearContractFindings();
        }
    }
}
