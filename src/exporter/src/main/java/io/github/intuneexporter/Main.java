package io.github.intuneexporter;

import com.typesafe.config.Config;
import io.github.intuneexporter.cli.Cli;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.doctor.Doctor;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.log.Logging;
import io.github.intuneexporter.report.ReportCommand;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line entry point. Exit codes: 0 normal, 1 runtime failure, 2 bad configuration or usage. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        FatalErrors.install();
        MemoryWatchdog.start();
        HeapSizing.apply();
        // Before start-up, so that a stop signal while Graph clients and collectors are being built exits 0 cleanly.
        installStopHandlers();
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the command; returns the exit code, or -1 when the exporter is running and main must not exit. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with the environment that supplies flags not given. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("report")) {
            return ReportCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("bench")) {
            // The benchmark carries the full Graph SDK for its baseline, so it ships as a jar of its own.
            err.println(
                    "intune-exporter: bench ships as its own jar: java -Xmx256m -jar target/intune-exporter-bench.jar "
                            + "--sizes 10000,100000,1000000 (see its --help)");
            return 2;
        }
        Cli.Invocation options;
        try {
            options = Cli.parse(args, env, out);
        } catch (Cli.UsageException e) {
            if (e.getMessage() != null) {
                err.println("intune-exporter: " + e.getMessage());
                return 2;
            }
            return 0;
        }
        Logging.configure(options.logLevel(), options.logFormat());
        for (String notice : options.notices()) {
            LOG.warn(notice); // a loop, not forEach(LOG::warn): the caller field names Main, not Iterable
        }
        SettingsSource source = new SettingsSource(options);
        ExporterSettings settings;
        try {
            settings = source.load();
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        }
        if (options.command() == Cli.Command.CHECK_CONFIG) {
            return checkConfig(settings, options, out, err);
        }
        if (options.command() == Cli.Command.DOCTOR) {
            return doctor(settings, options, out, err);
        }
        return serve(settings, options, source, out, err);
    }

    /** Starts the daemon and blocks until a signal stops it; returns only when it could not start. */
    private static int serve(
            ExporterSettings settings,
            Cli.Invocation options,
            SettingsSource source,
            PrintStream out,
            PrintStream err) {
        Exporter exporter;
        try {
            exporter = Exporter.create(settings, options.demo(), Clock.systemUTC());
            exporter.reloadFrom(source::load);
            RUNNING.set(exporter);
            exporter.start(settings.web());
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        } catch (BindException e) {
            err.println("intune-exporter: cannot listen on "
                    + String.join(", ", settings.web().listenAddresses()) + ": " + e.getMessage()
                    + " (set --web.listen-address or intune.web.listen-address)");
            return 1;
        } catch (Exception e) {
            err.println("intune-exporter: start-up failed: " + e);
            LOG.debug("start-up failure", e);
            return 1;
        }
        if (options.demo()) {
            printDemoBanner(settings, exporter, out);
        }
        installReloadHandler(exporter);
        try {
            new CountDownLatch(1).await(); // the daemon runs until a signal stops it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** The exporter started by {@link #run}, for the stop handlers; null before it is started. */
    private static final AtomicReference<Exporter> RUNNING = new AtomicReference<>();

    /**
     * The configuration as the command line asks for it, loadable again on reload: the file is re-read, the flags stay.
     * Collector flags apply to the merged configuration, so the file is loaded twice when they are given.
     */
    record SettingsSource(Cli.Invocation options) {
        ExporterSettings load() {
            ExporterSettings settings = SettingsLoader.load(options.configFile(), options.overrides(), options.demo());
            Config collectors = options.collectorOverrides(settings.raw());
            if (!collectors.isEmpty()) {
                settings = SettingsLoader.load(
                        options.configFile(), collectors.withFallback(options.overrides()), options.demo());
            }
            if (!options.demo()) {
                checkCredentials(settings);
            }
            return settings;
        }
    }

    /** SIGHUP re-reads the configuration and the web configuration, as Prometheus and its exporters do. */
    @SuppressWarnings("restriction")
    private static void installReloadHandler(Exporter exporter) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread t = new Thread(() -> exporter.reload("SIGHUP"), "intune-reload");
                t.setDaemon(true);
                t.setContextClassLoader(
                        Main.class.getClassLoader()); // signal threads have none; the config loader needs it
                t.start();
            });
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot handle SIGHUP: {}", e.getMessage());
        }
    }

    /**
     * SIGTERM and SIGINT stop collection (in-flight Graph calls are cancelled, runs get a bounded grace), close the
     * HTTP server and exit 0, also when they arrive during start-up. Other exits still run the shutdown hook.
     */
    @SuppressWarnings("restriction")
    private static void installStopHandlers() {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            Exporter exporter = RUNNING.get();
            if (exporter != null && stopping.compareAndSet(false, true)) {
                LOG.info("shutting down");
                exporter.stop(STOP_GRACE);
                LOG.info("stopped");
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    Thread t = new Thread(
                            () -> {
                                stop.run();
                                System.exit(0);
                            },
                            "intune-stop");
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

    private static void printDemoBanner(ExporterSettings settings, Exporter exporter, PrintStream out) {
        if (exporter.tenants().isEmpty()) {
            out.println("Demo mode: " + ConfigSummary.shardLine(settings, exporter.tenants(), true));
        } else {
            out.println("Demo mode: simulated tenant with " + settings.demo().devices() + " devices at "
                    + exporter.simulator().baseUrl());
        }
        out.println("Metrics: " + (settings.web().security().tls() == null ? "http" : "https") + "://localhost:"
                + exporter.port() + settings.web().metricsPath() + "   (Ctrl-C to stop)");
        String scenario =
                exporter.tenants().isEmpty() ? "" : exporter.simulator().scenarioLine();
        if (!scenario.isEmpty()) {
            out.println(scenario);
        }
    }

    private static int doctor(ExporterSettings settings, Cli.Invocation options, PrintStream out, PrintStream err) {
        return withExporter(
                settings,
                options,
                err,
                "doctor",
                exporter -> exporter.tenants().isEmpty()
                        ? noTenantToCheck(settings, exporter, options, out)
                        : Doctor.run(
                                exporter.tenants().stream()
                                        .map(t -> new Doctor.Tenant(
                                                t.name(), t.graph().api(), t.collectors()))
                                        .toList(),
                                out));
    }

    /** doctor on a replica whose shard holds none of the configured tenants: nothing to sign in to. */
    private static int noTenantToCheck(
            ExporterSettings settings, Exporter exporter, Cli.Invocation options, PrintStream out) {
        out.println(ConfigSummary.shardLine(settings, exporter.tenants(), options.demo()) + "; nothing to check");
        return 0;
    }

    /** A command run on a built, unstarted exporter. */
    private interface ExporterCommand {
        int run(Exporter exporter) throws Exception;
    }

    /** Builds the exporter for {@code command}: a configuration error exits 2, any other failure 1. */
    private static int withExporter(
            ExporterSettings settings, Cli.Invocation options, PrintStream err, String what, ExporterCommand command) {
        try (Exporter exporter = Exporter.create(settings, options.demo(), Clock.systemUTC())) {
            return command.run(exporter);
        } catch (ConfigException e) {
            err.println("intune-exporter: configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("intune-exporter: " + what + " failed: " + e);
            return 1;
        }
    }

    private static int checkConfig(
            ExporterSettings settings, Cli.Invocation options, PrintStream out, PrintStream err) {
        return withExporter(settings, options, err, "configuration check", exporter -> {
            out.println("Configuration OK.");
            out.print(ConfigSummary.of(settings, exporter.tenants(), options.demo()));
            return 0;
        });
    }
}
