package io.github.intuneexporter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report command's arguments, exit codes and failure messages, without a real Prometheus. */
class ReportCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private static final List<String> SECTIONS = List.of(
            "Executive summary",
            "Compliance",
            "Protection",
            "Enrollment and app-install failures",
            "Expiries ahead",
            "Changes",
            "Incidents",
            "Procedures");

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReportCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                CLOCK);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void unreachablePrometheusGivesOneLineAndAReportThatListsEverySectionWithoutData(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("r.html");
        Run r = run(
                "--prometheus", "http://127.0.0.1:" + closedPort(), "--month", "2026-11", "--output", file.toString());
        assertEquals(ReportCommand.UNREACHABLE, r.code());
        assertTrue(r.err().startsWith("intune-exporter report: cannot reach Prometheus at http://127.0.0.1:"), r.err());
        assertTrue(r.err().contains("connection refused"), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        String html = Files.readString(file);
        assertTrue(html.contains("id=\"unreachable\""), "unreachable banner");
        int banner = html.indexOf("Sections without data:");
        assertTrue(banner > 0);
        String listed = html.substring(banner, html.indexOf("</div>", banner));
        for (String section : SECTIONS) {
            assertTrue(listed.contains(">" + section + "<"), section + " listed as without data: " + listed);
        }
        assertTrue(html.contains("Intune report 2026-11"));
        assertTrue(
                html.contains("2026-11-01 00:00:00 UTC") && html.contains("2026-12-01 00:00:00 UTC"),
                "period of --month");
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        for (String[] args : List.of(
                new String[] {"--month", "2026-13"},
                new String[] {"--from", "yesterday"},
                new String[] {"--month", "2026-11", "--from", "2026-11-02"},
                new String[] {"--prometheus", "localhost:9090"},
                new String[] {"--prometheus", "http://[::1"},
                new String[] {"--prometheus", "http://prometheus:secret@127.0.0.1:9090"},
                new String[] {"--prometheus", "http://127.0.0.1:9090/?x=1"},
                new String[] {"--prometheus", "http://127.0.0.1:9090/#graph"},
                new String[] {"--prometheus", "http://:9090/"},
                new String[] {"--bogus"},
                new String[] {"--from", "2026-11-05", "--to", "2026-11-01"},
                new String[] {"--bearer-token-file", "/nonexistent/token"},
                new String[] {"--resolve-target", "critical"})) {
            Run r = run(args);
            assertEquals(ReportCommand.USAGE, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("intune-exporter report: "), r.err());
            assertEquals(2, r.err().lines().count(), "message and hint only: " + r.err());
            assertFalse(r.err().contains("secret"), "a password in the URL is never echoed: " + r.err());
        }
        assertTrue(
                run("--from", "2030-01-01").err().contains("the period starts in the future (2030-01-01T00:00:00Z)"));
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--month YYYY-MM"));
    }

    @Test
    void anUnwritableOutputOrAnUnreadableCaFileIsOneLineThatSaysWhy(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file.txt"), "x");
        Run write = run(
                "--prometheus",
                "http://127.0.0.1:" + closedPort(),
                "--output",
                notADirectory.resolve("r.html").toString());
        assertEquals(ReportCommand.USAGE, write.code(), write.err());
        assertTrue(
                write.err()
                        .contains("cannot write " + notADirectory.resolve("r.html") + ": " + notADirectory
                                + ": exists and is not a directory"),
                write.err());
        assertEquals(List.of("file.txt"), listing(dir), "no temporary file left behind");

        Path notACertificate = Files.writeString(
                dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Run ca = run("--prometheus", "https://127.0.0.1:" + closedPort(), "--ca-file", notACertificate.toString());
        assertEquals(ReportCommand.USAGE, ca.code(), ca.err());
        assertEquals(1, ca.err().lines().count(), ca.err());
        assertTrue(ca.err().contains("--ca-file " + notACertificate + " holds no readable PEM certificate"), ca.err());
    }

    @Test
    void aTokenFileAHeaderCannotCarryIsOneLineThatDoesNotQuoteIt(@TempDir Path dir) throws Exception {
        for (String content : List.of("first-half\nsecond-half\n", "tok\u0001en-second-half", "\n")) {
            Path token = Files.writeString(dir.resolve("token"), content);
            Run r = run(
                    "--prometheus",
                    "http://127.0.0.1:" + closedPort(),
                    "--bearer-token-file",
                    token.toString(),
                    "--output",
                    dir.resolve("r.html").toString());
            assertEquals(ReportCommand.USAGE, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("must hold the token alone"), r.err());
            assertFalse(r.err().contains("second-half"), "the token is never echoed: " + r.err());
        }
    }

    private static List<String> listing(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Prometheus writes infinite sample values as Go does ("+Inf", "-Inf"), which Double.parseDouble refuses; a
     * sample that is not a [time, "value"] pair is a broken answer. Neither may end the command with a stack trace.
     */
    @Test
    void infiniteSamplesAreNumbersAndMalformedSamplesAreAFailedQuery(@TempDir Path dir) throws Exception {
        for (String result : List.of(
                "[{\"metric\":{\"tenant\":\"a\"},\"value\":[1796551200,\"+Inf\"]},"
                        + "{\"metric\":{\"tenant\":\"b\"},\"value\":[1796551200,\"-Inf\"]}]",
                "[{\"metric\":{\"tenant\":\"a\"},\"value\":[1796551200,\"NaNx\"]},"
                        + "{\"metric\":null,\"value\":null},{\"value\":[1]}]")) {
            HttpServer server = prometheus(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}",
                    exchange -> {});
            try {
                Path file = dir.resolve("r.html");
                Run r = run(
                        "--prometheus",
                        "http://127.0.0.1:" + server.getAddress().getPort(),
                        "--month",
                        "2026-11",
                        "--output",
                        file.toString());
                assertEquals(ReportCommand.WRITTEN, r.code(), r.err());
                assertTrue(Files.readString(file).contains("</html>"), "the report is written");
            } finally {
                server.stop(0);
            }
        }
    }

    /**
     * As Go's client (Prometheus' own tools) does it: a redirect is followed, with the credentials to the same host
     * only. localhost and 127.0.0.1 are one machine but two hosts, as a proxy and another server would be.
     */
    @Test
    void redirectsAreFollowedButCredentialsStayWithTheirHost(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "s3cret");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer target = prometheus(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                exchange -> seen.add(exchange.getRequestHeaders().getFirst("Host") + " "
                        + exchange.getRequestHeaders().getFirst("Authorization")));
        for (String host : List.of("127.0.0.1", "localhost")) {
            HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            proxy.createContext("/", exchange -> {
                exchange.getResponseHeaders()
                        .set(
                                "Location",
                                "http://" + host + ":" + target.getAddress().getPort() + exchange.getRequestURI());
                exchange.sendResponseHeaders(307, -1);
                exchange.close();
            });
            proxy.start();
            seen.clear();
            try {
                Run r = run(
                        "--prometheus",
                        "http://127.0.0.1:" + proxy.getAddress().getPort(),
                        "--basic-auth-user",
                        "u",
                        "--basic-auth-password-file",
                        password.toString(),
                        "--output",
                        dir.resolve("r.html").toString());
                assertEquals(ReportCommand.WRITTEN, r.code(), r.err());
                assertFalse(seen.isEmpty(), "the redirect was followed");
                for (String request : seen) {
                    assertEquals(host.equals("127.0.0.1"), request.endsWith(" Basic dTpzM2NyZXQ="), request);
                }
            } finally {
                proxy.stop(0);
            }
        }
        target.stop(0);
    }

    @Test
    void bearerTokenIsSentButNeverPrinted(@TempDir Path dir) throws Exception {
        String token = "tok-" + System.nanoTime();
        Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = prometheus(
                401,
                "{\"status\":\"error\",\"error\":\"unauthorized\"}",
                exchange -> seen.add(exchange.getRequestHeaders().getFirst("Authorization")));
        try {
            Path file = dir.resolve("r.html");
            Run r = run(
                    "--prometheus",
                    "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--bearer-token-file",
                    tokenFile.toString(),
                    "--output",
                    file.toString());
            assertEquals(ReportCommand.UNREACHABLE, r.code());
            assertEquals("Bearer " + token, seen.get(0));
            assertTrue(r.err().contains("refused the request (HTTP 401)"), r.err());
            assertFalse(
                    r.err().contains(token)
                            || r.out().contains(token)
                            || Files.readString(file).contains(token),
                    "token never echoed");
        } finally {
            server.stop(0);
        }
    }

    /** A stand-in Prometheus on a free loopback port: every request is shown to {@code seen}, then answered. */
    private static HttpServer prometheus(int status, String json, Consumer<HttpExchange> seen) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.accept(exchange);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void defaultsAndQueryPlaceholders() throws Exception {
        ReportOptions o =
                ReportOptions.parse(new String[] {"--month", "2026-12", "--tenant", "contoso"}, CLOCK.instant());
        assertEquals(CLOCK.instant(), o.to(), "the current month ends now");
        assertEquals(Path.of("intune-report-2026-12-contoso.html"), o.output());
        ReportQueries.Scope scope = new ReportQueries.Scope(o.job(), o.tenant(), 86400, 120, 360);
        assertEquals(
                "sum by (tenant) (intune_managed_devices{job=~\".*intune.*\", tenant=\"contoso\"})",
                ReportQueries.expand(ReportQueries.DEVICES, scope));
        assertTrue(ReportQueries.expand(ReportQueries.ALERTS_FIRING, scope).endsWith(", tenant=~\"contoso|\"}"));
        ReportOptions previous =
                ReportOptions.parse(new String[] {"--month", "previous", "--output", "/reports/"}, CLOCK.instant());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), previous.from());
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"), previous.to());
        assertEquals(
                Path.of("/reports/intune-report-2026-11.html"), previous.output(), "a directory gets the default name");
        ReportQueries.Scope single = new ReportQueries.Scope(".*intune.*", "default", 86400, 120, 360);
        assertTrue(
                ReportQueries.expand(ReportQueries.DEVICES, single).contains("tenant=~\"|default\""),
                "a single tenant has no label");
    }
}
