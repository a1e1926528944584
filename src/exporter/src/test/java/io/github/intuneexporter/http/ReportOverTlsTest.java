package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.intuneexporter.report.ReportCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report command against an https Prometheus (a stand-in that answers every query with no series, like a
 * Prometheus without the exporter's history): the CA file is honoured, an untrusted certificate is one clear line,
 * and a Prometheus without data gives a report whose sections all say so. (Here for the test certificates.)
 */
class ReportOverTlsTest {
    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReportCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void caFileIsTrustedAndAPrometheusWithoutHistoryGivesAReportThatSaysSo(@TempDir Path dir) throws Exception {
        TestCertificates cert = TestCertificates.create(dir, "prometheus", "EC", true);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", cert.keys.getPrivate(), "x".toCharArray(), new X509Certificate[] {cert.certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.endsWith("/rules")
                    ? "{\"status\":\"success\",\"data\":{\"groups\":[]}}"
                    : "{\"status\":\"success\",\"data\":{\"resultType\":\""
                            + (path.endsWith("query_range") ? "matrix" : "vector") + "\",\"result\":[]}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            String[] untrusted = run(
                    "--prometheus",
                    url,
                    "--month",
                    "2026-11",
                    "--output",
                    dir.resolve("a.html").toString());
            assertEquals("1", untrusted[0], untrusted[2]);
            assertTrue(
                    untrusted[2].startsWith("intune-exporter report: TLS handshake with " + url + " failed"),
                    untrusted[2]);
            assertTrue(untrusted[2].contains("pass --ca-file or --insecure"), untrusted[2]);

            Path file = dir.resolve("b.html");
            String[] trusted = run(
                    "--prometheus",
                    url,
                    "--month",
                    "2026-11",
                    "--ca-file",
                    cert.certFile.toString(),
                    "--output",
                    file.toString());
            assertEquals("0", trusted[0], trusted[2]);
            assertTrue(
                    trusted[1].contains("sections without data: Executive summary, Compliance, Protection"),
                    trusted[1]);
            String html = Files.readString(file);
            assertTrue(html.contains("No data: Prometheus holds no series of the exporter (job"), "says why");

            String[] insecure = run(
                    "--prometheus",
                    url,
                    "--month",
                    "2026-11",
                    "--insecure",
                    "--output",
                    dir.resolve("c.html").toString());
            assertEquals("0", insecure[0], insecure[2]);
        } finally {
            server.stop(0);
        }
    }
}
