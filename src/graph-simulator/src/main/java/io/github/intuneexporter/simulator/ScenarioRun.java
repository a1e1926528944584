package io.github.intuneexporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One playing of a {@link Scenario} on a timeline: normal until the incident starts, the incident until it ends,
 * recovered after. The phase is computed from the tenant's clock on every request, so a test that controls the
 * clock controls the scenario. {@link #startIncident()} and {@link #recover()} move the phase boundaries to
 * "now" for tests that wait for something (an alert) instead of a fixed time.
 */
public final class ScenarioRun {
    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);

    private final Scenario scenario;
    private final Clock clock;
    private volatile Instant incidentStart;
    private volatile Instant incidentEnd;
    private final AtomicReference<Scenario.Phase> logged = new AtomicReference<>();

    private ScenarioRun(Scenario scenario, Clock clock, Instant incidentStart, Instant incidentEnd) {
        this.scenario = scenario;
        this.clock = clock;
        this.incidentStart = incidentStart;
        this.incidentEnd = incidentEnd;
    }

    /** Starts now: {@code normal} of normal operation, then {@code incident} of incident, then recovered for good. */
    public static ScenarioRun start(Scenario scenario, Clock clock, Duration normal, Duration incident) {
        Instant start = clock.instant().plus(normal);
        return new ScenarioRun(scenario, clock, start, start.plus(incident));
    }

    /** Stays normal until {@link #startIncident()} is called (tests). */
    public static ScenarioRun manual(Scenario scenario, Clock clock) {
        return new ScenarioRun(scenario, clock, Instant.MAX, Instant.MAX);
    }

    public Scenario scenario() {
        return scenario;
    }

    /** The current phase, from the clock. */
    public Scenario.Phase phase() {
        Instant now = clock.instant();
        Scenario.Phase phase = now.isBefore(incidentStart)
                ? Scenario.Phase.NORMAL
                : now.isBefore(incidentEnd) ? Scenario.Phase.INCIDENT : Scenario.Phase.RECOVERED;
        if (logged.getAndSet(phase) != phase) {
            LOG.info(
                    "scenario {}: {}{}",
                    scenario.name(),
                    phase.key(),
                    switch (phase) {
                        case NORMAL ->
                            incidentStart.equals(Instant.MAX) ? "" : ", the incident starts at " + incidentStart;
                        case INCIDENT ->
                            " (" + scenario.summary() + ")"
                                    + (incidentEnd.equals(Instant.MAX) ? "" : ", recovery at " + incidentEnd);
                        case RECOVERED -> ", the incident is over";
                    });
        }
        return phase;
    }

    /** What the current phase changes in the tenant. */
    public ScenarioEffects effects() {
        return scenario.effects(phase());
    }

    /** When the incident started or starts (Instant.MAX when not scheduled). */
    public Instant incidentStart() {
        return incidentStart;
    }

    /** When the incident ended or ends (Instant.MAX when not scheduled). */
    public Instant incidentEnd() {
        return incidentEnd;
    }

    /** The incident starts now and lasts until {@link #recover()}. */
    public synchronized void startIncident() {
        incidentEnd = Instant.MAX;
        incidentStart = clock.instant();
    }

    /** The incident ends now (it starts now too if it had not started). */
    public synchronized void recover() {
        Instant now = clock.instant();
        if (incidentStart.isAfter(now)) {
            incidentStart = now;
        }
        incidentEnd = now;
    }

    /** At most this many events of a {@link Burst} are listed, so a burst left running for days stays bounded. */
    static final int BURST_MAX = 20_000;

    /**
     * Events the incident adds at a steady rate (enrollment failures, admin changes): event k is at
     * {@code start + k x every} for k up to {@code last}; the incident's start is event 0.
     */
    record Burst(Instant start, long everyMillis, long last) {
        Instant time(long k) {
            return start.plusMillis(k * everyMillis).truncatedTo(ChronoUnit.MILLIS);
        }

        /** A key unique to event k of this incident, for its generated ids. */
        long key(long k) {
            return start.getEpochSecond() * 100_003L + k;
        }
    }

    /**
     * The burst of {@code run}'s incident at the rate {@code perHour} reads from its effects, up to the incident's end
     * or {@code now}; empty without a scenario, without that rate, or before the incident.
     */
    static Optional<Burst> burst(ScenarioRun run, ToDoubleFunction<ScenarioEffects> perHour, Instant now) {
        double rate = run == null ? 0 : perHour.applyAsDouble(run.scenario().incident());
        if (rate <= 0 || !now.isAfter(run.incidentStart())) {
            return Optional.empty();
        }
        Instant start = run.incidentStart();
        Instant end = now.isBefore(run.incidentEnd()) ? now : run.incidentEnd();
        long every = Math.max(1, (long) (3_600_000 / rate));
        return Optional.of(new Burst(
                start, every, Math.min(BURST_MAX, Duration.between(start, end).toMillis() / every)));
    }
}
