package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intune administrator changes from {@code GET /deviceManagement/auditEvents} (v1.0), counted as
 * {@code intune_audit_events_total{category, operation_type, result}}. Who acted and on what (actor, resources,
 * display names) is never read: {@code $select} asks only for the id, the time and the three label fields.
 *
 * <p>Each run asks only for the events since the watermark (the newest event time counted) minus {@code lateness}
 * with {@code $filter=activityDateTime ge ...} (the list page names no query options; Intune lists follow Graph's OData
 * conventions, and should Graph refuse the filter with 400 the collector reads the whole log instead), follows every page, and counts each event id once
 * ({@link EventLedger}); the ledger survives restarts in a state file ({@link EventLedgerFile}), so a restart
 * neither loses the events of the downtime nor counts an event twice. A run either completes and commits, or fails
 * and leaves the counters untouched.
 */
public final class AuditCollector extends AbstractCollector<CollectorSettings.Audit> {
    public static final String NAME = "audit";
    private static final Logger LOG = LoggerFactory.getLogger(AuditCollector.class);
    static final String LEDGER = "auditEvents";
    static final String OTHER = "other";

    /**
     * Audit categories of the Intune admin center's audit log filter, snake_case. The property is a plain string
     * (no enum in the CSDL), so anything else is counted as {@value #OTHER}.
     */
    public static final List<String> CATEGORIES = List.of(
            "application",
            "assignment_filter",
            "compliance",
            "device",
            "device_configuration",
            "device_intent",
            "enrollment",
            "role",
            "software_updates",
            "other");
    /** activityOperationType: the HTTP-like operation of the change (a plain string; anything else is "other"). */
    public static final List<String> OPERATION_TYPES = List.of("create", "patch", "delete", "action", "other");
    /** activityResult (a plain string; anything else is "other"). */
    public static final List<String> RESULTS = List.of("success", "failure", "client_error", "timeout", "other");

    private static final Set<String> CATEGORY_SET = Set.copyOf(CATEGORIES);
    private static final Set<String> OPERATION_SET = Set.copyOf(OPERATION_TYPES);
    private static final Set<String> RESULT_SET = Set.copyOf(RESULTS);

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            counter intune_audit_events{category,operation_type,result}
                Intune audit events (administrator changes, deviceManagement/auditEvents) by category, operation type
                and result, each event counted once; persisted across restarts in the state file.
            gauge intune_audit_last_event_timestamp_seconds
                Time of the newest Intune audit event counted (activityDateTime), Unix seconds; absent until the first
                event.
            """);

    static final String EVENTS = "/deviceManagement/auditEvents";
    static final String SELECT = "id,activityDateTime,category,activityOperationType,activityResult";

    private final CommittedLedgers ledgers;
    private final AtomicBoolean filterRefused = new AtomicBoolean();

    public AuditCollector(GraphApi graph, Clock clock, Duration interval, CollectorSettings.Audit settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
        this.ledgers = new CommittedLedgers(
                NAME,
                settings.stateFile(),
                Map.of(LEDGER, FAMILIES.get("intune_audit_events").labels()));
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(EVENTS + "?$select=" + SELECT + "&$top=1"));
    }

    /** The bounded label value of a free-text field: its snake_case form when known, else "other" (null included). */
    static String bounded(String raw, Set<String> known) {
        String v = EnumLabels.snake(raw);
        return known.contains(v) ? v : OTHER;
    }

    /** The request of a run that counts the events since {@code from}. */
    static String query(Instant from) {
        return EVENTS + "?$filter=activityDateTime%20ge%20" + from.truncatedTo(ChronoUnit.SECONDS) + "&$select="
                + SELECT;
    }

    private String unfiltered() {
        return EVENTS + "?$select=" + SELECT + "&$top=" + graph.pageSize();
    }

    /** The committed ledger (tests). */
    EventLedger ledger() {
        return ledgers.current().get(LEDGER);
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        Map<String, EventLedger> committed = ledgers.current();
        EventLedger before = committed.get(LEDGER);
        EventLedger.Update update = before.begin(now, settings.lateness());
        // The ledger ignores events older than its window (watermark - lateness, or now - lateness before the first
        // event); asking Graph for exactly that window keeps every run small.
        Instant mark = before.watermark() == null || before.watermark().isAfter(now) ? now : before.watermark();
        Map<String, String> item = new HashMap<>();
        int[] read = new int[2]; // items read, items skipped
        GraphApi.ItemReader reader = parser -> {
            GraphApi.readFlat(parser, item);
            read[0]++;
            String id = item.get("id");
            if (id == null || id.isBlank()) {
                read[1]++;
                return;
            }
            update.offer(
                    id,
                    GraphJson.instant(item.get("activityDateTime")),
                    List.of(
                            bounded(item.get("category"), CATEGORY_SET),
                            bounded(item.get("activityOperationType"), OPERATION_SET),
                            bounded(item.get("activityResult"), RESULT_SET)));
        };
        readEvents(mark, reader, read);
        int[] skipped = {read[1]};
        if (skipped[0] > 0) {
            LOG.warn("audit: {} audit events without an id were ignored", skipped[0]);
        }
        // The usual successful changes exist at 0 from the first run, so that a burst is a visible increase and not
        // the birth of series that rate() and increase() would miss.
        for (String category : CATEGORIES) {
            for (String operation : List.of("create", "patch", "delete", "action")) {
                update.ensure(List.of(category, operation, "success"));
            }
        }
        EventLedger after = update.finish();
        ledgers.commit(committed, Map.of(LEDGER, after));
        LOG.debug("audit: {} new audit events", update.counted());
        return snapshot(after);
    }

    /**
     * Reads the audit events of the ledger's window (from {@code mark} - lateness) into {@code reader}; {@code read}
     * counts the items read. Once Graph has refused the filter, reads the whole log instead.
     */
    private void readEvents(Instant mark, GraphApi.ItemReader reader, int[] read) throws GraphException {
        String filtered = query(mark.minus(settings.lateness())) + "&$top=" + graph.pageSize();
        if (filterRefused.get()) {
            graph.forEach(unfiltered(), reader);
        } else {
            try {
                graph.forEach(filtered, reader);
            } catch (GraphException e) {
                // The list page documents no query options: should Graph refuse the filter, read the whole log (the
                // ledger windows and de-duplicates it just the same) rather than never count anything.
                if (e.status() != 400 || read[0] > 0) {
                    throw e;
                }
                filterRefused.set(true);
                LOG.warn(
                        "audit: Graph refused $filter on activityDateTime ({}); reading the whole audit log each run from now on",
                        e.getMessage());
                graph.forEach(unfiltered(), reader);
            }
        }
    }

    private static MetricSnapshots snapshot(EventLedger l) {
        GaugeFamily last = FAMILIES.gauge("intune_audit_last_event_timestamp_seconds");
        if (l.watermark() != null) {
            last.set(l.watermark().getEpochSecond());
        }
        return new SnapshotBuilder()
                .add(l.toCounter(FAMILIES.get("intune_audit_events")))
                .add(last)
                .build();
    }
}
