package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's Intune subscription state, {@code deviceManagement.subscriptionState} (v1.0 enum
 * deviceManagementSubscriptionState), as a one-hot gauge over every member: one request,
 * {@code GET /deviceManagement?$select=subscriptionState} (Graph returns the property only when selected).
 */
public final class SubscriptionCollector extends AbstractCollector<Void> {
    public static final String NAME = "subscription";
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionCollector.class);

    static final String PATH = "/deviceManagement?$select=subscriptionState";
    /** deviceManagementSubscriptionState members (v1.0 CSDL), snake_case; "unknown" for a value added later. */
    public static final List<String> STATES =
            List.of("pending", "active", "warning", "disabled", "deleted", "blocked", "locked_out");

    private static final Set<String> KNOWN = Set.copyOf(STATES);
    /** Every label value: the members, then "unknown". */
    private static final List<String> LABELS =
            Stream.concat(STATES.stream(), Stream.of(EnumLabels.UNKNOWN)).toList();

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_subscription_state{state}
                The tenant's Intune subscription state (deviceManagement.subscriptionState): 1 for the current state, 0
                for the others; anything but active needs attention.
            """);

    public SubscriptionCollector(GraphApi graph, Duration interval) {
        super(NAME, FAMILIES, graph, interval, null);
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(PATH));
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode tenant = graph.get(PATH);
        String raw = GraphJson.text(tenant, "subscriptionState");
        if (raw == null) {
            // Nullable="false" in the CSDL: a response without it is not a state we can report, so the run fails.
            throw new IllegalStateException("GET " + PATH + " returned no subscriptionState");
        }
        String state = EnumLabels.bounded(raw, KNOWN);
        if (state.equals(EnumLabels.UNKNOWN)) {
            LOG.warn("subscription: unknown subscriptionState '{}' exported as state=\"unknown\"", raw);
        }
        GaugeFamily f = StateCounts.zeroFill(FAMILIES.gauge("intune_subscription_state"), LABELS)
                .set(1, state);
        return new SnapshotBuilder().add(f).build();
    }
}
