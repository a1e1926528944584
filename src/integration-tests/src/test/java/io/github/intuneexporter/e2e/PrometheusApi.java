package io.github.intuneexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Small client of the Prometheus and Alertmanager HTTP APIs, and bounded polling. */
final class PrometheusApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One sample of an instant query: its labels and value. */
    record Sample(Map<String, String> labels, double value) {}

    private final String baseUrl;

    PrometheusApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** An instant query at "now"; a PromQL error fails with Prometheus' message. */
    List<Sample> query(String promql) throws IOException, InterruptedException {
        JsonNode body;
        try {
            body = get(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException("query " + promql + ": " + e.getMessage(), e);
        }
        List<Sample> out = new ArrayList<>();
        JsonNode data = body.path("data");
        if (data.path("resultType").asText().equals("scalar")) {
            out.add(new Sample(Map.of(), data.path("result").get(1).asDouble()));
            return out;
        }
        for (JsonNode r : data.path("result")) {
            Map<String, String> labels = new java.util.TreeMap<>();
            r.path("metric")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            out.add(new Sample(labels, Double.parseDouble(r.path("value").get(1).asText())));
        }
        return out;
    }

    /** The single value of a query that returns one sample, or empty. */
    Optional<Double> value(String promql) throws IOException, InterruptedException {
        List<Sample> s = query(promql);
        return s.size() == 1 ? Optional.of(s.get(0).value()) : Optional.empty();
    }

    /** GET of an API path (e.g. /api/v1/rules), parsed. */
    JsonNode api(String path) throws IOException, InterruptedException {
        return get(baseUrl + path);
    }

    /** A check that may throw while the system is still starting. */
    interface Probe<T> {
        Optional<T> probe() throws Exception;
    }

    /** Polls {@code probe} every 250 ms until it returns a value; fails after {@code timeout} with {@code what}'s text. */
    static <T> T await(Duration timeout, Supplier<String> what, Probe<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                Optional<T> v = probe.probe();
                if (v.isPresent()) {
                    return v.get();
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + timeout.toSeconds() + " s waiting for " + what.get()
                                + (last == null ? "" : " (last error: " + last + ")"),
                        last);
            }
            Thread.sleep(250);
        }
    }
}
