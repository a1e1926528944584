package io.github.intuneexporter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

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

    /** The member of {@code members} whose {@code key} is {@code value} (any case), or an error naming {@code path}. */
    static <E> E oneOf(String path, String what, String value, E[] members, Function<E, String> key) {
        for (E m : members) {
            if (key.apply(m).equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new ConfigException(path + ": unknown " + what + " '" + value + "', expected one of "
                + Arrays.stream(members).map(key).collect(Collectors.joining(", ")));
    }

    /** One read of Typesafe Config, whose exception becomes a message naming the key, the value and {@code expected}. */
    private <T> T read(String path, String expected, Function<String, T> getter) {
        try {
            return getter.apply(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, expected, e);
        }
    }

    public String string(String path) {
        return read(path, "expected a string", config::getString).trim();
    }

    public boolean bool(String path) {
        return read(path, "expected true or false", config::getBoolean);
    }

    public int integer(String path, int min, int max) {
        // Read as a long: getInt refuses a number beyond int as "not a whole number" before the range could be named.
        long value = longValue(path);
        if (value < min || value > max) {
            throw new ConfigException(key(path) + ": " + value + " is out of range, expected " + min + ".." + max);
        }
        return (int) value;
    }

    public long longValue(String path) {
        return read(path, "expected a whole number", config::getLong);
    }

    /** A size such as 64MiB or 1000000, between {@code min} and {@code max} bytes. */
    public long bytes(String path, long min, long max) {
        long value = read(path, "expected a size such as 64MiB", config::getBytes);
        if (value < min || value > max) {
            throw new ConfigException(
                    key(path) + ": " + value + " bytes is out of range, expected " + min + ".." + max + " bytes");
        }
        return value;
    }

    public double fraction(String path) {
        double value = read(path, "expected a number", config::getDouble);
        if (value < 0 || value > 1 || Double.isNaN(value)) {
            throw new ConfigException(key(path) + ": " + value + " is out of range, expected 0..1");
        }
        return value;
    }

    /** A duration of at least {@code min}. */
    public Duration duration(String path, Duration min) {
        Duration value = read(path, "expected a duration such as 30s, 5m or 1h", config::getDuration);
        if (value.compareTo(min) < 0) {
            throw new ConfigException(
                    key(path) + ": " + describe(value) + " is too small, expected at least " + describe(min));
        }
        return value;
    }

    /** A duration within {@code min..max}; {@code range} spells the bounds as the user writes them ("1m..30d"). */
    public Duration duration(String path, Duration min, Duration max, String range) {
        Duration value = read(path, "expected a duration such as 30s, 5m or 1h", config::getDuration);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key(path) + ": " + config.getValue(path).unwrapped()
                    + " is out of range, expected a duration of " + range);
        }
        return value;
    }

    /** A collector interval: 0 disables, otherwise at least {@code min}. */
    public Duration interval(String path, Duration min) {
        Duration value = duration(path, Duration.ZERO);
        if (!value.isZero() && value.compareTo(min) < 0) {
            throw new ConfigException(key(path) + ": " + describe(value)
                    + " is too short, expected 0 (disabled) or at least " + describe(min));
        }
        return value;
    }

    public List<Integer> integers(String path, int min, int max) {
        List<Integer> values = read(path, "expected a list of whole numbers", config::getIntList);
        for (int v : values) {
            if (v < min || v > max) {
                throw new ConfigException(key(path) + ": " + v + " is out of range, expected " + min + ".." + max);
            }
        }
        return values;
    }

    public List<String> strings(String path) {
        return read(path, "expected a list of strings", config::getStringList);
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
            throw new ConfigException(key(path) + ": \"" + value + "\" is not a valid regular expression ("
                    + e.getDescription() + "), expected a Java regular expression such as \"^Windows\"");
        }
    }

    private ConfigException wrap(String path, String expected, com.typesafe.config.ConfigException e) {
        if (e instanceof com.typesafe.config.ConfigException.Missing) {
            return new ConfigException(key(path) + ": missing");
        }
        String origin = origin(e.origin(), key(path));
        String value = "";
        boolean secret = path.contains("secret") || path.contains("password");
        try {
            if (!secret) {
                value = ", got " + config.getValue(path).render(ConfigRenderOptions.concise());
            }
        } catch (RuntimeException ignored) {
            // the value itself cannot be shown; the message stays without it
        }
        return new ConfigException(key(path) + ": " + expected + value + origin);
    }

    /** reference.conf as written, with its ${?NAME} substitutions: which environment variable sets a key. */
    private static final Config REFERENCE_SOURCE =
            ConfigFactory.parseResources(ConfigValues.class.getClassLoader(), "reference.conf");

    private static final Pattern ENV_SUBSTITUTION = Pattern.compile("\\$\\{\\?([A-Za-z0-9_]+)}");

    /**
     * Where a value came from, as " (...)" for a message, or "": a file and line, "from --set" or the flag that set it,
     * the environment variable that reference.conf reads for the key. Typesafe Config's own descriptions ("hardcoded
     * value", "env variables", "String: 1") mean nothing to a user.
     */
    public static String origin(ConfigOrigin origin, String fullKey) {
        if (origin == null || origin.description() == null) {
            return "";
        }
        String d = origin.description();
        if (d.startsWith("--")) {
            return " (from " + d.replaceFirst(": \\d+$", "").replaceFirst(" @ .*$", "") + ")";
        }
        if (d.equals("hardcoded value") || d.startsWith("String: ")) {
            return " (from the command line)";
        }
        if (d.equals("env variables") || d.startsWith("env var")) {
            String env = environmentVariable(fullKey);
            return env == null ? " (from the environment)" : " (from environment variable " + env + ")";
        }
        return " (" + d + ")";
    }

    /** The environment variable that reference.conf reads for {@code fullKey} (intune.x.y), or null. */
    public static String environmentVariable(String fullKey) {
        ConfigValue v = REFERENCE_SOURCE.root();
        for (String part : fullKey.split("\\.")) {
            if (!(v instanceof ConfigObject o) || !o.containsKey(part)) {
                return null;
            }
            v = o.get(part);
        }
        String names = "";
        Matcher m = ENV_SUBSTITUTION.matcher(v.render(ConfigRenderOptions.concise()));
        while (m.find()) {
            names = names.isEmpty() ? m.group(1) : names + " or " + m.group(1);
        }
        return names.isEmpty() ? null : names;
    }

    /**
     * What keeps a file from being read, in words ("does not exist", "is a directory", ...), or null when it can be
     * read. For messages that name the file and the setting, never an exception class.
     */
    public static String fileProblem(Path file) {
        if (!Files.exists(file)) {
            return "does not exist";
        }
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        if (!Files.isRegularFile(file)) {
            return "is not a regular file";
        }
        if (!Files.isReadable(file)) {
            return "is not readable (permissions)";
        }
        return null;
    }

    /** A duration as the user writes it: 1d, 2h, 5m, 30s or 250ms (the largest unit that divides it). */
    public static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms == 0 ? "0s" : ms + "ms";
        }
        long s = ms / 1000;
        for (long[] unit : new long[][] {{86_400, 'd'}, {3_600, 'h'}, {60, 'm'}}) {
            if (s % unit[0] == 0) {
                return (s / unit[0]) + String.valueOf((char) unit[1]);
            }
        }
        return s + "s";
    }
}
