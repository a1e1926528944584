package io.github.intuneexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.intuneexporter.log.LogfmtLayoutTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and log formats of the packaged jar, started as a process (issue 16). */
class CliIT {
    @TempDir
    Path dir;

    /** Two demo tenants, one without a Graph permission, so that collectors log failures at error level. */
    private static final String[] FAILING_DEMO = {
        "--demo",
        "--demo-devices=200",
        "--set",
        "intune.demo.tenants=2",
        "--set",
        "intune.collection.startup-stagger=0s",
        "--set",
        "intune.simulator.revoked-permissions=[\"ServiceHealth.Read.All\"]"
    };

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void jsonLogsWithTenantAndCollector() throws Exception {
        try (JarProcess p = JarProcess.start(
                dir, Map.of(), concat(FAILING_DEMO, "--web.listen-address=127.0.0.1:%PORT%", "--log.format=json"))) {
            p.awaitOk("/-/ready", Duration.ofSeconds(90));
            assertEquals(200, p.get("/metrics").statusCode());
            List<String> lines = p.stderr().lines().filter(l -> !l.isBlank()).toList();
            ObjectMapper json = new ObjectMapper();
            int collectorLines = 0;
            boolean permissionError = false;
            for (String line : lines) {
                JsonNode n = json.readTree(line); // throws on a line that is not JSON
                assertTrue(n.isObject() && n.has("ts") && n.has("level") && n.has("msg"), line);
                String msg = n.get("msg").asText();
                if (msg.startsWith("collector ")) {
                    collectorLines++;
                    assertTrue(n.hasNonNull("tenant") && n.hasNonNull("collector"), "tenant and collector on: " + line);
                    assertTrue(msg.contains(n.get("collector").asText()), line);
                }
                if (msg.contains("failed") && n.path("collector").asText().equals("service_health")) {
                    assertEquals("ERROR", n.get("level").asText(), line);
                    assertEquals("permission", n.path("reason").asText(), line);
                    permissionError = true;
                }
            }
            assertTrue(collectorLines >= 20, "a line per collector and tenant: " + lines);
            assertTrue(permissionError, "the missing permission is logged with reason=permission: " + lines);
        }
    }

    @Test
    void logfmtIsTheDefault() throws Exception {
        try (JarProcess p =
                JarProcess.start(dir, Map.of(), concat(FAILING_DEMO, "--web.listen-address", "127.0.0.1:%PORT%"))) {
            p.awaitOk("/-/ready", Duration.ofSeconds(90));
            List<String> lines = p.stderr().lines().filter(l -> !l.isBlank()).toList();
            int collectorLines = 0;
            for (String line : lines) {
                Map<String, String> f = LogfmtLayoutTest.parse(line);
                assertEquals(
                        List.of("ts", "level", "caller", "msg"),
                        List.copyOf(f.keySet()).subList(0, 4),
                        line);
                assertTrue(
                        List.of("info", "warn", "error").contains(f.get("level")), "info or above by default: " + line);
                if (f.get("msg").startsWith("collector ")) {
                    collectorLines++;
                    assertTrue(f.containsKey("tenant") && f.containsKey("collector"), line);
                }
            }
            assertTrue(collectorLines >= 20, lines.toString());
            assertTrue(
                    lines.stream()
                            .anyMatch(l -> l.contains("reason=permission")
                                    && l.contains("collector=service_health")
                                    && l.contains("level=error")
                                    && l.contains("request_id=")),
                    "with Graph's request id: " + lines);
        }
    }

    @Test
    void deprecatedListenStillWorksWithANotice() throws Exception {
        try (JarProcess p =
                JarProcess.start(dir, Map.of(), "--demo", "--demo-devices", "100", "--listen", "127.0.0.1:%PORT%")) {
            p.awaitOk("/-/healthy", Duration.ofSeconds(60));
            List<String> notices =
                    p.stderr().lines().filter(l -> l.contains("deprecated")).toList();
            assertEquals(1, notices.size(), p.output());
            assertTrue(
                    notices.get(0).contains("level=warn")
                            && notices.get(0).contains("--listen")
                            && notices.get(0).contains("--web.listen-address"),
                    notices.get(0));
        }
    }

    /** The shipped jar's --shard (the sharded Kubernetes overlay passes --shard=auto/N) reads only its tenants. */
    @Test
    void shardFlagReadsOnlyItsShareOfTheTenants() throws Exception {
        try (JarProcess p = JarProcess.start(
                dir,
                Map.of(),
                "--demo",
                "--demo-devices=100",
                "--set",
                "intune.demo.tenants=4",
                "--shard=1/2",
                "--web.listen-address=127.0.0.1:%PORT%")) {
            p.awaitOk("/-/ready", Duration.ofSeconds(60));
            String metrics = p.get("/metrics").body();
            assertTrue(metrics.contains("intune_shard_info{shard=\"1\",shards=\"2\"}"), metrics);
            long tenants = metrics.lines()
                    .filter(l -> l.startsWith("intune_tenant_info{"))
                    .count();
            assertTrue(tenants >= 1 && tenants < 4, "one shard of 4 tenants reads some, not all: " + tenants);
            assertTrue(p.stderr().contains("reading " + tenants + " of the 4 configured tenants"), p.output());
        }
    }

    @Test
    void environmentVariablesSetFlags() throws Exception {
        try (JarProcess p = JarProcess.start(
                dir,
                Map.of(
                        "INTUNE_EXPORTER_WEB_LISTEN_ADDRESS",
                        "127.0.0.1:%PORT%",
                        "INTUNE_EXPORTER_LOG_FORMAT",
                        "json",
                        "INTUNE_EXPORTER_DEMO",
                        "true"),
                "--demo-devices=100",
                "--web.telemetry-path=/m")) {
            p.awaitOk("/m", Duration.ofSeconds(60));
            assertTrue(
                    p.stderr().lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("{")),
                    "JSON from the environment: " + p.output());
        }
    }

    @Test
    void helpVersionAndUsageErrors() throws Exception {
        JarProcess.Result help = JarProcess.run(dir, "--help");
        assertEquals(0, help.code(), help.stderr());
        for (String flag : List.of(
                "--web.listen-address",
                "--web.config.file",
                "--web.telemetry-path",
                "--web.disable-exporter-metrics",
                "--web.enable-lifecycle",
                "--config.file",
                "--config.check",
                "--log.level",
                "--log.format",
                "--collector.disable-defaults",
                "--[no-]collector.devices",
                "--demo",
                "--demo-devices",
                "--demo-seed",
                "--scenario",
                "--set",
                "--version")) {
            assertTrue(help.stdout().contains(flag), flag + " in --help");
        }
        assertEquals(
                Cli.flags().size() + Cli.collectorNames().size(),
                help.stdout()
                        .lines()
                        .filter(l -> l.strip().startsWith("Env: INTUNE_EXPORTER_"))
                        .count(),
                help.stdout());
        JarProcess.Result bad = JarProcess.run(dir, "--web.listen-adress=:1");
        assertEquals(2, bad.code());
        assertEquals(1, bad.stderr().lines().count(), bad.stderr());
        assertTrue(bad.stderr().contains("--web.listen-adress"), bad.stderr());
        JarProcess.Result check = JarProcess.run(dir, "--demo", "--config.check", "--no-collector.devices");
        assertEquals(0, check.code(), check.stderr());
        assertTrue(
                check.stdout().contains("Configuration OK.") && !check.stdout().contains("devices,"), check.stdout());
        JarProcess.Result broken = JarProcess.run(dir, "--demo", "--config.check", "--set", "intune.graph.page-size=0");
        assertEquals(2, broken.code());
        // report is its own command with its own options: a bad one is a usage error naming the flag.
        JarProcess.Result report = JarProcess.run(dir, "report", "--prometheus", "ftp://prometheus");
        assertEquals(2, report.code(), report.stderr());
        assertTrue(report.stderr().contains("--prometheus expects an http:// or https:// URL"), report.stderr());
        JarProcess.Result secret = JarProcess.run(dir, "--set", "intune.auth.client-secret=\"s3cr#t\\q\"");
        assertEquals(2, secret.code());
        assertFalse(secret.stderr().contains("s3cr"), "a secret typed in --set is never printed: " + secret.stderr());
    }
}
