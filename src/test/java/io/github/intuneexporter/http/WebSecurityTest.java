package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS, mutual TLS and basic auth configured with the exporter-toolkit web configuration keys, checked with a real HTTPS client. */
class WebSecurityTest {
    @TempDir
    Path dir;

    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 4);
    }

    private Exporter start(String webYaml) throws Exception {
        Path web = Files.writeString(dir.resolve("web.yml"), webYaml);
        ExporterSettings settings = SettingsLoader.load(Optional.empty(), ConfigFactory.parseString(
                "intune.web { listen-address = \"127.0.0.1:0\", config-file = \"" + web + "\" }, intune.demo.devices = 50,"
                        + " intune.collection.startup-stagger = 0s"), true);
        Exporter exporter = Exporter.create(settings, true, Clock.systemUTC());
        exporter.start(settings.web());
        for (String c : exporter.scheduler().enabled()) {
            exporter.scheduler().runNow(c);
        }
        return exporter;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsWithBasicAuth() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "RSA", false);
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "basic_auth_users:\n  prometheus: '" + bcrypt("scrape-pass") + "'\n")) {
            String base = "https://127.0.0.1:" + exporter.port();
            HttpClient https = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(server, null)).build();
            assertEquals(401, get(https, base + "/metrics", null, null).statusCode());
            assertEquals(401, get(https, base + "/metrics", "prometheus", "wrong").statusCode());
            assertEquals(401, get(https, base + "/metrics", "someone", "scrape-pass").statusCode());
            HttpResponse<String> ok = get(https, base + "/metrics", "prometheus", "scrape-pass");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("intune_managed_devices"));
            assertEquals(200, get(https, base + "/metrics", "prometheus", "scrape-pass").statusCode(), "remembered credentials");
            assertEquals(401, get(https, base + "/", null, null).statusCode(), "every endpoint is protected");

            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(java.io.IOException.class, () -> get(plain, "http://127.0.0.1:" + exporter.port() + "/metrics", null, null));
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> get(untrusting, base + "/metrics", "prometheus", "scrape-pass"));
        }
    }

    @Test
    void mutualTlsWithEcAndPkcs8Keys() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "EC", true);
        TestCertificates client = TestCertificates.create(dir, "client", "RSA", true);
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client.crt\n  min_version: TLS13\n")) {
            String url = "https://127.0.0.1:" + exporter.port() + "/metrics";
            HttpClient withCert = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(server, client)).build();
            assertEquals(200, get(withCert, url, null, null).statusCode());
            HttpClient withoutCert = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(server, null)).build();
            assertThrows(java.io.IOException.class, () -> get(withoutCert, url, null, null));
        }
    }

    @Test
    void basicAuthWithoutTls() throws Exception {
        try (Exporter exporter = start("basic_auth_users:\n  p: " + bcrypt("pw") + "\n")) {
            HttpClient plain = HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + exporter.port() + "/metrics";
            assertEquals(401, get(plain, url, null, null).statusCode());
            assertEquals(200, get(plain, url, "p", "pw").statusCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'tls_server_config:\n  cert_file: server.crt\n'                                   | tls_server_config.key_file: missing",
        "'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n'             | tls_server_config.cert_file: cannot read",
        "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS10\n' | tls_server_config.min_version",
        "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAnyClientCert\n' | client_auth_type",
        "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n' | client_ca_file: missing",
        "'tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n'            | does not match",
        "'tls_server_config:\n  cert_file: server.key\n  key_file: server.key\n'           | cert_file",
        "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.crt\n'           | key_file",
        "'basic_auth_users:\n  prometheus: plaintext-password\n'                          | basic_auth_users.prometheus: not a bcrypt hash",
        "'basic_auth_users: [a, b]\n'                                                        | basic_auth_users",
        "'tls_config:\n  cert_file: x\n'                                                     | tls_config: unknown key",
        "'tls_server_config:\n  certfile: x\n'                                               | tls_server_config.certfile: unknown key",
        "'- just\n- a list\n'                                                                | expected a mapping",
        "'tls_server_config: [\n'                                                           | cannot read",
    })
    void badWebConfigsNameTheKey(String yaml, String expected) throws Exception {
        TestCertificates.create(dir, "server", "RSA", true);
        TestCertificates.create(dir, "other", "EC", true);
        Path web = Files.writeString(dir.resolve("web.yml"), yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.load(ConfigFactory.parseString(
                "intune.web.config-file = \"" + web + "\"")));
        assertTrue(e.getMessage().startsWith("intune.web.config-file"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("plaintext-password"), "the value is never echoed");
    }
}
