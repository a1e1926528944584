package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.ProtectionData;
import io.github.intuneexporter.simulator.SimulatedDevice;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectionCollectorTest {
    private static final String DETECTIONS = "/deviceManagement/windowsMalwareInformation/{id}/deviceMalwareStates";
    private static final String PROTECTION_STATE = "/deviceManagement/managedDevices/{id}/windowsProtectionState";
    private static final List<String> CHECKS = List.of(
            "real_time_protection",
            "malware_protection",
            "tamper_protection",
            "network_inspection",
            "signature_update",
            "quick_scan",
            "full_scan");

    // The test's own mapping of the simulator's wire strings, written out rather than reusing the collector's code.

    /** One flag of deviceState: any case of the first letter, anything else is unknown_state. */
    private static String healthFlag(String raw) {
        return switch (raw.trim().toLowerCase()) {
            case "clean" -> "clean";
            case "critical" -> "critical";
            case "rebootpending" -> "reboot_pending";
            case "fullscanpending" -> "full_scan_pending";
            case "manualstepspending" -> "manual_steps_pending";
            case "offlinescanpending" -> "offline_scan_pending";
            default -> "unknown_state";
        };
    }

    /** deviceState split into its flags, each counted once; null means unknown_state. */
    private static Set<String> healthStates(String deviceState) {
        Set<String> out = new LinkedHashSet<>();
        if (deviceState == null) {
            out.add("unknown_state");
            return out;
        }
        for (String part : deviceState.split(",")) {
            out.add(healthFlag(part));
        }
        return out;
    }

    private static String productStatus(String raw) {
        return switch (raw.trim()) {
            case "noStatus" -> "no_status";
            case "serviceNotRunning" -> "service_not_running";
            case "pendingFullScanDueToThreatAction" -> "pending_full_scan_due_to_threat_action";
            case "pendingRebootDueToThreatAction" -> "pending_reboot_due_to_threat_action";
            case "pendingManualStepsDueToThreatAction" -> "pending_manual_steps_due_to_threat_action";
            case "avSignaturesOutOfDate" -> "av_signatures_out_of_date";
            case "noQuickScanHappenedForSpecifiedPeriod" -> "no_quick_scan_happened_for_specified_period";
            case "noFullScanHappenedForSpecifiedPeriod" -> "no_full_scan_happened_for_specified_period";
            case "offlineScanRequired" -> "offline_scan_required";
            case "threatRemediationFailedCritically" -> "threat_remediation_failed_critically";
            case "platformOutOfDate" -> "platform_out_of_date";
            case "productExpired" -> "product_expired";
            default -> "unknown";
        };
    }

    private static String severity(String raw) {
        return switch (raw) {
            case "low", "moderate", "high", "severe" -> raw;
            default -> "unknown";
        };
    }

    private static String category(String raw) {
        return switch (raw) {
            case "trojan", "tool", "ransom", "backdoor", "adware", "exploit", "behavior", "virus" -> raw;
            case "potentialUnwantedSoftware" -> "potential_unwanted_software";
            case "trojanDownloader" -> "trojan_downloader";
            case "remote_Control_Software", "remoteControlSoftware" -> "remote_control_software";
            default -> "unknown";
        };
    }

    private static String threatState(String raw) {
        return switch (raw.toLowerCase()) {
            case "active" -> "active";
            case "actionfailed" -> "action_failed";
            case "manualstepsrequired" -> "manual_steps_required";
            case "fullscanrequired" -> "full_scan_required";
            case "rebootrequired" -> "reboot_required";
            case "remediatedwithnoncriticalfailures" -> "remediated_with_non_critical_failures";
            case "quarantined" -> "quarantined";
            case "removed" -> "removed";
            case "cleaned" -> "cleaned";
            case "allowed" -> "allowed";
            case "nostatuscleared" -> "no_status_cleared";
            default -> "unknown";
        };
    }

    private static String enabled(Boolean b) {
        return b == null ? "unknown" : b ? "ok" : "problem";
    }

    private static String overdue(boolean b) {
        return b ? "problem" : "ok";
    }

    private static MetricSnapshots collect(SimulatedGraph g, int budget) throws Exception {
        return new ProtectionCollector(
                        g.api(),
                        Duration.ofMinutes(10),
                        new CollectorSettings.Protection(Duration.ofMinutes(10), budget, false))
                .collect();
    }

    private static List<SimulatedDevice> windowsDevices(SimulatedTenant tenant) {
        List<SimulatedDevice> out = new ArrayList<>();
        tenant.forEachDevice(d -> {
            if (d.operatingSystem().equals("Windows")) {
                out.add(d);
            }
        });
        return out;
    }

    private static void increment(Map<String, Integer> map, String key) {
        map.merge(key, 1, Integer::sum);
    }

    @Test
    void everyMetricEqualsTheSimulatedTenantAcrossManyPages() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(21, 2500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.05);
        // The healthy tenant has no unresolved detection: play the outbreak so that every threat state is read.
        io.github.intuneexporter.simulator.ScenarioRun outbreak = io.github.intuneexporter.simulator.ScenarioRun.manual(
                io.github.intuneexporter.simulator.Scenarios.MALWARE_OUTBREAK, SimulatedGraph.fixedClock());
        tenant.play(outbreak);
        outbreak.startIncident();
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            MetricSnapshots m = collect(g, 5000);
            ProtectionData data = ProtectionData.of(tenant);
            List<SimulatedDevice> windows = windowsDevices(tenant);

            int reported = 0;
            Map<String, Integer> states = new HashMap<>();
            Map<String, Integer> checks = new HashMap<>();
            Map<String, Integer> product = new HashMap<>();
            boolean spaced = false;
            boolean pascal = false;
            boolean future = false;
            for (SimulatedDevice d : windows) {
                ProtectionData.DeviceProtection p = data.protection(d);
                if (p == null) {
                    CHECKS.forEach(c -> increment(checks, c + "|unknown"));
                    continue;
                }
                reported++;
                String ds = p.deviceState();
                spaced |= ds != null && ds.contains(", ");
                pascal |= ds != null && Character.isUpperCase(ds.charAt(0));
                future |= ds != null && ds.contains(ProtectionData.FUTURE_HEALTH_FLAG);
                for (String s : healthStates(ds)) {
                    increment(states, s);
                }
                if (p.quickScanOverdue()) {
                    increment(states, "quick_scan_pending");
                }
                if (p.signatureUpdateOverdue()) {
                    increment(states, "signature_update_pending");
                }
                if (Boolean.FALSE.equals(p.malwareProtectionEnabled())) {
                    increment(states, "inactive_agent");
                }
                increment(checks, "real_time_protection|" + enabled(p.realTimeProtectionEnabled()));
                increment(checks, "malware_protection|" + enabled(p.malwareProtectionEnabled()));
                increment(checks, "tamper_protection|" + enabled(p.tamperProtectionEnabled()));
                increment(checks, "network_inspection|" + enabled(p.networkInspectionSystemEnabled()));
                increment(checks, "signature_update|" + overdue(p.signatureUpdateOverdue()));
                increment(checks, "quick_scan|" + overdue(p.quickScanOverdue()));
                increment(checks, "full_scan|" + overdue(p.fullScanOverdue()));
                for (String flag : p.productStatus().split(", ")) {
                    increment(product, productStatus(flag));
                }
            }
            assertTrue(
                    spaced && pascal && future,
                    "the tenant has ', '-separated, PascalCase and unknown deviceState values");
            assertTrue(windows.size() > reported, "some Windows devices have no windowsProtectionState (404)");

            assertEquals(reported, SimulatedGraph.value(m, "intune_defender_reported_devices"), 0.0);
            for (String state : List.of(
                    "clean",
                    "critical",
                    "reboot_pending",
                    "full_scan_pending",
                    "manual_steps_pending",
                    "offline_scan_pending",
                    "quick_scan_pending",
                    "signature_update_pending",
                    "inactive_agent",
                    "unknown_state")) {
                assertEquals(
                        states.getOrDefault(state, 0),
                        SimulatedGraph.value(m, "intune_defender_devices", "state", state),
                        0.0,
                        state);
            }
            assertTrue(states.get("unknown_state") > 0 && states.get("reboot_pending") > 0);

            assertEquals(windows.size(), SimulatedGraph.value(m, "intune_defender_protection_checked_devices"), 0.0);
            for (String check : CHECKS) {
                for (String status : List.of("ok", "problem", "unknown")) {
                    assertEquals(
                            checks.getOrDefault(check + "|" + status, 0),
                            SimulatedGraph.value(
                                    m, "intune_defender_protection_devices", "check", check, "status", status),
                            0.0,
                            check + "|" + status);
                }
            }
            assertEquals(21, SimulatedGraph.seriesCount(m, "intune_defender_protection_devices"));
            for (Map.Entry<String, Integer> e : product.entrySet()) {
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(m, "intune_defender_product_status_devices", "status", e.getKey()),
                        0.0,
                        e.getKey());
            }
            assertEquals(
                    product.values().stream().mapToInt(Integer::intValue).sum(),
                    SimulatedGraph.sum(m, "intune_defender_product_status_devices"),
                    0.0);

            // Malware: detections by severity, category and threat state; distinct devices.
            Map<String, Integer> detections = new HashMap<>();
            Map<String, Integer> bySeverity = new HashMap<>();
            Map<String, Set<String>> categoryDevices = new HashMap<>();
            Set<String> devicesWithMalware = new HashSet<>();
            Set<String> activeDevices = new HashSet<>();
            Map<String, Integer> perMalware = new HashMap<>();
            for (ProtectionData.Detection d : data.detections()) {
                String sev = severity(d.malware().severity());
                String cat = category(d.malware().category());
                String state = threatState(d.threatState());
                increment(detections, sev + "|" + cat + "|" + state);
                increment(bySeverity, sev);
                increment(perMalware, d.malware().id());
                categoryDevices.computeIfAbsent(cat, k -> new HashSet<>()).add(d.deviceId());
                devicesWithMalware.add(d.deviceId());
                if (Set.of("active", "action_failed", "manual_steps_required", "full_scan_required", "reboot_required")
                        .contains(state)) {
                    activeDevices.add(d.deviceId());
                }
            }
            assertTrue(
                    detections.keySet().stream().anyMatch(k -> k.endsWith("|unknown")),
                    "unknown threat states reached the test");
            assertTrue(
                    detections.keySet().stream().anyMatch(k -> k.startsWith("unknown|unknown|")),
                    "unknown severity/category");
            assertTrue(detections.keySet().stream().anyMatch(k -> k.contains("|remote_control_software|")));
            for (Map.Entry<String, Integer> e : detections.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(
                                m, "intune_malware_detections", "severity", k[0], "category", k[1], "state", k[2]),
                        0.0,
                        e.getKey());
            }
            assertEquals(data.detections().size(), SimulatedGraph.sum(m, "intune_malware_detections"), 0.0);
            // Every threat state of every (severity, category) is exported, 0 included.
            assertEquals(0, SimulatedGraph.seriesCount(m, "intune_malware_detections") % 12);
            assertEquals(activeDevices.size(), SimulatedGraph.value(m, "intune_malware_active_devices"), 0.0);
            assertTrue(activeDevices.size() > 0);

            assertEquals(devicesWithMalware.size(), SimulatedGraph.value(m, "intune_malware_detected_devices"), 0.0);
            for (String sev : List.of("unknown", "low", "moderate", "high", "severe")) {
                assertEquals(
                        bySeverity.getOrDefault(sev, 0),
                        SimulatedGraph.value(m, "intune_malware_severity_detections", "severity", sev),
                        0.0,
                        sev);
            }
            for (Map.Entry<String, Set<String>> e : categoryDevices.entrySet()) {
                assertEquals(
                        e.getValue().size(),
                        SimulatedGraph.value(m, "intune_malware_category_devices", "category", e.getKey()),
                        0.0,
                        e.getKey());
            }

            // Requests: one per Windows device, id listing paged at 100, detections paged (Presenoker spans two pages).
            assertEquals(windows.size(), g.simulator.requestCount(PROTECTION_STATE));
            long idPages = g.simulator.requestCount("/deviceManagement/managedDevices");
            assertTrue(
                    idPages >= (windows.size() + 99) / 100 && idPages <= (windows.size() + 99) / 100 + 1,
                    "id pages: " + idPages);
            assertTrue(
                    perMalware.values().stream().anyMatch(n -> n > 100), "one malware has more than a page of devices");
            assertTrue(g.simulator.requestCount(DETECTIONS) > data.malware().size(), "deviceMalwareStates were paged");
        }
    }

    @Test
    void withoutAnOverviewThePerDeviceFallbackCountsEachDeviceStateFlag() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(8, 1200, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.03);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            ProtectionData data = ProtectionData.of(tenant);
            data.setOverviewReported(false);
            MetricSnapshots m = collect(g, 1000);

            int reported = 0;
            Map<String, Integer> states = new HashMap<>();
            Set<String> variants = new HashSet<>();
            for (SimulatedDevice d : windowsDevices(tenant)) {
                ProtectionData.DeviceProtection p = data.protection(d);
                if (p != null) {
                    reported++;
                    healthStates(p.deviceState()).forEach(s -> increment(states, s));
                    String ds = p.deviceState();
                    if (ds == null) {
                        variants.add("null");
                    } else {
                        variants.add(ds.contains(", ") ? "spaced" : ds.contains(",") ? "comma" : "single");
                        variants.add(Character.isUpperCase(ds.charAt(0)) ? "pascal" : "camel");
                    }
                }
            }
            assertEquals(Set.of("null", "spaced", "comma", "single", "pascal", "camel"), variants);
            assertEquals(reported, SimulatedGraph.value(m, "intune_defender_reported_devices"), 0.0);
            for (String state : List.of(
                    "clean",
                    "critical",
                    "reboot_pending",
                    "full_scan_pending",
                    "manual_steps_pending",
                    "offline_scan_pending",
                    "unknown_state")) {
                assertEquals(
                        states.getOrDefault(state, 0),
                        SimulatedGraph.value(m, "intune_defender_devices", "state", state),
                        0.0,
                        state);
            }
            // deviceState has no such flags: these come only from the overview.
            assertTrue(Double.isNaN(SimulatedGraph.value(m, "intune_defender_devices", "state", "quick_scan_pending")));
            assertEquals(7, SimulatedGraph.seriesCount(m, "intune_defender_devices"));
        }
    }

    @Test
    void aTenantAboveTheBudgetGetsOnlyTheAggregatesAndAlmostNoRequests() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(4, 600, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            int budget = 50;
            assertTrue(windowsDevices(tenant).size() > budget);
            ProtectionCollector collector = new ProtectionCollector(
                    g.api(),
                    Duration.ofMinutes(10),
                    new CollectorSettings.Protection(Duration.ofMinutes(10), budget, false));
            for (int run = 0; run < 2; run++) {
                MetricSnapshots m = collector.collect();
                assertEquals(0, SimulatedGraph.seriesCount(m, "intune_defender_protection_devices"));
                assertEquals(0, SimulatedGraph.seriesCount(m, "intune_defender_protection_checked_devices"));
                assertEquals(0, SimulatedGraph.seriesCount(m, "intune_defender_product_status_devices"));
                assertEquals(10, SimulatedGraph.seriesCount(m, "intune_defender_devices"));
                assertFalse(Double.isNaN(SimulatedGraph.value(m, "intune_defender_reported_devices")));
            }
            // The id listing asks for budget + 1 ids and stops there: one page per run, no per-device request.
            assertEquals(0, g.simulator.requestCount(PROTECTION_STATE));
            assertEquals(2, g.simulator.requestCount("/deviceManagement/managedDevices"));
        }
    }

    @Test
    void aBudgetOfZeroDisablesThePerDeviceFallback() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(200, 6)) {
            MetricSnapshots m = collect(g, 0);
            assertEquals(0, g.simulator.requestCount("/deviceManagement/managedDevices"));
            assertEquals(0, g.simulator.requestCount(PROTECTION_STATE));
            assertEquals(0, SimulatedGraph.seriesCount(m, "intune_defender_protection_devices"));
            assertEquals(10, SimulatedGraph.seriesCount(m, "intune_defender_devices"));
        }
    }

    @Test
    void aTenantExactlyAtTheBudgetIsReadCompletely() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(4, 300, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            int windows = windowsDevices(tenant).size();
            MetricSnapshots m = collect(g, windows);
            assertEquals(windows, SimulatedGraph.value(m, "intune_defender_protection_checked_devices"), 0.0);
            assertEquals(windows, g.simulator.requestCount(PROTECTION_STATE));
        }
    }

    @Test
    void aRevokedPermissionFailsTheRunNamingIt() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 2)) {
            g.simulator.revokePermission(Permissions.MANAGED_DEVICES);
            GraphException e = assertThrows(GraphException.class, () -> collect(g, 500));
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("DeviceManagementManagedDevices.Read.All"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"windowsProtectionState", "deviceMalwareStates", "windowsMalwareInformation"})
    void malformedJsonFromAnEndpointFailsTheRun(String endpoint) throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(400, 9)) {
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.MALFORMED, endpoint, 1.0, Duration.ZERO, Duration.ZERO)));
            Exception e = assertThrows(GraphException.class, () -> collect(g, 500));
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void aPlainDeviceManagementGetHasOnlyTheDefaultPropertiesLikeGraph() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(50, 1)) {
            JsonNode plain = g.api().get("/deviceManagement");
            Set<String> fields = new HashSet<>();
            for (Iterator<String> it = plain.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            assertEquals(Set.of("@odata.context", "id", "settings", "intuneAccountId"), fields);
            JsonNode selected = g.api().get("/deviceManagement?$select=deviceProtectionOverview");
            assertTrue(selected.get("deviceProtectionOverview").isObject());
            assertFalse(selected.has("windowsMalwareOverview"));
        }
    }

    @Test
    void checkStatusReadsBooleansAndTheirTextForms() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("ok", ProtectionCollector.checkStatus(json.getNodeFactory().booleanNode(true), false));
        assertEquals(
                "problem", ProtectionCollector.checkStatus(json.getNodeFactory().booleanNode(true), true));
        assertEquals(
                "problem", ProtectionCollector.checkStatus(json.getNodeFactory().textNode("False"), false));
        assertEquals(
                "unknown", ProtectionCollector.checkStatus(json.getNodeFactory().nullNode(), false));
        assertEquals("unknown", ProtectionCollector.checkStatus(null, true));
        assertEquals(
                "unknown", ProtectionCollector.checkStatus(json.getNodeFactory().textNode("maybe"), true));
    }
}
