package io.github.intuneexporter.config;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Maps the Go cipher suite names of exporter-toolkit's {@code cipher_suites} (crypto/tls constant names) to Java's.
 * Most names are the same in both; Go's short aliases for ChaCha20 are not. As in Go, the list applies to TLS 1.2
 * and lower: the TLS 1.3 suites are not configurable and stay enabled.
 */
final class CipherSuites {
    private CipherSuites() {}

    /** Every name Go's crypto/tls accepts, to its Java name. */
    private static final Map<String, String> GO_TO_JAVA = goNames();

    /** TLS 1.3 suites, always enabled when TLS 1.3 is. */
    static final List<String> TLS13 =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private static Map<String, String> goNames() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String same : List.of(
                "TLS_RSA_WITH_RC4_128_SHA",
                "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256")) {
            m.put(same, same);
        }
        m.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        m.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        return Map.copyOf(m);
    }

    /** The Java name of a Go suite name; an unknown name, or one this Java runtime does not enable, is an error. */
    static String javaName(String where, String goName) {
        String java = GO_TO_JAVA.get(goName);
        if (java == null) {
            throw new ConfigException(where + ": tls_server_config.cipher_suites: unknown cipher suite '" + goName
                    + "' (use Go crypto/tls names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
        }
        if (!enabledByJava().contains(java)) {
            throw new ConfigException(
                    where + ": tls_server_config.cipher_suites: " + goName
                            + " is disabled in this Java runtime (insecure); choose an AEAD suite such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        }
        return java;
    }

    private static Set<String> enabledByJava() {
        try {
            return Arrays.stream(
                            SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites())
                    .collect(Collectors.toSet());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
