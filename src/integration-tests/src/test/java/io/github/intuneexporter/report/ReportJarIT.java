package io.github.intuneexporter.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.Tools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report subcommand of the shipped jar (template and HTTP client packaged), started as a process. */
class ReportJarIT {
    private static Tools.Result runJar(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
        assertTrue(Files.isRegularFile(jar), "packaged jar " + jar + " exists (run mvn verify, not mvn test)");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                jar.toString(),
                "report"));
        command.addAll(List.of(args));
        return Tools.run(command, null, 60);
    }

    @Test
    void unreachablePrometheusStillWritesTheReportAndExitsOne(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Tools.Result r =
                runJar("--prometheus", "http://127.0.0.1:" + port, "--month", "2026-11", "--output", dir + "/");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(
                r.output()
                        .contains("intune-exporter report: cannot reach Prometheus at http://127.0.0.1:" + port
                                + ": connection refused"),
                r.output());
        assertFalse(r.output().contains("Exception") || r.output().contains("\tat "), "no stack trace: " + r.output());
        String html = Files.readString(dir.resolve("intune-report-2026-11.html"));
        assertTrue(
                html.contains("Sections without data:")
                        && html.contains("<svg") == false
                        && html.contains("Appendix: queries"),
                "report written");
    }

    @Test
    void helpAndBadArguments() throws Exception {
        Tools.Result help = runJar("--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("--month YYYY-MM"));
        Tools.Result bad = runJar("--month", "November");
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().startsWith("intune-exporter report: --month expects YYYY-MM"), bad.output());
    }
}
