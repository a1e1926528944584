package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.AppRegistrationData;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CredentialsCollectorTest {
    private static final String FAMILY = "intune_exporter_credential_expiration_timestamp_seconds";
    /** SHA-1 of the demo certificate, computed with `openssl x509 -fingerprint -sha1`, not with Java. */
    private static final String DEMO_THUMBPRINT = "D06B1570E15E7D95F3F5181E04BC13377AFA9A5B";

    private static final String SECRET = AppRegistrationData.DEMO_CLIENT_SECRET;

    private static SimulatedGraph start() throws Exception {
        return SimulatedGraph.start(new SimulatedTenant(9, 10, SimulatedGraph.fixedClock(), Duration.ofMinutes(1)), "");
    }

    private static MetricSnapshots collect(SimulatedGraph g, CredentialsCollector.SignIn signIn) throws Exception {
        return new CredentialsCollector(
                        g.api(),
                        Duration.ofHours(1),
                        new CollectorSettings.Credentials(Duration.ofHours(1), AppRegistrationData.DEMO_CLIENT_ID),
                        signIn)
                .collect();
    }

    /** Every credential of the simulated app is exported with its expiry, and in_use as the test expects it. */
    private static void assertCredentials(
            MetricSnapshots m, AppRegistrationData app, String secretInUse, String certificateInUse) {
        for (AppRegistrationData.PasswordCredential p : app.passwordCredentials()) {
            String inUse = secretInUse.equals("hint")
                    ? Boolean.toString(p.hint().equals(SECRET.substring(0, 3)))
                    : secretInUse;
            assertEquals(
                    p.end().getEpochSecond(),
                    SimulatedGraph.value(
                            m, FAMILY, "credential_type", "client_secret", "key_id", p.keyId(), "in_use", inUse),
                    0.0,
                    p.displayName());
        }
        for (AppRegistrationData.KeyCredential k : app.keyCredentials()) {
            assertEquals(
                    k.end().getEpochSecond(),
                    SimulatedGraph.value(
                            m,
                            FAMILY,
                            "credential_type",
                            "certificate",
                            "key_id",
                            k.keyId(),
                            "in_use",
                            certificateInUse),
                    0.0,
                    k.displayName());
        }
        assertEquals(3, SimulatedGraph.seriesCount(m, FAMILY));
    }

    private static Path demoCertificate(Path dir) throws Exception {
        try (InputStream in =
                CredentialsCollectorTest.class.getResourceAsStream(AppRegistrationData.DEMO_CERTIFICATE)) {
            return Files.write(dir.resolve("exporter.pem"), in.readAllBytes());
        }
    }

    @Test
    void theSecretInUseIsFoundByItsHintAndNeitherSecretNorHintIsEverExportedOrLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        try (SimulatedGraph g = start()) {
            AppRegistrationData app = new AppRegistrationData(g.tenant);
            CredentialsCollector.SignIn signIn = CredentialsCollector.SignIn.secret(SECRET);
            MetricSnapshots m = collect(g, signIn);

            assertCredentials(m, app, "hint", "false");
            // One in use, expiring in about 200 days (the healthy tenant); its successor in about 300.
            AppRegistrationData.PasswordCredential inUse =
                    app.passwordCredentials().get(0);
            assertEquals(200, Duration.between(SimulatedGraph.NOW, inUse.end()).toDays(), 1);

            String text = ConnectorsCollectorTest.text(m) + signIn;
            for (AppRegistrationData.PasswordCredential p : app.passwordCredentials()) {
                assertFalse(text.contains(p.hint()), "hint exported: " + text);
            }
            assertFalse(text.contains(SECRET), text);
            assertTrue(logs.list.size() > 0, "debug logging was captured");
            for (ILoggingEvent e : logs.list) {
                String line = e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage());
                assertFalse(line.contains(SECRET.substring(0, 3)) || line.contains("Zr4"), "logged: " + line);
            }
        } finally {
            root.detachAppender(logs);
            root.setLevel(level);
        }
    }

    @Test
    void aSecretThatMatchesNoHintMarksNothingInUse() throws Exception {
        try (SimulatedGraph g = start()) {
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.secret("abc~another-secret")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "false");
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.other()),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "false");
        }
    }

    @Test
    void theCertificateInUseIsFoundByItsThumbprint(@TempDir Path dir) throws Exception {
        Path pem = demoCertificate(dir);
        assertEquals(
                DEMO_THUMBPRINT, HexFormat.of().withUpperCase().formatHex(CredentialsCollector.thumbprint(pem, "")));
        try (SimulatedGraph g = start()) {
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.certificate(pem, "")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "true");
        }
    }

    @Test
    void aPfxCertificateIsMatchedToo(@TempDir Path dir) throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(demoCertificate(dir))) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("exporter", cert);
        Path pfx = dir.resolve("exporter.pfx");
        try (OutputStream out = Files.newOutputStream(pfx)) {
            store.store(out, "pfx-password".toCharArray());
        }
        try (SimulatedGraph g = start()) {
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.certificate(pfx, "pfx-password")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "true");
            // Wrong password: the certificate cannot be read, so which one is in use is unknown.
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.certificate(pfx, "wrong")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "unknown");
        }
    }

    @Test
    void anUnreadableCertificateGivesUnknown(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("broken.pem"), "not a certificate");
        try (SimulatedGraph g = start()) {
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.certificate(dir.resolve("missing.pem"), "")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "unknown");
            assertCredentials(
                    collect(g, CredentialsCollector.SignIn.certificate(garbage, "")),
                    new AppRegistrationData(g.tenant),
                    "false",
                    "unknown");
        }
    }

    @Test
    void failuresFailTheRun() throws Exception {
        try (SimulatedGraph g = start()) {
            g.simulator.revokePermission(Permissions.APPLICATION);
            GraphException e =
                    assertThrows(GraphException.class, () -> collect(g, CredentialsCollector.SignIn.secret(SECRET)));
            assertTrue(e.getMessage().contains("Application.Read.All"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET.substring(0, 3)), e.getMessage());
            g.simulator.grantAllPermissions();

            e = assertThrows(
                    GraphException.class,
                    () -> new CredentialsCollector(
                                    g.api(),
                                    Duration.ofHours(1),
                                    new CollectorSettings.Credentials(
                                            Duration.ofHours(1), "00000000-0000-4000-8000-000000000000"),
                                    CredentialsCollector.SignIn.other())
                            .collect());
            assertEquals(404, e.status(), "an app registration that does not exist");

            g.simulator.setFaults(List.of(
                    new FaultRule(FaultRule.Kind.MALFORMED, "applications", 1.0, Duration.ZERO, Duration.ZERO)));
            e = assertThrows(GraphException.class, () -> collect(g, CredentialsCollector.SignIn.secret(SECRET)));
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void offByDefaultNeedsAClientIdWhenOnAndDemoModeMatchesTheSimulator() throws Exception {
        ExporterSettings defaults = SettingsLoader.load(ConfigFactory.empty());
        assertTrue(defaults.collectors().credentials().interval().isZero());

        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString("intune.collectors.credentials.interval = 1h")));
        assertTrue(e.getMessage().contains("intune.auth.client-id"), e.getMessage());

        ExporterSettings demo = SettingsLoader.load(Optional.empty(), ConfigFactory.empty(), true);
        try (SimulatedGraph g = start()) {
            CredentialsCollector c = new CredentialsCollector(
                    g.api(),
                    demo.collectors().credentials().interval(),
                    demo.collectors().credentials(),
                    CredentialsCollector.SignIn.of(demo.auth()));
            assertEquals(demo.demo().interval(), c.interval(), "on in demo mode, at intune.demo.interval");
            assertCredentials(c.collect(), new AppRegistrationData(g.tenant), "hint", "false");
        }
    }
}
