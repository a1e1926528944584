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
    private volatile boolean lastSuccessful = true;
    private volatile long lastSuccessMillis;
    private volatile long lastAttemptMillis;

    public ReloadStatus(Clock clock) {
        this.clock = clock;
        this.lastSuccessMillis = clock.millis();
        this.lastAttemptMillis = lastSuccessMillis;
    }

    public void succeeded() {
        lastSuccessful = true;
        lastSuccessMillis = clock.millis();
        lastAttemptMillis = lastSuccessMillis;
    }

    public void failed() {
        lastSuccessful = false;
        lastAttemptMillis = clock.millis();
    }

    public boolean lastSuccessful() {
        return lastSuccessful;
    }

    public long lastSuccessMillis() {
        return lastSuccessMillis;
    }

    public long lastAttemptMillis() {
        return lastAttemptMillis;
    }

    @Override
    public MetricSnapshots collect() {
        GaugeFamily ok = GaugeFamily.of(
                "intune_exporter_config_last_reload_successful",
                "1 if the last configuration load (start-up or reload) succeeded, 0 if it failed and the previous one is still in use.");
        ok.set(lastSuccessful ? 1 : 0);
        GaugeFamily at = GaugeFamily.of(
                "intune_exporter_config_last_reload_success_timestamp_seconds",
                "Unix time of the last successful configuration load (start-up or reload).");
        at.set(lastSuccessMillis / 1000.0);
        return new MetricSnapshots(ok.toSnapshot(), at.toSnapshot());
    }
}
