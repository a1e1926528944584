package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.scheduler.CollectionScheduler;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiTenantTest {

    @Test
    void tenantsInheritTheTopLevelBlocksAndOverrideTheirOwn() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString(String.join(
                "\n",
                "intune.auth { client-id = shared-client, client-secret = shared }",
                "intune.collectors.devices.interval = 20m",
                "intune.tenants = [",
                "  { name = contoso, display-name = \"Contoso Ltd\", auth.tenant-id = t1 },",
                "  { name = fabrikam, auth { tenant-id = t2, client-secret = other }, collectors.devices.interval = 1h,",
                "    graph.cloud = usgov }",
                "]")));
        assertTrue(s.multiTenant());
        ExporterSettings.Tenant contoso = s.tenants().get(0);
        ExporterSettings.Tenant fabrikam = s.tenants().get(1);
        assertEquals("Contoso Ltd", contoso.displayName());
        assertEquals("t1", contoso.settings().auth().tenantId());
        assertEquals("shared-client", fabrikam.settings().auth().clientId());
        assertEquals("other", fabrikam.settings().auth().clientSecret());
        assertEquals(
                Duration.ofMinutes(20),
                contoso.settings().collectors().devices().interval());
        assertEquals(
                Duration.ofHours(1), fabrikam.settings().collectors().devices().interval());
        assertEquals("usgov", fabrikam.settings().graph().cloud().key());
        assertEquals("global", contoso.settings().graph().cloud().key());
        assertFalse(SettingsLoader.load(ConfigFactory.empty()).multiTenant());
        assertEquals(
                "default",
                SettingsLoader.load(ConfigFactory.empty()).tenants().get(0).name());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "intune.tenants = [{auth.tenant-id = t}]                                    | intune.tenants[0].name: missing",
                "intune.tenants = [{name = A}]                                               | intune.tenants[0].name",
                "intune.tenants = [{name = a}, {name = a}]                                   | intune.tenants[1].name: 'a' is used by another tenant",
                "intune.tenants = [{name = a, secret = x}]                                   | intune.tenants[0].secret: unknown key",
                "intune.tenants = [{name = a, auth.tenantid = x}]                            | intune.tenants[0].auth.tenantid: unknown key",
                "intune.tenants = [{name = a, graph.cloud = mars}]                           | intune.tenants[0].graph.cloud",
                "intune.tenants = [{name = a}, {name = b, graph.page-size = 0}]              | intune.tenants[1].graph.page-size",
                "intune.tenants = 3                                                          | intune.tenants",
            })
    void badTenantEntriesNameTheKey(String hocon, String expected) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(hocon)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void missingCredentialOfOneTenantIsNamed() {
        ExporterSettings s = SettingsLoader.load(
                ConfigFactory.parseString(
                        "intune.tenants = [{name = a, auth { tenant-id = t, client-id = c, client-secret = s }}, {name = b, auth.tenant-id = t2}]"));
        ConfigException e = assertThrows(ConfigException.class, () -> Main.checkCredentials(s));
        assertTrue(e.getMessage().startsWith("intune.tenants[1].auth"), e.getMessage());
    }

    private static Exporter demo(int tenants) throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.demo { devices = 400, latency = 0s, tenants = " + tenants
                        + " }, intune.collectors.protection.per-device-budget = 0"),
                true);
        return Exporter.create(settings, true, SimulatedGraph.fixedClock());
    }

    private static void runAll(Exporter e) {
        for (TenantRuntime t : e.tenants()) {
            for (String c : t.scheduler().enabled()) {
                t.scheduler().runNow(c);
            }
        }
    }

    @Test
    void everySeriesCarriesItsTenantAndEqualsThatTenantsGroundTruth() throws Exception {
        try (Exporter e = demo(3)) {
            runAll(e);
            MetricSnapshots m = e.registry().scrape();
            assertEquals(
                    List.of("contoso", "fabrikam", "northwind"),
                    e.tenants().stream().map(TenantRuntime::name).toList());
            for (TenantRuntime t : e.tenants()) {
                SimulatedTenant truth = t.simulator()
                        .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                        .tenant();
                assertEquals(
                        truth.aggregates().complianceStateSummary().get("compliantDeviceCount"),
                        SimulatedGraph.value(
                                m, "intune_compliance_state_devices", "status", "compliant", "tenant", t.name()),
                        0.0);
                assertEquals(
                        1,
                        SimulatedGraph.value(m, "intune_collector_success", "collector", "devices", "tenant", t.name()),
                        0.0);
                assertEquals(
                        1,
                        SimulatedGraph.value(
                                m,
                                "intune_tenant_info",
                                "tenant",
                                t.name(),
                                "tenant_id",
                                t.tenantId(),
                                "tenant_name",
                                "Simulated " + t.name()),
                        0.0);
            }
            assertEquals(1200, SimulatedGraph.sum(m, "intune_managed_devices"), 0.0);
            String text = SimulatedGraph.scrape(e.registry());
            assertFalse(
                    text.lines()
                            .filter(l -> l.startsWith("intune_managed_devices{"))
                            .anyMatch(l -> !l.contains("tenant=\"")),
                    "every device series has a tenant label");
            assertTrue(
                    text.contains(
                            "intune_graph_requests_total{code=\"200\",endpoint=\"/deviceManagement/managedDevices\",tenant=\"fabrikam\"}"));
        }
    }

    /** The collector's status once its first scheduled run has ended and its successor is scheduled. */
    private static CollectionScheduler.CollectorStatus afterFirstRun(CollectionScheduler s, String name)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            CollectionScheduler.CollectorStatus st = s.status().stream()
                    .filter(c -> c.name().equals(name))
                    .findFirst()
                    .orElseThrow();
            if ((st.runs() >= 1 && !st.running()) || System.nanoTime() > deadline) {
                return st;
            }
            Thread.sleep(10);
        }
    }

    /** Tenants started together do not collect together at every interval: each one's cycle has its own phase. */
    @Test
    void tenantsSpreadTheirCyclesOverHalfAnInterval() throws Exception {
        try (Exporter e = demo(3)) {
            e.tenants().forEach(t -> t.scheduler().start());
            long now = SimulatedGraph.fixedClock().millis();
            List<Long> firstWaits = new java.util.ArrayList<>();
            for (TenantRuntime t : e.tenants()) {
                firstWaits.add(afterFirstRun(t.scheduler(), "compliance").nextRunMillis() - now);
            }
            long interval = e.tenants()
                    .get(0)
                    .scheduler()
                    .effectiveInterval("compliance")
                    .toMillis();
            assertEquals(
                    List.of(
                            interval,
                            interval - Math.round(interval * 0.5 / 3),
                            interval - Math.round(interval * 1.0 / 3)),
                    firstWaits,
                    "tenant i of 3 waits 0.5 x i / 3 of an interval less, once (intune.collection.tenant-spread)");
        }
    }

    @Test
    void aFailingTenantNeverAffectsTheOthers() throws Exception {
        try (Exporter e = demo(3)) {
            runAll(e);
            TenantRuntime broken = e.tenants().get(1);
            double before = SimulatedGraph.value(
                    e.registry().scrape(), "intune_overview_enrolled_devices", "tenant", broken.name());
            broken.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setTokenRevoked(true);
            runAll(e);
            MetricSnapshots m = e.registry().scrape();
            for (TenantRuntime t : e.tenants()) {
                double expected = t == broken ? 0 : 1;
                assertEquals(
                        expected,
                        SimulatedGraph.value(
                                m, "intune_collector_success", "collector", "compliance", "tenant", t.name()),
                        0.0,
                        t.name());
            }
            assertEquals(
                    before,
                    SimulatedGraph.value(m, "intune_overview_enrolled_devices", "tenant", broken.name()),
                    0.0,
                    "the failing tenant keeps its last good data");
            String text = SimulatedGraph.scrape(e.registry());
            assertTrue(text.contains(
                    "code=\"401\",endpoint=\"/deviceManagement/managedDeviceOverview\",tenant=\"fabrikam\""));
            assertFalse(text.contains(
                    "code=\"401\",endpoint=\"/deviceManagement/managedDeviceOverview\",tenant=\"contoso\""));
            broken.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .setTokenRevoked(false);
            assertTrue(broken.scheduler().runNow("compliance"), "recovers by itself");
        }
    }
}
