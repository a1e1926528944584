package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
public final class AppTroubleshootingCollector extends AbstractCollector {
    public static final String NAME = "app_troubleshooting";
    private static final Logger LOG = LoggerFactory.getLogger(AppTroubleshootingCollector.class);
    static final String EVENTS = "/deviceManagement/mobileAppTroubleshootingEvents?$select=id";
    static final String LEDGER = "mobileAppTroubleshootingEvents";

    private final GraphApi graph;
    private final Clock clock;
    private final Duration retention;
    private final EventLedgerFile stateFile;
    private final AtomicReference<EventLedger> ledger = new AtomicReference<>();

    public AppTroubleshootingCollector(
            GraphApi graph, Clock clock, Duration interval, Duration retention, Path stateFile) {
        super(NAME, interval, FAMILIES);
        this.graph = graph;
        this.clock = clock;
        this.retention = retention;
        this.stateFile = new EventLedgerFile(stateFile, "intune.collectors." + NAME + ".state-file");
    }

    static final FamilySpec EVENTS_TOTAL = FamilySpec.counter(
            "intune_app_troubleshooting_events",
            "App-install troubleshooting events (v1.0 mobileAppTroubleshootingEvents), each id counted once; "
                    + "persisted across restarts in the state file. v1.0 carries no category or time.");

    static AppTroubleshootingCollector create(
            CollectorSettings.AppTroubleshooting s, GraphApi graph, Clock clock, Duration interval) {
        return new AppTroubleshootingCollector(graph, clock, interval, s.retention(), s.stateFile());
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(EVENTS + "&$top=1"));
    }

    /** Reads the state file on the first run (not at construction: a disabled collector never touches it). */
    EventLedger current() {
        EventLedger l = ledger.get();
        if (l == null) {
            ledger.compareAndSet(null, stateFile.load(Map.of(LEDGER, List.of())).get(LEDGER));
            l = ledger.get();
        }
        return l;
    }

    static final FamilySpec APP_TROUBLESHOOTING_EVENTS_LISTED = FamilySpec.gauge(
            "intune_app_troubleshooting_events_listed",
            "App-install troubleshooting events Graph lists now (v1.0 mobileAppTroubleshootingEvents).");
    static final List<FamilySpec> FAMILIES = List.of(EVENTS_TOTAL, APP_TROUBLESHOOTING_EVENTS_LISTED);

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        EventLedger before = current();
        EventLedger.Update update = before.begin(now, retention);
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
        if (!ledger.compareAndSet(before, after)) {
            // A run that outlived its timeout finished after a newer run: its view is stale, so it must not count.
            throw new IllegalStateException(
                    "a newer app_troubleshooting run committed first; this run's counts are discarded");
        }
        stateFile.save(Map.of(LEDGER, after));
        LOG.debug("app_troubleshooting: {} events listed, {} new", listed, update.counted());
        return new SnapshotBuilder()
                .add(after.toCounter(EVENTS_TOTAL))
                .add(APP_TROUBLESHOOTING_EVENTS_LISTED.gauge().set(listed))
                .build();
    }
}
