package io.github.intuneexporter.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code --set KEY=VALUE}. The value is taken literally as a string (a URL with {@code //} or a secret with {@code #}
 * stays whole), unless the key's type in reference.conf says otherwise: a number, a boolean, a list or a block is
 * parsed as such. {@code KEY=} gives an empty string, and a value in double quotes is read as a JSON string. Error
 * messages name the key and never repeat the value of a key whose name marks it secret.
 */
public final class SetFlag {
    /**
     * Keys whose value must never be printed: client-secret, client-certificate-password, a token. Only the last path
     * segment counts, and "tokens" (connectors.vpp-tokens, a switch) is not a token.
     */
    private static final Pattern SECRET = Pattern.compile("(?i)(.*\\.)?[^.]*(secret|password|token(?!s))[^.]*");

    /** The origin of every value --set gives: messages about it say "(from --set)". */
    static final String ORIGIN = "--set";

    private SetFlag() {}

    /** The override as a one-key Config; {@code reference} gives the types. */
    public static Config parse(String flag, Config reference) {
        int eq = flag.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(
                    "--set expects KEY=VALUE" + (eq < 0 && !looksSecret(flag) ? ", got '" + flag + "'" : ""));
        }
        String key = flag.substring(0, eq).trim();
        String value = flag.substring(eq + 1);
        boolean secret = looksSecret(key);
        ConfigValue typed;
        try {
            typed = value(key, value, reference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--set " + key + ": " + e.getMessage()
                    + (secret ? " (value not shown: secret)" : ", got '" + value + "'"));
        }
        try {
            return ConfigFactory.empty().withValue(key, typed);
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("--set " + key + ": not a valid key path");
        }
    }

    static boolean looksSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    private static ConfigValue value(String key, String value, Config reference) {
        ConfigValueType type = typeOf(key, reference);
        String v = value.strip();
        switch (type) {
            case NUMBER -> {
                try {
                    if (v.matches("[-+]?[0-9][0-9_]*")) {
                        return ConfigValueFactory.fromAnyRef(Long.parseLong(v.replace("_", "")), ORIGIN);
                    }
                    return ConfigValueFactory.fromAnyRef(Double.parseDouble(v), ORIGIN);
                } catch (NumberFormatException e) {
                    if (v.matches("[0-9.]+\\s*[a-zA-Z]+")) {
                        return ConfigValueFactory.fromAnyRef(
                                v, ORIGIN); // a duration (1h) where the default is a bare 0
                    }
                    throw new IllegalArgumentException("expected a number");
                }
            }
            case BOOLEAN -> {
                return switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> ConfigValueFactory.fromAnyRef(true, ORIGIN);
                    case "false", "no", "off" -> ConfigValueFactory.fromAnyRef(false, ORIGIN);
                    default -> throw new IllegalArgumentException("expected true or false");
                };
            }
            case LIST, OBJECT -> {
                // Lists and blocks are written in HOCON ([1, 7], {kind = throttle}); the parser's message may quote the
                // value, so it is left out.
                String wrapped = "v = " + value;
                try {
                    ConfigValue parsed = ConfigFactory.parseString(
                                    wrapped, ConfigParseOptions.defaults().setOriginDescription(ORIGIN))
                            .getValue("v");
                    if (parsed.valueType() != type) {
                        throw new IllegalArgumentException("expected "
                                + (type == ConfigValueType.LIST ? "a list like [a, b]" : "a block like {k = v}"));
                    }
                    return parsed;
                } catch (com.typesafe.config.ConfigException e) {
                    throw new IllegalArgumentException(
                            "expected " + (type == ConfigValueType.LIST ? "a list like [a, b]" : "a block like {k = v}")
                                    + " in HOCON syntax");
                }
            }
            default -> {
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    try {
                        return ConfigValueFactory.fromAnyRef(
                                new com.fasterxml.jackson.databind.ObjectMapper().readValue(value, String.class),
                                ORIGIN);
                    } catch (IOException e) {
                        throw new IllegalArgumentException("a value in double quotes must be a valid JSON string");
                    }
                }
                return ConfigValueFactory.fromAnyRef(value, ORIGIN);
            }
        }
    }

    /** The key's type in reference.conf; strings (durations too) when the key is unknown there (rejected later, by name). */
    private static ConfigValueType typeOf(String key, Config reference) {
        try {
            if (reference.hasPath(key)) {
                return reference.getValue(key).valueType();
            }
        } catch (com.typesafe.config.ConfigException e) {
            // a malformed path is reported by the caller
        }
        return ConfigValueType.STRING;
    }
}
