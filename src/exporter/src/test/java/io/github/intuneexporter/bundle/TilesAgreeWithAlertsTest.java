package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.bundle.Bundle.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One source of truth per signal: a tile (stat, gauge, bar gauge, table) that turns orange or red does so for the
 * same series and at the same thresholds as the alert it links to first ("Runbook: AlertName"). Orange is the
 * alert's warning, red its critical. Every other tile stays neutral (blue or green only), so the wall is never
 * redder than the alerts.
 */
class TilesAgreeWithAlertsTest {
    /** How a tile linked to an alert is coloured: series the query must read, and steps color:value (- = base). */
    record Colouring(List<String> signal, String steps) {}

    private static final String EXPIRY =
            "red:-,orange:connector_expiry_critical_days,green:connector_expiry_warning_days";
    static final Map<String, Colouring> TILES = Map.ofEntries(
            Map.entry(
                    "IntuneComplianceRatioLow",
                    new Colouring(
                            List.of("instance:intune_devices_compliant:ratio"), "red:-,green:compliance_ratio_low")),
            Map.entry(
                    "IntuneActiveMalware",
                    new Colouring(
                            List.of("intune_malware_active_devices"),
                            "green:-,orange:malware_active_devices_warning,red:malware_active_devices_critical")),
            Map.entry(
                    "IntuneServiceIncidentOpen",
                    new Colouring(List.of("intune_service_issues", "classification=\"incident\""), "green:-,orange:1")),
            Map.entry(
                    "IntuneApplePushCertificateExpiring",
                    new Colouring(List.of("instance_connector:intune_connector_expires_in:days"), EXPIRY)),
            Map.entry(
                    "IntuneVppTokenExpiring",
                    new Colouring(List.of("instance_connector:intune_connector_expires_in:days"), EXPIRY)),
            Map.entry(
                    "IntuneDepTokenExpiring",
                    new Colouring(List.of("instance_connector:intune_connector_expires_in:days"), EXPIRY)),
            Map.entry(
                    "IntuneConnectorExpiring",
                    new Colouring(List.of("instance_connector:intune_connector_expires_in:days"), EXPIRY)),
            Map.entry(
                    "IntuneExporterCredentialExpiring",
                    new Colouring(
                            List.of("instance_credential:intune_exporter_credential_expires_in:days"),
                            "red:-,orange:credential_expiry_critical_days,green:credential_expiry_warning_days")),
            Map.entry(
                    "IntuneDefenderRealTimeProtectionOff",
                    new Colouring(
                            List.of(
                                    "instance_check:intune_defender_protection_problem_devices:ratio",
                                    "check=\"real_time_protection\""),
                            "green:-,orange:defender_protection_off_ratio")),
            Map.entry(
                    "IntuneDefenderTamperProtectionOff",
                    new Colouring(
                            List.of(
                                    "instance_check:intune_defender_protection_problem_devices:ratio",
                                    "check=\"tamper_protection\""),
                            "green:-,orange:defender_protection_off_ratio")),
            Map.entry(
                    "IntuneDefenderSignaturesOverdue",
                    new Colouring(
                            List.of(
                                    "instance_check:intune_defender_protection_problem_devices:ratio",
                                    "check=\"signature_update\""),
                            "green:-,orange:defender_signatures_overdue_ratio")),
            Map.entry(
                    "IntuneConnectorUnhealthy",
                    new Colouring(List.of("instance_connector:intune_connector_unhealthy:bool"), "green:-,orange:1")),
            Map.entry(
                    "IntuneConnectorHeartbeatStale",
                    new Colouring(
                            List.of("instance_connector:intune_connector_heartbeat_age:days"),
                            "green:-,orange:connector_heartbeat_warning_days,red:connector_heartbeat_critical_days")),
            Map.entry(
                    "IntunePartnerHeartbeatStale",
                    new Colouring(
                            List.of("instance_partner:intune_partner_heartbeat_age:hours"),
                            "green:-,orange:partner_heartbeat_warning_hours")),
            Map.entry(
                    "IntuneConnectorSyncStale",
                    new Colouring(
                            List.of("instance_connector:intune_connector_sync_age:days"),
                            "green:-,orange:connector_sync_warning_days")),
            Map.entry(
                    "IntuneMessageCenterActionRequired",
                    new Colouring(
                            List.of("instance:intune_message_center_next_action_in:days"),
                            "orange:-,green:message_center_action_days")),
            Map.entry(
                    "IntuneStaleDevicesHigh",
                    new Colouring(
                            List.of("instance_days:intune_stale_devices:ratio", "days=\"30\""),
                            "green:-,orange:stale_devices_ratio")),
            Map.entry(
                    "IntuneAutopilotFailureSpike",
                    new Colouring(
                            List.of(
                                    "instance:intune_autopilot_failures:increase1h",
                                    "instance:intune_autopilot_deployments:increase1h"),
                            "green:-,orange:autopilot_failure_ratio")),
            Map.entry(
                    "IntuneDataStale",
                    new Colouring(
                            List.of(
                                    "instance_collector:intune_data_age:intervals",
                                    "intune:alert_threshold:value{threshold=\"data_stale_intervals\"}"),
                            "green:-,orange:1")),
            Map.entry(
                    "IntuneCollectorFailing",
                    new Colouring(
                            List.of("intune_collector_success{", "2 * intune_collector_effective_interval_seconds"),
                            "green:-,orange:1")),
            Map.entry(
                    "IntuneGraphThrottlingSustained",
                    new Colouring(
                            List.of("instance:intune_graph_throttled_requests:ratio_rate15m"),
                            "green:-,orange:graph_throttled_ratio")),
            Map.entry(
                    "IntuneExporterDown",
                    new Colouring(List.of("up{job=~\"$job\", instance=~\"$instance\"}"), "red:-,green:1")));
    private static final Set<String> TILE_TYPES = Set.of("stat", "gauge", "bargauge", "table");
    private static final Set<String> NEUTRAL_COLOURS = Set.of("blue", "green", "text", "transparent");

    /** The thresholds file's values by name. */
    static Map<String, Double> thresholds() {
        Map<String, Double> out = new TreeMap<>();
        for (Rule r : Bundle.rules()) {
            if ("intune:alert_threshold:value".equals(r.record())) {
                out.put(
                        String.valueOf(r.labels().get("threshold")),
                        Double.valueOf(r.expr().replaceAll("vector\\((.*)\\)", "$1")));
            }
        }
        return out;
    }

    /** The steps a tile of {@code alert} must have, as "color:value" with "-" for the base step. */
    static List<String> expectedSteps(Colouring c, Map<String, Double> thresholds) {
        List<String> out = new ArrayList<>();
        for (String step : c.steps().split(",")) {
            String[] cv = step.split(":");
            String value = cv[1].equals("-")
                    ? "-"
                    : thresholds.containsKey(cv[1]) ? number(thresholds.get(cv[1])) : number(Double.parseDouble(cv[1]));
            out.add(cv[0] + ":" + value);
        }
        return out;
    }

    static List<String> actualSteps(JsonNode panel) {
        List<String> out = new ArrayList<>();
        for (JsonNode s :
                panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")) {
            out.add(s.path("color").asText() + ":"
                    + (s.path("value").isNull() || s.path("value").isMissingNode()
                            ? "-"
                            : number(s.path("value").asDouble())));
        }
        return out;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Problems of one panel; empty when it agrees with its alert or is neutral. */
    static List<String> check(String where, JsonNode panel, Map<String, Double> thresholds) {
        List<String> problems = new ArrayList<>();
        if (!TILE_TYPES.contains(panel.path("type").asText())) {
            return problems;
        }
        List<String> steps = actualSteps(panel);
        boolean coloured = steps.stream().anyMatch(s -> !NEUTRAL_COLOURS.contains(s.substring(0, s.indexOf(':'))));
        if (!coloured) {
            return problems;
        }
        String first = panel.path("links").path(0).path("title").asText("");
        String alert = first.startsWith("Runbook: ") ? first.substring("Runbook: ".length()) : "";
        Colouring c = TILES.get(alert);
        if (c == null) {
            problems.add(where
                    + ": turns orange/red but its first link is not the runbook of an alert with a known tile colouring ("
                    + first + "); make it neutral or link the alert whose thresholds it shows");
            return problems;
        }
        StringBuilder queries = new StringBuilder();
        panel.path("targets")
                .forEach(t -> queries.append(t.path("expr").asText()).append('\n'));
        for (String signal : c.signal()) {
            if (!queries.toString().contains(signal)) {
                problems.add(where + ": coloured like " + alert + " but does not read its series " + signal);
            }
        }
        List<String> expected = expectedSteps(c, thresholds);
        if (!expected.equals(steps)) {
            problems.add(where + ": colour steps " + steps + " differ from " + alert + "'s thresholds " + expected);
        }
        return problems;
    }

    @Test
    void colouredTilesUseTheirAlertsSeriesAndThresholds() {
        Map<String, Double> thresholds = thresholds();
        List<String> problems = new ArrayList<>();
        int coloured = 0;
        for (Path f : Bundle.dashboardFiles()) {
            for (JsonNode p : Bundle.panels(Bundle.dashboard(f))) {
                List<String> found =
                        check(f.getFileName() + " / " + p.path("title").asText(), p, thresholds);
                problems.addAll(found);
                coloured += TILE_TYPES.contains(p.path("type").asText())
                                && !p.path("links").isEmpty()
                                && TILES.containsKey(p.path("links")
                                        .path(0)
                                        .path("title")
                                        .asText("")
                                        .replace("Runbook: ", ""))
                        ? 1
                        : 0;
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(coloured < 10, "the walls have coloured tiles: " + coloured);
    }

    @Test
    void everyColouringNamesAnExistingAlertAndThreshold() {
        Map<String, Double> thresholds = thresholds();
        List<String> problems = new ArrayList<>();
        TILES.forEach((alert, c) -> {
            if (!Bundle.alertNames().contains(alert)) {
                problems.add(alert + " is not an alert");
            }
            for (String step : c.steps().split(",")) {
                String v = step.split(":")[1];
                if (!v.equals("-") && !v.matches("[0-9.]+") && !thresholds.containsKey(v)) {
                    problems.add(alert + ": unknown threshold " + v);
                }
            }
            for (Rule a : Bundle.alerts()) {
                for (String step : c.steps().split(",")) {
                    String v = step.split(":")[1];
                    // A threshold named in the colouring is one the alert compares with.
                    if (a.alert().equals(alert)
                            && thresholds.containsKey(v)
                            && Bundle.alerts().stream()
                                    .noneMatch(x ->
                                            x.alert().equals(alert) && x.expr().contains("threshold=\"" + v + "\""))) {
                        problems.add(alert + " does not use threshold " + v);
                    }
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    /** The check fails for a tile whose colour threshold differs from its alert's. */
    @Test
    void aTileWithAnotherThresholdIsReported() throws Exception {
        JsonNode tile = Bundle.JSON.readTree("""
                {"type": "stat", "targets": [{"expr": "min(instance:intune_devices_compliant:ratio{job=~\\"$job\\"})"}],
                 "links": [{"title": "Runbook: IntuneComplianceRatioLow"}],
                 "fieldConfig": {"defaults": {"thresholds": {"steps": [{"color": "red", "value": null}, {"color": "green", "value": 0.9}]}}}}
                """);
        assertFalse(check("test tile", tile, thresholds()).isEmpty());
        JsonNode unlinked = Bundle.JSON.readTree("""
                {"type": "stat", "targets": [{"expr": "sum(intune_managed_devices)"}],
                 "fieldConfig": {"defaults": {"thresholds": {"steps": [{"color": "green", "value": null}, {"color": "red", "value": 500}]}}}}
                """);
        assertFalse(check("unlinked tile", unlinked, thresholds()).isEmpty());
    }
}
