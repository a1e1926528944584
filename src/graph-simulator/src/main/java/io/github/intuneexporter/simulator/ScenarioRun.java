package io.github.intuneexporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
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
    /** Days between the start of an apns-expiring incident and the certificate's expiry. */
    public static final int APNS_DAYS_LEFT = 5;

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
}
