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
        "null,           alertname=IntuneSomethingInformational,        severity=info",
        "intune-chat,    alertname=IntuneWithoutSeverity,               team=endpoint",
        "intune-chat,    alertname=SomeOtherTeamsAlert,                 severity=critical",
    })
    void routesAsPromised(String receiver, String alertname, String label) {
        Path amtool = Tools.require("amtool", "apt-get install prometheus-alertmanager");
        Tools.Result r = Tools.run(Bundle.ROOT, 60, amtool.toString(), "config", "routes", "test", "--config.file=" + CONFIG,
                "--verify.receivers=" + receiver, alertname, label);
        assertTrue(r.ok(), alertname + " " + label + " should reach " + receiver + ": " + r.output());
    }

    @Test
    void aWrongExpectationFails() {
        Path amtool = Tools.require("amtool", "apt-get install prometheus-alertmanager");
        Tools.Result r = Tools.run(Bundle.ROOT, 60, amtool.toString(), "config", "routes", "test", "--config.file=" + CONFIG,
                "--verify.receivers=intune-chat", "alertname=IntuneComplianceRatioDrop", "severity=critical");
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
        assertTrue(found, "an inhibit rule critical -> warning with equal [alertname, job, instance, connector_type, name, ...]");
        Map<String, Object> route = (Map<String, Object>) am.get("route");
        assertTrue(((List<String>) route.get("group_by")).contains("alertname"), "group by alertname");
    }

    @Test
    void secretsComeFromFiles() throws Exception {
        String text = Files.readString(CONFIG);
        List<String> inline = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*-?\\s*(routing_key|service_key|api_url|api_key|password|credentials|bot_token|webhook_url)\\s*:").matcher(text);
        while (m.find()) {
            inline.add(m.group(1));
        }
        assertEquals(List.of(), inline, "secrets must be *_file references");
        assertTrue(text.contains("routing_key_file:") && text.contains("api_url_file:") && text.contains("credentials_file:"));
    }
}
