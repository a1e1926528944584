package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.collector.kit.StateCounts;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrollment failures from {@code GET /deviceManagement/troubleshootingEvents} (v1.0) and, opt-in, Autopilot
 * deployments from {@code GET /beta/deviceManagement/autopilotEvents}.
 *
 * <p>Graph only offers "the events it still holds", so the counters are built here: every event is counted
 * once (see {@link EventLedger}) and the ledgers are kept in a state file across restarts. Whether Graph
 * honours {@code $filter} on eventDateTime is unverified, so both streams are read whole (streamed, page by
 * page) and windowed client-side. A run either completes and commits its new ledgers (memory and file), or
 * fails and leaves them untouched.
 */
public final class EnrollmentCollector extends AbstractCollector<CollectorSettings.Enrollment> {
    public static final String NAME = "enrollment";
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentCollector.class);

    static final String ENROLLMENT_EVENT_TYPE = "#microsoft.graph.enrollmentTroubleshootingEvent";
    static final String FAILURES = "troubleshootingEvents";
    static final String AUTOPILOT = "autopilotEvents";

    public static final List<String> FAILURE_CATEGORIES = List.of(
            "unknown",
            "authentication",
            "authorization",
            "account_validation",
            "user_validation",
            "device_not_supported",
            "in_maintenance",
            "bad_request",
            "feature_not_supported",
            "enrollment_restrictions_enforced",
            "client_disconnected",
            "user_abandonment");
    public static final List<String> DEPLOYMENT_STATES = List.of(
            "success",
            "in_progress",
            "failure",
            "success_with_timeout",
            "not_attempted",
            "disabled",
            "success_on_retry",
            "unknown");
    private static final Set<String> FAILURE_CATEGORY_SET = Set.copyOf(FAILURE_CATEGORIES);
    private static final Set<String> DEPLOYMENT_STATE_SET = Set.copyOf(DEPLOYMENT_STATES);
    private static final Duration LAST_DAY = Duration.ofDays(1);

    private final CommittedLedgers ledgers;

    public EnrollmentCollector(GraphApi graph, Clock clock, Duration interval, CollectorSettings.Enrollment settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
        Map<String, List<String>> streams = new LinkedHashMap<>();
        streams.put(FAILURES, FAMILIES.get("intune_enrollment_failures").labels());
        streams.put(AUTOPILOT, FAMILIES.get("intune_autopilot_deployments").labels());
        this.ledgers = new CommittedLedgers(NAME, settings.stateFile(), streams);
    }

    @Override
    public List<GraphProbe> probes() {
        return settings.autopilot()
                ? List.of(
                        GraphProbe.get("/deviceManagement/troubleshootingEvents?$top=1"),
                        GraphProbe.getBeta("/deviceManagement/autopilotEvents?$top=1"))
                : List.of(GraphProbe.get("/deviceManagement/troubleshootingEvents?$top=1"));
    }

    @Override
    public List<String> betaSourcesOff() {
        return settings.autopilot() ? List.of() : List.of("intune.collectors.enrollment.autopilot");
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        Map<String, EventLedger> before = ledgers.current();

        FailureRun failures = readFailures(before.get(FAILURES), now);
        AutopilotRun deployments = settings.autopilot() ? readAutopilot(before.get(AUTOPILOT), now) : null;

        Map<String, EventLedger> after = new LinkedHashMap<>(before);
        after.put(FAILURES, failures.update.finish());
        if (deployments != null) {
            after.put(AUTOPILOT, deployments.update.finish());
        }
        MetricSnapshots snapshot = snapshot(after, failures, deployments);
        ledgers.commit(before, after);
        LOG.debug(
                "enrollment: {} new failure events{}",
                failures.update.counted(),
                deployments == null ? "" : ", " + deployments.update.counted() + " new Autopilot deployment states");
        return snapshot;
    }

    /** The committed ledger of one stream (tests). */
    EventLedger ledger(String stream) {
        return ledgers.current().get(stream);
    }

    private record FailureRun(EventLedger.Update update, Map<List<String>, Long> lastDay) {}

    private record AutopilotRun(EventLedger.Update update, long failuresLastDay) {}

    private FailureRun readFailures(EventLedger ledger, Instant now) throws GraphException {
        EventLedger.Update update = ledger.begin(now, settings.retention());
        Map<List<String>, Long> lastDay = new HashMap<>();
        Set<String> lastDayIds = new HashSet<>();
        Instant dayAgo = now.minus(LAST_DAY);
        Map<String, String> item = new HashMap<>();
        int[] skipped = new int[1];
        // $top: Graph's default page is 100 events; a large tenant's 30-day window would need 10 times the pages.
        graph.forEach("/deviceManagement/troubleshootingEvents?$top=" + graph.pageSize(), parser -> {
            GraphApi.readFlat(parser, item);
            // Only enrollment failures count; other troubleshooting event types carry no failure.
            if (!ENROLLMENT_EVENT_TYPE.equalsIgnoreCase(item.get("@odata.type"))) {
                return;
            }
            String id = item.get("id");
            if (id == null || id.isBlank()) {
                skipped[0]++;
                return;
            }
            Instant time = GraphJson.instant(item.get("eventDateTime"));
            String category = EnumLabels.bounded(item.get("failureCategory"), FAILURE_CATEGORY_SET);
            String os = Platform.ofOperatingSystem(item.get("operatingSystem")).label();
            String enrollment =
                    EnumLabels.bounded(item.get("enrollmentType"), DeviceInventoryCollector.ENROLLMENT_TYPES);
            update.offer(id, time, List.of(category, os, enrollment));
            if (time != null && time.isAfter(dayAgo) && !time.isAfter(now) && lastDayIds.add(id)) {
                lastDay.merge(List.of(category, os), 1L, Long::sum);
            }
        });
        if (skipped[0] > 0) {
            LOG.warn("enrollment: {} troubleshooting events without an id were ignored", skipped[0]);
        }
        // Every failure category exists for every (OS, enrollment type) seen, so the first failure of a kind is a
        // visible increase and not the birth of a series, which rate() would miss.
        Set<List<String>> pairs = new LinkedHashSet<>();
        for (List<String> labels : update.series()) {
            pairs.add(List.of(labels.get(1), labels.get(2)));
        }
        for (List<String> pair : pairs) {
            for (String category : FAILURE_CATEGORIES) {
                update.ensure(List.of(category, pair.get(0), pair.get(1)));
            }
        }
        return new FailureRun(update, lastDay);
    }

    private AutopilotRun readAutopilot(EventLedger ledger, Instant now) throws GraphException {
        EventLedger.Update update = ledger.begin(now, settings.retention());
        Set<String> failedLastDay = new HashSet<>();
        Instant dayAgo = now.minus(LAST_DAY);
        Map<String, String> item = new HashMap<>();
        graph.forEachUrl(graph.betaRoot() + "/deviceManagement/autopilotEvents?$top=" + graph.pageSize(), parser -> {
            GraphApi.readFlat(parser, item);
            String id = item.get("id");
            if (id == null || id.isBlank()) {
                return;
            }
            Instant time = GraphJson.instant(item.get("eventDateTime"));
            String state = EnumLabels.bounded(item.get("deploymentState"), DEPLOYMENT_STATE_SET);
            // A deployment's event is updated in place (inProgress, then success or failure): each state it
            // reaches is counted once.
            update.offer(id + "|" + state, time, List.of(state));
            if (state.equals("failure") && time != null && time.isAfter(dayAgo) && !time.isAfter(now)) {
                failedLastDay.add(id);
            }
        });
        for (String state : DEPLOYMENT_STATES) {
            update.ensure(List.of(state));
        }
        return new AutopilotRun(update, failedLastDay.size());
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            counter intune_enrollment_failures{failure_category,operating_system,enrollment_type}
                Enrollment failures (troubleshootingEvents of type enrollmentTroubleshootingEvent), each event counted
                once; persisted across restarts in the state file.
            counter intune_autopilot_deployments{deployment_state}
                Windows Autopilot deployments by deployment state (beta autopilotEvents); each deployment is counted
                once per state it reaches.
            gauge intune_enrollment_failures_last_day{failure_category,operating_system}
                Enrollment failures whose eventDateTime is within the last 24 hours (troubleshootingEvents).
            gauge intune_enrollment_last_failure_timestamp_seconds
                Time of the newest enrollment failure seen (troubleshootingEvents eventDateTime), Unix seconds; absent
                until the first failure.
            gauge intune_autopilot_failures_last_day
                Autopilot deployments in state failure whose eventDateTime is within the last 24 hours (beta
                autopilotEvents).
            """);

    private static MetricSnapshots snapshot(
            Map<String, EventLedger> ledgers, FailureRun failures, AutopilotRun deployments) {
        SnapshotBuilder out = new SnapshotBuilder();
        EventLedger f = ledgers.get(FAILURES);
        out.add(f.toCounter(FAMILIES.get("intune_enrollment_failures")));

        GaugeFamily lastDay = FAMILIES.gauge("intune_enrollment_failures_last_day");
        Set<String> systems = new LinkedHashSet<>();
        for (List<String> labels : f.counts().keySet()) {
            systems.add(labels.get(1));
        }
        StateCounts.zeroFill(lastDay, FAILURE_CATEGORIES, List.copyOf(systems));
        failures.lastDay.forEach((labels, n) -> lastDay.add(n, labels.get(0), labels.get(1)));
        out.add(lastDay);

        GaugeFamily lastFailure = FAMILIES.gauge("intune_enrollment_last_failure_timestamp_seconds");
        if (f.watermark() != null) {
            lastFailure.set(f.watermark().getEpochSecond());
        }
        out.add(lastFailure);

        if (deployments != null) {
            out.add(ledgers.get(AUTOPILOT).toCounter(FAMILIES.get("intune_autopilot_deployments")));
            out.add(FAMILIES.gauge("intune_autopilot_failures_last_day").set(deployments.failuresLastDay));
        }
        return out.build();
    }
}
