package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** deploy/alertmanager/alertmanager.yml: valid, routes as promised, inhibits warnings by criticals, no inline secrets. */
class AlertmanagerConfigTest {
    static final Path CONFIG = Bundle.ROOT.resolve("deploy/alertmanager/alertmanager.yml");

    @Test
    void amtoolAcceptsTheConfig() {
        Path amtool = Tools.require("amtool", "apt-get install prometheus-alertmanager");
        Tools.Result r = Tools.run(Bundle.ROOT, 60, amtool.toString(), "check-config", CONFIG.toString());
        assertTrue(r.ok(), r.output());
    }

    /**
     * The real Alertmanager, started with the compose service's flags and the shipped config (no secret files, as on a
     * fresh checkout), becomes ready and logs no warning: e.g. a repeat_interval longer than its --data.retention
     * (notification log), after which the "weekly" ticket would be sent again anyway.
     */
    @Test
    @SuppressWarnings("unchecked")
    void alertmanagerStartsWithTheComposeFlagsWithoutWarnings() throws Exception {
        Path binary = Tools.require("prometheus-alertmanager", "apt-get install prometheus-alertmanager");
        Path storage = Files.createTempDirectory("alertmanager");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        for (String flag :
                (List<String>) ComposeStackTest.service("alertmanager").get("command")) {
            command.add(flag.replace("/etc/alertmanager/alertmanager.yml", CONFIG.toString())
                    .replace("--storage.path=/alertmanager", "--storage.path=" + storage));
        }
        command.addAll(List.of("--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="));
        Path log = storage.resolve("log");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            boolean ready = false;
            for (int i = 0; i < 120 && !ready && p.isAlive(); i++) {
                Thread.sleep(250);
                try {
                    ready = http.send(
                                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                            "http://127.0.0.1:" + port + "/-/ready"))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
            }
            String output = Files.readString(log);
            assertTrue(ready, "Alertmanager became ready: " + output);
            List<String> warnings = output.lines()
                    .filter(l -> l.contains("level=warn") || l.contains("level=error"))
                    .toList();
            assertEquals(List.of(), warnings);
        } finally {
            p.destroy();
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            try (var files = Files.walk(storage)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /** One line per routing promise: expected receiver, then the alert's labels. */
    @ParameterizedTest(name = "{1} {2} -> {0}")
    @CsvSource({
        "intune-pager,   alertname=IntuneComplianceRatioDrop,           severity=critical",
        "intune-pager,   alertname=IntuneApplePushCertificateExpiring,  severity=critical",
        "intune-pager,   alertname=IntuneActiveMalware,                 severity=critical",
        "intune-chat,    alertname=IntuneCollectorFailing,              severity=warning",
        "intune-chat,    alertname=IntuneServiceIncidentOpen,           severity=warning",
        "intune-tickets, alertname=IntuneVppTokenExpiring,              severity=warning",
        "intune-tickets, alertname=IntuneExporterCredentialExpiring,    severity=warning",
        "intune-tickets, alertname=IntuneMessageCenterActionRequired,   severity=warning",
        "intune-digest,  alertname=IntuneSomethingInformational,        severity=info",
        "intune-tickets, alertname=IntuneStaleDevicesHigh,              severity=warning",
        "intune-chat,    alertname=IntuneJailbrokenDevicesAppeared,     severity=warning",
        "intune-chat,    alertname=IntuneWithoutSeverity,               team=endpoint",
        "intune-chat,    alertname=SomeOtherTeamsAlert,                 severity=critical",
    })
    void routesAsPromised(String receiver, String alertname, String label) {
        Path amtool = Tools.require("amtool", "apt-get install prometheus-alertmanager");
        Tools.Result r = Tools.run(
                Bundle.ROOT,
                60,
                amtool.toString(),
                "config",
                "routes",
                "test",
                "--config.file=" + CONFIG,
                "--verify.receivers=" + receiver,
                alertname,
                label);
        assertTrue(r.ok(), alertname + " " + label + " should reach " + receiver + ": " + r.output());
    }

    @Test
    void aWrongExpectationFails() {
        Path amtool = Tools.require("amtool", "apt-get install prometheus-alertmanager");
        Tools.Result r = Tools.run(
                Bundle.ROOT,
                60,
                amtool.toString(),
                "config",
                "routes",
                "test",
                "--config.file=" + CONFIG,
                "--verify.receivers=intune-chat",
                "alertname=IntuneComplianceRatioDrop",
                "severity=critical");
        assertFalse(r.ok(), "a critical Intune alert must not go to chat only: " + r.output());
    }

    @Test
    @SuppressWarnings("unchecked")
    void criticalInhibitsWarningOfTheSameAlertAndObject() {
        Map<String, Object> am = Bundle.yamlMap(CONFIG);
        boolean found = false;
        for (Map<String, Object> rule : (List<Map<String, Object>>) am.get("inhibit_rules")) {
            if (List.of("severity=\"critical\"").equals(rule.get("source_matchers"))
                    && List.of("severity=\"warning\"").equals(rule.get("target_matchers"))) {
                List<String> equal = (List<String>) rule.get("equal");
                found = equal.containsAll(List.of("alertname", "job", "instance", "connector_type", "name"));
            }
        }
        assertTrue(
                found,
                "an inhibit rule critical -> warning with equal [alertname, job, instance, connector_type, name, ...]");
        Map<String, Object> route = (Map<String, Object>) am.get("route");
        assertTrue(((List<String>) route.get("group_by")).contains("alertname"), "group by alertname");
    }

    /** One cause notifies once: these (source, target) pairs are inhibited, each with the labels that must match. */
    @ParameterizedTest(name = "{0} inhibits {1}")
    @CsvSource({
        "IntuneCollectorFailing,    IntuneDataStale,              job instance tenant collector",
        "IntuneExporterDown,        IntuneActiveMalware,          job instance",
        "IntuneExporterDown,        IntuneComplianceRatioDrop,    job instance",
        "IntuneExporterDown,        IntuneExporterAbsent,         ''",
        "IntuneExporterAbsent,      IntuneActiveMalware,          ''",
        "IntuneComplianceRatioDrop, IntuneOsComplianceRatioDrop,  job instance tenant",
        "IntuneServiceIncidentOpen, IntuneServiceHealthDegraded,  job instance tenant",
    })
    @SuppressWarnings("unchecked")
    void oneCauseNotifiesOnce(String source, String target, String equal) {
        Map<String, Object> am = Bundle.yamlMap(CONFIG);
        List<String> want = equal.isBlank() ? List.of() : List.of(equal.trim().split(" "));
        boolean found = false;
        for (Map<String, Object> rule : (List<Map<String, Object>>) am.get("inhibit_rules")) {
            if (matches((List<String>) rule.get("source_matchers"), source)
                    && matches((List<String>) rule.get("target_matchers"), target)
                    && !matches((List<String>) rule.get("target_matchers"), source)) {
                List<String> eq = (List<String>) rule.getOrDefault("equal", List.of());
                found |= eq.containsAll(want) && want.containsAll(eq);
            }
        }
        assertTrue(found, source + " must inhibit " + target + " with equal " + want);
    }

    /** Whether an alert named {@code alertname} satisfies every alertname matcher of the list (other labels ignored). */
    private static boolean matches(List<String> matchers, String alertname) {
        for (String m : matchers) {
            Matcher eq = Pattern.compile("alertname(=~|!~|=|!=)\"(.*)\"").matcher(m.trim());
            if (!eq.matches()) {
                continue;
            }
            boolean hit = switch (eq.group(1)) {
                case "=" -> alertname.equals(eq.group(2));
                case "!=" -> !alertname.equals(eq.group(2));
                case "=~" -> alertname.matches(eq.group(2));
                default -> !alertname.matches(eq.group(2));
            };
            if (!hit) {
                return false;
            }
        }
        return true;
    }

    @Test
    void secretsComeFromFiles() throws Exception {
        String text = Files.readString(CONFIG);
        List<String> inline = new ArrayList<>();
        Matcher m = Pattern.compile(
                        "(?m)^\\s*-?\\s*(routing_key|service_key|api_url|api_key|password|credentials|bot_token|webhook_url)\\s*:")
                .matcher(text);
        while (m.find()) {
            inline.add(m.group(1));
        }
        assertEquals(List.of(), inline, "secrets must be *_file references");
        assertTrue(text.contains("routing_key_file:")
                && text.contains("api_url_file:")
                && text.contains("credentials_file:"));
    }
}
