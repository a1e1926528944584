package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.ConnectorData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectorsCollectorTest {
    private static final String EXPIRATION = "intune_connector_expiration_timestamp_seconds";
    private static final String LAST_SYNC = "intune_connector_last_sync_timestamp_seconds";
    private static final String HEARTBEAT = "intune_connector_last_heartbeat_timestamp_seconds";
    private static final String STATE = "intune_connector_state";
    private static final String SYNC_STATUS = "intune_connector_sync_status";

    /** The long, padded VPP organization name of the simulator, as the test expects it bounded to 64 characters. */
    private static final String LONG_VPP_NAME = "Contoso Simulated Education Trust \u2014 Volume Purchase Program, Nor";

    private static SimulatedTenant tenant(int devices, long seed, double odd) {
        return new SimulatedTenant(seed, devices, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), odd);
    }

    private static MetricSnapshots collect(SimulatedGraph g, CollectorSettings.ConnectorSources sources)
            throws Exception {
        return new ConnectorsCollector(
                        g.api(),
                        Duration.ofMinutes(15),
                        new CollectorSettings.Connectors(Duration.ofMinutes(15), sources, 64, 50))
                .collect();
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond();
    }

    /** The test's own reading of the simulator's wire strings. */
    private static String vppState(String raw) {
        return switch (raw) {
            case "valid", "Valid" -> "valid";
            case "expired", "Expired" -> "expired";
            case "invalid" -> "invalid";
            case "assignedToExternalMDM" -> "assigned_to_external_mdm";
            default -> "unknown";
        };
    }

    private static String syncStatus(String raw) {
        return switch (raw) {
            case "none" -> "none";
            case "inProgress" -> "in_progress";
            case "completed", "Completed" -> "completed";
            case "failed" -> "failed";
            default -> "unknown";
        };
    }

    private static String exchangeState(String raw) {
        return switch (raw) {
            case "connected" -> "connected";
            case "disconnected" -> "disconnected";
            case "connectionPending" -> "connection_pending";
            case "none" -> "none";
            default -> "unknown";
        };
    }

    private static String partnerState(String raw) {
        return switch (raw) {
            case "enabled", "Enabled" -> "enabled";
            case "available" -> "available";
            case "unavailable" -> "unavailable";
            case "unresponsive" -> "unresponsive";
            case "terminated" -> "terminated";
            case "rejected" -> "rejected";
            default -> "unknown";
        };
    }

    private static String ndesState(String raw) {
        return switch (raw) {
            case "active", "Active" -> "active";
            case "inactive" -> "inactive";
            case "none" -> "none";
            default -> "unknown";
        };
    }

    /** Exactly one state of {@code states} is 1 (the expected one), the others exist at 0. */
    private static void assertState(
            MetricSnapshots m,
            String family,
            String labelName,
            String type,
            String name,
            String expected,
            List<String> states) {
        for (String s : states) {
            assertEquals(
                    s.equals(expected) ? 1.0 : 0.0,
                    SimulatedGraph.value(m, family, "connector_type", type, "name", name, labelName, s),
                    type + "/" + name + "/" + s);
        }
    }

    @Test
    void everySourceEqualsTheSimulatorsConnectors() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(2500, 7, 0), "")) {
            ConnectorData data = new ConnectorData(g.tenant);
            MetricSnapshots m = collect(g, CollectorSettings.ConnectorSources.all());

            assertEquals(
                    seconds(data.applePushCertificate().expiration()),
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "apple_push_certificate", "name", "apns"));

            List<ConnectorData.VppToken> vpp = data.vppTokens();
            assertEquals(3, vpp.size());
            List<String> vppNames = List.of("Contoso Sim Ltd", LONG_VPP_NAME, "Contoso Sim Retail");
            assertTrue(LONG_VPP_NAME.length() <= 64);
            for (int i = 0; i < vpp.size(); i++) {
                ConnectorData.VppToken t = vpp.get(i);
                String name = vppNames.get(i);
                assertEquals(
                        seconds(t.expiration()),
                        SimulatedGraph.value(m, EXPIRATION, "connector_type", "vpp_token", "name", name),
                        name);
                assertEquals(
                        seconds(t.lastSync()),
                        SimulatedGraph.value(m, LAST_SYNC, "connector_type", "vpp_token", "name", name),
                        name);
                assertState(m, STATE, "state", "vpp_token", name, vppState(t.state()), ConnectorsCollector.VPP_STATES);
                assertState(
                        m,
                        SYNC_STATUS,
                        "status",
                        "vpp_token",
                        name,
                        syncStatus(t.lastSyncStatus()),
                        List.of("none", "in_progress", "completed", "failed", "unknown"));
            }
            assertEquals(
                    1.0,
                    SimulatedGraph.value(
                            m, STATE, "connector_type", "vpp_token", "name", "Contoso Sim Retail", "state", "valid"));

            List<ConnectorData.DepToken> dep = data.depTokens();
            assertEquals(
                    List.of("Contoso ABM", "Contoso ASM - Schools"),
                    dep.stream().map(ConnectorData.DepToken::tokenName).toList());
            for (ConnectorData.DepToken t : dep) {
                assertEquals(
                        seconds(t.expiration()),
                        SimulatedGraph.value(m, EXPIRATION, "connector_type", "dep_token", "name", t.tokenName()));
                assertEquals(
                        seconds(t.lastSuccessfulSync()),
                        SimulatedGraph.value(m, LAST_SYNC, "connector_type", "dep_token", "name", t.tokenName()));
            }

            List<ConnectorData.ExchangeConnector> exchange = data.exchangeConnectors();
            assertEquals(2, exchange.size());
            for (ConnectorData.ExchangeConnector c : exchange) {
                assertState(
                        m,
                        STATE,
                        "state",
                        "exchange_connector",
                        c.serverName(),
                        exchangeState(c.status()),
                        ConnectorsCollector.EXCHANGE_STATES);
                double sync = SimulatedGraph.value(
                        m, LAST_SYNC, "connector_type", "exchange_connector", "name", c.serverName());
                if (c.lastSync() == null) {
                    assertTrue(Double.isNaN(sync), "a connector that never synced has no last-sync series");
                } else {
                    assertEquals(seconds(c.lastSync()), sync);
                }
            }

            for (ConnectorData.MtdConnector c : data.mtdConnectors()) {
                assertEquals(
                        seconds(c.lastHeartbeat()),
                        SimulatedGraph.value(m, HEARTBEAT, "connector_type", "mtd_connector", "name", c.id()));
                assertState(
                        m,
                        STATE,
                        "state",
                        "mtd_connector",
                        c.id(),
                        partnerState(c.partnerState()),
                        ConnectorsCollector.MTD_STATES);
            }

            List<ConnectorData.ManagementPartner> partners = data.managementPartners();
            assertEquals(2, partners.size());
            for (ConnectorData.ManagementPartner p : partners) {
                assertState(
                        m,
                        STATE,
                        "state",
                        "management_partner",
                        p.displayName(),
                        partnerState(p.partnerState()),
                        ConnectorsCollector.PARTNER_STATES);
                double hb = SimulatedGraph.value(
                        m, HEARTBEAT, "connector_type", "management_partner", "name", p.displayName());
                if (p.lastHeartbeat() == null) {
                    assertTrue(Double.isNaN(hb), "0001-01-01 means never: no series");
                } else {
                    assertEquals(seconds(p.lastHeartbeat()), hb);
                }
            }

            for (ConnectorData.NdesConnector c : data.ndesConnectors()) {
                assertEquals(
                        seconds(c.lastConnection()),
                        SimulatedGraph.value(
                                m, HEARTBEAT, "connector_type", "ndes_connector", "name", c.displayName()));
                assertState(
                        m,
                        STATE,
                        "state",
                        "ndes_connector",
                        c.displayName(),
                        ndesState(c.state()),
                        ConnectorsCollector.NDES_STATES);
            }

            // Nothing beyond the objects above: APNs + 3 VPP + 2 DEP expiries; 3 VPP + 2 DEP + 1 Exchange syncs.
            assertEquals(6, SimulatedGraph.seriesCount(m, EXPIRATION));
            assertEquals(6, SimulatedGraph.seriesCount(m, LAST_SYNC));
            assertEquals(2 + 1 + 2, SimulatedGraph.seriesCount(m, HEARTBEAT));
            assertEquals(3 * 5 + 2 * 5 + 2 * 5 + 2 * 6 + 2 * 4, SimulatedGraph.seriesCount(m, STATE));
            // One request per source, nothing else.
            assertEquals(7, g.simulator.requestCount());
        }
    }

    @Test
    void oddEnumStringsMapToKnownLabelsOrUnknownAndNoAppleIdBecomesALabel() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(600, 3, 0.05), "")) {
            ConnectorData data = new ConnectorData(g.tenant);
            MetricSnapshots m = collect(g, CollectorSettings.ConnectorSources.all());

            assertEquals("Valid", data.vppTokens().get(0).state());
            assertState(m, STATE, "state", "vpp_token", "Contoso Sim Ltd", "valid", ConnectorsCollector.VPP_STATES);
            assertEquals("unknownFutureValue", data.exchangeConnectors().get(0).status());
            assertState(
                    m,
                    STATE,
                    "state",
                    "exchange_connector",
                    "EXCH01.corp.contoso-sim.example",
                    "unknown",
                    ConnectorsCollector.EXCHANGE_STATES);
            assertState(
                    m,
                    STATE,
                    "state",
                    "mtd_connector",
                    ConnectorData.DEFENDER_MTD_ID,
                    "enabled",
                    ConnectorsCollector.MTD_STATES);
            assertState(
                    m, STATE, "state", "management_partner", "Jamf Pro", "unknown", ConnectorsCollector.PARTNER_STATES);
            assertState(m, STATE, "state", "ndes_connector", "NDES-01", "active", ConnectorsCollector.NDES_STATES);

            // The second DEP token is named with an Apple ID: the address in its label is a hash (AdminNames, as every
            // family).
            ConnectorData.DepToken named = data.depTokens().get(1);
            assertTrue(named.tokenName().contains("@"));
            String label = io.github.intuneexporter.metrics.AdminNames.label("connector", named.tokenName(), 64);
            assertTrue(label.contains("email-"), label);
            assertEquals(
                    seconds(named.expiration()),
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "dep_token", "name", label));
            String text = text(m);
            assertFalse(text.contains("@"), "no e-mail address or Apple ID in any label:\n" + text);
        }
    }

    @Test
    void aTenantWithoutAnApnsCertificateGivesNoSeriesAndDoesNotFail() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(0, 5, 0), "")) {
            MetricSnapshots m = collect(g, CollectorSettings.ConnectorSources.all());
            assertEquals(
                    1,
                    g.simulator.requestCount("/deviceManagement/applePushNotificationCertificate"),
                    "asked, got 404");
            for (String family : List.of(EXPIRATION, LAST_SYNC, HEARTBEAT, STATE, SYNC_STATUS)) {
                assertEquals(0, SimulatedGraph.seriesCount(m, family), family);
            }
        }
    }

    @Test
    void aMissingPermissionFailsTheRunNamingTheSourceAndThePermission() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(100, 5, 0), "")) {
            g.simulator.revokePermission(Permissions.CONFIGURATION);
            GraphException e =
                    assertThrows(GraphException.class, () -> collect(g, CollectorSettings.ConnectorSources.all()));
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("ndes-connectors"), e.getMessage());
            assertTrue(e.getMessage().contains("DeviceManagementConfiguration.Read.All"), e.getMessage());

            // Without the NDES source the same tenant is fine.
            MetricSnapshots m =
                    collect(g, new CollectorSettings.ConnectorSources(true, true, true, true, true, true, false));
            assertEquals(
                    1.0,
                    SimulatedGraph.value(
                            m, STATE, "connector_type", "management_partner", "name", "Jamf Pro", "state", "enabled"));

            // Microsoft documents the APNs certificate with DeviceManagementServiceConfig.ReadWrite.All or
            // DeviceManagementManagedDevices.Read.All: without the latter it answers 403, and the error names it.
            g.simulator.grantAllPermissions();
            g.simulator.revokePermission(Permissions.MANAGED_DEVICES);
            e = assertThrows(GraphException.class, () -> collect(g, CollectorSettings.ConnectorSources.all()));
            assertTrue(
                    e.getMessage().contains("apple-push-certificate"),
                    "a 403 on APNs is not 'none uploaded': " + e.getMessage());
            assertTrue(e.getMessage().contains("DeviceManagementManagedDevices.Read.All"), e.getMessage());

            // DeviceManagementServiceConfig.Read.All alone does not read the certificate, but the MTD connectors need
            // it.
            g.simulator.grantAllPermissions();
            g.simulator.revokePermission(Permissions.SERVICE_CONFIG);
            e = assertThrows(GraphException.class, () -> collect(g, CollectorSettings.ConnectorSources.all()));
            assertTrue(e.getMessage().contains("DeviceManagementServiceConfig.Read.All"), e.getMessage());
            assertFalse(e.getMessage().contains("apple-push-certificate"), e.getMessage());
        }
    }

    @Test
    void malformedJsonFailsTheRun() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(100, 5, 0), "")) {
            g.simulator.setFaults(
                    List.of(new FaultRule(FaultRule.Kind.MALFORMED, "vppTokens", 1.0, Duration.ZERO, Duration.ZERO)));
            GraphException e =
                    assertThrows(GraphException.class, () -> collect(g, CollectorSettings.ConnectorSources.all()));
            assertTrue(
                    e.getMessage().contains("malformed JSON") && e.getMessage().contains("vpp-tokens"), e.getMessage());
        }
    }

    @Test
    void betaSourcesAreOffByDefaultAndOnInDemoMode() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(600, 5, 0), "")) {
            ExporterSettings defaults = SettingsLoader.load(ConfigFactory.empty());
            ConnectorsCollector c = new ConnectorsCollector(
                    g.api(),
                    defaults.collectors().connectors().interval(),
                    defaults.collectors().connectors());
            assertEquals(Duration.ofMinutes(15), c.interval());
            MetricSnapshots m = c.collect();
            assertEquals(0, g.simulator.requestCount("/deviceManagement/depOnboardingSettings"));
            assertEquals(0, g.simulator.requestCount("/deviceManagement/ndesConnectors"));
            assertTrue(Double.isNaN(
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "dep_token", "name", "Contoso ABM")));

            ExporterSettings demo = SettingsLoader.load(Optional.empty(), ConfigFactory.empty(), true);
            m = new ConnectorsCollector(
                            g.api(), Duration.ofSeconds(30), demo.collectors().connectors())
                    .collect();
            assertEquals(1, g.simulator.requestCount("/deviceManagement/depOnboardingSettings"));
            assertEquals(1, g.simulator.requestCount("/deviceManagement/ndesConnectors"));
            assertFalse(Double.isNaN(
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "dep_token", "name", "Contoso ABM")));
        }
    }

    @Test
    void maxPerTypeKeepsTheFirstByName() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(tenant(2500, 7, 0), "")) {
            MetricSnapshots m = new ConnectorsCollector(
                            g.api(),
                            Duration.ofMinutes(15),
                            new CollectorSettings.Connectors(
                                    Duration.ofMinutes(15), CollectorSettings.ConnectorSources.all(), 64, 1))
                    .collect();
            // VPP by label name: "Contoso Sim Ltd" < "Contoso Sim Retail" < "Contoso Simulated ..."
            assertFalse(Double.isNaN(
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "vpp_token", "name", "Contoso Sim Ltd")));
            assertTrue(Double.isNaN(
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "vpp_token", "name", "Contoso Sim Retail")));
            ConnectorData data = new ConnectorData(g.tenant);
            double earliestOther = data.vppTokens().stream()
                    .filter(t -> !t.organizationName().equals("Contoso Sim Ltd"))
                    .mapToDouble(t -> seconds(t.expiration()))
                    .min()
                    .orElseThrow();
            assertEquals(
                    earliestOther,
                    SimulatedGraph.value(m, EXPIRATION, "connector_type", "vpp_token", "name", "_other"),
                    0.0,
                    "_other holds the earliest expiry of the tokens beyond max-per-type");
            assertEquals(
                    data.vppTokens().size(),
                    SimulatedGraph.sum(m, STATE, "connector_type", "vpp_token"),
                    0.0,
                    "every token counts once in intune_connector_state, named or _other");
            assertEquals(
                    1 + 2 + 2,
                    SimulatedGraph.seriesCount(m, EXPIRATION),
                    "APNs, one VPP and _other, one DEP and _other");
        }
    }

    @Test
    void adminNamesAreBounded() {
        assertEquals("a b", ConnectorsCollector.boundedName("  a \t\n b  ", "x", 64));
        assertEquals("abcd", ConnectorsCollector.boundedName("abcdefgh", "x", 4));
        assertEquals("ab", ConnectorsCollector.boundedName("ab cd", "x", 3), "no trailing blank after the cut");
        assertTrue(ConnectorsCollector.boundedName("admin@contoso.com", "3f2c1a9b-0000-4000-8000-000000000000", 64)
                .startsWith("email-"));
        assertEquals("id-3f2c1a9b", ConnectorsCollector.boundedName("   ", "3f2c1a9b-0000-4000-8000-000000000000", 64));
        assertEquals("(unnamed)", ConnectorsCollector.boundedName(null, null, 64));
    }

    static String text(MetricSnapshots m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, m);
        return out.toString(StandardCharsets.UTF_8);
    }
}
