package io.github.intuneexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ConfigValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Cli.Invocation parse(Map<String, String> env, String... args) throws Cli.UsageException {
        return Cli.parse(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private Cli.Invocation parse(String... args) throws Cli.UsageException {
        return parse(Map.of(), args);
    }

    private static String usageError(Map<String, String> env, String... args) {
        Cli.UsageException e = assertThrows(
                Cli.UsageException.class,
                () -> Cli.parse(args, env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void bothFormsOfEveryValueFlag() throws Exception {
        for (String[] args : List.of(
                new String[] {
                    "--web.listen-address=:9999",
                    "--config.file=/x.conf",
                    "--web.telemetry-path=/m",
                    "--log.level=debug",
                    "--log.format=json"
                },
                new String[] {
                    "--web.listen-address",
                    ":9999",
                    "--config.file",
                    "/x.conf",
                    "--web.telemetry-path",
                    "/m",
                    "--log.level",
                    "debug",
                    "--log.format",
                    "json"
                })) {
            Cli.Invocation i = parse(args);
            assertEquals(List.of(":9999"), i.overrides().getStringList("intune.web.listen-address"));
            assertEquals(Path.of("/x.conf"), i.configFile().orElseThrow());
            assertEquals("/m", i.overrides().getString("intune.web.metrics-path"));
            assertEquals("debug", i.logLevel());
            assertEquals("json", i.logFormat());
            assertTrue(i.notices().isEmpty());
        }
    }

    /**
     * Each flag that names a configuration key sets that key, in both forms. --shard was declared, listed in --help and
     * used by the sharded Kubernetes overlay, but never reached intune.shard: every replica read every tenant.
     */
    @Test
    void everyFlagThatNamesAKeySetsIt() throws Exception {
        Map<String, String> samples = Map.of(
                "--web.listen-address", ":9999",
                "--web.config.file", "/web.yml",
                "--web.telemetry-path", "/m",
                "--web.disable-exporter-metrics", "true",
                "--web.enable-lifecycle", "true",
                "--demo-devices", "123",
                "--demo-seed", "7",
                "--scenario", "certificates-expiring",
                "--shard", "auto/3");
        for (Cli.Flag flag : Cli.flags()) {
            if (flag.configKey() == null) {
                continue;
            }
            String value = samples.get(flag.name());
            assertTrue(value != null, "no sample value for " + flag.name() + ": add one to this test");
            for (String[] args : List.of(new String[] {flag.name() + "=" + value}, new String[] {flag.name(), value})) {
                Config overrides = parse(args).overrides();
                assertTrue(overrides.hasPath(flag.configKey()), flag.name() + " sets " + flag.configKey());
                Object set = overrides.getValue(flag.configKey()).unwrapped();
                assertEquals(value, set instanceof List<?> list ? list.get(0) : String.valueOf(set), flag.name());
            }
        }
        assertEquals(
                "1/2", parse(Map.of("INTUNE_EXPORTER_SHARD", "1/2")).overrides().getString("intune.shard"));
    }

    /**
     * A deprecated environment variable still works for its release: reference.conf reads it for the flag's key, or it
     * sets the flag as the new variable does (INTUNE_LOG_LEVEL used to log its deprecation and then be ignored).
     */
    @Test
    void everyDeprecatedVariableStillTakesEffect() throws Exception {
        Map<String, String> samples = Map.of(
                "INTUNE_EXPORTER_LISTEN_ADDRESS", "127.0.0.1:9999",
                "INTUNE_WEB_CONFIG_FILE", "/web.yml",
                "INTUNE_LOG_LEVEL", "error");
        for (Map.Entry<String, String> d : Cli.DEPRECATED_ENV.entrySet()) {
            String old = d.getKey();
            String value = samples.get(old);
            assertTrue(value != null, "no sample value for " + old + ": add one to this test");
            Cli.Flag flag = Cli.flags().stream()
                    .filter(f -> f.name().equals(d.getValue()))
                    .findFirst()
                    .orElseThrow();
            String readByReference =
                    flag.configKey() == null ? null : ConfigValues.environmentVariable(flag.configKey());
            if (readByReference != null && readByReference.contains(old)) {
                continue;
            }
            Cli.Invocation viaOld = parse(Map.of(old, value));
            Cli.Invocation viaNew = parse(Map.of(Cli.envName(flag.name()), value));
            assertEquals(viaNew.logLevel(), viaOld.logLevel(), old);
            assertEquals(viaNew.logFormat(), viaOld.logFormat(), old);
            assertEquals(
                    viaNew.overrides().root().unwrapped(),
                    viaOld.overrides().root().unwrapped(),
                    old);
            assertTrue(viaOld.notices().stream().anyMatch(n -> n.contains(old + " is deprecated")), old);
        }
        assertEquals("error", parse(Map.of("INTUNE_LOG_LEVEL", "error")).logLevel());
        assertEquals(
                "warn",
                parse(Map.of("INTUNE_LOG_LEVEL", "error", "INTUNE_EXPORTER_LOG_LEVEL", "warn"))
                        .logLevel(),
                "the new variable wins");
    }

    @Test
    void listenAddressRepeats() throws Exception {
        Cli.Invocation i = parse("--web.listen-address=127.0.0.1:1", "--web.listen-address", "[::1]:2");
        assertEquals(List.of("127.0.0.1:1", "[::1]:2"), i.overrides().getStringList("intune.web.listen-address"));
    }

    @Test
    void oldNamesWorkWithADeprecationNotice() throws Exception {
        Cli.Invocation i = parse("--listen", "127.0.0.1:1", "--config", "/a.conf", "--check-config");
        assertEquals(List.of("127.0.0.1:1"), i.overrides().getStringList("intune.web.listen-address"));
        assertEquals(Path.of("/a.conf"), i.configFile().orElseThrow());
        assertEquals(Cli.Command.CHECK_CONFIG, i.command());
        assertEquals(3, i.notices().size(), i.notices().toString());
        assertTrue(i.notices().stream()
                .anyMatch(n -> n.contains("--listen is deprecated") && n.contains("--web.listen-address")));
    }

    @Test
    void environmentSuppliesFlagsNotGiven() throws Exception {
        Map<String, String> env = Map.of(
                "INTUNE_EXPORTER_WEB_LISTEN_ADDRESS",
                "127.0.0.1:1,127.0.0.1:2",
                "INTUNE_EXPORTER_LOG_FORMAT",
                "json",
                "INTUNE_EXPORTER_DEMO",
                "true",
                "INTUNE_EXPORTER_COLLECTOR_DEVICES",
                "false",
                "INTUNE_EXPORTER_LOG_LEVEL",
                "warn");
        Cli.Invocation i = parse(env, "--log.level=error");
        assertEquals(List.of("127.0.0.1:1", "127.0.0.1:2"), i.overrides().getStringList("intune.web.listen-address"));
        assertEquals("json", i.logFormat());
        assertEquals("error", i.logLevel(), "the flag wins over its environment variable");
        assertTrue(i.demo());
        assertEquals(Boolean.FALSE, i.collectorFlags().get("devices"));
        String e = usageError(Map.of("INTUNE_EXPORTER_DEMO_DEVICES", "lots"));
        assertTrue(e.contains("--demo-devices") && e.contains("INTUNE_EXPORTER_DEMO_DEVICES"), e);
    }

    @Test
    void unknownFlagsAndBadValuesAreOneLineNamingThem() {
        assertTrue(usageError(Map.of(), "--bogus").contains("'--bogus'"));
        assertTrue(usageError(Map.of(), "--log.format=xml").contains("--log.format"));
        assertTrue(usageError(Map.of(), "--log.level", "loud").contains("--log.level"));
        assertTrue(usageError(Map.of(), "--demo-devices=x").contains("--demo-devices"));
        assertTrue(usageError(Map.of(), "frobnicate").contains("'frobnicate'"));
        assertTrue(usageError(Map.of(), "--web.listen-address").contains("--web.listen-address"));
    }

    @Test
    void commands() throws Exception {
        assertEquals(Cli.Command.DOCTOR, parse("doctor", "--demo").command());
        assertEquals(Cli.Command.DOCTOR, parse("--demo", "doctor").command());
        Cli.UsageException late = assertThrows(Cli.UsageException.class, () -> parse("--demo", "report"));
        assertTrue(late.getMessage().contains("'report' must be the first argument"), late.getMessage());
        assertEquals(Cli.Command.CHECK_CONFIG, parse("--config.check").command());
        assertEquals(Cli.Command.RUN, parse("--config.check=false").command());
    }

    @Test
    void collectorFlagsBecomeIntervals() throws Exception {
        Config merged = Cli.reference();
        Cli.Invocation i = parse("--no-collector.devices", "--collector.credentials");
        Config o = i.collectorOverrides(merged);
        assertEquals(0, o.getInt("intune.collectors.devices.interval"));
        assertEquals(
                "1h", o.getString("intune.collectors.credentials.interval"), "off by default: switched on with 1h");
        assertFalse(o.hasPath("intune.collectors.compliance.interval"), "others keep their configured interval");

        o = parse("--collector.disable-defaults", "--collector.compliance").collectorOverrides(merged);
        assertFalse(o.hasPath("intune.collectors.compliance.interval"));
        for (String name : Cli.collectorNames()) {
            if (!name.equals("compliance")) {
                assertEquals(0, o.getInt("intune.collectors." + name + ".interval"), name);
            }
        }
        assertTrue(parse().collectorOverrides(merged).isEmpty());
        assertEquals(
                ConfigFactory.empty(),
                parse("--collector.devices").collectorOverrides(merged),
                "already on: unchanged");
    }

    @Test
    void helpListsEveryFlagWithItsDefaultAndEnvironmentVariable() {
        assertThrows(Cli.UsageException.class, () -> parse("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        List<String> names = new java.util.ArrayList<>(
                Cli.flags().stream().map(Cli.Flag::name).toList());
        Cli.collectorNames().forEach(c -> names.add("--collector." + c));
        for (String name : names) {
            int at = Math.max(
                    help.indexOf("  " + name), help.indexOf("  " + name.replace("--collector.", "--[no-]collector.")));
            assertTrue(at >= 0, name + " in help:\n" + help);
            int next = help.indexOf("\n      --", at + 1);
            next = next < 0
                    ? help.indexOf("\n  -h", at + 1)
                    : Math.min(next, help.indexOf("\n  -h", at + 1) < 0 ? next : help.indexOf("\n  -h", at + 1));
            String entry = help.substring(at, next < 0 ? help.length() : next);
            assertTrue(entry.contains("Default: "), name + " shows its default: " + entry);
            assertTrue(entry.contains("Env: " + Cli.envName(name)), name + " shows its environment variable: " + entry);
        }
        assertTrue(help.contains("Default: 0.0.0.0:9786 (intune.web.listen-address)"), help);
        assertTrue(help.contains("doctor") && help.contains("bench") && help.contains("report"));
        assertFalse(help.contains("--listen="), "deprecated names are hidden");
        assertNull(
                assertThrows(Cli.UsageException.class, () -> parse("--version")).getMessage());
    }
}
