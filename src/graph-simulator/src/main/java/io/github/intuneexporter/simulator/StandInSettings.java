package io.github.intuneexporter.simulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The simulator's own configuration sections ({@code intune.simulator}, {@code intune.demo.scenario}), bound here
 * rather than in the exporter's configuration code so that production never names a simulator type. Every error is an
 * {@link IllegalArgumentException} whose message starts with the key path; the exporter reports it as a config error.
 */
public record StandInSettings(
        SimulatorLimits limits,
        List<FaultRule> faults,
        List<String> revokedPermissions,
        Scenario scenario,
        Duration normal,
        Duration incident) {

    private static final List<String> FAULT_KEYS = List.of("kind", "endpoint", "fraction", "retry-after", "delay");

    static StandInSettings bind(Config config) {
        Scenario scenario = null;
        String name = string(config, "intune.demo.scenario.name");
        if (!name.isEmpty()) {
            scenario = Scenarios.byName(name)
                    .orElseThrow(() -> new IllegalArgumentException("intune.demo.scenario.name: unknown scenario '"
                            + name + "', expected one of " + String.join(", ", Scenarios.names())));
        }
        return new StandInSettings(
                limits(config),
                faults(config),
                revokedPermissions(config),
                scenario,
                duration(config, "intune.demo.scenario.normal"),
                duration(config, "intune.demo.scenario.incident"));
    }

    /** Permissions to take from the simulated app; a misspelt one would revoke nothing and the demo would look fine. */
    static List<String> revokedPermissions(Config config) {
        String key = "intune.simulator.revoked-permissions";
        List<String> names = stringList(config, key);
        for (String name : names) {
            if (!GraphReference.GRANTED_BY_DEFAULT.contains(name)) {
                throw new IllegalArgumentException(key + ": '" + name
                        + "' is not a permission the simulated app holds, expected any of "
                        + String.join(", ", new TreeSet<>(GraphReference.GRANTED_BY_DEFAULT)));
            }
        }
        return names;
    }

    /** The limits configured under {@code intune.simulator}, or null when enforce-limits is off. */
    static SimulatorLimits limits(Config config) {
        if (!bool(config, "intune.simulator.enforce-limits")) {
            return null;
        }
        double scale = number(config, "intune.simulator.limits-scale");
        if (!(scale > 0 && scale <= 1000)) {
            throw new IllegalArgumentException(
                    "intune.simulator.limits-scale: " + scale + " is out of range, expected more than 0, up to 1000");
        }
        Duration window = duration(config, "intune.simulator.limits-window");
        return new SimulatorLimits(scale, window.isZero() ? null : window);
    }

    /** The fault rules of {@code intune.simulator.faults}. */
    public static List<FaultRule> faults(Config config) {
        List<? extends Config> list;
        try {
            list = config.hasPath("intune.simulator.faults")
                    ? config.getConfigList("intune.simulator.faults")
                    : List.of();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(
                    "intune.simulator.faults: expected a list of {kind, endpoint, fraction, ...} objects");
        }
        List<FaultRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            rules.add(fault(list.get(i), "intune.simulator.faults[" + i + "]"));
        }
        return List.copyOf(rules);
    }

    private static FaultRule fault(Config given, String prefix) {
        Config rule = given.withFallback(
                ConfigFactory.parseString("endpoint = \"\", fraction = 1.0, retry-after = 1s, delay = 2s"));
        for (Map.Entry<String, ConfigValue> e : rule.entrySet()) {
            if (!FAULT_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(prefix + "." + e.getKey() + ": unknown key");
            }
        }
        Config scoped = ConfigFactory.empty().withValue("f", rule.root());
        String kind = string(scoped, "f.kind", prefix + ".kind");
        FaultRule.Kind parsed;
        try {
            parsed = FaultRule.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ".kind: unknown fault kind '" + kind
                    + "', expected throttle, unavailable, slow, malformed or reset");
        }
        double fraction = number(scoped, "f.fraction", prefix + ".fraction");
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(prefix + ".fraction: " + fraction + " is out of range, expected 0 to 1");
        }
        return new FaultRule(
                parsed,
                string(scoped, "f.endpoint", prefix + ".endpoint"),
                fraction,
                duration(scoped, "f.retry-after", prefix + ".retry-after"),
                duration(scoped, "f.delay", prefix + ".delay"));
    }

    private static String string(Config config, String path) {
        return string(config, path, path);
    }

    private static String string(Config config, String path, String key) {
        return read(key, "a string", () -> config.hasPath(path) ? config.getString(path) : "");
    }

    private static boolean bool(Config config, String path) {
        return read(path, "true or false", () -> config.hasPath(path) && config.getBoolean(path));
    }

    private static double number(Config config, String path) {
        return number(config, path, path);
    }

    private static double number(Config config, String path, String key) {
        return read(key, "a number", () -> config.getDouble(path));
    }

    private static Duration duration(Config config, String path) {
        return duration(config, path, path);
    }

    private static Duration duration(Config config, String path, String key) {
        Duration d = read(
                key,
                "a duration such as 30s or 5m",
                () -> config.hasPath(path) ? config.getDuration(path) : Duration.ZERO);
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + ": "
                    + config.getValue(path).unwrapped() + " is negative, expected a duration such as 30s or 5m");
        }
        return d;
    }

    private static List<String> stringList(Config config, String path) {
        return read(
                path,
                "a list of strings",
                () -> config.hasPath(path) ? List.copyOf(config.getStringList(path)) : List.of());
    }

    /** {@code get}'s value, or an error naming {@code key} and the {@code expected} form when the value has another type. */
    private static <T> T read(String key, String expected, Supplier<T> get) {
        try {
            return get.get();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + ": expected " + expected);
        }
    }
}
