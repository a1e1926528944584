package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.AppProtectionData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppProtectionCollectorTest {
    private static final int STALE_DAYS = 30;

    /** The test's own mapping of flaggedReasons wire strings (any case of the first letter). */
    private static String reason(String raw) {
        return switch (raw.toLowerCase()) {
            case "none" -> "none";
            case "rooteddevice" -> "rooted_device";
            default -> "unknown";
        };
    }

    private static MetricSnapshots collect(SimulatedGraph g, Set<String> apps, int maxApps) throws Exception {
        return new AppProtectionCollector(
                        g.api(),
                        SimulatedGraph.fixedClock(),
                        Duration.ofMinutes(15),
                        new CollectorSettings.AppProtection(Duration.ofMinutes(15), apps, maxApps, STALE_DAYS, 200))
                .collect();
    }

    private static List<AppProtectionData.Registration> registrations(SimulatedTenant tenant) {
        List<AppProtectionData.Registration> out = new ArrayList<>();
        AppProtectionData.of(tenant).forEachRegistration(out::add);
        return out;
    }

    @Test
    void everyMetricEqualsTheSimulatedRegistrationsAcrossManyPages() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(31, 2500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.05);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            int maxApps = 5;
            MetricSnapshots m = collect(g, Set.of(), maxApps);
            List<AppProtectionData.Registration> regs = registrations(tenant);

            Map<String, Integer> perApp = new HashMap<>();
            Map<String, Integer> totals = new HashMap<>();
            Map<String, Integer> flagged = new HashMap<>();
            Map<String, Integer> stale = new HashMap<>();
            Set<String> flaggedUsers = new HashSet<>();
            Set<String> wire = new HashSet<>();
            Instant staleBefore = SimulatedGraph.NOW.minus(Duration.ofDays(STALE_DAYS));
            for (AppProtectionData.Registration r : regs) {
                perApp.merge(r.platform() + "|" + r.app().appId(), 1, Integer::sum);
                totals.merge(r.app().appId(), 1, Integer::sum);
                wire.addAll(r.flaggedReasons());
                Set<String> reasons = new LinkedHashSet<>();
                r.flaggedReasons().forEach(x -> reasons.add(reason(x)));
                reasons.remove("none");
                if (reasons.isEmpty()) {
                    flagged.merge(r.platform() + "|none", 1, Integer::sum);
                } else {
                    reasons.forEach(x -> flagged.merge(r.platform() + "|" + x, 1, Integer::sum));
                    flaggedUsers.add(r.userId());
                }
                if (r.lastSyncDateTime() == null || r.lastSyncDateTime().isBefore(staleBefore)) {
                    stale.merge(r.platform(), 1, Integer::sum);
                }
            }
            assertTrue(
                    wire.containsAll(
                            tenant.oddValues() > 0
                                    ? Set.of(
                                            "none",
                                            "rootedDevice",
                                            "RootedDevice",
                                            "androidBootloaderUnlocked",
                                            "androidFactoryRomModified",
                                            AppProtectionData.FUTURE_REASON)
                                    : Set.of("none", "rootedDevice")),
                    "every kind of flaggedReasons value: " + wire);
            if (tenant.oddValues() == 0) {
                assertEquals(Set.of("none", "rootedDevice"), wire, "only v1.0 members without odd values");
            }

            // The top maxApps ids by registrations (ties by id) keep their label; the rest is _other.
            List<String> ranked = new ArrayList<>(totals.keySet());
            ranked.sort((a, b) -> totals.get(a).equals(totals.get(b)) ? a.compareTo(b) : totals.get(b) - totals.get(a));
            Set<String> top = new HashSet<>(ranked.subList(0, maxApps));
            Map<String, Integer> expected = new HashMap<>();
            perApp.forEach((k, v) -> {
                String[] p = k.split("\\|");
                expected.merge(p[0] + "|" + (top.contains(p[1]) ? p[1] : "_other"), v, Integer::sum);
            });
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(m, "intune_app_protection_registrations", "platform", k[0], "app", k[1]),
                        0.0,
                        e.getKey());
            }
            assertEquals(expected.size(), SimulatedGraph.seriesCount(m, "intune_app_protection_registrations"));
            assertEquals(regs.size(), SimulatedGraph.sum(m, "intune_app_protection_registrations"), 0.0);

            for (String platform : List.of("ios", "android")) {
                for (String r : AppProtectionCollector.REASONS) {
                    assertEquals(
                            flagged.getOrDefault(platform + "|" + r, 0),
                            SimulatedGraph.value(
                                    m,
                                    "intune_app_protection_flagged_registrations",
                                    "platform",
                                    platform,
                                    "reason",
                                    r),
                            0.0,
                            platform + "|" + r);
                }
                assertEquals(
                        stale.getOrDefault(platform, 0),
                        SimulatedGraph.value(m, "intune_app_protection_stale_registrations", "platform", platform),
                        0.0,
                        platform);
            }
            assertTrue(flaggedUsers.size() > 0
                    && flaggedUsers.size()
                            < flagged.values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum());
            assertEquals(flaggedUsers.size(), SimulatedGraph.value(m, "intune_app_protection_flagged_users"), 0.0);

            // deploymentSummary: distinct users with a registration of a targeted app, recomputed here from the
            // registrations.
            for (AppProtectionData.Policy p : AppProtectionData.of(tenant).policies()) {
                Set<String> users = new HashSet<>();
                for (AppProtectionData.Registration r : regs) {
                    if (p.assigned()
                            && r.platform().equals(p.platform())
                            && p.appIds().contains(r.app().appId())) {
                        users.add(r.userId());
                    }
                }
                assertEquals(
                        users.size(),
                        SimulatedGraph.value(
                                m,
                                "intune_app_protection_policy_deployed_users",
                                "policy",
                                p.displayName(),
                                "platform",
                                p.platform()),
                        0.0,
                        p.displayName());
            }
            assertEquals(
                    AppProtectionData.of(tenant).policies().size(),
                    SimulatedGraph.seriesCount(m, "intune_app_protection_policy_deployed_users"));

            // Streamed at 100 per page; the policies in one request per platform thanks to $expand.
            assertTrue(g.simulator.requestCount("/deviceAppManagement/managedAppRegistrations")
                    >= (regs.size() + 99) / 100);
            assertEquals(1, g.simulator.requestCount("/deviceAppManagement/iosManagedAppProtections"));
            assertEquals(1, g.simulator.requestCount("/deviceAppManagement/androidManagedAppProtections"));
        }
    }

    @Test
    void anAllowListLabelsOnlyTheListedApps() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(5, 800, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 50")) {
            Set<String> outlook = Set.of("com.microsoft.Office.Outlook", "com.microsoft.office.outlook");
            MetricSnapshots m = collect(g, outlook, 20);
            Map<String, Integer> expected = new HashMap<>();
            for (AppProtectionData.Registration r : registrations(tenant)) {
                String app = outlook.contains(r.app().appId()) ? r.app().appId() : "_other";
                expected.merge(r.platform() + "|" + app, 1, Integer::sum);
            }
            assertEquals(4, expected.size());
            for (Map.Entry<String, Integer> e : expected.entrySet()) {
                String[] k = e.getKey().split("\\|");
                assertEquals(
                        e.getValue(),
                        SimulatedGraph.value(m, "intune_app_protection_registrations", "platform", k[0], "app", k[1]),
                        0.0,
                        e.getKey());
            }
            assertEquals(4, SimulatedGraph.seriesCount(m, "intune_app_protection_registrations"));
        }
    }

    @Test
    void theDefaultTopTwentyLeavesOnlyTheRarestAppsInOther() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(5, 1500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m = collect(g, Set.of(), 20);
            Set<String> ids = new HashSet<>();
            registrations(tenant).forEach(r -> ids.add(r.app().appId()));
            assertTrue(ids.size() > 20, "more distinct apps than max-apps: " + ids.size());
            Set<String> labels = new HashSet<>();
            for (String platform : List.of("ios", "android")) {
                for (String id : ids) {
                    if (!Double.isNaN(SimulatedGraph.value(
                            m, "intune_app_protection_registrations", "platform", platform, "app", id))) {
                        labels.add(id);
                    }
                }
            }
            assertEquals(20, labels.size());
        }
    }

    @Test
    void anEmptyTenantExportsZerosForEveryKnownState() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(0, 1)) {
            MetricSnapshots m = collect(g, Set.of(), 20);
            assertEquals(0, SimulatedGraph.seriesCount(m, "intune_app_protection_registrations"));
            assertEquals(
                    6,
                    SimulatedGraph.seriesCount(m, "intune_app_protection_flagged_registrations"),
                    "3 reasons x 2 platforms");
            assertEquals(
                    0, SimulatedGraph.value(m, "intune_app_protection_stale_registrations", "platform", "ios"), 0.0);
            assertEquals(0, SimulatedGraph.value(m, "intune_app_protection_flagged_users"), 0.0);
            assertEquals(0, SimulatedGraph.sum(m, "intune_app_protection_policy_deployed_users"), 0.0);
        }
    }

    @Test
    void aRevokedPermissionFailsTheRunNamingIt() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 2)) {
            g.simulator.revokePermission(Permissions.APPS);
            GraphException e = assertThrows(GraphException.class, () -> collect(g, Set.of(), 20));
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("DeviceManagementApps.Read.All"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"managedAppRegistrations", "androidManagedAppProtections"})
    void malformedJsonFromAnEndpointFailsTheRun(String endpoint) throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(
                new SimulatedTenant(3, 500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)),
                "intune.graph.page-size = 100")) {
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.MALFORMED, endpoint, 1.0, Duration.ZERO, Duration.ZERO)));
            Exception e = assertThrows(GraphException.class, () -> collect(g, Set.of(), 20));
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void odataTypesAndAppIdentifiersAreReadLeniently() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("ios", AppProtectionCollector.platform("#microsoft.graph.iosManagedAppRegistration"));
        assertEquals("android", AppProtectionCollector.platform("#microsoft.graph.androidManagedAppRegistration"));
        assertEquals("unknown", AppProtectionCollector.platform("#microsoft.graph.tizenManagedAppRegistration"));
        assertEquals("unknown", AppProtectionCollector.platform(null));
        assertEquals(
                "com.microsoft.emmx",
                AppProtectionCollector.appId(json.readTree("{\"packageId\":\" com.microsoft.emmx \"}")));
        assertEquals(
                "unknown",
                AppProtectionCollector.appId(
                        json.readTree("{\"@odata.type\":\"#microsoft.graph.iosMobileAppIdentifier\"}")));
        assertEquals("unknown", AppProtectionCollector.appId(null));
        assertEquals(
                Set.of("rooted_device", "unknown"), // androidBootloaderUnlocked is beta only
                AppProtectionCollector.reasons(json.readTree("\"RootedDevice, androidBootloaderUnlocked\"")));
        assertEquals(Set.of("unknown"), AppProtectionCollector.reasons(json.readTree("[\"somethingNew\"]")));
    }
}
