package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Windows Autopilot device identities by enrollment state, from the v1.0 list
 * {@code GET /deviceManagement/windowsAutopilotDeviceIdentities?$select=enrollmentState}
 * (DeviceManagementServiceConfig.Read.All), so Autopilot is visible without the beta autopilotEvents. Only the
 * enrollment state is read: serial numbers, names and users never leave Graph. Streamed page by page.
 */
public final class AutopilotCollector extends AbstractCollector<Void> {
    public static final String NAME = "autopilot";

    /** v1.0 enum enrollmentState, snake_case. */
    public static final List<String> ENROLLMENT_STATES =
            List.of("unknown", "enrolled", "pending_reset", "failed", "not_contacted");

    private static final Set<String> KNOWN = Set.copyOf(ENROLLMENT_STATES);
    static final String IDENTITIES = "/deviceManagement/windowsAutopilotDeviceIdentities?$select=enrollmentState";

    public AutopilotCollector(GraphApi graph, Duration interval) {
        super(NAME, FAMILIES, graph, interval, null);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(IDENTITIES + "&$top=1"));
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_autopilot_device_identities{enrollment_state}
                Windows Autopilot device identities by enrollmentState (v1.0 windowsAutopilotDeviceIdentities); every
                state of the v1.0 enum is exported, 0 when none.
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        GaugeFamily identities = FAMILIES.gauge("intune_autopilot_device_identities");
        for (String state : ENROLLMENT_STATES) {
            identities.ensure(state);
        }
        Map<String, String> item = new HashMap<>();
        graph.forEach(IDENTITIES, parser -> {
            GraphApi.readFlat(parser, item);
            identities.add(1, EnumLabels.bounded(item.get("enrollmentState"), KNOWN));
        });
        return new SnapshotBuilder().add(identities).build();
    }
}
