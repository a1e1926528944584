package io.github.intuneexporter.http;

import io.github.intuneexporter.metrics.GaugeFamily;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;

/**
 * The outcome of the last configuration load, under Prometheus' own metric names: start-up counts as a successful
 * load, each reload (SIGHUP, POST /-/reload) sets them again.
 */
public final class ReloadStatus implements MultiCollector {
    private final Clock clock;
    /** One field, so that a reader never sees the outcome of one load with the time of another. */
    private volatile Outcome last;

    /** Whether the last load succeeded, and when the last successful one was (epoch milliseconds). */
    public record Outcome(boolean successful, long successMillis) {}

    public ReloadStatus(Clock clock) {
        this.clock = clock;
        this.last = new Outcome(true, clock.millis());
    }

    public void succeeded() {
        last = new Outcome(true, clock.millis());
    }

    public void failed() {
        last = new Outcome(false, last.successMillis());
    }

    public Outcome last() {
        return last;
    }

    @Override
    public MetricSnapshots collect() {
        Outcome outcome = last;
        GaugeFamily ok = GaugeFamily.of(
                "intune_exporter_config_last_reload_successful",
                "1 if the last configuration load (start-up or reload) succeeded, 0 if it failed and the previous one is still in use.");
        ok.set(outcome.successful() ? 1 : 0);
        GaugeFamily at = GaugeFamily.of(
                "intune_exporter_config_last_reload_success_timestamp_seconds",
                "Unix time of the last successful configuration load (start-up or reload).");
        at.set(outcome.successMillis() / 1000.0);
        return new MetricSnapshots(ok.toSnapshot(), at.toSnapshot());
    }
}
