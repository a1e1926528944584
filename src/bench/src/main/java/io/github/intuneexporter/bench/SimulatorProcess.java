package io.github.intuneexporter.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import io.github.intuneexporter.simulator.TenantSimulator;
import io.github.intuneexporter.standin.GraphStandIn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Graph simulator of {@code bench msp} in a JVM of its own, so that the exporter's memory, threads and CPU are
 * measured without the simulated tenants'. One child process serves every tenant. The parent uses it as the demo
 * mode's {@link GraphStandIn}: each tenant the exporter opens is started in the child (the same stand-in code as in
 * process), and its Graph root is the child's loopback port. They talk over the child's stdin and stdout, one line per
 * request and answer; the child ends when its stdin closes, so it never outlives the benchmark.
 */
final class SimulatorProcess implements GraphStandIn, AutoCloseable {
    /** Starts every answer line: the child's stdout may also carry what the JVM writes there (a thread dump). */
    private static final String ANSWER = "@";

    private final Process process;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final PrintWriter requests;
    private final GraphStandIn local;

    private SimulatorProcess(Process process, GraphStandIn local) {
        this.process = process;
        this.local = local;
        this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        // Always drained, so that nothing the child writes can fill the pipe and stall it; only answers are kept.
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.startsWith(ANSWER)) {
                                answers.add(line.substring(ANSWER.length()));
                            }
                        }
                    } catch (IOException e) {
                        // the child ended
                    }
                },
                "bench-simulator-answers");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the child JVM with this process's class path and {@code maxHeap} (e.g. "2g"); its log goes to
     * {@code log}. Returns once it answers.
     */
    static SimulatorProcess start(String maxHeap, Path log) throws IOException {
        GraphStandIn local =
                GraphStandIn.find().orElseThrow(() -> new IOException("the Graph simulator is not on the class path"));
        Files.createDirectories(log.toAbsolutePath().getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx" + maxHeap,
                        "-XX:+DisplayVMOutputToStderr",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulatorProcess.class.getName())
                .redirectError(log.toFile())
                .start();
        SimulatorProcess child = new SimulatorProcess(p, local);
        child.ask("ping");
        return child;
    }

    /** The child's process id (its memory and threads are read from /proc). */
    long pid() {
        return process.pid();
    }

    private synchronized String ask(String request) throws IOException {
        requests.println(request);
        String answer = null;
        while (answer == null && process.isAlive()) {
            try {
                answer = answers.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the simulator process");
            }
        }
        if (answer == null) {
            answer = answers.poll();
        }
        if (answer == null) {
            throw new IOException("the simulator process ended (exit code "
                    + (process.isAlive() ? "?" : Integer.toString(process.exitValue())) + "); see its log");
        }
        if (answer.startsWith("error ")) {
            throw new IllegalArgumentException(answer.substring("error ".length()));
        }
        return answer.startsWith("ok ") ? answer.substring(3) : "";
    }

    @Override
    public void check(Config config) {
        local.check(config);
    }

    @Override
    public Map<String, String> scenarios() {
        return local.scenarios();
    }

    @Override
    public synchronized Running start(DemoTenant t) throws IOException {
        // The stand-in's own sections (intune.simulator, intune.demo) as the exporter read them for this tenant, as the
        // in-process stand-in gets them: a tenant opened by a reload starts with the reloaded settings.
        ask("config " + t.config().root().withOnlyKey("intune").render(ConfigRenderOptions.concise()));
        String[] a = ask(String.join(
                        " ",
                        "start",
                        Integer.toString(t.index()),
                        Long.toString(t.seed()),
                        Integer.toString(t.devices()),
                        Long.toString(t.evolveEvery().toMillis()),
                        Double.toString(t.oddValues()),
                        Long.toString(t.latency().toMillis()),
                        t.token()))
                .split(" ");
        Limits limits = a[1].equals("-")
                ? null
                : new Limits(
                        Double.parseDouble(a[1]), a[2].equals("-") ? null : Duration.ofMillis(Long.parseLong(a[2])));
        return new Remote(a[0], limits);
    }

    /** Plays {@code scenario} on the tenant with this index: normal for {@code normal}, then the incident. */
    void play(int index, String scenario, Duration normal, Duration incident) throws IOException {
        ask("play " + index + " " + scenario + " " + normal.toMillis() + " " + incident.toMillis());
    }

    /** Graph requests the simulated tenants have answered so far, all of them together. */
    long requestCount() throws IOException {
        return Long.parseLong(ask("requests"));
    }

    /** Ends the child: it stops its servers when its stdin closes; killed if it has not ended after 5 s. */
    @Override
    public void close() {
        requests.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A tenant served by the child: its servers live there, so closing it here does nothing. */
    private record Remote(String baseUrl, Limits limits) implements Running {
        @Override
        public String scenarioLine() {
            return "";
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException("this simulated tenant runs in the simulator process");
        }

        @Override
        public void close() {}
    }

    /** The child: serves the requests of its parent on stdin until it closes. */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        Consumer<String> answers = line -> {
            out.println(ANSWER + line);
            out.flush();
        };
        System.setOut(System.err); // stdout carries the answers only; whatever logs to stdout goes to the log
        GraphStandIn standIn = GraphStandIn.find().orElseThrow();
        Clock clock = Clock.systemUTC();
        List<Running> tenants = new ArrayList<>();
        Config config = ConfigFactory.empty();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                String[] a = line.split(" ", 2);
                try {
                    switch (a[0]) {
                        case "ping" -> answers.accept("ok pong");
                        case "config" -> {
                            config = ConfigFactory.parseString(a[1]).resolve();
                            answers.accept("ok");
                        }
                        case "start" -> answers.accept(startTenant(a[1], standIn, clock, config, tenants));
                        case "play" -> {
                            playScenario(a[1], tenants, clock);
                            answers.accept("ok");
                        }
                        case "requests" -> answers.accept("ok " + requestCount(tenants));
                        default -> answers.accept("error unknown request " + a[0]);
                    }
                } catch (RuntimeException | IOException e) {
                    answers.accept("error " + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
        } finally {
            tenants.stream().filter(Objects::nonNull).forEach(Running::close);
        }
        System.exit(0);
    }

    /**
     * Starts the tenant of a "start" request ({@code index seed devices latencyMillis ... name}, the fields of a
     * {@link DemoTenant}) and returns the answer: its Graph root, and its limits' scale and window ("-" when none).
     */
    private static String startTenant(
            String request, GraphStandIn standIn, Clock clock, Config config, List<Running> tenants)
            throws IOException {
        String[] f = request.split(" ");
        Running r = standIn.start(new DemoTenant(
                Integer.parseInt(f[0]),
                Long.parseLong(f[1]),
                Integer.parseInt(f[2]),
                Duration.ofMillis(Long.parseLong(f[3])),
                Double.parseDouble(f[4]),
                Duration.ofMillis(Long.parseLong(f[5])),
                f[6],
                clock,
                config));
        while (tenants.size() <= Integer.parseInt(f[0])) {
            tenants.add(null);
        }
        tenants.set(Integer.parseInt(f[0]), r);
        Limits l = r.limits();
        return "ok " + r.baseUrl() + " "
                + (l == null
                        ? "- -"
                        : l.scale() + " "
                                + (l.window() == null
                                        ? "-"
                                        : Long.toString(l.window().toMillis())));
    }

    /** Plays the scenario of a "play" request ({@code index scenario normalMillis incidentMillis}) on its tenant. */
    private static void playScenario(String request, List<Running> tenants, Clock clock) {
        String[] f = request.split(" ");
        String name = f[1];
        var scenario = Scenarios.byName(name).orElseThrow(() -> new IllegalArgumentException("no scenario " + name));
        tenants.get(Integer.parseInt(f[0]))
                .unwrap(TenantSimulator.class)
                .tenant()
                .play(ScenarioRun.start(
                        scenario,
                        clock,
                        Duration.ofMillis(Long.parseLong(f[2])),
                        Duration.ofMillis(Long.parseLong(f[3]))));
    }

    /** Graph requests answered so far by every tenant. */
    private static long requestCount(List<Running> tenants) {
        return tenants.stream()
                .filter(Objects::nonNull)
                .mapToLong(t -> t.unwrap(TenantSimulator.class).requestCount())
                .sum();
    }
}
