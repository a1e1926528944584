package io.github.intuneexporter;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.metrics.BuildInfo;
import io.github.intuneexporter.simulator.Scenario;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line entry point. Exit codes: 0 normal, 1 runtime failure, 2 bad configuration or usage. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    static final String USAGE = String.join("\n",
            "Usage: java -jar intune-exporter.jar [options]",
            "       java -jar intune-exporter.jar doctor [options]   check sign-in and Graph permissions of every enabled collector",
            "       java -jar intune-exporter.jar report --prometheus URL [--month YYYY-MM] [--tenant NAME] (see report --help)",
            "       java -Xmx256m -jar intune-exporter.jar bench [--sizes 10000,100000,1000000] [--out DIR] (see bench --help)",
            "",
            "  --demo                 run against the built-in Graph tenant simulator (no tenant, no credentials)",
            "  --demo-devices N       devices in the simulated tenant (default 5000)",
            "  --demo-seed N          seed of the simulated tenant (default 42)",
            "  --scenario NAME        demo: play a named incident (normal, incident, recovered); --scenario list shows them",
            "  --config FILE          configuration file (HOCON; see reference.conf); also -Dconfig.file=FILE",
            "  --listen HOST:PORT     listen address (default 0.0.0.0:9786)",
            "  --web.config.file FILE TLS and basic auth, Prometheus web configuration format (see README)",
            "  --set KEY=VALUE        override one configuration key, e.g. --set intune.collectors.devices.interval=1h",
            "  --check-config         validate the configuration and credentials settings, print a summary, exit",
            "  --version              print the version and exit",
            "  --help                 this text",
            "",
            "Credentials come from the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or",
            "AZURE_CLIENT_CERTIFICATE_PATH, ...) or the configuration file. See README.md.");

    private Main() {}

    /** Parsed command line. */
    record Options(boolean demo, boolean checkConfig, boolean doctor, Optional<Path> config, Config overrides) {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the command; returns the exit code, or -1 when the exporter is running and main must not exit. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("report")) {
            return io.github.intuneexporter.report.ReportCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("bench")) {
            return io.github.intuneexporter.bench.Benchmark.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        Options options;
        try {
            options = parse(args, out);
        } catch (UsageException e) {
            if (e.getMessage() != null) {
                err.println("intune-exporter: " + e.getMessage());
                err.println("Run with --help for the options.");
                return 2;
            }
            return 0;
        }
        ExporterSettings settings;
        try {
            settings = SettingsLoader.load(options.config(), options.overrides(), options.demo());
            if (!options.demo()) {
                checkCredentials(settings);
            }
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        }
        if (options.checkConfig()) {
            return checkConfig(settings, options, out, err);
        }
        if (options.doctor()) {
            return doctor(settings, options, out, err);
        }
        Exporter exporter;
        try {
            exporter = Exporter.create(settings, options.demo(), Clock.systemUTC());
            exporter.start(settings.web());
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        } catch (java.net.BindException e) {
            err.println("intune-exporter: cannot listen on " + settings.web().host() + ":" + settings.web().port() + ": "
                    + e.getMessage() + " (set --listen or intune.web.listen-address)");
            return 1;
        } catch (Exception e) {
            err.println("intune-exporter: start-up failed: " + e);
            LOG.debug("start-up failure", e);
            return 1;
        }
        if (options.demo()) {
            out.println("Demo mode: simulated tenant with " + settings.demo().devices() + " devices at " + exporter.simulator().baseUrl());
            out.println("Metrics: " + (settings.web().security().tls() == null ? "http" : "https") + "://localhost:" + exporter.port()
                    + settings.web().metricsPath() + "   (Ctrl-C to stop)");
            ScenarioRun scenario = exporter.simulator().tenant().scenario();
            if (scenario != null) {
                out.println("Scenario " + scenario.scenario().name() + ": incident from " + scenario.incidentStart() + " to "
                        + scenario.incidentEnd() + "; expected alerts: " + String.join(", ", scenario.scenario().alerts()));
            }
        }
        installStopHandlers(exporter);
        try {
            new CountDownLatch(1).await(); // the daemon runs until a signal stops it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /**
     * SIGTERM and SIGINT stop collection (in-flight Graph calls are cancelled, runs get a bounded grace), close the
     * HTTP server and exit 0. Other exits still run the shutdown hook.
     */
    @SuppressWarnings("restriction")
    private static void installStopHandlers(Exporter exporter) {
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                LOG.info("shutting down");
                exporter.stop(STOP_GRACE);
                LOG.info("stopped");
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    Thread t = new Thread(() -> {
                        stop.run();
                        System.exit(0);
                    }, "intune-stop");
                    t.start();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "intune-shutdown"));
    }

    /** How long running collections get to end after a stop signal before the process exits anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Every tenant must have a complete credential; a multi-tenant message names the tenant's entry. */
    static void checkCredentials(ExporterSettings settings) {
        for (int i = 0; i < settings.tenants().size(); i++) {
            try {
                Credentials.resolve(settings.tenants().get(i).settings().auth());
            } catch (ConfigException e) {
                if (!settings.multiTenant()) {
                    throw e;
                }
                throw new ConfigException(SettingsLoader.forTenant(e.getMessage(), "intune.tenants[" + i + "]"));
            }
        }
    }

    private static int doctor(ExporterSettings settings, Options options, PrintStream out, PrintStream err) {
        try (Exporter exporter = Exporter.create(settings, options.demo(), Clock.systemUTC())) {
            return io.github.intuneexporter.doctor.Doctor.run(exporter.tenants(), out);
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("intune-exporter: doctor failed: " + e);
            return 1;
        }
    }

    private static int checkConfig(ExporterSettings settings, Options options, PrintStream out, PrintStream err) {
        try (Exporter exporter = Exporter.create(settings, options.demo(), Clock.systemUTC())) {
            out.println("Configuration OK.");
            out.println("  listen address: " + settings.web().host() + ":" + settings.web().port() + settings.web().metricsPath());
            out.println("  graph: cloud " + settings.graph().cloud().key() + ", root " + exporter.graph().api().v1Root());
            for (TenantRuntime t : exporter.tenants()) {
                ExporterSettings.Auth auth = t.tenant().settings().auth();
                out.println("  tenant " + t.name() + ": " + (options.demo() ? "simulated, demo token"
                        : Credentials.resolve(auth).key() + ", tenant id " + auth.tenantId() + ", client id " + auth.clientId()));
            }
            out.println("  collectors: " + String.join(", ", exporter.scheduler().enabled()));
            return 0;
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("intune-exporter: configuration check failed: " + e);
            return 1;
        }
    }

    /** Bad usage; a null message means "done, exit 0" (after --help or --version). */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args, PrintStream out) throws UsageException {
        boolean demo = false;
        boolean check = false;
        boolean doctor = false;
        Optional<Path> config = Optional.empty();
        Config overrides = ConfigFactory.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--demo" -> demo = true;
                case "doctor" -> {
                    if (i != 0) {
                        throw new UsageException("'doctor' must be the first argument");
                    }
                    doctor = true;
                }
                case "--check-config" -> check = true;
                case "--help", "-h" -> {
                    out.println(USAGE);
                    throw new UsageException(null);
                }
                case "--version" -> {
                    out.println("intune-exporter " + BuildInfo.version() + " (revision " + BuildInfo.revision() + ", java "
                            + System.getProperty("java.version") + ")");
                    throw new UsageException(null);
                }
                case "--config" -> config = Optional.of(Path.of(value(args, ++i, arg)));
                case "--demo-devices" -> {
                    demo = true;
                    overrides = overrides.withValue("intune.demo.devices", ConfigValueFactory.fromAnyRef(number(args, ++i, arg)));
                }
                case "--scenario" -> {
                    String name = value(args, ++i, arg);
                    if (name.equals("list")) {
                        for (Scenario scenario : Scenarios.ALL) {
                            out.printf("%-26s %s%n", scenario.name(), scenario.summary());
                        }
                        throw new UsageException(null);
                    }
                    if (Scenarios.byName(name).isEmpty()) {
                        throw new UsageException("unknown scenario '" + name + "'; --scenario list shows them");
                    }
                    demo = true;
                    overrides = overrides.withValue("intune.demo.scenario.name", ConfigValueFactory.fromAnyRef(name));
                }
                case "--demo-seed" -> overrides = overrides.withValue("intune.demo.seed", ConfigValueFactory.fromAnyRef(number(args, ++i, arg)));
                case "--web.config.file" -> overrides = overrides.withValue("intune.web.config-file",
                        ConfigValueFactory.fromAnyRef(value(args, ++i, arg)));
                case "--listen" -> overrides = overrides.withValue("intune.web.listen-address",
                        ConfigValueFactory.fromAnyRef(value(args, ++i, arg)));
                case "--set" -> {
                    String kv = value(args, ++i, arg);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new UsageException("--set expects KEY=VALUE, got '" + kv + "'");
                    }
                    try {
                        overrides = ConfigFactory.parseString(kv.substring(0, eq).trim() + " = " + kv.substring(eq + 1))
                                .withFallback(overrides);
                    } catch (com.typesafe.config.ConfigException e) {
                        throw new UsageException("--set " + kv + ": " + e.getMessage());
                    }
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        return new Options(demo, check, doctor, config, overrides);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static long number(String[] args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a whole number, got '" + v + "'");
        }
    }
}
