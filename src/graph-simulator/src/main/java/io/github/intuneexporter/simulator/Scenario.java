package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A named incident the simulator can play: the tenant runs normally, then the incident changes it, then it
 * recovers. Each phase is plain data ({@link ScenarioEffects}); {@link ScenarioRun} decides from the clock which
 * phase is current. See docs/scenarios.md.
 *
 * @param name the name used with {@code --scenario}
 * @param summary one line: what happens
 * @param normalLength how long the demo runs normally before the incident by default: the history that spike and
 *     average-based alerts compare with
 * @param incidentLength how long the incident lasts in the demo by default: long enough for the shipped alert
 *     rules' {@code for:} durations, so the alerts fire on the demo wall
 * @param alerts the alerts of the shipped rules that the incident should fire
 */
public record Scenario(
        String name,
        String summary,
        ScenarioEffects normal,
        ScenarioEffects incident,
        ScenarioEffects recovered,
        Duration normalLength,
        Duration incidentLength,
        List<String> alerts) {

    /** The phases of a scenario, in order. */
    public enum Phase {
        NORMAL,
        INCIDENT,
        RECOVERED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Scenario {
        alerts = List.copyOf(alerts);
    }

    public ScenarioEffects effects(Phase phase) {
        return switch (phase) {
            case NORMAL -> normal;
            case INCIDENT -> incident;
            case RECOVERED -> recovered;
        };
    }
}
