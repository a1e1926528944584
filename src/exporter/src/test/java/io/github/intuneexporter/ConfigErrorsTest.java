package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.github.intuneexporter.cli.Cli;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ConfigValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key of reference.conf, given a value of the wrong type or out of range through the command line or a file:
 * start-up stops with one line that names the key, the value's origin in words and no Java class name. A key whose
 * default is a number, boolean, duration or list must refuse a value of another type.
 */
class ConfigErrorsTest {
    /** What Typesafe Config or the JVM would put in a message, and a user must not see. */
    private static final Pattern LEAK =
            Pattern.compile("java\\.|Exception|hardcoded value|env variables|String: \\d|ConfigReference|\\tat ");

    private static Config reference() {
        return ConfigFactory.parseResources("reference.conf")
                .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    }

    /** Values that the key's type in reference.conf makes wrong (the first must be refused), then odd ones. */
    private static List<String> badValues(ConfigValue dflt) {
        Object v = dflt.unwrapped();
        if (dflt.valueType() == ConfigValueType.BOOLEAN) {
            return List.of("maybe");
        }
        if (dflt.valueType() == ConfigValueType.NUMBER) {
            return List.of("many", "-1", "99999999999");
        }
        if (dflt.valueType() == ConfigValueType.LIST) {
            return List.of("[1,", "[{a = [1]}]");
        }
        if (v instanceof String s && s.matches("[0-9.]+\\s*[a-zA-Z]+")) {
            return List.of("soon", "-5s", "0");
        }
        return List.of("", "???", "/");
    }

    /** One --set through the CLI and the loader that Main uses: the one-line message, or null when it loads. */
    private static String error(String key, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Cli.Invocation options = Cli.parse(
                    new String[] {"--demo", "--set", key + "=" + value},
                    Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            new Main.SettingsSource(options).load();
            return null;
        } catch (Cli.UsageException | ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void everyKeyRefusesABadValueInOneClearLine() {
        Config reference = reference();
        List<String> problems = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
            String key = entry.getKey();
            List<String> values = badValues(entry.getValue());
            boolean typed = entry.getValue().valueType() != ConfigValueType.STRING
                    || !values.get(0).isEmpty();
            for (int i = 0; i < values.size(); i++) {
                String message = error(key, values.get(i));
                if (message == null) {
                    if (i == 0 && typed) {
                        problems.add(key + "=" + values.get(0) + ": accepted");
                    }
                    continue;
                }
                refused++;
                String shown = key.replaceFirst("^intune\\.tenants$", "intune.tenants");
                if (!message.contains(shown)
                        || message.lines().count() != 1
                        || LEAK.matcher(message).find()) {
                    problems.add(key + "=" + values.get(i) + ": " + message);
                }
            }
        }
        assertTrue(refused > 150, "bad values refused: " + refused);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aValueFromTheCommandLineOrAFileSaysWhereItCameFrom(@TempDir Path dir) throws Exception {
        assertEquals(
                "intune.collectors.devices.interval: expected a duration such as 30s, 5m or 1h, got \"abc\" (from --set)",
                error("intune.collectors.devices.interval", "abc"));
        assertEquals(
                "intune.collectors.devices.stale-days: expected a list of whole numbers, got [\"x\"] (from --set)",
                error("intune.collectors.devices.stale-days", "[\"x\"]"));
        Path file = Files.writeString(dir.resolve("x.conf"), "intune {\n  graph.page-size = lots\n}\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> io.github.intuneexporter.config.SettingsLoader.load(java.util.Optional.of(file)));
        assertEquals("intune.graph.page-size: expected a whole number, got \"lots\" (" + file + ": 2)", e.getMessage());
    }

    /** A value from the environment names the variable reference.conf reads for the key, whichever key it is. */
    @Test
    void aValueFromTheEnvironmentNamesTheVariable() throws Exception {
        var fromEnvironment = ConfigFactory.systemEnvironment()
                .getValue(System.getenv().keySet().iterator().next())
                .origin();
        assertEquals(
                " (from environment variable INTUNE_COLLECTION_POOL_SIZE)",
                ConfigValues.origin(fromEnvironment, "intune.collection.pool-size"));
        String text = new String(
                ConfigErrorsTest.class
                        .getClassLoader()
                        .getResourceAsStream("reference.conf")
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\$\\{\\?([A-Z0-9_]+)}").matcher(text);
        List<String> unnamed = new ArrayList<>();
        int found = 0;
        while (m.find()) {
            if (m.group(1).equals("NAME")) {
                continue; // the header comment's ${?NAME}
            }
            found++;
            boolean named = false;
            for (Map.Entry<String, ConfigValue> entry : reference().entrySet()) {
                String env = ConfigValues.origin(fromEnvironment, entry.getKey());
                named |= env.contains(m.group(1));
            }
            if (!named) {
                unnamed.add(m.group(1));
            }
        }
        assertTrue(found > 30, "environment variables in reference.conf: " + found);
        assertTrue(unnamed.isEmpty(), "not traced back to their key: " + unnamed);
    }

    @Test
    void theConfigurationFileFlagSaysWhatIsWrongWithTheFile(@TempDir Path dir) throws Exception {
        for (String[] c : new String[][] {
            {dir.toString(), "--config.file: " + dir + " is a directory, expected a HOCON configuration file"},
            {dir.resolve("none.conf").toString(), "--config.file: " + dir.resolve("none.conf") + " does not exist"},
        }) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class,
                    () -> io.github.intuneexporter.config.SettingsLoader.load(java.util.Optional.of(Path.of(c[0]))));
            assertTrue(e.getMessage().startsWith(c[1]), e.getMessage());
        }
        Path broken = Files.writeString(dir.resolve("b.conf"), "intune { collectors { devices { interval = 5m\n");
        Path unresolved = Files.writeString(
                dir.resolve("u.conf"), "intune.graph.base-url = ${INTUNE_TEST_SURELY_UNSET_VARIABLE}\n");
        for (Path p : List.of(broken, unresolved)) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    ConfigException.class,
                    () -> io.github.intuneexporter.config.SettingsLoader.load(java.util.Optional.of(p)));
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
            assertTrue(!e.getMessage().contains(p + ": " + p), "the file named once: " + e.getMessage());
            assertTrue(!LEAK.matcher(e.getMessage()).find(), e.getMessage());
        }
    }
}
