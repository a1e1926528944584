package io.github.intuneexporter.config;

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
        return ConfigValues.oneOf(path, "auth method", value, values(), AuthMethod::key);
    }
}
