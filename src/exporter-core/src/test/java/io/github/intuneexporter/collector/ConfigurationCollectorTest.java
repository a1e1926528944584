package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.ConfigurationData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConfigurationCollectorTest {

    /** The test's own reading of the OData types the simulator uses. */
    private static String platform(String odataType) {
        return switch (odataType.replace("#microsoft.graph.", "")) {
            case "windows10EndpointProtectionConfiguration",
                    "windows10VpnConfiguration",
                    "windows10GeneralConfiguration",
                    "windowsWifiConfiguration",
                    "windowsUpdateForBusinessConfiguration",
                    "editionUpgradeConfiguration",
                    "windowsHealthMonitoringConfiguration",
                    "windowsDeliveryOptimizationConfiguration",
                    "windowsKioskConfiguration",
                    "windowsIdentityProtectionConfiguration",
                    "windows10CustomConfiguration" -> "windows";
            case "windows81SCEPCertificateProfile", "windows81TrustedRootCertificate" -> "windows";
            case "iosScepCertificateProfile",
                    "iosGeneralDeviceConfiguration",
                    "iosWiFiConfiguration",
                    "iosVpnConfiguration",
                    "iosDeviceFeaturesConfiguration",
                    "iosTrustedRootCertificate",
                    "iosUpdateConfiguration",
                    "iosCustomConfiguration" -> "ios";
            case "macOSGeneralDeviceConfiguration",
                    "macOSEndpointProtectionConfiguration",
                    "macOSWiFiConfiguration",
                    "macOSDeviceFeaturesConfiguration",
                    "macOSCustomConfiguration" -> "macos";
            case "androidWorkProfileGeneralDeviceConfiguration",
                    "androidWorkProfileVpnConfiguration",
                    "androidWorkProfileCustomConfiguration" -> "android";
            case "androidDeviceOwnerGeneralDeviceConfiguration", "androidDeviceOwnerWiFiConfiguration" -> "android";
            case "androidGeneralDeviceConfiguration", "androidCustomConfiguration" -> "android";
            default -> "unknown";
        };
    }

    private static String name(ConfigurationData.Profile p) {
        return p.displayName() == null ? "(unnamed)" : p.displayName();
    }

    private static double series(MetricSnapshots m, ConfigurationData.Profile p, String status) {
        return SimulatedGraph.value(
                m,
                "intune_configuration_profile_devices",
                "profile",
                name(p),
                "platform",
                platform(p.odataType()),
                "status",
                status);
    }

    private static ConfigurationCollector collector(
            SimulatedGraph g, String include, String exclude, int max, boolean beta) {
        return new ConfigurationCollector(
                g.api(),
                Duration.ofMinutes(15),
                new CollectorSettings.Configuration(
                        Duration.ofMinutes(15),
                        new CollectorSettings.NameFilter(
                                include == null ? null : Pattern.compile(include),
                                exclude == null ? null : Pattern.compile(exclude)),
                        max,
                        beta));
    }

    @Test
    void everyProfileAndTheSummaryEqualTheTenantExactly() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(15, 1500, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.02);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m = collector(g, null, null, 200, false).collect();
            ConfigurationData truth = new ConfigurationData(tenant);
            List<ConfigurationData.Profile> profiles = truth.profiles();
            assertTrue(profiles.size() > 25, "more than one page of profiles: " + profiles.size());
            assertTrue(profiles.stream().anyMatch(p -> p.displayName() == null), "a profile without a display name");
            assertTrue(
                    profiles.stream().anyMatch(ConfigurationData.Profile::dropsPendingCount),
                    "an overview without pendingCount");

            long exported = 0;
            for (ConfigurationData.Profile p : profiles) {
                ConfigurationData.Overview o = truth.aggregates().overviews().get(p.id());
                assertEquals(o.success(), series(m, p, "success"), 0.0, p.displayName());
                assertEquals(
                        o.error() + o.conflict(),
                        series(m, p, "error"),
                        0.0,
                        "v1.0 counts conflicts as errors: " + p.displayName());
                assertEquals(o.failed(), series(m, p, "failed"), 0.0, p.displayName());
                assertEquals(o.notApplicable(), series(m, p, "not_applicable"), 0.0, p.displayName());
                if (p.dropsPendingCount()) {
                    assertTrue(Double.isNaN(series(m, p, "pending")), "a count Graph left out is not invented");
                } else {
                    assertEquals(o.pending(), series(m, p, "pending"), 0.0, p.displayName());
                }
                assertTrue(Double.isNaN(series(m, p, "conflict")), "v1.0 has no conflictCount");
                exported += o.success()
                        + o.error()
                        + o.conflict()
                        + o.failed()
                        + o.notApplicable()
                        + (p.dropsPendingCount() ? 0 : o.pending());
            }
            assertEquals(exported, SimulatedGraph.sum(m, "intune_configuration_profile_devices"), 0.0);
            assertTrue(
                    SimulatedGraph.sum(m, "intune_configuration_profile_devices") > 1000, "profiles reach the fleet");
            assertTrue(
                    m.stream()
                            .anyMatch(s -> s.getDataPoints().stream()
                                    .anyMatch(
                                            d -> "unknown".equals(d.getLabels().get("platform")))),
                    "a profile type newer than the exporter has platform unknown");

            Map<String, Long> summary = truth.aggregates().stateSummary();
            String[][] fields = {
                {"compliantDeviceCount", "compliant"},
                {"nonCompliantDeviceCount", "noncompliant"},
                {"errorDeviceCount", "error"},
                {"conflictDeviceCount", "conflict"},
                {"remediatedDeviceCount", "remediated"},
                {"notApplicableDeviceCount", "not_applicable"},
                {"unknownDeviceCount", "unknown"}
            };
            long devices = 0;
            for (String[] f : fields) {
                assertEquals(
                        summary.get(f[0]),
                        SimulatedGraph.value(m, "intune_configuration_state_devices", "status", f[1]),
                        0.0,
                        f[1]);
                devices += summary.get(f[0]);
            }
            assertEquals(1500, devices, "each device in exactly one summary state");
            assertEquals(profiles.size(), SimulatedGraph.value(m, "intune_configuration_profiles"), 0.0);
            assertEquals(2, g.simulator.requestCount("/deviceManagement/deviceConfigurations"), "two pages of 25");
            assertEquals(
                    profiles.size(),
                    g.simulator.requestCount("/deviceManagement/deviceConfigurations/{id}/deviceStatusOverview"));
        }
    }

    @Test
    void betaOverviewReportsConflictsApart() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(7, 800, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m = collector(g, null, null, 200, true).collect();
            ConfigurationData truth = new ConfigurationData(tenant);
            long conflicts = 0;
            for (ConfigurationData.Profile p : truth.profiles()) {
                ConfigurationData.Overview o = truth.aggregates().overviews().get(p.id());
                assertEquals(o.error(), series(m, p, "error"), 0.0, p.displayName());
                assertEquals(o.conflict(), series(m, p, "conflict"), 0.0, p.displayName());
                assertEquals(o.pending(), series(m, p, "pending"), 0.0, p.displayName());
                conflicts += o.conflict();
            }
            assertTrue(conflicts > 10, "the VPN profile has conflicts: " + conflicts);
        }
    }

    @Test
    void includeExcludeAndMaxProfilesBoundTheExport() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(15, 300, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            MetricSnapshots m =
                    collector(g, "^Windows", "Update ring|Kiosk", 3, false).collect();
            List<String> expected = new ConfigurationData(tenant)
                    .profiles().stream()
                            .map(ConfigurationData.Profile::displayName)
                            .filter(n -> n.startsWith("Windows") && !n.contains("Update ring") && !n.contains("Kiosk"))
                            .sorted()
                            .toList();
            assertTrue(expected.size() > 3, "more selected profiles than max-profiles");
            List<String> selected = expected;
            expected = new java.util.ArrayList<>(expected.subList(0, 3));
            expected.add("_other");
            List<String> exported = m.stream()
                    .filter(s -> s.getMetadata().getPrometheusName().equals("intune_configuration_profile_devices"))
                    .flatMap(s -> s.getDataPoints().stream())
                    .map(d -> d.getLabels().get("profile"))
                    .distinct()
                    .sorted()
                    .toList();
            assertEquals(expected, exported);
            assertEquals(
                    selected.size(),
                    g.simulator.requestCount("/deviceManagement/deviceConfigurations/{id}/deviceStatusOverview"),
                    "every selected profile is read (the ones beyond max-profiles into _other), the ones filtered out are not");
            assertEquals(
                    new ConfigurationData(tenant).profiles().size(),
                    SimulatedGraph.value(m, "intune_configuration_profiles"),
                    0.0);
        }
    }

    @Test
    void troubledProfilesGetWorseAsTheTenantEvolves() throws Exception {
        EnrollmentCollectorTest.MutableClock clock =
                new EnrollmentCollectorTest.MutableClock(SimulatedGraph.NOW.minus(Duration.ofHours(11)));
        SimulatedTenant tenant = new SimulatedTenant(7, 800, clock, Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            ConfigurationCollector c = collector(g, "BitLocker", null, 200, true);
            ConfigurationData truth = new ConfigurationData(tenant);
            ConfigurationData.Profile bitlocker = truth.profiles().stream()
                    .filter(p -> p.trouble() == ConfigurationData.Trouble.ERRORS
                            && p.displayName().contains("BitLocker"))
                    .findFirst()
                    .orElseThrow();
            double before = series(c.collect(), bitlocker, "error");
            clock.advance(Duration.ofHours(1));
            MetricSnapshots later = c.collect();
            assertEquals(
                    truth.aggregates().overviews().get(bitlocker.id()).error(), series(later, bitlocker, "error"), 0.0);
            assertTrue(series(later, bitlocker, "error") > before, before + " -> " + series(later, bitlocker, "error"));
        }
    }

    @Test
    void aRevokedPermissionFailsTheRunNamingIt() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 3)) {
            g.simulator.revokePermission(Permissions.CONFIGURATION);
            Exception e = assertThrows(
                    GraphException.class,
                    () -> collector(g, null, null, 200, false).collect());
            assertTrue(e.getMessage().contains("DeviceManagementConfiguration.Read.All"), e.getMessage());
        }
    }

    @Test
    void aMalformedOverviewFailsTheWholeRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(100, 3)) {
            g.simulator.setFaults(List.of(new FaultRule(
                    FaultRule.Kind.MALFORMED, "deviceStatusOverview", 1.0, Duration.ZERO, Duration.ZERO)));
            Exception e = assertThrows(
                    GraphException.class,
                    () -> collector(g, null, null, 200, false).collect());
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }
}
