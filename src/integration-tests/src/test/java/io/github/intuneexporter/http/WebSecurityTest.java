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
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.web { listen-address = \"127.0.0.1:0\", config-file = \"" + web
                        + "\" }, intune.demo.devices = 50," + " intune.collection.startup-stagger = 0s"),
                true);
        Exporter exporter = Exporter.create(settings, true, Clock.systemUTC());
        exporter.start(settings.web());
        for (String c : exporter.scheduler().enabled()) {
            exporter.scheduler().runNow(c);
        }
        return exporter;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user, String password)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsWithBasicAuth() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "RSA", false);
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "basic_auth_users:\n  prometheus: '" + bcrypt("scrape-pass") + "'\n")) {
            String base = "https://127.0.0.1:" + exporter.port();
            HttpClient https = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(server, null))
                    .build();
            assertEquals(401, get(https, base + "/metrics", null, null).statusCode());
            assertEquals(
                    401, get(https, base + "/metrics", "prometheus", "wrong").statusCode());
            assertEquals(
                    401, get(https, base + "/metrics", "someone", "scrape-pass").statusCode());
            HttpResponse<String> ok = get(https, base + "/metrics", "prometheus", "scrape-pass");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("intune_managed_devices"));
            assertEquals(
                    200,
                    get(https, base + "/metrics", "prometheus", "scrape-pass").statusCode(),
                    "remembered credentials");
            assertEquals(401, get(https, base + "/", null, null).statusCode(), "every endpoint is protected");

            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(
                    java.io.IOException.class,
                    () -> get(plain, "http://127.0.0.1:" + exporter.port() + "/metrics", null, null));
            HttpClient untrusting = HttpClient.newHttpClient();
            assertThrows(
                    javax.net.ssl.SSLHandshakeException.class,
                    () -> get(untrusting, base + "/metrics", "prometheus", "scrape-pass"));
        }
    }

    @Test
    void mutualTlsWithEcAndPkcs8Keys() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "EC", true);
        TestCertificates client = TestCertificates.create(dir, "client", "RSA", true);
        try (Exporter exporter = start(
                "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client.crt\n  min_version: TLS13\n")) {
            String url = "https://127.0.0.1:" + exporter.port() + "/metrics";
            HttpClient withCert = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(server, client))
                    .build();
            assertEquals(200, get(withCert, url, null, null).statusCode());
            HttpClient withoutCert = HttpClient.newBuilder()
                    .sslContext(TestCertificates.clientContext(server, null))
                    .build();
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

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'tls_server_config:\n  cert_file: server.crt\n'                                   | tls_server_config.key_file: missing",
                "'tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n'             | tls_server_config.cert_file: cannot read",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS14\n' | tls_server_config.min_version",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS13\n  max_version: TLS12\n' | min_version is above max_version",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS10\n  max_version: TLS11\n' | no TLS version",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireCert\n' | client_auth_type: 'RequireCert'",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: VerifyClientCertIfGiven\n' | client_ca_file: missing",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: server.crt\n' | client_ca_file is set but client_auth_type NoClientCert",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [TLS_FOO_WITH_BAR]\n' | unknown cipher suite 'TLS_FOO_WITH_BAR'",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n' | disabled in this Java runtime",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher_suites: TLS_RSA_WITH_AES_128_GCM_SHA256\n' | expected a list",
                "'tls_server_config:\n  cert_file: server.crt\n  key_file: same-algorithm.key\n'  | key_file does not match the certificate",
                "'http_server_config:\n  headers:\n    Server: nginx\n'                            | http_server_config.headers.Server: this header can not be configured",
                "'http_server_config:\n  headers:\n    X-Frame-Options: allow\n'                  | X-Frame-Options: 'allow', expected one of [deny, sameorigin]",
                "'http_server_config:\n  http2: true\n'                                            | http_server_config.http2: unknown key",
                "'\n'                                                                               | the file is empty",
                "'# only a comment\n'                                                               | the file is empty",
                "'{}\n'                                                                             | the file is empty",
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
        TestCertificates.create(dir, "same-algorithm", "RSA", true);
        Path web = Files.writeString(dir.resolve("web.yml"), yaml);
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString("intune.web.config-file = \"" + web + "\"")));
        assertTrue(e.getMessage().startsWith("intune.web.config-file"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("plaintext-password"), "the value is never echoed");
    }

    @Test
    void configuredHeadersAreOnEveryAnswerIncludingRefusals() throws Exception {
        try (Exporter exporter = start("http_server_config:\n  headers:\n    X-Frame-Options: deny\n"
                + "    Content-Security-Policy: \"default-src 'none'\"\n    X-Content-Type-Options: nosniff\n"
                + "basic_auth_users:\n  p: " + bcrypt("pw") + "\n")) {
            HttpClient plain = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + exporter.port();
            for (HttpResponse<String> r : java.util.List.of(
                    get(plain, base + "/metrics", "p", "pw"),
                    get(plain, base + "/metrics", null, null),
                    get(plain, base + "/nope", "p", "pw"))) {
                assertEquals(
                        "deny", r.headers().firstValue("X-Frame-Options").orElse(null), r.uri() + " " + r.statusCode());
                assertEquals(
                        "default-src 'none'",
                        r.headers().firstValue("Content-Security-Policy").orElse(null));
                assertEquals(
                        "nosniff",
                        r.headers().firstValue("X-Content-Type-Options").orElse(null));
            }
        }
    }

    /** Every client_auth_type of the exporter-toolkit, with and without a client certificate. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "NoClientCert,               true,  true,  true",
        "RequestClientCert,          true,  true,  true",
        "RequireAnyClientCert,       false, true,  true",
        // The server names its CA; a client whose certificate another CA issued sends none, which IfGiven accepts.
        "VerifyClientCertIfGiven,    true,  true,  true",
        "RequireAndVerifyClientCert, false, true,  false",
    })
    void clientAuthTypes(String type, boolean withoutCert, boolean withTrustedCert, boolean withUntrustedCert)
            throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "EC", true);
        TestCertificates client = TestCertificates.create(dir, "client", "RSA", true);
        TestCertificates stranger = TestCertificates.create(dir, "stranger", "RSA", true);
        boolean verifies = type.startsWith("Verify") || type.startsWith("RequireAndVerify");
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "  client_auth_type: " + type + "\n" + (verifies ? "  client_ca_file: client.crt\n" : ""))) {
            String url = "https://127.0.0.1:" + exporter.port() + "/-/healthy";
            assertEquals(
                    withoutCert,
                    answers(TestCertificates.clientContext(server, null), url),
                    "without a client certificate");
            assertEquals(
                    withTrustedCert,
                    answers(TestCertificates.clientContext(server, client), url),
                    "with the CA's client certificate");
            assertEquals(
                    withUntrustedCert,
                    answers(TestCertificates.clientContext(server, stranger), url),
                    "with an unknown client certificate");
        }
    }

    private static boolean answers(SSLContext context, String url) {
        try {
            // TLS 1.2: a refused client certificate fails the handshake itself (with 1.3 it may fail at the first
            // read).
            javax.net.ssl.SSLParameters p = new javax.net.ssl.SSLParameters();
            p.setProtocols(new String[] {"TLSv1.2"});
            HttpClient client =
                    HttpClient.newBuilder().sslContext(context).sslParameters(p).build();
            return get(client, url, null, null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void cipherSuitesAndVersionsAreApplied() throws Exception {
        TestCertificates server = TestCertificates.create(dir, "server", "RSA", true);
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                + "  max_version: TLS12\n  cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]\n")) {
            String url = "https://127.0.0.1:" + exporter.port() + "/-/healthy";
            SSLContext context = TestCertificates.clientContext(server, null);
            assertTrue(
                    handshake(context, url, "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                    "the configured suite (Go alias)");
            assertFalse(
                    handshake(context, url, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                    "a suite not configured");
            assertFalse(handshake(context, url, "TLSv1.3", "TLS_AES_128_GCM_SHA256"), "TLS 1.3 above max_version");
        }
    }

    private static boolean handshake(SSLContext context, String url, String protocol, String suite) {
        try {
            javax.net.ssl.SSLParameters p =
                    new javax.net.ssl.SSLParameters(new String[] {suite}, new String[] {protocol});
            HttpClient client =
                    HttpClient.newBuilder().sslContext(context).sslParameters(p).build();
            return get(client, url, null, null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    /** A rotated certificate is served without a restart; a broken rotation keeps the previous pair. */
    @Test
    void certificateAndKeyAreReReadWhenTheyChange() throws Exception {
        TestCertificates first = TestCertificates.create(dir, "server", "RSA", true);
        try (Exporter exporter = start("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n")) {
            String url = "https://127.0.0.1:" + exporter.port() + "/-/healthy";
            assertTrue(answers(TestCertificates.clientContext(first, null), url));
            Path rotated = Files.createDirectory(dir.resolve("rotated"));
            TestCertificates second = TestCertificates.create(rotated, "server", "RSA", true);
            // Half a rotation (new cert, old key) is refused and the old pair stays.
            Files.copy(second.certFile, first.certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(
                    first.certFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Thread.sleep(1100);
            assertTrue(
                    answers(TestCertificates.clientContext(first, null), url),
                    "previous pair kept while the key does not match");
            Files.copy(second.keyFile, first.keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(
                    first.keyFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 6000));
            Thread.sleep(1100);
            boolean served = false;
            for (int i = 0; i < 3 && !served; i++) {
                served = answers(TestCertificates.clientContext(second, null), url);
            }
            assertTrue(served, "the new certificate is served");
            assertFalse(answers(TestCertificates.clientContext(first, null), url), "the old one is not");
        }
    }
}
