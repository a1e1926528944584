package io.github.intuneexporter.metrics;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/** Collects the families one collector run produces into an immutable {@link MetricSnapshots}. */
public final class SnapshotBuilder {
    private final List<MetricSnapshot> snapshots = new ArrayList<>();

    public SnapshotBuilder add(GaugeFamily family) {
        snapshots.add(family.toSnapshot());
        return this;
    }

    public SnapshotBuilder add(MetricSnapshot snapshot) {
        snapshots.add(snapshot);
        return this;
    }

    public MetricSnapshots build() {
        return new MetricSnapshots(snapshots);
    }
}
