package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-install troubleshooting events from {@code GET /deviceManagement/mobileAppTroubleshootingEvents} (v1.0,
 * DeviceManagementManagedDevices.Read.All), counted once each like the enrollment failures.
 *
 * <p>In v1.0 a mobileAppTroubleshootingEvent carries nothing but its {@code id} (the app, device, user, time and
 * install history are beta-only properties), so the counter has no category label and no event time: each id is
 * counted the first time a run sees it. Ids stay in the {@link EventLedger} while Graph lists them and for
 * {@code retention} after, so neither a restart (state file) nor Graph's re-listing counts an event twice. The first
 * run counts the backlog Graph still holds.
 */
public final class AppTroubleshootingCollector extends AbstractCollector<CollectorSettings.AppTroubleshooting> {
    public static final String NAME = "app_troubleshooting";
    private static final Logger LOG = LoggerFactory.getLogger(AppTroubleshootingCollector.class);
    static final String EVENTS = "/deviceManagement/mobileAppTroubleshootingEvents?$select=id";
    static final String LEDGER = "mobileAppTroubleshootingEvents";

    private final CommittedLedgers ledgers;

    public AppTroubleshootingCollector(
            GraphApi graph, Clock clock, Duration interval, CollectorSettings.AppTroubleshooting settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
        this.ledgers = new CommittedLedgers(NAME, settings.stateFile(), Map.of(LEDGER, List.of()));
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            counter intune_app_troubleshooting_events
                App-install troubleshooting events (v1.0 mobileAppTroubleshootingEvents), each id counted once;
                persisted across restarts in the state file. v1.0 carries no category or time.
            gauge intune_app_troubleshooting_events_listed
                App-install troubleshooting events Graph lists now (v1.0 mobileAppTroubleshootingEvents).
            """);

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(EVENTS + "&$top=1"));
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        Map<String, EventLedger> before = ledgers.current();
        EventLedger.Update update = before.get(LEDGER).begin(now, settings.retention());
        Map<String, String> item = new HashMap<>();
        long listed = graph.forEach(EVENTS + "&$top=" + graph.pageSize(), parser -> {
            GraphApi.readFlat(parser, item);
            String id = item.get("id");
            if (id != null && !id.isBlank()) {
                update.offerUndated(id, List.of());
            }
        });
        update.ensure(List.of());
        EventLedger after = update.finish();
        ledgers.commit(before, Map.of(LEDGER, after));
        LOG.debug("app_troubleshooting: {} events listed, {} new", listed, update.counted());
        return new SnapshotBuilder()
                .add(after.toCounter(FAMILIES.get("intune_app_troubleshooting_events")))
                .add(FAMILIES.gauge("intune_app_troubleshooting_events_listed").set(listed))
                .build();
    }
}
