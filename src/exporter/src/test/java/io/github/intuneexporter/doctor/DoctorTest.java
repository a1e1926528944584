package io.github.intuneexporter.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.collector.GraphProbe;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The doctor against the simulator with permissions, licence and token taken away, and each result it can print. */
class DoctorTest {

    private record Run(int code, String out) {}

    private static Run doctor(String... extra) {
        List<String> args = new ArrayList<>(List.of("doctor", "--demo", "--demo-devices", "100"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = io.github.intuneexporter.MainAccess.run(
                args.toArray(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    /** Whether doctor printed a row of {@code collector} and {@code endpoint} (the columns are as wide as the longest name). */
    private static boolean row(Run r, String collector, String endpoint) {
        return r.out()
                .lines()
                .anyMatch(l -> l.matches(java.util.regex.Pattern.quote(collector) + " +"
                        + java.util.regex.Pattern.quote(endpoint) + "( .*)?"));
    }

    @Test
    void allGrantedExitsZero() {
        Run r = doctor();
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("Every enabled collector can run."), r.out());
        assertTrue(row(r, "devices", "/deviceManagement/managedDevices"), r.out());
        for (String p : List.of(
                Permissions.MANAGED_DEVICES,
                Permissions.CONFIGURATION,
                Permissions.SERVICE_CONFIG,
                Permissions.APPS,
                Permissions.SERVICE_HEALTH,
                Permissions.SERVICE_MESSAGE)) {
            assertTrue(r.out().contains(p), "needed permission listed: " + p);
        }
        assertFalse(r.out().contains("Grant these"));
    }

    @Test
    void missingPermissionsAreNamedAndFailTheCheck() {
        Run r = doctor(
                "--set",
                "intune.simulator.revoked-permissions=[\"DeviceManagementApps.Read.All\", \"ServiceHealth.Read.All\"]");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("missing permission DeviceManagementApps.Read.All"), r.out());
        assertTrue(r.out().contains("missing permission ServiceHealth.Read.All"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "Grant these and give admin consent: DeviceManagementApps.Read.All, ServiceHealth.Read.All"),
                r.out());
        assertTrue(r.out().contains("Some enabled collectors cannot run"), r.out());
    }

    @Test
    void aMisspeltRevokedPermissionIsAConfigurationErrorNotASilentNoOp() {
        Run r = doctor("--set", "intune.simulator.revoked-permissions=[\"ServiceHealth.Read.all\"]");
        assertEquals(2, r.code(), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "intune.simulator.revoked-permissions: 'ServiceHealth.Read.all' is not a permission the"
                                        + " simulated app holds, expected any of Application.Read.All, "),
                r.out());
        assertFalse(r.out().contains("Exception"), r.out());
    }

    @Test
    void disabledCollectorsAndBetaSourcesAreListedWithoutFailing() {
        Run r = doctor(
                "--set",
                "intune.collectors.enrollment.autopilot=false",
                "--set",
                "intune.collectors.credentials.interval=0");
        assertEquals(0, r.code(), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "Beta-only sources switched off (set to true to use them): intune.collectors.enrollment.autopilot"),
                r.out());
        assertTrue(row(r, "credentials", "-") && r.out().contains("disabled (interval = 0)"), r.out());
        assertFalse(r.out().contains("beta /deviceManagement/autopilotEvents"), r.out());
    }

    @Test
    void theV1AppInstallsRequestsPass() {
        Run r = doctor("--set", "intune.collectors.app_installs.beta-summary-report=false");
        assertEquals(0, r.code(), r.out());
        assertTrue(row(r, "app_installs", "/deviceAppManagement/mobileApps"), r.out());
        assertTrue(r.out().contains("/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport"), r.out());
    }

    /** A collector whose request real Graph refuses: doctor must say so with Graph's message and exit 1. */
    @Test
    void aRequestGraphRefusesFailsWithGraphsMessage() throws Exception {
        io.github.intuneexporter.config.ExporterSettings settings = io.github.intuneexporter.config.SettingsLoader.load(
                java.util.Optional.empty(),
                io.github.intuneexporter.config.SettingsLoader.parseString("intune.demo.devices = 100"),
                true);
        try (io.github.intuneexporter.Exporter e = io.github.intuneexporter.Exporter.create(
                settings, true, io.github.intuneexporter.SimulatedGraph.fixedClock())) {
            io.github.intuneexporter.TenantRuntime t = e.tenants().get(0);
            io.github.intuneexporter.collector.IntuneCollector bad =
                    new io.github.intuneexporter.collector.IntuneCollector() {
                        public String name() {
                            return "bad_select";
                        }

                        public java.time.Duration interval() {
                            return java.time.Duration.ofMinutes(5);
                        }

                        public io.prometheus.metrics.model.snapshots.MetricSnapshots collect() {
                            throw new UnsupportedOperationException();
                        }

                        public List<GraphProbe> probes() {
                            return List.of(
                                    GraphProbe.get(
                                            "/deviceAppManagement/mobileApps?$select=id,displayName,isAssigned&$top=1"),
                                    GraphProbe.get("/deviceManagement/managedDevicez?$top=1"));
                        }
                    };
            List<io.github.intuneexporter.collector.IntuneCollector> collectors = new ArrayList<>(t.collectors());
            collectors.add(bad);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Doctor.run(
                    List.of(new Doctor.Tenant(t.name(), t.graph().api(), collectors)),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, text);
            assertTrue(
                    text.lines()
                            .anyMatch(
                                    l -> l.matches(
                                            "bad_select +/deviceAppManagement/mobileApps +Graph rejects the request: "
                                                    + "Could not find a property named 'isAssigned' on type 'microsoft\\.graph\\.mobileApp'\\.")),
                    text);
            assertTrue(
                    text.contains("Graph rejects the request: Resource not found for the segment 'managedDevicez'."),
                    text);
            assertTrue(text.contains("Some enabled collectors cannot run"), text);
            // Every real collector's own requests passed the same strict simulator.
            assertEquals(
                    2, text.lines().filter(l -> l.contains("Graph rejects")).count(), text);
        }
    }

    @Test
    void everyOtherOutcomeIsWorded() {
        GraphProbe get = GraphProbe.get("/deviceManagement/managedDevices?$top=1");
        GraphProbe beta = GraphProbe.getBeta("/deviceManagement/ndesConnectors?$top=1");
        GraphProbe optional = GraphProbe.getOptional("/deviceManagement/applePushNotificationCertificate");
        assertEquals(
                "ok (not configured in this tenant)",
                result(optional, new GraphException("e", 404, "NotFound", "x", null)));
        assertEquals(
                "not found (beta endpoint unavailable)",
                result(beta, new GraphException("e", 404, "NotFound", "x", null)));
        assertEquals(
                "not licensed (the tenant needs an active Intune licence)",
                result(
                        get,
                        new GraphException(
                                "e", 403, "Forbidden", "HTTP 403 ...", "Tenant is not licensed for Intune.", null)));
        assertEquals(
                "missing permission " + Permissions.MANAGED_DEVICES,
                result(
                        get,
                        new GraphException(
                                "e",
                                403,
                                "Forbidden",
                                "HTTP 403 ... active Intune licence",
                                "Application is not authorized",
                                null)));
        assertTrue(result(get, new GraphException("e", 401, "InvalidAuthenticationToken", "x", null))
                .startsWith("token rejected"));
        assertTrue(result(get, new GraphException("e", 429, "TooManyRequests", "x", null))
                .startsWith("HTTP 429 TooManyRequests"));
        assertTrue(result(
                        get,
                        new GraphException(
                                "e",
                                0,
                                "",
                                "Graph e: sign-in to Microsoft Entra ID failed (check ...): "
                                        + "MsalServiceException: AADSTS7000215: Invalid client secret provided.",
                                null))
                .startsWith("sign-in failed: MsalServiceException"));
        assertTrue(result(get, new GraphException("e", 0, "", "Graph e: request failed: ConnectException", null))
                .startsWith("request failed"));
    }

    private static String result(GraphProbe probe, GraphException e) {
        return Doctor.classify("t", "c", probe, Permissions.forEndpoint("/deviceManagement/managedDevices"), e)
                .result();
    }
}
