package io.github.intuneexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * TLS, response headers and basic authentication for the exporter's endpoints, in the format of the Prometheus
 * exporter-toolkit's web configuration file, so SREs can reuse what they know from node_exporter:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt          # PEM certificate (chain); re-read when it changes
 *   key_file: server.key           # PEM private key (PKCS#1, PKCS#8 or EC); re-read when it changes
 *   client_auth_type: RequireAndVerifyClientCert   # NoClientCert (default), RequestClientCert, RequireAnyClientCert,
 *                                                  # VerifyClientCertIfGiven, RequireAndVerifyClientCert
 *   client_ca_file: ca.crt         # required with VerifyClientCertIfGiven and RequireAndVerifyClientCert
 *   min_version: TLS12             # TLS10, TLS11, TLS12 (default), TLS13
 *   max_version: TLS13             # default TLS13
 *   cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]   # Go names; TLS 1.2 and lower (TLS 1.3 suites stay on)
 *   prefer_server_cipher_suites: true
 * http_server_config:
 *   headers:                       # only the toolkit's allowed headers
 *     Strict-Transport-Security: max-age=31536000
 * basic_auth_users:
 *   prometheus: $2y$10$...         # bcrypt hash
 * </pre>
 *
 * Relative paths are resolved against the file's directory. The file is read at start-up; an empty file is an
 * error (it would otherwise silently serve without the protection its author meant to add).
 */
public record WebConfig(Tls tls, Map<String, String> basicAuthUsers, Map<String, String> headers) {

    /** exporter-toolkit's client_auth_type values and what each asks of the client. */
    public enum ClientAuth {
        NoClientCert(false, false, false),
        RequestClientCert(true, false, false),
        RequireAnyClientCert(true, true, false),
        VerifyClientCertIfGiven(true, false, true),
        RequireAndVerifyClientCert(true, true, true);

        final boolean want;
        final boolean need;
        final boolean verify;

        ClientAuth(boolean want, boolean need, boolean verify) {
            this.want = want;
            this.need = need;
            this.verify = verify;
        }
    }

    /** TLS settings; null in {@link WebConfig#tls()} means plain HTTP. Versions are Java protocol names. */
    public record Tls(
            Path certFile,
            Path keyFile,
            ClientAuth clientAuth,
            Path clientCaFile,
            String minVersion,
            String maxVersion,
            List<String> cipherSuites,
            boolean preferServerCipherSuites) {
        public boolean requireClientCert() {
            return clientAuth.need;
        }

        /** The enabled protocols from min to max, in Java names. */
        public List<String> protocols() {
            List<String> all = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
            return all.subList(all.indexOf(minVersion), all.indexOf(maxVersion) + 1);
        }
    }

    public static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of());

    private static final Set<String> TOP_KEYS = Set.of("tls_server_config", "basic_auth_users", "http_server_config");
    private static final Set<String> TLS_KEYS = Set.of(
            "cert_file",
            "key_file",
            "client_auth_type",
            "client_ca_file",
            "min_version",
            "max_version",
            "cipher_suites",
            "prefer_server_cipher_suites");
    private static final Set<String> HTTP_KEYS = Set.of("headers");
    private static final Map<String, String> VERSIONS =
            Map.of("TLS10", "TLSv1", "TLS11", "TLSv1.1", "TLS12", "TLSv1.2", "TLS13", "TLSv1.3");

    /**
     * Headers the toolkit lets an operator set, with their allowed values (null: any value). Copied from its rules
     * so that a web config valid for node_exporter is valid here and vice versa.
     */
    static final Map<String, List<String>> ALLOWED_HEADERS = allowedHeaders();

    private static Map<String, List<String>> allowedHeaders() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Strict-Transport-Security", null);
        m.put("X-Content-Type-Options", List.of("nosniff"));
        m.put("X-Frame-Options", List.of("deny", "sameorigin"));
        m.put("X-XSS-Protection", null);
        m.put("Content-Security-Policy", null);
        return Collections.unmodifiableMap(m);
    }

    public boolean enabled() {
        return tls != null || !basicAuthUsers.isEmpty();
    }

    /** Reads and validates the file; {@code key} is the configuration key that named it, for messages. */
    public static WebConfig load(String key, Path file) {
        String where = key + " (" + file + ")";
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new ConfigException(where + ": not a regular file");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull() || (root.isObject() && root.isEmpty())) {
            // Fail closed: an empty file (a failed template, a truncated copy) must not serve without protection.
            throw new ConfigException(where + ": the file is empty; set tls_server_config and/or basic_auth_users,"
                    + " or remove the web config setting to serve plain HTTP without authentication");
        }
        if (!root.isObject()) {
            throw new ConfigException(where + ": expected a mapping with tls_server_config and/or basic_auth_users");
        }
        rejectUnknown(where, "", root, TOP_KEYS);
        Path dir = file.toAbsolutePath().getParent();
        Tls tls = null;
        JsonNode t = root.get("tls_server_config");
        if (t != null && !t.isNull()) {
            tls = tls(where, t, dir);
        }
        Map<String, String> headers = headers(where, root.get("http_server_config"));
        Map<String, String> users = users(where, root.get("basic_auth_users"));
        WebConfig config = new WebConfig(tls, Map.copyOf(users), headers);
        if (tls != null) {
            TlsContexts.create(where, tls); // fail at start-up, not at the first scrape
        }
        return config;
    }

    private static Tls tls(String where, JsonNode t, Path dir) {
        rejectUnknown(where, "tls_server_config.", t, TLS_KEYS);
        Path cert = requiredFile(where, "tls_server_config.cert_file", t, dir);
        Path keyFile = requiredFile(where, "tls_server_config.key_file", t, dir);
        String clientAuthName = text(where, t, "client_auth_type", "NoClientCert");
        ClientAuth clientAuth;
        try {
            clientAuth = ClientAuth.valueOf(clientAuthName);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": tls_server_config.client_auth_type: '" + clientAuthName
                    + "', expected one of " + Arrays.toString(ClientAuth.values()));
        }
        JsonNode caNode = t.get("client_ca_file");
        Path ca = null;
        if (clientAuth.verify) {
            ca = requiredFile(where, "tls_server_config.client_ca_file", t, dir);
        } else if (caNode != null && !caNode.isNull() && !caNode.asText().isBlank()) {
            // As the toolkit: CAs that no client_auth_type uses are a mistake, not something to ignore.
            throw new ConfigException(
                    where + ": tls_server_config.client_ca_file is set but client_auth_type " + clientAuth
                            + " does not verify client certificates; use VerifyClientCertIfGiven or RequireAndVerifyClientCert");
        }
        String min = version(where, "min_version", text(where, t, "min_version", "TLS12"));
        String max = version(where, "max_version", text(where, t, "max_version", "TLS13"));
        List<String> order = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        if (order.indexOf(min) > order.indexOf(max)) {
            throw new ConfigException(where + ": tls_server_config.min_version is above max_version");
        }
        try {
            List<String> supported =
                    List.of(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
            List<String> wanted = order.subList(order.indexOf(min), order.indexOf(max) + 1);
            if (wanted.stream().noneMatch(supported::contains)) {
                throw new ConfigException(
                        where + ": tls_server_config: no TLS version from min_version to max_version is enabled"
                                + " in this Java runtime (it allows " + String.join(", ", supported) + ")");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<String> suites = new ArrayList<>();
        JsonNode cs = t.get("cipher_suites");
        if (cs != null && !cs.isNull()) {
            if (!cs.isArray()) {
                throw new ConfigException(
                        where + ": tls_server_config.cipher_suites: expected a list of cipher suite names");
            }
            for (JsonNode n : cs) {
                suites.add(CipherSuites.javaName(where, n.asText()));
            }
        }
        JsonNode prefer = t.get("prefer_server_cipher_suites");
        if (prefer != null && !prefer.isNull() && !prefer.isBoolean()) {
            throw new ConfigException(
                    where + ": tls_server_config.prefer_server_cipher_suites: expected true or false");
        }
        return new Tls(
                cert, keyFile, clientAuth, ca, min, max, List.copyOf(suites), prefer == null || prefer.asBoolean(true));
    }

    private static String version(String where, String field, String value) {
        String v = VERSIONS.get(value);
        if (v == null) {
            throw new ConfigException(where + ": tls_server_config." + field + ": '" + value
                    + "', expected TLS10, TLS11, TLS12 or TLS13");
        }
        return v;
    }

    private static Map<String, String> headers(String where, JsonNode http) {
        if (http == null || http.isNull()) {
            return Map.of();
        }
        rejectUnknown(where, "http_server_config.", http, HTTP_KEYS);
        JsonNode h = http.get("headers");
        if (h == null || h.isNull()) {
            return Map.of();
        }
        if (!h.isObject()) {
            throw new ConfigException(
                    where + ": http_server_config.headers: expected a mapping of header name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : h.properties()) {
            String name = e.getKey();
            if (!ALLOWED_HEADERS.containsKey(name)) {
                throw new ConfigException(
                        where + ": http_server_config.headers." + name + ": this header can not be configured"
                                + " (allowed: " + String.join(", ", ALLOWED_HEADERS.keySet()) + ")");
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new ConfigException(where + ": http_server_config.headers." + name + ": expected a text value");
            }
            String value = e.getValue().asText();
            List<String> allowed = ALLOWED_HEADERS.get(name);
            if (allowed != null && !allowed.contains(value)) {
                throw new ConfigException(where + ": http_server_config.headers." + name + ": '" + value
                        + "', expected one of " + allowed);
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new ConfigException(
                        where + ": http_server_config.headers." + name + ": a value must be one line");
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, String> users(String where, JsonNode u) {
        Map<String, String> users = new LinkedHashMap<>();
        if (u == null || u.isNull()) {
            return users;
        }
        if (!u.isObject()) {
            throw new ConfigException(where + ": basic_auth_users: expected a mapping of user name to bcrypt hash");
        }
        Iterator<Map.Entry<String, JsonNode>> it = u.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String hash = e.getValue().asText("");
            if (!isBcrypt(hash)) {
                // The value is never echoed: it may be a password someone pasted by mistake.
                throw new ConfigException(
                        where + ": basic_auth_users." + e.getKey()
                                + ": not a bcrypt hash (expected $2a$/$2b$/$2y$...; create one with htpasswd -nBC 10 \"\" | tr -d ':')");
            }
            users.put(e.getKey(), hash);
        }
        return users;
    }

    static boolean isBcrypt(String hash) {
        if (!hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            return false;
        }
        try {
            OpenBSDBCrypt.checkPassword(hash, new char[] {'x'});
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void rejectUnknown(String where, String prefix, JsonNode node, Set<String> known) {
        if (!node.isObject()) {
            throw new ConfigException(
                    where + ": " + (prefix.isEmpty() ? "document" : prefix.substring(0, prefix.length() - 1))
                            + ": expected a mapping");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new ConfigException(where + ": " + prefix + k + ": unknown key");
            }
        });
    }

    private static String text(String where, JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isValueNode()) {
            throw new ConfigException(where + ": tls_server_config." + field + ": expected a text value");
        }
        return v.asText();
    }

    private static Path requiredFile(String where, String name, JsonNode node, Path dir) {
        String field = name.substring(name.indexOf('.') + 1);
        String value = text(where, node, field, "");
        if (value.isBlank()) {
            throw new ConfigException(where + ": " + name + ": missing");
        }
        Path p = dir == null ? Path.of(value) : dir.resolve(value);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new ConfigException(where + ": " + name + ": cannot read " + p
                    + (Files.exists(p) && !Files.isRegularFile(p) ? " (not a regular file)" : ""));
        }
        return p;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
