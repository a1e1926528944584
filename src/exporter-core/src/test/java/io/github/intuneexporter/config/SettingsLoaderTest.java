package io.github.intuneexporter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.graph.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsLoaderTest {

    @Test
    void defaultsLoadAndAreTyped() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.empty());
        assertEquals("0.0.0.0", s.web().host());
        assertEquals(9786, s.web().port());
        assertEquals("/metrics", s.web().metricsPath());
        assertEquals(Cloud.GLOBAL, s.graph().cloud());
        assertEquals(Duration.ofMinutes(10), s.graph().requestTimeout());
        assertEquals(1000, s.graph().pageSize());
        assertEquals(AuthMethod.AUTO, s.auth().method());
    }

    /** Each wrong value ends start-up with a message that names the key. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "intune.web.listen-address = \"nonsense\"                 | intune.web.listen-address",
                "intune.web.listen-address = \"0.0.0.0:99999\"            | intune.web.listen-address",
                "intune.web.listen-address = \"host:port\"                | intune.web.listen-address",
                "intune.web.listen-address = \"[::1\"                     | intune.web.listen-address",
                "intune.web.listen-address = \"127.0.0.1:9786,127.0.0.1:9786\" | intune.web.listen-address",
                "intune.web.listen-address = \"::1:9786\"                 | intune.web.listen-address",
                "intune.web.metrics-path = \"metrics\"                    | intune.web.metrics-path",
                "intune.web.metrics-path = \"/metrics?format=text\"       | intune.web.metrics-path",
                "intune.web.metrics-path = \"/metrics#x\"                 | intune.web.metrics-path",
                "intune.web.metrics-path = \"/probe\"                     | intune.web.metrics-path",
                "intune.graph.cloud = mars                               | intune.graph.cloud",
                "intune.graph.base-url = \"http://graph.example.com/v1.0\" | intune.graph.base-url",
                "intune.graph.authority-host = \"http://login.example\"   | intune.graph.authority-host",
                "intune.graph.page-size = 5000                           | intune.graph.page-size",
                "intune.graph.page-size = lots                           | intune.graph.page-size",
                "intune.graph.max-retries = -1                           | intune.graph.max-retries",
                "intune.graph.request-timeout = soon                     | intune.graph.request-timeout",
                "intune.collection.threads = 0                           | intune.collection.threads",
                "intune.collection.startup-stagger = -5s                 | intune.collection.startup-stagger",
                "intune.auth.method = password                           | intune.auth.method",
                "intune.demo.odd-values = 2                              | intune.demo.odd-values",
                "intune.graph.colud = global                             | intune.graph.colud",
                "intune.simulator.faults = [{kind = explode}]            | intune.simulator.faults[0].kind",
                "intune.simulator.faults = [{kind = throttle, fraction = 1.5}] | intune.simulator.faults[0].fraction",
                "intune.simulator.faults = [{kind = throttle, typo = 1}] | intune.simulator.faults[0].typo",
            })
    void badValuesNameTheKey(String hocon, String key) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(hocon)));
        assertTrue(e.getMessage().startsWith(key) || e.getMessage().contains(key), e.getMessage());
    }

    /** Collector keys are validated where the configuration is bound, once at start-up (and by --config.check). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "intune.collectors.devices.interval = -1m          | intune.collectors.devices.interval",
                "intune.collectors.devices.interval = 1s           | intune.collectors.devices.interval",
                "intune.collectors.compliance.interval = often     | intune.collectors.compliance.interval",
                "intune.collectors.compliance.max-policies = 0     | intune.collectors.compliance.max-policies",
                "intune.collectors.devices.stale-days = [7, -1]    | intune.collectors.devices.stale-days",
                "intune.collectors.devices.stale-days = []         | intune.collectors.devices.stale-days",
            })
    void badCollectorValuesNameTheKey(String hocon, String key) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(hocon)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    /** Every binding error names the key path, the bad value and the form expected, in one line. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "intune.collectors.devices.interval = 1s                   | intune.collectors.devices.interval | 1s | at least 5s",
                "intune.collectors.compliance.max-policies = 0             | intune.collectors.compliance.max-policies | 0 | 1..10000",
                "intune.collectors.compliance.interval = often             | intune.collectors.compliance.interval | often | duration",
                "intune.collectors.devices.source = fast                   | intune.collectors.devices.source | fast | graph-list or export-job",
                "intune.collectors.configuration.include-pattern = \"[a\"  | intune.collectors.configuration.include-pattern | [a | regular expression",
                "intune.collectors.app_installs.beta-summary-report = maybe | intune.collectors.app_installs.beta-summary-report | maybe | true or false",
                "intune.collectors.devices.stale-days = []                 | intune.collectors.devices.stale-days | [] | 1..3650",
                "intune.collectors.service_health.service-name = \"\"      | intune.collectors.service_health.service-name | \"\" | display name",
                "intune.graph.retry-delay = 10m                            | intune.graph.retry-delay | 10m | 1s..180s",
                "intune.collectors.audit.lateness = 31d                    | intune.collectors.audit.lateness | 31d | 1m..30d",
                "intune.collectors.audit.lateness = 10s                    | intune.collectors.audit.lateness | 10s | 1m..30d",
                "intune.collectors.audit.lateness = late                   | intune.collectors.audit.lateness | late | duration",
                "intune.collectors.subscription.interval = 1s              | intune.collectors.subscription.interval | 1s | at least 5s",
            })
    void bindingErrorsNameKeyValueAndExpectedForm(String hocon, String key, String value, String expected) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(hocon)));
        String m = e.getMessage();
        assertTrue(m.startsWith(key + ":"), m);
        assertTrue(m.contains(value), "the bad value: " + m);
        assertTrue(m.contains(expected), "the expected form: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
    }

    @Test
    void subscriptionAndAuditAreBoundOnce() {
        ExporterSettings s = SettingsLoader.load(
                ConfigFactory.parseString(
                        "intune.collectors.audit { lateness = 6h, state-file = \"\" }\nintune.collectors.subscription.interval = 0"));
        assertEquals(Duration.ofHours(6), s.collectors().audit().lateness());
        assertEquals(null, s.collectors().audit().stateFile(), "\"\" keeps the ledger in memory only");
        assertTrue(s.collectors().subscription().interval().isZero());
        assertEquals(s.collectors().audit(), s.collectors().byName().get("audit"));
        assertTrue(
                CollectorFactory.create(s, null, Clock.systemUTC(), Duration.ofSeconds(10)).stream()
                        .anyMatch(c ->
                                c.name().equals("subscription") && c.interval().isZero()),
                "the demo interval leaves it disabled");
    }

    @Test
    void zeroIntervalDisablesACollector() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString("intune.collectors.devices.interval = 0"));
        assertTrue(CollectorFactory.create(s, null, Clock.systemUTC(), null).stream()
                .anyMatch(c -> c.name().equals("devices") && c.interval().isZero()));
    }

    @Test
    void unknownTopLevelKeyIsRejected() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString("intunee.web.listen-address = \"x:1\"")));
        assertTrue(e.getMessage().startsWith("intunee.web.listen-address: unknown key"), e.getMessage());
    }

    @Test
    void missingCredentialNamesWhatToSet() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.empty());
        ConfigException none = assertThrows(ConfigException.class, () -> Credentials.resolve(s.auth()));
        assertTrue(none.getMessage().contains("AZURE_TENANT_ID"), none.getMessage());
        ExporterSettings partial = SettingsLoader.load(
                ConfigFactory.parseString("intune.auth { tenant-id = t, client-id = c, method = client-secret }"));
        ConfigException secret = assertThrows(ConfigException.class, () -> Credentials.resolve(partial.auth()));
        assertTrue(secret.getMessage().startsWith("intune.auth.client-secret: missing"), secret.getMessage());
        ExporterSettings noTenant =
                SettingsLoader.load(ConfigFactory.parseString("intune.auth { client-id = c, client-secret = s }"));
        ConfigException tenant = assertThrows(ConfigException.class, () -> Credentials.resolve(noTenant.auth()));
        assertTrue(tenant.getMessage().startsWith("intune.auth.tenant-id: missing"), tenant.getMessage());
    }

    @Test
    void secretAndCertificateTogetherAreRejected(@TempDir Path dir) throws IOException {
        Path cert =
                Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString(
                        "intune.auth { tenant-id = t, client-id = c, client-secret = s, client-certificate-path = \""
                                + cert + "\" }")));
        assertTrue(e.getMessage().contains("both a client secret and a client certificate"), e.getMessage());
    }

    @Test
    void unreadableCertificateAndSecretFileAreNamed(@TempDir Path dir) {
        ConfigException cert = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString(
                        "intune.auth.client-certificate-path = \"" + dir.resolve("missing.pem") + "\"")));
        assertTrue(cert.getMessage().startsWith("intune.auth.client-certificate-path"), cert.getMessage());
        ConfigException file = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString(
                        "intune.auth.client-secret-file = \"" + dir.resolve("missing.txt") + "\"")));
        assertTrue(file.getMessage().startsWith("intune.auth.client-secret-file"), file.getMessage());
    }

    @Test
    void certificateWithoutPrivateKeyIsRejected(@TempDir Path dir) throws IOException {
        Path cert =
                Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString(
                "intune.auth { tenant-id = t, client-id = c, client-certificate-path = \"" + cert + "\" }"));
        ConfigException e = assertThrows(ConfigException.class, () -> Credentials.resolve(s.auth()));
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
    }

    @Test
    void secretFileIsReadAndNeverShown(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "s3cr3t-value\n");
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString(
                "intune.auth { tenant-id = t, client-id = c, client-secret-file = \"" + file + "\" }"));
        assertEquals("s3cr3t-value", s.auth().clientSecret());
        assertEquals(AuthMethod.CLIENT_SECRET, Credentials.resolve(s.auth()));
        assertFalse(s.auth().toString().contains("s3cr3t"), s.auth().toString());
    }

    @Test
    void wrongTypeOfSecretDoesNotEchoIt() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(
                        ConfigFactory.parseString("intune.auth.client-secret = [\"hunter2-secret\"]")));
        assertTrue(e.getMessage().startsWith("intune.auth.client-secret"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void nationalCloudsHaveTheirOwnHosts() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString("intune.graph.cloud = usgovdod"));
        assertEquals("https://dod-graph.microsoft.us", s.graph().cloud().graphHost());
        assertEquals(
                "https://dod-graph.microsoft.us/.default", s.graph().cloud().defaultScope());
        assertEquals("https://login.microsoftonline.us/", s.graph().cloud().authorityHost());
        assertEquals("https://login.chinacloudapi.cn/", Cloud.CHINA.authorityHost());
        assertEquals("https://microsoftgraph.chinacloudapi.cn", Cloud.CHINA.graphHost());
    }

    @Test
    void fileValuesOverrideDefaults(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.conf"), "intune.web.listen-address = \"127.0.0.1:9999\"\n");
        ExporterSettings s = SettingsLoader.load(java.util.Optional.of(file));
        assertEquals("127.0.0.1", s.web().host());
        assertEquals(9999, s.web().port());
        ConfigException e = assertThrows(
                ConfigException.class, () -> SettingsLoader.load(java.util.Optional.of(dir.resolve("none.conf"))));
        assertEquals(
                "--config.file: " + dir.resolve("none.conf") + " does not exist, expected a HOCON configuration file",
                e.getMessage());
    }

    @Test
    void syntaxErrorInFileIsOneClearMessage(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.conf"), "intune.web { listen-address = \n");
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.load(java.util.Optional.of(file)));
        assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
    }

    /** The process-wide section is bound with the rest: typed, and every bad value names its key. */
    @Test
    void theScaleSectionIsBoundAtLoad() {
        ExporterSettings.Scale scale = SettingsLoader.load(
                        ConfigFactory.parseString(
                                "intune.collection { pool-size = 7, graph-budget-share = 0.25, tenant-spread = 0.3 }, intune.shard = \"1/3\""))
                .scale();
        assertEquals(new ExporterSettings.Scale(7, 0.25, new Shard(1, 3), 0.3), scale);
        assertEquals(0, scale.tenantPhase(0, 4));
        assertEquals(0.3 * 3 / 4, scale.tenantPhase(3, 4), 1e-12);
        assertEquals(0, scale.tenantPhase(0, 1), "one tenant: no phase");
        assertEquals(
                new ExporterSettings.Scale(0, 0.1, Shard.ALL, 0.5),
                SettingsLoader.load(ConfigFactory.empty()).scale(),
                "defaults: pool sized by the scheduler, 10 % of the Graph budget, every tenant, cycles spread over half an interval");

        for (String[] bad : new String[][] {
            {"intune.collection.pool-size = 2000", "intune.collection.pool-size: 2000 is out of range, expected 0..1024"
            },
            {"intune.collection.graph-budget-share = 1.5", "intune.collection.graph-budget-share: 1.5 is out of range"},
            {"intune.collection.graph-budget-share = lots", "intune.collection.graph-budget-share"},
            {
                "intune.collection.tenant-spread = -0.1",
                "intune.collection.tenant-spread: -0.1 is out of range, expected 0..1"
            },
            {"intune.shard = \"2/2\"", "intune.shard: shard index 2 is not below the shard count 2"},
        }) {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(bad[0])), bad[0]);
            assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
        }
    }

    /**
     * Every tenant's event collectors keep their own state file: the top-level default would be shared by every tenant,
     * and tenants writing one file overwrite each other's counters (the msp-sharded overlay sets one path for all).
     */
    @Test
    void severalTenantsKeepStateFilesOfTheirOwn() {
        ExporterSettings s = SettingsLoader.load(ConfigFactory.parseString(
                "intune.collectors.enrollment.state-file = \"/var/lib/intune-exporter/enrollment.json\"\n"
                        + "intune.tenants = [{name = contoso}, {name = fabrikam},"
                        + " {name = northwind, collectors.audit.state-file = \"/data/nw-audit.json\"}]"));
        java.util.List<String> files = new java.util.ArrayList<>();
        for (ExporterSettings.Tenant t : s.tenants()) {
            CollectorSettings c = t.settings().collectors();
            files.add(c.enrollment().stateFile() + " " + c.audit().stateFile() + " "
                    + c.appTroubleshooting().stateFile());
        }
        assertEquals(
                java.util.List.of(
                        "/var/lib/intune-exporter/contoso/enrollment.json intune-exporter-state/contoso/audit.json"
                                + " intune-exporter-state/contoso/app_troubleshooting.json",
                        "/var/lib/intune-exporter/fabrikam/enrollment.json intune-exporter-state/fabrikam/audit.json"
                                + " intune-exporter-state/fabrikam/app_troubleshooting.json",
                        "/var/lib/intune-exporter/northwind/enrollment.json /data/nw-audit.json"
                                + " intune-exporter-state/northwind/app_troubleshooting.json"),
                files.stream().map(f -> f.replace('\\', '/')).toList());
        assertEquals(
                Path.of("intune-exporter-state/enrollment.json"),
                SettingsLoader.load(ConfigFactory.empty())
                        .collectors()
                        .enrollment()
                        .stateFile(),
                "one tenant: the configured path as it is");
    }

    /** Two collectors writing one state file (of one tenant or of two) is refused, naming both keys. */
    @Test
    void aSharedStateFileIsRefused(@TempDir Path dir) {
        for (String[] bad : new String[][] {
            {
                "intune.tenants = [{name = a, collectors.audit.state-file = /s/x.json},"
                        + " {name = b, collectors.audit.state-file = /s/x.json}]",
                "intune.tenants[1].collectors.audit.state-file: /s/x.json is also the state file of "
                        + "intune.tenants[0].collectors.audit.state-file; each collector of each tenant needs a file of "
                        + "its own (or \"\" for memory only)"
            },
            {
                "intune.collectors.enrollment.state-file = s.json, intune.collectors.audit.state-file = s.json",
                "intune.collectors.enrollment.state-file: s.json is also the state file of "
                        + "intune.collectors.audit.state-file"
            },
            {
                "intune.collectors.audit.state-file = \"" + dir.toString().replace("\\", "/") + "\"",
                "intune.collectors.audit.state-file: " + dir.toString().replace("\\", "/")
                        + " is a directory, expected the path of a JSON file"
            },
        }) {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(bad[0])), bad[0]);
            assertTrue(e.getMessage().startsWith(bad[1]), e.getMessage());
        }
    }

    /**
     * A tenant that names its own credential inherits no other kind from the top level: a certificate tenant next to a
     * top-level client secret (AZURE_CLIENT_SECRET) was refused for setting both.
     */
    @Test
    void aTenantsOwnCredentialReplacesTheTopLevelKind(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("fabrikam"), "file-secret\n");
        String p = secret.toString().replace("\\", "/");
        ExporterSettings s = SettingsLoader.load(
                ConfigFactory.parseString("intune.auth { client-id = app, client-secret = top-secret }\n"
                        + "intune.tenants = [{name = contoso, auth.tenant-id = t1},"
                        + " {name = fabrikam, auth { tenant-id = t2, client-secret-file = \"" + p + "\" }}]"));
        assertEquals("top-secret", s.tenants().get(0).settings().auth().clientSecret(), "inherited");
        assertEquals("file-secret", s.tenants().get(1).settings().auth().clientSecret(), "its own file");
        assertEquals("app", s.tenants().get(1).settings().auth().clientId(), "the client id is still inherited");
    }
}
