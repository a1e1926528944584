package io.github.intuneexporter.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed reads of configuration values that turn Typesafe Config's exceptions into one-line messages
 * naming the full key. {@code prefix} is the path of {@code config} inside the whole file.
 */
public final class ConfigValues {
    private final Config config;
    private final String prefix;

    public ConfigValues(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix.isEmpty() || prefix.endsWith(".") ? prefix : prefix + ".";
    }

    public String key(String path) {
        return prefix + path;
    }

    public String string(String path) {
        try {
            return config.getString(path).trim();
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a string", e);
        }
    }

    public boolean bool(String path) {
        try {
            return config.getBoolean(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected true or false", e);
        }
    }

    public int integer(String path, int min, int max) {
        int value;
        try {
            value = config.getInt(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a whole number", e);
        }
        if (value < min || value > max) {
            throw new ConfigException(key(path) + ": " + value + " is out of range, expected " + min + ".." + max);
        }
        return value;
    }

    public long longValue(String path) {
        try {
            return config.getLong(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a whole number", e);
        }
    }

    /** A size such as 64MiB or 1000000, between {@code min} and {@code max} bytes. */
    public long bytes(String path, long min, long max) {
        long value;
        try {
            value = config.getBytes(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a size such as 64MiB", e);
        }
        if (value < min || value > max) {
            throw new ConfigException(key(path) + ": " + value + " bytes is outside " + min + ".." + max);
        }
        return value;
    }

    public double fraction(String path) {
        double value;
        try {
            value = config.getDouble(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a number", e);
        }
        if (value < 0 || value > 1 || Double.isNaN(value)) {
            throw new ConfigException(key(path) + ": " + value + " is out of range, expected 0..1");
        }
        return value;
    }

    /** A duration of at least {@code min}. */
    public Duration duration(String path, Duration min) {
        Duration value;
        try {
            value = config.getDuration(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a duration such as 30s, 5m or 1h", e);
        }
        if (value.compareTo(min) < 0) {
            throw new ConfigException(key(path) + ": " + describe(value) + " is too small, expected at least " + describe(min));
        }
        return value;
    }

    /** A collector interval: 0 disables, otherwise at least {@code min}. */
    public Duration interval(String path, Duration min) {
        Duration value = duration(path, Duration.ZERO);
        if (!value.isZero() && value.compareTo(min) < 0) {
            throw new ConfigException(key(path) + ": " + describe(value) + " is too short, expected 0 (disabled) or at least "
                    + describe(min));
        }
        return value;
    }

    public List<Integer> integers(String path, int min, int max) {
        List<Integer> values;
        try {
            values = config.getIntList(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a list of whole numbers", e);
        }
        for (int v : values) {
            if (v < min || v > max) {
                throw new ConfigException(key(path) + ": " + v + " is out of range, expected " + min + ".." + max);
            }
        }
        return values;
    }

    public List<String> strings(String path) {
        try {
            return config.getStringList(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, "expected a list of strings", e);
        }
    }

    /** A regular expression; empty string means "no pattern" and gives null. */
    public Pattern regex(String path) {
        String value = string(path);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(key(path) + ": invalid regular expression: " + e.getDescription());
        }
    }

    private ConfigException wrap(String path, String expected, com.typesafe.config.ConfigException e) {
        if (e instanceof com.typesafe.config.ConfigException.Missing) {
            return new ConfigException(key(path) + ": missing");
        }
        String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
        String value = "";
        boolean secret = path.contains("secret") || path.contains("password");
        try {
            if (!secret) {
                value = ", got " + config.getValue(path).render();
            }
        } catch (RuntimeException ignored) {
            // the value itself cannot be shown; the message stays without it
        }
        return new ConfigException(key(path) + ": " + expected + value + origin);
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        return (ms / 1000) + "s";
    }
}
