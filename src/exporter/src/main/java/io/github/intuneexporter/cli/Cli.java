package io.github.intuneexporter.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueFactory;
import io.github.intuneexporter.log.Logging;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.standin.GraphStandIn;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * The command line, with the flag names of the Prometheus exporter-toolkit ({@code --web.listen-address},
 * {@code --config.file}, {@code --log.level}, {@code --collector.<name>} / {@code --no-collector.<name>}...). Every flag
 * takes {@code --x=y} or {@code --x y}, and has an environment variable {@code INTUNE_EXPORTER_<NAME>} ({@link #envName})
 * that applies when the flag is not given. The names of the first release ({@code --listen}, {@code --config},
 * {@code --check-config}) still work for one release and produce a deprecation notice.
 */
public final class Cli {
    /** What to do. */
    public enum Command {
        RUN,
        CHECK_CONFIG,
        DOCTOR
    }

    /** The parsed command line. {@code overrides} are configuration keys set by flags, over the configuration file. */
    public record Invocation(
            Command command,
            boolean demo,
            Optional<Path> configFile,
            Config overrides,
            Map<String, Boolean> collectorFlags,
            boolean disableDefaultCollectors,
            String logLevel,
            String logFormat,
            List<String> notices) {

        /**
         * Interval overrides that apply {@code --collector.X}, {@code --no-collector.X} and
         * {@code --collector.disable-defaults} to the merged configuration: a disabled collector gets interval 0, an
         * enabled one keeps its interval, or gets {@link #ENABLE_INTERVAL} when its configured interval is 0.
         */
        public Config collectorOverrides(Config merged) {
            Config out = ConfigFactory.empty();
            if (collectorFlags.isEmpty() && !disableDefaultCollectors) {
                return out;
            }
            for (String name : merged.getConfig("intune.collectors").root().keySet()) {
                String key = "intune.collectors." + name + ".interval";
                Boolean flag = collectorFlags.get(name);
                if (Boolean.FALSE.equals(flag) || (flag == null && disableDefaultCollectors)) {
                    out = out.withValue(key, ConfigValueFactory.fromAnyRef(0, "--no-collector." + name));
                } else if (Boolean.TRUE.equals(flag) && isZero(merged, key)) {
                    out = out.withValue(key, ConfigValueFactory.fromAnyRef(ENABLE_INTERVAL, "--collector." + name));
                }
            }
            return out;
        }

        private static boolean isZero(Config merged, String key) {
            try {
                return merged.getDuration(key).isZero();
            } catch (com.typesafe.config.ConfigException e) {
                return false; // a bad value is reported by the settings loader, naming the key
            }
        }
    }

    /** Interval of a collector switched on with --collector.NAME whose configured interval is 0 (off by default). */
    static final String ENABLE_INTERVAL = "1h";

    /** Bad usage (exit 2), or, with a null message, a finished command such as --help (exit 0). */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    private Cli() {}

    /** Environment variable of a flag: --web.listen-address is INTUNE_EXPORTER_WEB_LISTEN_ADDRESS. */
    public static String envName(String flag) {
        return "INTUNE_EXPORTER_"
                + flag.replaceFirst("^--", "").replaceAll("[.-]", "_").toUpperCase(Locale.ROOT);
    }

    /** A flag and the configuration key it sets (null when none), for --help and docs/operations.md. */
    record Flag(String name, String configKey, String label, Class<?> type, boolean repeatable, String description) {}

    private static final String LISTEN = "--web.listen-address";
    private static final String WEB_CONFIG = "--web.config.file";
    private static final String TELEMETRY = "--web.telemetry-path";
    private static final String NO_EXPORTER_METRICS = "--web.disable-exporter-metrics";
    private static final String LIFECYCLE = "--web.enable-lifecycle";
    private static final String CONFIG_FILE = "--config.file";
    private static final String CONFIG_CHECK = "--config.check";
    private static final String LOG_LEVEL = "--log.level";
    private static final String LOG_FORMAT = "--log.format";
    private static final String DISABLE_DEFAULTS = "--collector.disable-defaults";
    private static final String DEMO = "--demo";
    private static final String DEMO_DEVICES = "--demo-devices";
    private static final String DEMO_SEED = "--demo-seed";
    private static final String SCENARIO = "--scenario";
    private static final String SET = "--set";
    private static final String SHARD = "--shard";

    /** Deprecated name -> its replacement, kept for one release. */
    static final Map<String, String> DEPRECATED =
            Map.of("--listen", LISTEN, "--config", CONFIG_FILE, "--check-config", CONFIG_CHECK);

    /**
     * Deprecated environment variable -> the flag whose variable replaces it, kept for one release. reference.conf reads
     * the first two itself (below the configuration file); the others stand for their flag when its own is not set.
     */
    static final Map<String, String> DEPRECATED_ENV = Map.of(
            "INTUNE_EXPORTER_LISTEN_ADDRESS",
            LISTEN,
            "INTUNE_WEB_CONFIG_FILE",
            WEB_CONFIG,
            "INTUNE_LOG_LEVEL",
            LOG_LEVEL);

    /** Deprecated variables that reference.conf does not read: they set their flag. */
    private static final Map<String, String> DEPRECATED_FLAG_ENV = Map.of(LOG_LEVEL, "INTUNE_LOG_LEVEL");

    static List<Flag> flags() {
        return List.of(
                new Flag(
                        LISTEN,
                        "intune.web.listen-address",
                        "HOST:PORT",
                        String.class,
                        true,
                        "Address to listen on, e.g. :9786 or 127.0.0.1:9786; repeat for several (environment: comma-separated)."),
                new Flag(
                        WEB_CONFIG,
                        "intune.web.config-file",
                        "FILE",
                        String.class,
                        false,
                        "Web configuration file (exporter-toolkit format: TLS, basic auth); re-read on reload."),
                new Flag(
                        TELEMETRY,
                        "intune.web.metrics-path",
                        "PATH",
                        String.class,
                        false,
                        "Path under which to expose metrics."),
                new Flag(
                        NO_EXPORTER_METRICS,
                        "intune.web.disable-exporter-metrics",
                        null,
                        boolean.class,
                        false,
                        "Exclude the exporter's own JVM and process metrics (jvm_*, process_*)."),
                new Flag(
                        LIFECYCLE,
                        "intune.web.enable-lifecycle",
                        null,
                        boolean.class,
                        false,
                        "Enable POST /-/reload (SIGHUP reloads either way)."),
                new Flag(
                        CONFIG_FILE,
                        null,
                        "FILE",
                        String.class,
                        false,
                        "Configuration file (HOCON, see reference.conf)."),
                new Flag(
                        CONFIG_CHECK,
                        null,
                        null,
                        boolean.class,
                        false,
                        "Validate the configuration and credential settings, print a summary, exit 0 (valid) or 2."),
                new Flag(
                        LOG_LEVEL,
                        null,
                        "LEVEL",
                        String.class,
                        false,
                        "Only log messages at this level or above: debug, info, warn, error."),
                new Flag(LOG_FORMAT, null, "FORMAT", String.class, false, "Log line format: logfmt or json."),
                new Flag(
                        DISABLE_DEFAULTS,
                        null,
                        null,
                        boolean.class,
                        false,
                        "Disable every collector not enabled with --collector.<name>."),
                new Flag(
                        DEMO,
                        null,
                        null,
                        boolean.class,
                        false,
                        "Run against the built-in Graph tenant simulator (no tenant, no credentials)."),
                new Flag(
                        DEMO_DEVICES,
                        "intune.demo.devices",
                        "N",
                        int.class,
                        false,
                        "Devices in the simulated tenant (implies --demo)."),
                new Flag(DEMO_SEED, "intune.demo.seed", "N", long.class, false, "Seed of the simulated tenant."),
                new Flag(
                        SCENARIO,
                        "intune.demo.scenario.name",
                        "NAME",
                        String.class,
                        false,
                        "Demo: play a named incident (implies --demo); 'list' shows them."),
                new Flag(
                        SHARD,
                        "intune.shard",
                        "I/N",
                        String.class,
                        false,
                        "Read only shard I of N of the configured tenants (by a stable hash of the tenant id), or auto/N to take I "
                                + "from a StatefulSet pod name (HOSTNAME ending in -I)."),
                new Flag(
                        SET,
                        null,
                        "KEY=VALUE",
                        String.class,
                        true,
                        "Override one configuration key, e.g. intune.collectors.devices.interval=1h. The value is literal text "
                                + "unless the key is a number, boolean, list or block in reference.conf (environment: one KEY=VALUE)."));
    }

    /** Collector names, from reference.conf's intune.collectors block. */
    public static List<String> collectorNames() {
        return List.copyOf(reference().getConfig("intune.collectors").root().keySet()).stream()
                .sorted()
                .toList();
    }

    /** reference.conf as shipped, without environment variables, for defaults shown in --help and --set's key types. */
    static Config reference() {
        return ConfigFactory.parseResources(Cli.class.getClassLoader(), "reference.conf")
                .resolve(ConfigResolveOptions.defaults()
                        .setUseSystemEnvironment(false)
                        .setAllowUnresolved(true));
    }

    private static String defaultText(Flag flag, Config reference) {
        return switch (flag.name()) {
            case LOG_LEVEL -> "info";
            case LOG_FORMAT -> "logfmt";
            case CONFIG_FILE -> "none (defaults, environment)";
            case DEMO_DEVICES,
                    DEMO_SEED,
                    SCENARIO,
                    SHARD,
                    LISTEN,
                    WEB_CONFIG,
                    TELEMETRY,
                    NO_EXPORTER_METRICS,
                    LIFECYCLE -> {
                String v = reference.getValue(flag.configKey()).unwrapped().toString();
                yield v.isEmpty() ? "none" : v;
            }
            case SET -> "none";
            default -> "false";
        };
    }

    static CommandLine commandLine() {
        Config reference = reference();
        CommandSpec spec = CommandSpec.create().name("intune-exporter");
        // --collector.devices <-> --no-collector.devices (picocli's default only negates names without dots)
        spec.negatableOptionTransformer(new CommandLine.RegexTransformer.Builder()
                .addPattern("^--no-(.+)$", "--$1", "--[no-]$1")
                .addPattern("^--(.+)$", "--no-$1", "--[no-]$1")
                .build());
        describe(spec);
        for (Flag flag : flags()) {
            spec.addOption(flagOption(flag, reference));
        }
        for (String name : collectorNames()) {
            spec.addOption(collectorOption(name, reference));
        }
        addFixedOptions(spec);
        CommandLine cl = new CommandLine(spec);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Synopsis, description and footer of --help. */
    private static void describe(CommandSpec spec) {
        spec.usageMessage()
                .synopsisHeading("")
                .customSynopsis(
                        "Usage: java -jar intune-exporter.jar [OPTIONS] [doctor | report ...]",
                        "       java -jar intune-exporter.jar report --prometheus URL [--month YYYY-MM] [--tenant NAME] (see report --help)",
                        "       java -jar intune-exporter-bench.jar [--sizes 10000,100000,1000000] [--out DIR] (a jar of its own, see its --help)")
                .description(
                        "Exports Microsoft Intune data from Microsoft Graph as Prometheus metrics.",
                        "Commands: doctor  check sign-in and the Graph permissions of every enabled collector",
                        "          report  write the monthly stakeholder report (HTML) from a Prometheus",
                        "")
                .footer(
                        "",
                        "Every flag also takes the form --flag=value. Configuration keys: see reference.conf and docs/operations.md.",
                        "Credentials come from the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or",
                        "AZURE_CLIENT_CERTIFICATE_PATH, ...) or the configuration file. SIGHUP reloads the configuration. See README.md.")
                .width(110)
                .autoWidth(false)
                .sortOptions(false);
    }

    /** One configuration flag: its description names its default, configuration key and environment variable. */
    private static OptionSpec flagOption(Flag flag, Config reference) {
        OptionSpec.Builder b = OptionSpec.builder(flag.name());
        List<String> lines = new ArrayList<>(List.of(flag.description()));
        lines.add("Default: " + defaultText(flag, reference)
                + (flag.configKey() == null ? "" : " (" + flag.configKey() + ")") + ".");
        lines.add("Env: " + envName(flag.name()));
        b.description(lines.toArray(String[]::new));
        if (flag.type() == boolean.class) {
            b.type(boolean.class).arity("0..1").paramLabel("true|false");
        } else if (flag.repeatable()) {
            b.type(List.class).auxiliaryTypes(String.class).paramLabel(flag.label());
        } else {
            b.type(flag.type()).paramLabel(flag.label());
        }
        if (flag.name().equals(LOG_LEVEL)) {
            b.converters(oneOf(Logging.LEVELS));
        } else if (flag.name().equals(LOG_FORMAT)) {
            b.converters(oneOf(Logging.FORMATS));
        }
        return b.build();
    }

    /** --collector.NAME / --no-collector.NAME; on by default unless reference.conf sets its interval to 0. */
    private static OptionSpec collectorOption(String name, Config reference) {
        boolean on = !reference
                .getDuration("intune.collectors." + name + ".interval")
                .isZero();
        return OptionSpec.builder("--collector." + name)
                .type(boolean.class)
                .arity("0..1")
                .negatable(true)
                .paramLabel("true|false")
                .description(
                        "Enable (or with --no-, disable) the " + name + " collector.",
                        "Default: " + (on ? "enabled" : "disabled") + " (intune.collectors." + name + ".interval).",
                        "Env: " + envName("--collector." + name))
                .build();
    }

    /** --version, --help and the hidden options that are not configuration flags. */
    private static void addFixedOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--version")
                .type(boolean.class)
                .description("Print the version and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-h", "--help")
                .type(boolean.class)
                .usageHelp(true)
                .description("Show this help and exit.")
                .build());
        spec.addOption(OptionSpec.builder("--listen")
                .type(List.class)
                .auxiliaryTypes(String.class)
                .hidden(true)
                .build());
        spec.addOption(
                OptionSpec.builder("--config").type(String.class).hidden(true).build());
        spec.addOption(OptionSpec.builder("--check-config")
                .type(boolean.class)
                .arity("0..1")
                .hidden(true)
                .build());
        spec.addPositional(PositionalParamSpec.builder()
                .index("0")
                .arity("0..1")
                .paramLabel("COMMAND")
                .type(String.class)
                .hidden(true)
                .build());
    }

    private static CommandLine.ITypeConverter<?> oneOf(List<String> allowed) {
        return value -> {
            String v = value.toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new CommandLine.TypeConversionException(
                        "'" + value + "' is not one of " + String.join(", ", allowed));
            }
            return v;
        };
    }

    /** Prints the help text. */
    public static void usage(PrintStream out) {
        commandLine().usage(out, CommandLine.Help.Ansi.OFF);
    }

    /**
     * Parses {@code args} with {@code env} supplying flags that are not given. Prints --help, --version and
     * --scenario list to {@code out} and then throws a {@link UsageException} with a null message.
     */
    public static Invocation parse(String[] args, Map<String, String> env, PrintStream out) throws UsageException {
        ParseResult given = parseArgs(args, "");
        List<String> fromEnv = new ArrayList<>();
        List<String> envFlags = new ArrayList<>();
        for (OptionSpec option : given.commandSpec().options()) {
            String name = option.longestName();
            if (option.hidden() || option.usageHelp() || name.equals("--version") || given.hasMatchedOption(name)) {
                continue;
            }
            String value = env.get(envName(name));
            if ((value == null || value.isBlank()) && DEPRECATED_FLAG_ENV.containsKey(name)) {
                value = env.get(DEPRECATED_FLAG_ENV.get(name));
            }
            if (value == null || value.isBlank()) {
                continue;
            }
            envFlags.add(envName(name));
            if (name.equals(LISTEN)) {
                for (String address : value.split(",")) {
                    fromEnv.add(name + "=" + address.trim());
                }
            } else {
                fromEnv.add(name + "=" + value);
            }
        }
        ParseResult result = given;
        if (!fromEnv.isEmpty()) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(fromEnv);
            result = parseArgs(all.toArray(String[]::new), " (set by " + String.join(", ", envFlags) + ")");
        }
        if (result.isUsageHelpRequested()) {
            usage(out);
            throw new UsageException(null);
        }
        if (result.hasMatchedOption("--version")) {
            out.println("intune-exporter " + BuildInfo.version() + " (revision " + BuildInfo.revision() + ", java "
                    + System.getProperty("java.version") + ")");
            throw new UsageException(null);
        }
        return toInvocation(result, env, out);
    }

    private static ParseResult parseArgs(String[] args, String where) throws UsageException {
        try {
            return commandLine().parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            String message = e.getMessage() == null
                    ? "bad command line"
                    : e.getMessage().lines().findFirst().orElse("");
            if (e instanceof CommandLine.UnmatchedArgumentException u
                    && !u.getUnmatched().isEmpty()) {
                message = "unknown option '" + u.getUnmatched().get(0) + "'";
            }
            throw new UsageException(message + where);
        }
    }

    private static Invocation toInvocation(ParseResult r, Map<String, String> env, PrintStream out)
            throws UsageException {
        List<String> notices = deprecationNotices(r, env);
        Command command = command(r);
        // --demo.devices and --scenario imply --demo
        boolean demo = bool(r, DEMO) || r.hasMatchedOption(DEMO_DEVICES) || r.hasMatchedOption(SCENARIO);
        Config overrides = webOverrides(r, ConfigFactory.empty());
        overrides = demoOverrides(r, overrides, out);
        overrides = string(r, SHARD, "intune.shard", overrides);
        overrides = setOverrides(r, overrides);
        String configFile = r.matchedOptionValue(CONFIG_FILE, r.matchedOptionValue("--config", (String) null));
        return new Invocation(
                command,
                demo,
                Optional.ofNullable(configFile).filter(s -> !s.isBlank()).map(Path::of),
                overrides,
                collectorSwitches(r),
                bool(r, DISABLE_DEFAULTS),
                r.matchedOptionValue(LOG_LEVEL, "info"),
                r.matchedOptionValue(LOG_FORMAT, "logfmt"),
                List.copyOf(notices));
    }

    /** The listen addresses, web configuration, telemetry path and the boolean flags of the web section. */
    private static Config webOverrides(ParseResult r, Config overrides) {
        List<String> listen = new ArrayList<>(r.matchedOptionValue(LISTEN, List.<String>of()));
        listen.addAll(r.matchedOptionValue("--listen", List.<String>of()));
        if (!listen.isEmpty()) {
            overrides =
                    overrides.withValue("intune.web.listen-address", ConfigValueFactory.fromIterable(listen, LISTEN));
        }
        overrides = string(r, WEB_CONFIG, "intune.web.config-file", overrides);
        overrides = string(r, TELEMETRY, "intune.web.metrics-path", overrides);
        for (String flag : List.of(NO_EXPORTER_METRICS, LIFECYCLE)) {
            if (r.hasMatchedOption(flag)) {
                String key = flags().stream()
                        .filter(f -> f.name().equals(flag))
                        .findFirst()
                        .orElseThrow()
                        .configKey();
                overrides = overrides.withValue(key, ConfigValueFactory.fromAnyRef(bool(r, flag), flag));
            }
        }
        return overrides;
    }

    /** --demo.devices, --demo.seed and --scenario (whose value "list" prints the scenarios and stops). */
    private static Config demoOverrides(ParseResult r, Config overrides, PrintStream out) throws UsageException {
        if (r.hasMatchedOption(DEMO_DEVICES)) {
            overrides = overrides.withValue(
                    "intune.demo.devices",
                    ConfigValueFactory.fromAnyRef(r.matchedOptionValue(DEMO_DEVICES, 0), DEMO_DEVICES));
        }
        if (r.hasMatchedOption(DEMO_SEED)) {
            overrides = overrides.withValue(
                    "intune.demo.seed", ConfigValueFactory.fromAnyRef(r.matchedOptionValue(DEMO_SEED, 0L), DEMO_SEED));
        }
        if (r.hasMatchedOption(SCENARIO)) {
            String name = r.matchedOptionValue(SCENARIO, "");
            Map<String, String> scenarios =
                    GraphStandIn.find().map(GraphStandIn::scenarios).orElse(Map.of());
            if (name.equals("list")) {
                scenarios.forEach((scenario, summary) -> out.printf("%-26s %s%n", scenario, summary));
                throw new UsageException(null);
            }
            if (!scenarios.containsKey(name)) {
                throw new UsageException("unknown scenario '" + name + "'; --scenario list shows them");
            }
            overrides = overrides.withValue("intune.demo.scenario.name", ConfigValueFactory.fromAnyRef(name, SCENARIO));
        }
        return overrides;
    }

    /** Every --set KEY=VALUE, checked against reference.conf; later flags win over earlier ones. */
    private static Config setOverrides(ParseResult r, Config overrides) throws UsageException {
        Config reference = null;
        for (String set : r.matchedOptionValue(SET, List.<String>of())) {
            reference = reference == null ? reference() : reference;
            try {
                // Later flags win over earlier --set, the same key set twice: the last one wins.
                overrides = SetFlag.parse(set, reference).withFallback(overrides);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return overrides;
    }

    /** The collectors switched on or off with --[no-]collector.NAME. */
    private static Map<String, Boolean> collectorSwitches(ParseResult r) {
        Map<String, Boolean> collectors = new LinkedHashMap<>();
        for (String name : collectorNames()) {
            if (r.hasMatchedOption("--collector." + name)) {
                collectors.put(name, bool(r, "--collector." + name));
            }
        }
        return Map.copyOf(collectors);
    }

    /** A warning per deprecated flag or environment variable in use. */
    private static List<String> deprecationNotices(ParseResult r, Map<String, String> env) {
        List<String> notices = new ArrayList<>();
        for (Map.Entry<String, String> d : DEPRECATED.entrySet()) {
            if (r.hasMatchedOption(d.getKey())) {
                notices.add("flag " + d.getKey() + " is deprecated and will be removed in the next release; use "
                        + d.getValue());
            }
        }
        DEPRECATED_ENV.forEach((old, flag) -> {
            if (env.get(old) != null) {
                notices.add("environment variable " + old
                        + " is deprecated and will be removed in the next release; use " + envName(flag));
            }
        });
        return notices;
    }

    /** The command: run (no positional argument), doctor, or --config.check. */
    private static Command command(ParseResult r) throws UsageException {
        Command command = Command.RUN;
        String positional = r.matchedPositionalValue(0, null);
        if (positional != null) {
            command = switch (positional) {
                case "doctor" -> Command.DOCTOR;
                case "report" ->
                    throw new UsageException(
                            "'report' must be the first argument (it has its own options, see report --help)");
                case "bench" ->
                    throw new UsageException(
                            "'bench' must be the first argument (it has its own options, see bench --help)");
                default ->
                    throw new UsageException(
                            "unknown command '" + positional + "'; commands are doctor, bench and report");
            };
        }
        if (bool(r, CONFIG_CHECK) || bool(r, "--check-config")) {
            if (command != Command.RUN) {
                throw new UsageException("--config.check cannot be combined with the " + positional + " command");
            }
            command = Command.CHECK_CONFIG;
        }
        return command;
    }

    private static boolean bool(ParseResult r, String name) {
        return r.hasMatchedOption(name) && Boolean.TRUE.equals(r.matchedOptionValue(name, Boolean.FALSE));
    }

    private static Config string(ParseResult r, String flag, String key, Config overrides) {
        if (!r.hasMatchedOption(flag)) {
            return overrides;
        }
        return overrides.withValue(key, ConfigValueFactory.fromAnyRef(r.matchedOptionValue(flag, ""), flag));
    }
}
