package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.MovableClock;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.SimulatedDevice;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DeviceRiskTallyTest {
    private static final long NOW = SimulatedGraph.NOW.getEpochSecond();
    private static final long DAY = 86400;

    @Test
    void releasesAreFeatureBuildsOnWindowsAndMajorMinorOnApple() {
        assertEquals(
                DeviceRiskTally.release("windows", "10.0.22631.4460"),
                DeviceRiskTally.release("windows", "10.0.22631.9999"));
        assertTrue(DeviceRiskTally.release("windows", "10.0.26100.1")
                > DeviceRiskTally.release("windows", "10.0.22631.4460"));
        assertEquals(DeviceRiskTally.release("ios", "18.1"), DeviceRiskTally.release("ios", "18.1.1"));
        assertEquals(DeviceRiskTally.release("ios", "18"), DeviceRiskTally.release("ios", "18.0"));
        assertTrue(DeviceRiskTally.release("macos", "15.0") > DeviceRiskTally.release("macos", "14.7.1"));
        assertTrue(
                DeviceRiskTally.release("ios", "18.10") > DeviceRiskTally.release("ios", "18.9"),
                "numeric, not text order");
        for (String bad : new String[] {null, "", "Os Version value", "x.1", "10.a.5"}) {
            assertEquals(-1, DeviceRiskTally.release("windows", bad), bad);
        }
    }

    /** release() on the value inside a larger buffer, as the scan reads it from the parser's text buffer. */
    private static long releaseInBuffer(boolean windows, String version) {
        char[] buffer = ("{\"osVersion\":\"" + version + "\"}").toCharArray();
        return DeviceRiskTally.release(windows, buffer, 14, version.length());
    }

    @Test
    void oddOsVersionStringsAreReadInPlaceLikeTheStringForm() {
        assertEquals(10_000_000_022_631L, releaseInBuffer(true, "10.0.22631.4460"), "10.0.22631: major, minor, build");
        assertEquals(18_000_001L, releaseInBuffer(false, "18.1.1"));
        assertEquals(18_000_000L, releaseInBuffer(false, "18"), "a lone major is major.0");
        assertEquals(releaseInBuffer(true, "10.0.22631"), releaseInBuffer(true, " 10.0.22631.4460 "), "blanks trimmed");
        assertEquals(18_000_001L, releaseInBuffer(false, "18.1beta"), "text after the compared parts is ignored");
        assertEquals(18_000_001L, releaseInBuffer(false, "18.1 (22B91)"));
        for (String bad :
                new String[] {"", " ", "iPadOS 18.1", "18beta", "18,1", ".18", "10..0", "x", "1234567.1", "10.0.x"}) {
            assertEquals(-1, releaseInBuffer(bad.startsWith("10.0"), bad), bad);
        }
        for (String v : new String[] {
            "10.0.22631.4460", "10.0", "10", "18.1beta", "18,1", " 15.1.1", "1234567.1", "10.0.2263112345.1", ""
        }) {
            assertEquals(DeviceRiskTally.release("windows", v), releaseInBuffer(true, v), v);
            assertEquals(DeviceRiskTally.release("ios", v), releaseInBuffer(false, v), v);
        }
    }

    private static long patchDayInBuffer(String raw) {
        char[] buffer = ("xx" + raw + "yy").toCharArray();
        return DeviceRiskTally.patchDay(buffer, 2, raw.length());
    }

    @Test
    void patchLevelsAreReadFromTheirDigits() {
        assertEquals(LocalDate.of(2024, 10, 1).toEpochDay(), patchDayInBuffer("2024-10-01"));
        assertEquals(LocalDate.of(2024, 10, 1).toEpochDay(), patchDayInBuffer("2024-10"), "year-month is the 1st");
        assertEquals(LocalDate.of(2024, 10, 5).toEpochDay(), patchDayInBuffer(" 2024-10-05 "));
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), patchDayInBuffer("2024-02-29"));
        for (String bad : new String[] {
            "",
            "   ",
            "unknown",
            "2023-02-29",
            "2024-13-01",
            "2024-00",
            "2024-10-00",
            "2024/10/01",
            "2024-1-01",
            "24-10-01",
            "2024-10-01T00:00:00Z",
            "2024-10-1x",
            "+2024-10-01"
        }) {
            assertEquals(DeviceRiskTally.NO_PATCH_DAY, patchDayInBuffer(bad), bad);
        }
    }

    private static MetricSnapshots snapshot(DeviceRiskTally t) {
        SnapshotBuilder out = new SnapshotBuilder();
        boolean[] all = new boolean[DeviceTally.OS.size()];
        java.util.Arrays.fill(all, true);
        t.addTo(out, all);
        return out.build();
    }

    @Test
    void countsBucketsAndMergesLikeOneTally() {
        int windows = DeviceTally.OS.indexOf("windows");
        int android = DeviceTally.OS.indexOf("android");
        int ios = DeviceTally.OS.indexOf("ios");
        DeviceRiskTally a = new DeviceRiskTally(NOW);
        DeviceRiskTally b = new DeviceRiskTally(NOW);
        long never = DeviceTally.NEVER;
        long notInGrace = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        a.add(windows, "10.0.26100.2314", null, NOW + 3 * DAY, notInGrace); // newest release, cert in 7 d
        a.add(
                windows,
                "10.0.22631.4460",
                null,
                NOW + 20 * DAY,
                NOW + 3600); // 1 behind, cert in 30 d, grace ends in 1 h
        b.add(windows, "10.0.19045.5131", null, NOW - DAY, NOW + 3 * DAY); // 2+ behind, cert expired, in grace
        b.add(windows, "Os Version value", null, never, never); // unknown version, nothing known
        b.add(windows, "10.0.22000.1", null, NOW + 80 * DAY, NOW - DAY); // 3 behind: "2+"; grace already over
        String today = LocalDate.ofEpochDay(NOW / DAY).toString();
        a.add(android, "14", today, NOW + 400 * DAY, never);
        b.add(android, "14", LocalDate.ofEpochDay(NOW / DAY - 100).toString(), never, never);
        b.add(android, "13", "2019-01", never, never);
        b.add(android, "13", "", never, never);
        a.add(ios, "18.1.1", null, never, never);
        b.add(ios, "18.1", null, never, never);
        a.merge(b);
        MetricSnapshots m = snapshot(a);

        assertEquals(
                1,
                SimulatedGraph.value(
                        m,
                        "intune_management_certificate_expiring_devices",
                        "operating_system",
                        "windows",
                        "days",
                        "7"),
                0);
        assertEquals(
                2,
                SimulatedGraph.value(
                        m,
                        "intune_management_certificate_expiring_devices",
                        "operating_system",
                        "windows",
                        "days",
                        "30"),
                0);
        assertEquals(
                3,
                SimulatedGraph.value(
                        m,
                        "intune_management_certificate_expiring_devices",
                        "operating_system",
                        "windows",
                        "days",
                        "90"),
                0);
        assertEquals(
                1,
                SimulatedGraph.value(m, "intune_management_certificate_expired_devices", "operating_system", "windows"),
                0);
        assertEquals(
                0,
                SimulatedGraph.value(
                        m,
                        "intune_management_certificate_expiring_devices",
                        "operating_system",
                        "android",
                        "days",
                        "90"),
                0);
        assertEquals(
                2, SimulatedGraph.value(m, "intune_compliance_grace_period_devices", "operating_system", "windows"), 0);
        assertEquals(
                1,
                SimulatedGraph.value(m, "intune_compliance_grace_period_ending_devices", "operating_system", "windows"),
                0);
        assertEquals(
                1,
                SimulatedGraph.value(
                        m, "intune_os_version_currency_devices", "operating_system", "windows", "releases_behind", "0"),
                0);
        assertEquals(
                1,
                SimulatedGraph.value(
                        m, "intune_os_version_currency_devices", "operating_system", "windows", "releases_behind", "1"),
                0);
        assertEquals(
                2,
                SimulatedGraph.value(
                        m,
                        "intune_os_version_currency_devices",
                        "operating_system",
                        "windows",
                        "releases_behind",
                        "2+"),
                0);
        assertEquals(
                1,
                SimulatedGraph.value(
                        m,
                        "intune_os_version_currency_devices",
                        "operating_system",
                        "windows",
                        "releases_behind",
                        "unknown"),
                0);
        assertEquals(
                2,
                SimulatedGraph.value(
                        m, "intune_os_version_currency_devices", "operating_system", "ios", "releases_behind", "0"),
                0);
        assertEquals(1, SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", "0-30"), 0);
        assertEquals(1, SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", "91-180"), 0);
        assertEquals(1, SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", "366+"), 0);
        assertEquals(1, SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", "unknown"), 0);
        assertEquals(0, SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", "31-90"), 0);
        // Android is ranked by its patch level, not by osVersion.
        assertEquals(
                Double.NaN,
                SimulatedGraph.value(
                        m,
                        "intune_os_version_currency_devices",
                        "operating_system",
                        "android",
                        "releases_behind",
                        "0"));
    }

    @Test
    void releasesPerOsAreBounded() {
        int windows = DeviceTally.OS.indexOf("windows");
        DeviceRiskTally t = new DeviceRiskTally(NOW);
        for (int build = 0; build < DeviceRiskTally.MAX_RELEASES + 10; build++) {
            t.add(windows, "10.0." + (20000 + build) + ".1", null, DeviceTally.NEVER, DeviceTally.NEVER);
        }
        long[] behind = t.releasesBehind(DeviceRiskTally.VERSIONED.indexOf("windows"));
        assertEquals(DeviceRiskTally.MAX_RELEASES + 10, behind[0] + behind[1] + behind[2] + behind[3]);
        assertEquals(10, behind[3], "releases beyond the bound count as unknown");
    }

    /** The devices collector against the simulated tenant's own devices, with a test-side computation of every value. */
    @Test
    void theScanMatchesTheTenantIncludingTheScenarios() throws Exception {
        MovableClock clock = new MovableClock(SimulatedGraph.NOW);
        SimulatedTenant tenant = new SimulatedTenant(11, 3000, clock, Duration.ofMinutes(1));
        ScenarioRun certificates = ScenarioRun.manual(Scenarios.CERTIFICATES_EXPIRING, clock);
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 500")) {
            DeviceInventoryCollector c =
                    new DeviceInventoryCollector(g.api(), clock, Duration.ofMinutes(15), List.of(1, 30));
            MetricSnapshots scan = c.collect();
            assertMatches(tenant, scan, clock.instant());
            List<String> exported =
                    scan.stream().map(f -> f.getMetadata().getName()).toList();
            for (var f : DeviceRiskTally.FAMILIES.list()) {
                assertTrue(
                        c.families().contains(f) && exported.contains(f.name()),
                        f.name() + " is declared and exported");
            }
            assertEquals(
                    c.families().stream().map(f -> f.name()).sorted().toList(),
                    exported.stream().sorted().toList(),
                    "the devices collector exports exactly its declared families");
            MetricSnapshots healthy = c.collect();
            assertTrue(
                    sum(healthy, "days", "7") < 3000 * 0.005,
                    "syncing devices renew 42 days ahead: only devices that stopped " + "syncing come within 7 days: "
                            + sum(healthy, "days", "7"));
            assertTrue(sum(healthy, "days", "90") > 3000 * 0.05, "a year's certificates: some expire within 90 days");

            tenant.play(certificates);
            certificates.startIncident();
            MetricSnapshots incident = c.collect();
            assertMatches(tenant, incident, clock.instant());
            double apple7 = 0;
            for (String os : List.of("ios", "ipados", "macos")) {
                apple7 += SimulatedGraph.value(
                        incident,
                        "intune_management_certificate_expiring_devices",
                        "operating_system",
                        os,
                        "days",
                        "7");
            }
            assertTrue(apple7 > 150, "30% of about 750 Apple devices: " + apple7);

            ScenarioRun grace = ScenarioRun.manual(Scenarios.GRACE_PERIOD_ENDING, clock);
            tenant.play(grace);
            grace.startIncident();
            MetricSnapshots ending = c.collect();
            assertMatches(tenant, ending, clock.instant());
            assertTrue(
                    SimulatedGraph.sum(ending, "intune_compliance_grace_period_ending_devices") > 100,
                    "5% of the compliant devices: "
                            + SimulatedGraph.sum(ending, "intune_compliance_grace_period_ending_devices"));
        }
    }

    private static double sum(MetricSnapshots m, String label, String value) {
        double total = 0;
        for (String os : DeviceTally.OS) {
            double v = SimulatedGraph.value(
                    m, "intune_management_certificate_expiring_devices", "operating_system", os, label, value);
            total += Double.isNaN(v) ? 0 : v;
        }
        return total;
    }

    private static void assertMatches(SimulatedTenant tenant, MetricSnapshots m, Instant now) {
        Map<String, Double> expected = new HashMap<>();
        Map<String, TreeMap<String, Integer>> releases = new HashMap<>();
        List<SimulatedDevice> devices = new ArrayList<>();
        tenant.forEachDevice(devices::add);
        for (SimulatedDevice d : devices) {
            String os = SimulatedGraph.expectedOs(d.operatingSystem());
            long cert = d.managementCertificateExpiration().getEpochSecond() - now.getEpochSecond();
            for (int days : new int[] {7, 30, 90}) {
                expected.merge("cert|" + os + "|" + days, cert > 0 && cert <= days * DAY ? 1.0 : 0.0, Double::sum);
            }
            expected.merge("expired|" + os, cert <= 0 ? 1.0 : 0.0, Double::sum);
            long grace = d.complianceGraceExpiration() == null
                    ? -1
                    : d.complianceGraceExpiration().getEpochSecond() - now.getEpochSecond();
            expected.merge("grace|" + os, grace > 0 ? 1.0 : 0.0, Double::sum);
            expected.merge("ending|" + os, grace > 0 && grace <= DAY ? 1.0 : 0.0, Double::sum);
            if (os.equals("android")) {
                long age = (now.getEpochSecond() / DAY)
                        - LocalDate.parse(d.androidSecurityPatchLevel()).toEpochDay();
                String bucket = age <= 30
                        ? "0-30"
                        : age <= 90 ? "31-90" : age <= 180 ? "91-180" : age <= 365 ? "181-365" : "366+";
                expected.merge("patch|" + bucket, 1.0, Double::sum);
            }
            if (List.of("windows", "ios", "ipados", "macos").contains(os)) {
                String[] parts = d.osVersion().split("\\.");
                String release = os.equals("windows")
                        ? parts[2]
                        : String.format(
                                "%03d.%03d",
                                Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
                releases.computeIfAbsent(os, k -> new TreeMap<>(Comparator.reverseOrder()))
                        .merge(release, 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            String[] k = e.getKey().split("\\|");
            double actual = switch (k[0]) {
                case "cert" ->
                    SimulatedGraph.value(
                            m,
                            "intune_management_certificate_expiring_devices",
                            "operating_system",
                            k[1],
                            "days",
                            k[2]);
                case "expired" ->
                    SimulatedGraph.value(m, "intune_management_certificate_expired_devices", "operating_system", k[1]);
                case "grace" ->
                    SimulatedGraph.value(m, "intune_compliance_grace_period_devices", "operating_system", k[1]);
                case "ending" ->
                    SimulatedGraph.value(m, "intune_compliance_grace_period_ending_devices", "operating_system", k[1]);
                default -> SimulatedGraph.value(m, "intune_android_security_patch_age_devices", "age_days", k[1]);
            };
            assertEquals(e.getValue(), actual, 0.0, e.getKey());
        }
        for (Map.Entry<String, TreeMap<String, Integer>> e : releases.entrySet()) {
            int rank = 0;
            double[] behind = new double[3];
            for (int n : e.getValue().values()) {
                behind[Math.min(rank++, 2)] += n;
            }
            for (int b = 0; b < 3; b++) {
                assertEquals(
                        behind[b],
                        SimulatedGraph.value(
                                m,
                                "intune_os_version_currency_devices",
                                "operating_system",
                                e.getKey(),
                                "releases_behind",
                                DeviceRiskTally.RELEASES_BEHIND.get(b)),
                        0.0,
                        e.getKey() + " " + b);
            }
        }
    }
}
