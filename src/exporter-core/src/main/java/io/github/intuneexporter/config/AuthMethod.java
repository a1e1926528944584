package io.github.intuneexporter.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the exporter obtains its Entra ID token. */
public enum AuthMethod {
    AUTO("auto"),
    CLIENT_SECRET("client-secret"),
    CLIENT_CERTIFICATE("client-certificate"),
    MANAGED_IDENTITY("managed-identity"),
    WORKLOAD_IDENTITY("workload-identity");

    private final String key;

    AuthMethod(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    static AuthMethod parse(String path, String value) {
        for (AuthMethod m : values()) {
            if (m.key.equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new ConfigException(path + ": unknown auth method '" + value + "', expected one of "
                + Arrays.stream(values()).map(AuthMethod::key).collect(Collectors.joining(", ")));
    }
}
