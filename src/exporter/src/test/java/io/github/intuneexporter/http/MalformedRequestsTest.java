package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.config.WebConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * Requests a careless or hostile client sends, answered over a real socket: each gets a status line (never a dropped
 * connection) and leaves no line in the JDK server's own log (which is not our logfmt).
 */
class MalformedRequestsTest {
    private static ExporterHttpServer start(WebConfig web, ReloadHandler lifecycle) throws IOException {
        return MetricsServers.start(web, MetricsEndpoint.of(new PrometheusRegistry()), lifecycle);
    }

    /** The raw answer (status line and headers) to {@code request}, or "" when the server closed without one. */
    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            int c;
            while (!answer.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
                answer.append((char) c);
            }
            return answer.toString();
        }
    }

    @Test
    void aMalformedBasicCredentialIsRefusedWith401NotADroppedConnection() throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = OpenBSDBCrypt.generate("2y", "pw".toCharArray(), salt, 4);
        try (ExporterHttpServer server = start(new WebConfig(null, Map.of("p", hash), Map.of()), null)) {
            for (String credential : List.of(
                    "Basic !!!not-base64", "Basic " + base64("no-colon"), "Basic", "Basic " + base64("p:wrong"))) {
                String answer = exchange(
                        server.port(),
                        "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: " + credential
                                + "\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 401 "), credential + " -> " + answer);
                if (!credential.equals("Basic")) { // "Basic" alone: the JDK refuses it itself, without a challenge
                    assertTrue(answer.toLowerCase().contains("www-authenticate: basic"), answer);
                }
            }
            String ok = exchange(
                    server.port(),
                    "GET /-/healthy HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + base64("p:pw")
                            + "\r\nConnection: close\r\n\r\n");
            assertTrue(ok.startsWith("HTTP/1.1 200 "), ok);
        }
    }

    @Test
    void headOfReloadAnswersWithoutABodyAndWithoutAJdkWarning() throws Exception {
        List<LogRecord> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger jdk = Logger.getLogger("com.sun.net.httpserver");
        jdk.addHandler(capture);
        try (ExporterHttpServer disabled = start(WebConfig.NONE, null);
                ExporterHttpServer enabled = start(WebConfig.NONE, new ReloadHandler(after -> null))) {
            String off = exchange(disabled.port(), "HEAD /-/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(off.startsWith("HTTP/1.1 403 "), off);
            String on = exchange(enabled.port(), "HEAD /-/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(on.startsWith("HTTP/1.1 405 "), on);
            assertEquals(List.of(), warnings.stream().map(LogRecord::getMessage).toList());
        } finally {
            jdk.removeHandler(capture);
        }
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
