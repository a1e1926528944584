package io.github.intuneexporter.bench;

import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.SimulatorLimits;
import io.github.intuneexporter.simulator.TenantSimulator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * {@code intune-exporter-bench.jar simulator --devices N}: serves the benchmark's simulated tenant (same seed, token
 * and throttling limits) from a process of its own, until killed. Pointing the device-scan benchmark at it with
 * {@code --set intune.graph.base-url=URL} measures an exporter whose CPU, GC and heap hold nothing of the simulator
 * (whose per-device cost grows with every property it learns to serve); the benchmark then starts none of its own.
 * Any exporter version's benchmark accepts that setting, so old and new builds are compared on the same server.
 */
final class SimulatorServer {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -jar intune-exporter-bench.jar simulator --devices N [--seed N]",
            "  Serves one simulated tenant on 127.0.0.1 (free port; the base URL is printed) until killed; then run",
            "  the benchmark with --set intune.graph.base-url=URL --sizes N.");

    private SimulatorServer() {}

    record Options(int devices, long seed) {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        return BenchArgs.run(
                "intune-exporter bench simulator", USAGE, args, out, err, SimulatorServer::parse, o -> serve(o, out));
    }

    static Options parse(String[] args) {
        int devices = 0;
        long seed = 42;
        BenchArgs.Cursor c = new BenchArgs.Cursor(args);
        while (c.next()) {
            switch (c.option()) {
                case "--devices" -> devices = c.positive();
                case "--seed" -> seed = c.positive();
                default -> throw c.unknown();
            }
        }
        if (devices < 1) {
            throw new IllegalArgumentException("--devices N is required");
        }
        return new Options(devices, seed);
    }

    private static int serve(Options options, PrintStream out) throws Exception {
        Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC);
        SimulatedTenant tenant = new SimulatedTenant(options.seed(), options.devices(), clock, Duration.ofHours(1));
        TenantSimulator simulator = TenantSimulator.start(tenant, Benchmark.TOKEN);
        // Intune's documented limits, as the in-process benchmark enforces them.
        simulator.setLimits(SimulatorLimits.fromConfig(
                SettingsLoader.load(SettingsLoader.parseString("intune.simulator.enforce-limits = true"))
                        .raw()));
        out.println(simulator.baseUrl());
        out.flush();
        try {
            Thread.currentThread().join(); // serves until the process is killed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
