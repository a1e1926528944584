package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intune's health as Microsoft 365 reports it (Service Communications API, v1.0): the status of its health
 * overview, its open incidents and advisories, and its Message Center posts. Three requests plus paging of
 * the Message Center.
 *
 * <p>Issues are filtered by Graph ({@code service eq '...' and isResolved eq false}) and checked again here.
 * Message Center posts list their services as a collection, and the lambda filter that would select them is
 * not documented for this API, so posts are read page by page and filtered here. Enum strings arrive in
 * PascalCase or camelCase; both map to the same labels. No titles or other free text become labels.
 */
public final class ServiceHealthCollector extends AbstractCollector<CollectorSettings.ServiceHealth> {
    public static final String NAME = "service_health";
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHealthCollector.class);

    public static final List<String> STATUSES = List.of(
            "service_operational",
            "investigating",
            "restoring_service",
            "verifying_service",
            "service_restored",
            "post_incident_review_published",
            "service_degradation",
            "service_interruption",
            "extended_recovery",
            "false_positive",
            "investigation_suspended",
            "resolved",
            "mitigated_external",
            "mitigated",
            "resolved_external",
            "confirmed",
            "reported",
            "unknown");
    public static final List<String> CLASSIFICATIONS = List.of("incident", "advisory", "unknown");
    public static final List<String> CATEGORIES =
            List.of("prevent_or_fix_issue", "plan_for_change", "stay_informed", "unknown");
    public static final List<String> SEVERITIES = List.of("normal", "high", "critical", "unknown");

    private final AtomicBoolean warnedMissing = new AtomicBoolean();

    public ServiceHealthCollector(
            GraphApi graph, Clock clock, Duration interval, CollectorSettings.ServiceHealth settings) {
        super(NAME, FAMILIES, graph, clock, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        // The requests of a run (one item each where the endpoint pages).
        List<GraphProbe> out =
                new ArrayList<>(List.of(GraphProbe.get(HEALTH_OVERVIEWS), GraphProbe.get(openIssues() + "&$top=1")));
        if (settings.messageCenter()) {
            out.add(GraphProbe.get(MESSAGES + "?$top=1"));
        }
        return out;
    }

    static final String HEALTH_OVERVIEWS = "/admin/serviceAnnouncement/healthOverviews";
    static final String MESSAGES = "/admin/serviceAnnouncement/messages";

    /** The service's unresolved issues. */
    private String openIssues() {
        String filter = "service eq '" + settings.serviceName().replace("'", "''") + "' and isResolved eq false";
        return "/admin/serviceAnnouncement/issues?$filter=" + encode(filter);
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_service_issues{classification,status}
                Open (not resolved) service health issues of the service (intune.collectors.service_health.service-name)
                by classification and status (/admin/serviceAnnouncement/issues).
            gauge intune_service_issue_oldest_start_timestamp_seconds{classification}
                Start (Unix seconds) of the oldest open issue of the service per classification; absent when none is
                open.
            gauge intune_service_status{status}
                1 for the current status of the service (service-name) in Microsoft 365 service health
                (healthOverviews), 0 for the other known statuses.
            gauge intune_message_center_posts{category,severity,action_required}
                Message Center posts for the service (service-name) currently published (started, not yet expired), by
                category, severity and whether they set an action-required-by date
                (/admin/serviceAnnouncement/messages).
            gauge intune_message_center_next_action_timestamp_seconds
                Earliest actionRequiredByDateTime (Unix seconds) still in the future among the service's published
                Message Center posts; absent when none asks for action.
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        SnapshotBuilder out = new SnapshotBuilder();
        out.add(status(graph.list(HEALTH_OVERVIEWS)));

        GaugeFamily issues = StateCounts.zeroFill(FAMILIES.gauge("intune_service_issues"), CLASSIFICATIONS, STATUSES);
        GaugeFamily oldest = FAMILIES.gauge("intune_service_issue_oldest_start_timestamp_seconds");
        Map<String, Instant> oldestStart = new HashMap<>();
        for (JsonNode issue : graph.list(openIssues())) {
            // Graph applied the filter; a stray item (or a filter a future API version ignores) must still not count.
            if (!settings.serviceName().equalsIgnoreCase(GraphJson.text(issue, "service"))
                    || issue.path("isResolved").asBoolean(false)) {
                continue;
            }
            String classification =
                    EnumLabels.bounded(GraphJson.text(issue, "classification"), Set.copyOf(CLASSIFICATIONS));
            issues.add(1, classification, EnumLabels.bounded(GraphJson.text(issue, "status"), Set.copyOf(STATUSES)));
            Instant start = GraphJson.instant(issue, "startDateTime");
            if (start != null) {
                oldestStart.merge(classification, start, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        oldestStart.forEach((c, t) -> oldest.set(t.getEpochSecond(), c));
        out.add(issues).add(oldest);

        if (settings.messageCenter()) {
            messages(out, now);
        }
        return out.build();
    }

    private GaugeFamily status(List<JsonNode> overviews) {
        GaugeFamily status = StateCounts.zeroFill(FAMILIES.gauge("intune_service_status"), STATUSES);
        JsonNode intune = null;
        for (JsonNode o : overviews) {
            if (settings.serviceName().equalsIgnoreCase(GraphJson.text(o, "service"))
                    || (!settings.serviceId().isEmpty()
                            && settings.serviceId().equalsIgnoreCase(GraphJson.text(o, "id")))) {
                intune = o;
                break;
            }
        }
        if (intune == null && warnedMissing.compareAndSet(false, true)) {
            LOG.warn(
                    "service health lists no service named '{}' (id '{}'); intune_service_status reports unknown "
                            + "(intune.collectors.service_health.service-name / service-id)",
                    settings.serviceName(),
                    settings.serviceId());
        }
        status.set(
                1,
                intune == null
                        ? EnumLabels.UNKNOWN
                        : EnumLabels.bounded(GraphJson.text(intune, "status"), Set.copyOf(STATUSES)));
        return status;
    }

    private void messages(SnapshotBuilder out, Instant now) throws Exception {
        GaugeFamily posts = StateCounts.zeroFill(
                FAMILIES.gauge("intune_message_center_posts"), CATEGORIES, SEVERITIES, List.of("true", "false"));
        Instant[] nextAction = {null};
        Set<String> categories = Set.copyOf(CATEGORIES);
        Set<String> severities = Set.copyOf(SEVERITIES);
        graph.forEach(MESSAGES, parser -> {
            JsonNode m = GraphApi.mapper().readTree(parser);
            if (!concerns(m) || !published(m, now)) {
                return;
            }
            Instant actionBy = GraphJson.instant(m, "actionRequiredByDateTime");
            posts.add(
                    1,
                    EnumLabels.bounded(GraphJson.text(m, "category"), categories),
                    EnumLabels.bounded(GraphJson.text(m, "severity"), severities),
                    Boolean.toString(actionBy != null));
            if (actionBy != null
                    && actionBy.isAfter(now)
                    && (nextAction[0] == null || actionBy.isBefore(nextAction[0]))) {
                nextAction[0] = actionBy;
            }
        });
        GaugeFamily next = FAMILIES.gauge("intune_message_center_next_action_timestamp_seconds");
        if (nextAction[0] != null) {
            next.set(nextAction[0].getEpochSecond());
        }
        out.add(posts).add(next);
    }

    /** Whether a post lists the service among its {@code services}. */
    private boolean concerns(JsonNode message) {
        for (JsonNode s : message.path("services")) {
            if (settings.serviceName().equalsIgnoreCase(s.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Started (or no start given) and not expired (no end, or an end in the future). */
    private static boolean published(JsonNode message, Instant now) {
        Instant start = GraphJson.instant(message, "startDateTime");
        Instant end = GraphJson.instant(message, "endDateTime");
        return (start == null || !start.isAfter(now)) && (end == null || end.isAfter(now));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
