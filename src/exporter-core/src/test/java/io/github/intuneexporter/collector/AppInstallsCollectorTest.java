package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.GraphReport;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.AppData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AppInstallsCollectorTest {
    private static final String SUMMARY = "/deviceManagement/reports/getAppsInstallSummaryReport";
    private static final String DEVICE_REPORT = "/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport";

    /** The test's own reading of the simulator's report platforms. */
    private static String platform(AppData.App app) {
        return switch (app.reportPlatform()) {
            case "Windows" -> "windows";
            case "iOS/iPadOS" -> "ios";
            case "Android" -> "android";
            case "macOS" -> "macos";
            case "Web" -> "web";
            default -> "unknown";
        };
    }

    private static double series(MetricSnapshots m, AppData.App app, String status) {
        return SimulatedGraph.value(
                m, "intune_app_install_devices", "app", app.displayName(), "platform", platform(app), "status", status);
    }

    private static AppInstallsCollector collector(
            SimulatedGraph g, boolean beta, String include, int maxApps, int maxRows) {
        return new AppInstallsCollector(
                g.api(),
                Duration.ofMinutes(30),
                new CollectorSettings.AppInstalls(
                        Duration.ofMinutes(30),
                        beta,
                        new CollectorSettings.NameFilter(include == null ? null : Pattern.compile(include), null),
                        maxApps,
                        maxRows));
    }

    /** Checks every app that reaches a device against the ground truth; returns how many there are. */
    private static int assertAllApps(AppData truth, MetricSnapshots m, boolean notApplicableColumn) {
        Map<String, AppData.Counts> counts = truth.aggregates().byApp();
        int reaching = 0;
        long total = 0;
        for (AppData.App app : truth.apps()) {
            AppData.Counts c = counts.get(app.id());
            if (c.installed() + c.failed() + c.pending() + c.notInstalled() + c.notApplicable() == 0) {
                assertTrue(
                        Double.isNaN(series(m, app, "installed")),
                        "an app that reaches no device is not exported: " + app.displayName());
                continue;
            }
            reaching++;
            assertEquals(c.installed(), series(m, app, "installed"), 0.0, app.displayName());
            assertEquals(c.failed(), series(m, app, "failed"), 0.0, app.displayName());
            assertEquals(c.pending(), series(m, app, "pending"), 0.0, app.displayName());
            assertEquals(c.notInstalled(), series(m, app, "not_installed"), 0.0, app.displayName());
            if (notApplicableColumn) {
                assertEquals(c.notApplicable(), series(m, app, "not_applicable"), 0.0, app.displayName());
            } else {
                assertTrue(Double.isNaN(series(m, app, "not_applicable")), "a missing column is not invented");
            }
            total += c.installed()
                    + c.failed()
                    + c.pending()
                    + c.notInstalled()
                    + (notApplicableColumn ? c.notApplicable() : 0);
        }
        assertEquals(total, SimulatedGraph.sum(m, "intune_app_install_devices"), 0.0);
        assertEquals(reaching, SimulatedGraph.value(m, "intune_apps_tracked"), 0.0);
        return reaching;
    }

    @Test
    void summaryReportEqualsTheTenantExactlyAcrossPages() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(8, 1500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 10")) {
            MetricSnapshots m = collector(g, true, null, 100, 250_000).collect();
            AppData truth = new AppData(tenant);
            int reaching = assertAllApps(truth, m, true);
            assertTrue(reaching > 40, "apps: " + reaching);
            assertTrue(truth.apps().stream().anyMatch(a -> !a.assigned()), "unassigned apps in the tenant");
            assertEquals((truth.apps().size() + 9) / 10, g.simulator.requestCount(SUMMARY), "pages of 10 rows");
            assertEquals(0, g.simulator.requestCount(DEVICE_REPORT));
        }
    }

    @Test
    void reportColumnsAreReadByNameWhateverTheirOrder() throws Exception {
        AppData first = new AppData(new SimulatedTenant(8, 10, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)));
        AppData second = new AppData(new SimulatedTenant(13, 10, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)));
        assertNotEquals(
                first.summaryColumns(), second.summaryColumns(), "the two tenants order their columns differently");
        SimulatedTenant tenant = new SimulatedTenant(13, 900, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            assertAllApps(
                    new AppData(tenant), collector(g, true, null, 100, 250_000).collect(), true);
        }
    }

    @Test
    void numericEnumCodesAndAMissingColumnAreTolerated() throws Exception {
        // Odd values: Platform as a numeric code (text only in Platform_loc), NotApplicableDeviceCount left out.
        SimulatedTenant tenant = new SimulatedTenant(8, 700, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.01);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            assertAllApps(
                    new AppData(tenant), collector(g, true, null, 100, 250_000).collect(), false);
            // And the v1.0 per-device rows with AppInstallState as a numeric code, text in AppInstallState_loc.
            assertAllApps(
                    new AppData(tenant), collector(g, false, null, 100, 250_000).collect(), true);
        }
    }

    @Test
    void v1DeviceReportIsCountedPerAppAcrossPages() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(2, 400, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 50")) {
            MetricSnapshots m = collector(g, false, null, 100, 250_000).collect();
            AppData truth = new AppData(tenant);
            assertAllApps(truth, m, true);
            long expectedRequests = 0;
            for (AppData.App app : truth.apps()) {
                if (app.assigned()) {
                    expectedRequests += Math.max(
                            1, (truth.aggregates().byApp().get(app.id()).targeted() + 49) / 50);
                }
            }
            assertTrue(expectedRequests > truth.apps().size(), "several pages for some apps");
            assertEquals(expectedRequests, g.simulator.requestCount(DEVICE_REPORT));
            assertEquals(0, g.simulator.requestCount(SUMMARY), "no beta call unless opted in");
        }
    }

    @Test
    void maxAppsKeepsTheAppsWithTheMostDevicesAndIncludeFilters() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(8, 600, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            AppData truth = new AppData(tenant);
            Map<String, AppData.Counts> counts = truth.aggregates().byApp();
            Comparator<AppData.App> byDevices = Comparator.comparingLong(
                            (AppData.App a) -> counts.get(a.id()).targeted())
                    .reversed()
                    .thenComparing(AppData.App::displayName)
                    .thenComparing(AppData.App::id);
            for (boolean beta : new boolean[] {true, false}) {
                MetricSnapshots m = collector(g, beta, "Microsoft", 5, 250_000).collect();
                List<AppData.App> expected = truth.apps().stream()
                        .filter(a -> a.displayName().contains("Microsoft"))
                        .filter(a -> counts.get(a.id()).targeted() > 0)
                        .sorted(byDevices)
                        .toList();
                assertTrue(expected.size() > 5, "more apps than max-apps");
                int selected = expected.size();
                List<AppData.App> top = expected.subList(0, 5);
                // A name is one label: an app beyond the first 5 that shares a kept name (another platform) keeps it
                // too.
                java.util.Set<String> keptNames = new java.util.HashSet<>(
                        top.stream().map(AppData.App::displayName).toList());
                long installedBeyond = expected.stream()
                        .filter(a -> !keptNames.contains(a.displayName()))
                        .mapToLong(a -> counts.get(a.id()).installed())
                        .sum();
                expected = top;
                for (AppData.App app : expected) {
                    assertEquals(counts.get(app.id()).installed(), series(m, app, "installed"), 0.0, app.displayName());
                }
                assertEquals(selected, SimulatedGraph.value(m, "intune_apps_tracked"), 0.0);
                assertEquals(
                        installedBeyond,
                        SimulatedGraph.sum(m, "intune_app_install_devices", "app", "_other", "status", "installed"),
                        0.0,
                        "the apps beyond max-apps add up in _other");
                List<String> named = SimulatedGraph.labelValues(m, "intune_app_install_devices", "app");
                assertEquals(keptNames.size() + 1, named.size(), "the kept names and _other: " + named);
            }
        }
    }

    @Test
    void theRowBudgetLeavesOutAppsThatDoNotFit() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(2, 400, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 20")) {
            AppData truth = new AppData(tenant);
            MetricSnapshots m = collector(g, false, null, 100, 1500).collect();
            long reaching = truth.apps().stream()
                    .filter(a -> truth.aggregates().byApp().get(a.id()).targeted() > 0)
                    .count();
            double tracked = SimulatedGraph.value(m, "intune_apps_tracked");
            assertTrue(tracked > 0 && tracked < reaching, tracked + " of " + reaching);
            // What is exported is exact, never a partial count.
            for (AppData.App app : truth.apps()) {
                double installed = series(m, app, "installed");
                if (!Double.isNaN(installed)) {
                    assertEquals(
                            truth.aggregates().byApp().get(app.id()).installed(), installed, 0.0, app.displayName());
                }
            }
        }
    }

    @Test
    void failuresOfTroubledAppsRiseWithTime() throws Exception {
        EnrollmentCollectorTest.MutableClock clock =
                new EnrollmentCollectorTest.MutableClock(SimulatedGraph.NOW.minus(Duration.ofHours(11)));
        SimulatedTenant tenant = new SimulatedTenant(8, 600, clock, Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            AppData truth = new AppData(tenant);
            AppData.App zoom = truth.apps().stream()
                    .filter(a -> a.troubled() && a.displayName().startsWith("Zoom"))
                    .findFirst()
                    .orElseThrow();
            AppInstallsCollector c = collector(g, true, null, 100, 250_000);
            double before = series(c.collect(), zoom, "failed");
            clock.advance(Duration.ofHours(1));
            double after = series(c.collect(), zoom, "failed");
            assertEquals(truth.aggregates().byApp().get(zoom.id()).failed(), after, 0.0);
            assertTrue(after > before, before + " -> " + after);
        }
    }

    @Test
    void aRevokedPermissionFailsTheRunNamingIt() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 4)) {
            g.simulator.revokePermission(Permissions.APPS);
            for (boolean beta : new boolean[] {true, false}) {
                Exception e = assertThrows(
                        GraphException.class,
                        () -> collector(g, beta, null, 100, 250_000).collect());
                assertTrue(e.getMessage().contains("DeviceManagementApps.Read.All"), e.getMessage());
            }
        }
    }

    @Test
    void malformedReportsFailTheRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 4)) {
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.MALFORMED, "reports/", 1.0, Duration.ZERO, Duration.ZERO)));
            for (boolean beta : new boolean[] {true, false}) {
                Exception e = assertThrows(
                        GraphException.class,
                        () -> collector(g, beta, null, 100, 250_000).collect());
                assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
            }
        }
    }

    @Test
    void reportParsingGoesBySchemaNames() throws Exception {
        JsonNode body = GraphApi.mapper()
                .readTree(
                        "{\"TotalRowCount\":2,\"Schema\":[{\"Column\":\"FailedDeviceCount\",\"PropertyType\":\"Int32\"},"
                                + "{\"Column\":\"Extra\",\"PropertyType\":\"String\"},{\"Column\":\"DisplayName\",\"PropertyType\":\"String\"},"
                                + "{\"Column\":\"Platform\",\"PropertyType\":\"Int32\"},{\"Column\":\"Platform_loc\",\"PropertyType\":\"String\"}],"
                                + "\"Values\":[[3,\"x\",\"Teams\",1,\"Windows\"],[\"7\",null,\"Zoom\"]]}");
        GraphReport r = GraphReport.parse(SUMMARY, body);
        assertEquals(2, r.rowCount());
        assertEquals(2, r.totalRowCount().getAsLong());
        assertEquals("Teams", r.text(0, "DisplayName"));
        assertEquals(3, r.count(0, "FailedDeviceCount").getAsLong());
        assertEquals(7, r.count(1, "failedDeviceCount").getAsLong(), "numeric text, column name case-insensitive");
        assertEquals("Windows", r.enumText(0, "Platform"), "numeric code: the _loc text");
        assertTrue(r.enumText(1, "Platform") == null, "short row: absent");
        assertTrue(r.count(0, "InstalledDeviceCount").isEmpty(), "missing column: absent");

        GraphException e = assertThrows(
                GraphException.class,
                () -> GraphReport.parse(SUMMARY, GraphApi.mapper().readTree("{\"value\":[]}")));
        assertTrue(e.getMessage().contains("malformed report response"), e.getMessage());
        assertThrows(
                GraphException.class,
                () -> GraphReport.parse(
                        SUMMARY,
                        GraphApi.mapper().readTree("{\"Schema\":[{\"Column\":\"A\"}],\"Values\":[{\"A\":1}]}")));
    }

    @Test
    void labelMappings() {
        assertEquals("pending", AppInstallsCollector.installState("Install Pending"));
        assertEquals("pending", AppInstallsCollector.installState("pendingInstall"));
        assertEquals("not_installed", AppInstallsCollector.installState("NotInstalled"));
        assertEquals("failed", AppInstallsCollector.installState("uninstallFailed"));
        assertEquals("unknown", AppInstallsCollector.installState("somethingNew"));
    }
}
