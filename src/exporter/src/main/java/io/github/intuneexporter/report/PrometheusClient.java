package io.github.intuneexporter.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Read-only client of the Prometheus HTTP API (instant and range queries, rules). Every failure is a
 * {@link PrometheusException} with a one-line message that never contains the credentials.
 */
final class PrometheusClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series of a query result: labels and (time, value) points; an instant query has one point. */
    record Series(Map<String, String> labels, List<double[]> points) {
        double lastValue() {
            return points.get(points.size() - 1)[1];
        }

        String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    /** A failed request: {@code unreachable} when no HTTP answer arrived at all (connection, TLS, timeout, auth). */
    static final class PrometheusException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean unreachable;

        PrometheusException(String message, boolean unreachable) {
            super(message);
            this.unreachable = unreachable;
        }
    }

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;

    PrometheusClient(ReportOptions options) throws IOException, GeneralSecurityException {
        String url = options.prometheusUrl();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = options.timeout();
        if (options.bearerTokenFile() != null) {
            String token = Files.readString(options.bearerTokenFile(), StandardCharsets.UTF_8)
                    .strip();
            // A header cannot carry it; the JDK's refusal would quote the token in its message.
            if (token.isEmpty() || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                throw new IOException("--bearer-token-file " + options.bearerTokenFile()
                        + " must hold the token alone: printable ASCII without spaces or line breaks (not echoed)");
            }
            authorization = "Bearer " + token;
        } else if (options.basicAuthUser() != null) {
            String password = options.basicAuthPasswordFile() == null
                    ? ""
                    : Files.readString(options.basicAuthPasswordFile(), StandardCharsets.UTF_8)
                            .strip();
            authorization = "Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (options.basicAuthUser() + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER); // followed in send(), without credentials to other hosts
        if (options.insecure()) {
            builder.sslContext(trustAll());
        } else if (options.caFile() != null) {
            builder.sslContext(trusting(options.caFile()));
        }
        this.http = builder.build();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Instant query evaluated at {@code time}. */
    List<Series> query(String promql, Instant time) throws PrometheusException {
        return parse(get("/api/v1/query?query=" + enc(promql) + "&time=" + seconds(time)), promql);
    }

    /** Range query from {@code start} to {@code end} every {@code step}. */
    List<Series> queryRange(String promql, Instant start, Instant end, Duration step) throws PrometheusException {
        return parse(
                get("/api/v1/query_range?query=" + enc(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
                        + "&step=" + Math.max(1, step.toSeconds())),
                promql);
    }

    /** The alerting and recording rules Prometheus has loaded (for runbook links). */
    JsonNode rules() throws PrometheusException {
        return get("/api/v1/rules?type=alert").path("data");
    }

    static String seconds(Instant t) {
        return t.getEpochSecond() + (t.getNano() == 0 ? "" : String.format(".%03d", t.getNano() / 1_000_000));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Redirects followed per request, as many as Go's HTTP client (and so Prometheus' tools) follows. */
    private static final int MAX_REDIRECTS = 10;

    /**
     * Sends a GET, following redirects as Go's HTTP client does: the Authorization header goes only to the host of
     * {@code --prometheus} (any port or scheme), never to another host a redirect names. The JDK client would
     * forward it to any host, so it follows none itself.
     */
    private HttpResponse<InputStream> send(URI uri) throws IOException, InterruptedException {
        String host = uri.getHost();
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
            if (authorization != null && host.equalsIgnoreCase(uri.getHost())) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            int status = response.statusCode();
            boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
            if (!redirect || location.isEmpty() || hop == MAX_REDIRECTS) {
                return response;
            }
            response.body().close();
            URI next;
            try {
                next = uri.resolve(location.get());
            } catch (IllegalArgumentException e) {
                return response; // an unusable Location: reported as the 3xx it is
            }
            if (next.getHost() == null || !next.getScheme().matches("(?i)https?")) {
                return response;
            }
            uri = next;
        }
    }

    private JsonNode get(String pathAndQuery) throws PrometheusException {
        HttpResponse<InputStream> response;
        try {
            response = send(URI.create(baseUrl + pathAndQuery));
        } catch (HttpConnectTimeoutException e) {
            throw new PrometheusException("cannot reach Prometheus at " + baseUrl + ": connection timed out", true);
        } catch (HttpTimeoutException e) {
            throw new PrometheusException(
                    "Prometheus at " + baseUrl + " did not answer within " + timeout.toSeconds() + " s", true);
        } catch (ConnectException e) {
            throw new PrometheusException("cannot reach Prometheus at " + baseUrl + ": connection refused", true);
        } catch (SSLHandshakeException e) {
            throw new PrometheusException(
                    "TLS handshake with " + baseUrl + " failed (" + e.getMessage() + "); pass --ca-file or --insecure",
                    true);
        } catch (IOException e) {
            throw new PrometheusException("cannot reach Prometheus at " + baseUrl + ": " + e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("interrupted", true);
        }
        int status = response.statusCode();
        JsonNode body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            body = null;
        }
        if (status == 401 || status == 403) {
            throw new PrometheusException(
                    "Prometheus at " + baseUrl + " refused the request (HTTP " + status
                            + "): check --basic-auth-user/--basic-auth-password-file or --bearer-token-file",
                    true);
        }
        if (body == null || !body.isObject()) {
            throw new PrometheusException(
                    "HTTP " + status + " from " + baseUrl + " is not a Prometheus API answer",
                    status != 400 && status != 422);
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new PrometheusException(
                    body.path("errorType").asText("error") + ": "
                            + body.path("error").asText("HTTP " + status),
                    false);
        }
        return body;
    }

    private static List<Series> parse(JsonNode body, String promql) throws PrometheusException {
        JsonNode data = body.path("data");
        String type = data.path("resultType").asText();
        List<Series> out = new ArrayList<>();
        if (type.equals("scalar")) {
            out.add(new Series(Map.of(), List.<double[]>of(point(data.path("result"), promql))));
            return out;
        }
        for (JsonNode r : data.path("result")) {
            Map<String, String> labels = new TreeMap<>();
            r.path("metric")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<double[]> points = new ArrayList<>();
            if (r.has("value")) {
                points.add(point(r.get("value"), promql));
            }
            for (JsonNode v : r.path("values")) {
                points.add(point(v, promql));
            }
            if (points.isEmpty()) {
                throw new PrometheusException("unexpected answer to " + promql, false);
            }
            out.add(new Series(labels, points));
        }
        return out;
    }

    private static double[] point(JsonNode pair, String promql) throws PrometheusException {
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            String shown = String.valueOf(pair);
            throw new PrometheusException(
                    "unexpected sample " + (shown.length() > 80 ? shown.substring(0, 80) + "..." : shown)
                            + " in the answer to " + promql,
                    false);
        }
        return new double[] {pair.get(0).asDouble(), sampleValue(pair.get(1).asText(), promql)};
    }

    /** A sample value as the API writes it: Go's float text, whose infinities ("+Inf", "-Inf") Java does not parse. */
    static double sampleValue(String text, String promql) throws PrometheusException {
        switch (text) {
            case "+Inf", "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new PrometheusException(
                            "unexpected sample value '" + text + "' in the answer to " + promql, false);
                }
        }
    }

    private static SSLContext trusting(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
        } catch (
                CertificateException
                        e) { // the JDK's reason alone ("signed fields invalid") names neither file nor option
            throw new GeneralSecurityException(
                    "--ca-file " + caFile + " holds no readable PEM certificate (" + e.getMessage() + ")");
        }
        if (i == 0) {
            throw new GeneralSecurityException("--ca-file " + caFile + " holds no PEM certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** --insecure: any certificate (the host name check of the JDK client still applies unless disabled by property). */
    private static SSLContext trustAll() throws GeneralSecurityException {
        X509TrustManager all = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        // The JDK HTTP client checks host names separately; --insecure means "do not verify", so turn that off too.
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {all}, new SecureRandom());
        return ctx;
    }
}
