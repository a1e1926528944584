package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo exporter end to end over HTTP: landing page, health, readiness and both text formats. */
class ExporterHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void demoServesEveryEndpoint() throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString(
                        "intune.web.listen-address = \"127.0.0.1:0\", intune.demo.devices = 300, intune.demo.interval = 1h, "
                                + "intune.collection.startup-stagger = 0s"),
                true);
        try (Exporter exporter = Exporter.create(settings, true, Clock.systemUTC())) {
            exporter.start(settings.web());
            int port = exporter.port();

            HttpResponse<String> landing = get(port, "/", null);
            assertEquals(200, landing.statusCode());
            assertTrue(landing.body().contains("href=\"/metrics\""), landing.body());
            assertTrue(landing.body().contains("/-/ready"));
            assertEquals(200, get(port, "/-/healthy", null).statusCode());
            assertEquals(404, get(port, "/nothing", null).statusCode());
            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (get(port, "/-/ready", null).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(200, get(port, "/-/ready", null).statusCode());

            HttpResponse<String> text = get(port, "/metrics", null);
            assertEquals(200, text.statusCode());
            assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            assertTrue(text.body().contains("intune_managed_devices{"), "device metrics served");
            assertTrue(text.body().contains("intune_compliance_state_devices{status=\"compliant\"}"));
            assertTrue(text.body().contains("intune_collector_success{collector=\"devices\"} 1"));
            assertTrue(text.body().contains("intune_exporter_build_info{"));

            HttpResponse<String> om =
                    get(port, "/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            assertTrue(om.body().trim().endsWith("# EOF"));

            HttpResponse<String> filtered = get(port, "/metrics?name[]=intune_collector_success", null);
            assertFalse(filtered.body().contains("intune_managed_devices"));

            // Requests that are not valid HTTP get a 400 and do not disturb anything else.
            for (String bad :
                    new String[] {"GARBAGE\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"
                    }) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    OutputStream o = s.getOutputStream();
                    o.write(bad.getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    String status = new String(s.getInputStream().readNBytes(24), StandardCharsets.US_ASCII);
                    assertTrue(status.startsWith("HTTP/1.1 400"), bad + " -> " + status);
                }
            }
            assertEquals(200, get(port, "/metrics", null).statusCode());
        }
    }
}
