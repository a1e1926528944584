package io.github.intuneexporter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.intuneexporter.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * TLS and basic authentication for the exporter's endpoints, in the format of the Prometheus exporter-toolkit's
 * web configuration file, so SREs can reuse what they know from node_exporter:
 *
 * <pre>
 * tls_server_config:
 *   cert_file: server.crt          # PEM certificate (chain)
 *   key_file: server.key           # PEM private key (PKCS#1, PKCS#8 or EC)
 *   client_auth_type: RequireAndVerifyClientCert   # optional, default NoClientCert
 *   client_ca_file: ca.crt         # required with RequireAndVerifyClientCert
 *   min_version: TLS12             # TLS12 (default) or TLS13
 * basic_auth_users:
 *   prometheus: $2y$10$...         # bcrypt hash
 * </pre>
 *
 * Relative paths are resolved against the file's directory. The file is read at start-up.
 */
public record WebConfig(Tls tls, Map<String, String> basicAuthUsers) {

    /** TLS settings; null in {@link WebConfig#tls()} means plain HTTP. */
    public record Tls(Path certFile, Path keyFile, boolean requireClientCert, Path clientCaFile, String minVersion) {}

    public static final WebConfig NONE = new WebConfig(null, Map.of());

    private static final Set<String> TOP_KEYS = Set.of("tls_server_config", "basic_auth_users", "http_server_config");
    private static final Set<String> TLS_KEYS = Set.of("cert_file", "key_file", "client_auth_type", "client_ca_file", "min_version");

    public boolean enabled() {
        return tls != null || !basicAuthUsers.isEmpty();
    }

    /** Reads and validates the file; {@code key} is the configuration key that named it, for messages. */
    public static WebConfig load(String key, Path file) {
        String where = key + " (" + file + ")";
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NONE;
        }
        if (!root.isObject()) {
            throw new ConfigException(where + ": expected a mapping with tls_server_config and/or basic_auth_users");
        }
        rejectUnknown(where, "", root, TOP_KEYS);
        Path dir = file.toAbsolutePath().getParent();
        Tls tls = null;
        JsonNode t = root.get("tls_server_config");
        if (t != null && !t.isNull()) {
            rejectUnknown(where, "tls_server_config.", t, TLS_KEYS);
            Path cert = requiredFile(where, "tls_server_config.cert_file", t, dir);
            Path keyFile = requiredFile(where, "tls_server_config.key_file", t, dir);
            String clientAuth = text(t, "client_auth_type", "NoClientCert");
            boolean require = switch (clientAuth) {
                case "NoClientCert" -> false;
                case "RequireAndVerifyClientCert" -> true;
                default -> throw new ConfigException(where + ": tls_server_config.client_auth_type: '" + clientAuth
                        + "' is not supported; use NoClientCert or RequireAndVerifyClientCert");
            };
            Path ca = require ? requiredFile(where, "tls_server_config.client_ca_file", t, dir) : null;
            String min = text(t, "min_version", "TLS12");
            String protocol = switch (min) {
                case "TLS12" -> "TLSv1.2";
                case "TLS13" -> "TLSv1.3";
                default -> throw new ConfigException(where + ": tls_server_config.min_version: '" + min + "', expected TLS12 or TLS13");
            };
            tls = new Tls(cert, keyFile, require, ca, protocol);
        }
        Map<String, String> users = new LinkedHashMap<>();
        JsonNode u = root.get("basic_auth_users");
        if (u != null && !u.isNull()) {
            if (!u.isObject()) {
                throw new ConfigException(where + ": basic_auth_users: expected a mapping of user name to bcrypt hash");
            }
            Iterator<Map.Entry<String, JsonNode>> it = u.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String hash = e.getValue().asText("");
                if (!isBcrypt(hash)) {
                    // The value is never echoed: it may be a password someone pasted by mistake.
                    throw new ConfigException(where + ": basic_auth_users." + e.getKey()
                            + ": not a bcrypt hash (expected $2a$/$2b$/$2y$...; create one with htpasswd -nBC 10 \"\" | tr -d ':')");
                }
                users.put(e.getKey(), hash);
            }
        }
        WebConfig config = new WebConfig(tls, Map.copyOf(users));
        if (tls != null) {
            TlsContexts.create(where, tls); // fail at start-up, not at the first scrape
        }
        return config;
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
            throw new ConfigException(where + ": " + (prefix.isEmpty() ? "document" : prefix.substring(0, prefix.length() - 1))
                    + ": expected a mapping");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new ConfigException(where + ": " + prefix + k + ": unknown key");
            }
        });
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static Path requiredFile(String where, String name, JsonNode node, Path dir) {
        String field = name.substring(name.indexOf('.') + 1);
        String value = text(node, field, "");
        if (value.isBlank()) {
            throw new ConfigException(where + ": " + name + ": missing");
        }
        Path p = dir == null ? Path.of(value) : dir.resolve(value);
        if (!Files.isReadable(p)) {
            throw new ConfigException(where + ": " + name + ": cannot read " + p);
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
