package io.github.intuneexporter.config;

/** A configuration problem that ends start-up with exit code 2 and one clear message naming the key. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
