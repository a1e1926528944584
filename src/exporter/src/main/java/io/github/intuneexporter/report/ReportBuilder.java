package io.github.intuneexporter.report;

import static io.github.intuneexporter.report.ReportQueries.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.report.Incidents.Incident;
import io.github.intuneexporter.report.PrometheusClient.PrometheusException;
import io.github.intuneexporter.report.PrometheusClient.Series;
import io.github.intuneexporter.report.QueryLog.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Queries Prometheus and builds the report's model: plain maps and lists for the template. Every figure cell
 * carries the id of its query ({@code q}), the labels of its series ({@code s}) and the exact value ({@code v}), so
 * a reader (or a test) can find it in the appendix.
 */
final class ReportBuilder {
    private final ReportOptions options;
    private final QueryLog log;
    private final PrometheusClient client;
    private final Instant from;
    private final Instant to;
    private final long rangeSeconds;
    private final Duration chartStep;
    private final Duration alertStep;
    private final Duration chartWindow;
    private final Set<String> tenants = new TreeSet<>();
    private Set<String> present = Set.of();
    private boolean presenceKnown;
    private final List<Map<String, Object>> sections = new ArrayList<>();
    /** The section being built: failed queries are noted there. */
    private Map<String, Object> current;

    ReportBuilder(ReportOptions options, PrometheusClient client) {
        this.options = options;
        this.client = client;
        this.from = options.from();
        this.to = options.to();
        this.rangeSeconds = Math.max(1, Duration.between(from, to).toSeconds());
        this.chartStep = Duration.ofSeconds(Math.max(1, rangeSeconds / 240));
        // Prometheus returns at most 11,000 points per series; alert incidents need the finest step that allows.
        this.alertStep = Duration.ofSeconds(Math.max(1, (rangeSeconds + 9_999) / 10_000));
        long subqueryStep = Math.max(1, rangeSeconds / 720);
        // A chart point counts the failures of the window before it; a window shorter than a few scrapes would be
        // empty.
        this.chartWindow = Duration.ofSeconds(Math.max(60, chartStep.toSeconds()));
        this.log = new QueryLog(
                client,
                new Scope(options.job(), options.tenant(), rangeSeconds, subqueryStep, chartWindow.toSeconds()));
        if (options.tenant() != null) {
            tenants.add(options.tenant());
        }
    }

    QueryLog log() {
        return log;
    }

    /** Builds the whole model. Never throws for what Prometheus answers; an unreachable Prometheus empties every section. */
    Map<String, Object> build(Instant generated) {
        readPresence();
        Result firstSeen = log.instant(
                "First sample of the exporter in the period",
                "min by (tenant) (min_over_time(timestamp(" + TENANT_INFO + "{{J}{TI}})[{R}:{STEP}]))",
                to);
        firstSeen.series().forEach(s -> tenants.add(tenant(s)));
        String unknownTenant = unknownTenant(firstSeen);
        fillSections();
        return model(generated, firstSeen, unknownTenant);
    }

    /** Which metrics Prometheus has in the period, so that an empty table can say why. */
    private void readPresence() {
        Result presentResult = log.instant("Metrics present in the period", PRESENT, to);
        if (presentResult.error() == null) {
            presenceKnown = true;
            Set<String> names = new TreeSet<>();
            presentResult.series().forEach(s -> names.add(s.label("__name__")));
            present = names;
        }
    }

    /** With --tenant: why the report is empty when Prometheus has no such tenant; null otherwise. */
    private String unknownTenant(Result firstSeen) {
        if (options.tenant() != null && firstSeen.empty() && firstSeen.error() == null) {
            Result known = log.instant(
                    "Tenants of the exporter in the period",
                    "count by (tenant) (last_over_time(" + TENANT_INFO + "{{J}}[{R}]))",
                    to);
            List<String> names =
                    known.series().stream().map(ReportBuilder::tenant).sorted().toList();
            return "Prometheus has no tenant named '" + options.tenant() + "' in this period; "
                    + (names.isEmpty()
                            ? "it has no tenant of the exporter at all."
                            : "it has " + String.join(", ", names) + ".");
        }
        return null;
    }

    /** Each section in turn; a failed query notes itself in the section being filled. */
    private void fillSections() {
        ComplianceFigures c = compliance(
                section(
                        "compliance",
                        "Compliance",
                        "Share of evaluated devices (compliant, noncompliant, in grace period, error, conflict) that are compliant."));
        ProtectionFigures p = protection(
                section("protection", "Protection", "Encryption, jailbreak/root detection, Defender and malware."));
        failures(
                section(
                        "failures",
                        "Enrollment and app-install failures",
                        "Enrollment failures counted in the period by failure category; devices whose app installation failed at the end of the period."));
        Map<String, Result> expiry = expiries(
                section(
                        "expiries",
                        "Expiries ahead",
                        "Apple push certificate, VPP and DEP tokens, the exporter's own credentials, device management certificates."));
        changes(section("changes", "Changes", "Intune audit events (administrator changes) in the period."));
        List<Incident> list = incidents(
                section(
                        "incidents",
                        "Incidents",
                        "Alerts of the Intune bundle that fired in the period, from Prometheus' ALERTS series, with their runbooks."));
        Map<String, Result> proc = procedures(
                section(
                        "procedures",
                        "Procedures",
                        "Were alerts resolved within their target time, was the exporter up and its data fresh?"),
                list);
        // The summary is built last (it uses the other sections' figures) but shown first.
        Map<String, Object> summary = section(
                "summary",
                "Executive summary",
                "Traffic lights: green is on target, amber needs attention, red needs action. Thresholds are listed under each table.");
        summary(summary, c, p, expiry, list, proc);
        sections.remove(summary);
        sections.add(0, summary);
    }

    private Map<String, Object> model(Instant generated, Result firstSeen, String unknownTenant) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put(
                "title",
                "Intune report " + options.periodName().replace("_", " to ")
                        + (options.tenant() == null ? "" : " – " + options.tenant()));
        model.put("period", options.periodName());
        model.put("from", Format.time(from));
        model.put("to", Format.time(to));
        model.put("generated", Format.time(generated));
        model.put("prometheus", client.baseUrl());
        model.put(
                "scope",
                options.tenant() == null
                        ? "all tenants (" + (tenants.isEmpty() ? "none found" : String.join(", ", tenants)) + ")"
                        : "tenant " + options.tenant());
        if (unknownTenant != null) {
            model.put("unknownTenant", unknownTenant);
        }
        PrometheusException down = log.unreachable();
        if (down != null) {
            model.put("unreachable", down.getMessage());
        }
        List<Map<String, String>> coverage = new ArrayList<>();
        for (Series s : firstSeen.series()) {
            if (!Double.isFinite(s.lastValue())) {
                continue; // no time: a broken answer, not a late start
            }
            Instant first = Instant.ofEpochSecond((long) s.lastValue());
            if (first.getEpochSecond() > from.getEpochSecond() + Math.max(60, rangeSeconds / 100)) {
                coverage.add(Map.of("tenant", tenant(s), "first", Format.time(first), "q", firstSeen.id()));
            }
        }
        model.put("coverage", coverage);
        List<Map<String, Object>> without = new ArrayList<>();
        for (Map<String, Object> s : sections) {
            if (!(Boolean) s.get("hasData")) {
                without.add(Map.of("id", s.get("id"), "title", s.get("title")));
            }
        }
        for (int i = 0; i < without.size(); i++) {
            without.set(i, new LinkedHashMap<>(without.get(i)));
            without.get(i).put("sep", i < without.size() - 1 ? ", " : "");
        }
        model.put("sectionsWithoutData", without);
        model.put("hasWithout", !without.isEmpty());
        for (Map<String, Object> s : sections) {
            s.put("hasNotes", !((List<?>) s.get("notes")).isEmpty());
        }
        for (Map<String, Object> e : log.appendix()) {
            e.put("hasRows", e.get("rows") instanceof List<?> l && !l.isEmpty());
        }
        model.put("sections", sections);
        model.put("appendix", log.appendix());
        return model;
    }

    // ---------------------------------------------------------------- sections

    record ComplianceFigures(Result now, Result start, Result lowest, Result noncompliant) {}

    private ComplianceFigures compliance(Map<String, Object> section) {
        Result trend = log.range("Compliance ratio over the period", COMPLIANCE_RATIO, from, to, chartStep);
        Result now = log.instant("Compliance ratio at the end of the period", COMPLIANCE_RATIO, to);
        Result start = log.instant("Compliance ratio at the start of the period", COMPLIANCE_RATIO, from);
        Result lowest = log.instant("Lowest compliance ratio in the period", COMPLIANCE_LOWEST, to);
        Result devices = log.instant("Managed devices at the end of the period", DEVICES, to);
        Result noncompliant = log.instant("Noncompliant devices at the end of the period", NONCOMPLIANT, to);
        trendChart(section, trend, "Compliance ratio", "Compliance ratio", true);
        tenantTable(
                section,
                "Compliance by tenant",
                List.of(
                        new Column("Managed devices", devices, Format::number),
                        new Column("Noncompliant", noncompliant, Format::number),
                        new Column("Compliant at start", start, Format::percent),
                        new Column("Lowest in period", lowest, Format::percent),
                        new Column("Compliant at end", now, Format::percent, ReportBuilder::complianceLight)),
                "Green at 95 % or more, amber from 85 % (the IntuneComplianceRatioLow default), red below.",
                MANAGED_DEVICES);

        Result byOs = log.instant("Compliance ratio by operating system", COMPLIANCE_BY_OS, to);
        Result devicesByOs = log.instant("Managed devices by operating system", DEVICES_BY_OS, to);
        Result noncompliantByOs = log.instant("Noncompliant devices by operating system", NONCOMPLIANT_BY_OS, to);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        Map<String, Series> ratio = index(byOs, "operating_system");
        Map<String, Series> non = index(noncompliantByOs, "operating_system");
        for (Series d : sorted(devicesByOs, "operating_system")) {
            String key = tenant(d) + "\u0000" + d.label("operating_system");
            rows.add(List.of(
                    cell(tenant(d)),
                    cell(d.label("operating_system")),
                    fig(devicesByOs, d, Format::number),
                    fig(noncompliantByOs, non.get(key), Format::number),
                    fig(byOs, ratio.get(key), Format::percent, complianceLight(ratio.get(key)))));
        }
        table(
                section,
                "Compliance by operating system",
                List.of("Tenant", "Operating system", "Managed devices", "Noncompliant", "Compliant"),
                rows,
                null,
                MANAGED_DEVICES,
                devicesByOs);
        return new ComplianceFigures(now, start, lowest, noncompliant);
    }

    record ProtectionFigures(Result activeMalware) {}

    private ProtectionFigures protection(Map<String, Object> section) {
        Result encrypted = log.instant("Share of encrypted devices", ENCRYPTED_RATIO, to);
        Result jailbroken = log.instant("Jailbroken or rooted devices", JAILBROKEN, to);
        Result active = log.instant("Devices with active malware at the end of the period", ACTIVE_MALWARE, to);
        Result peak = log.instant("Most devices with active malware at once in the period", ACTIVE_MALWARE_PEAK, to);
        Result detected = log.instant("Devices with malware detected", MALWARE_DEVICES, to);
        tenantTable(
                section,
                "Protection by tenant",
                List.of(
                        new Column("Encrypted", encrypted, Format::percent),
                        new Column("Jailbroken / rooted", jailbroken, Format::number, s -> lightAtMost(s, 0, 0)),
                        new Column("Malware detected", detected, Format::number),
                        new Column("Active malware (end)", active, Format::number, s -> lightAtMost(s, 0, 0)),
                        new Column("Active malware (peak)", peak, Format::number)),
                "Active malware: any device is red.",
                DEVICES_ENCRYPTED,
                MALWARE_ACTIVE);
        Result defender = log.instant("Windows devices by Defender state", DEFENDER_STATES, to);
        breakdown(
                section,
                defender,
                "state",
                true,
                "Defender states",
                List.of("Tenant", "State", "Devices"),
                null,
                DEFENDER_DEVICES);
        return new ProtectionFigures(active);
    }

    private void failures(Map<String, Object> section) {
        Result byCategory =
                log.instant("Enrollment failures in the period by category", ENROLLMENT_FAILURES_BY_CATEGORY, to);
        Result trend = log.range(
                "Enrollment failures in the window before each chart point",
                ENROLLMENT_FAILURES_TREND,
                from,
                to,
                chartStep);
        trendChart(
                section,
                trend,
                "Enrollment failures",
                "Enrollment failures per " + Format.duration(chartWindow),
                false);
        breakdown(
                section,
                byCategory,
                "failure_category",
                true,
                "Enrollment failures by category",
                List.of("Tenant", "Failure category", "Failures in the period"),
                "Counted from intune_enrollment_failures_total; Prometheus extrapolates increase() to the period's edges, "
                        + "so counts can have decimals.",
                ENROLLMENT_FAILURES);

        Result byPlatform =
                log.instant("Devices whose app installation failed, by platform", APP_INSTALL_FAILED_BY_PLATFORM, to);
        breakdown(
                section,
                byPlatform,
                "platform",
                false,
                "App installations failed, by platform",
                List.of("Tenant", "Platform", "Devices"),
                null,
                APP_INSTALL_DEVICES);
        Result top = log.instant("Apps with the most failed installations", APP_INSTALL_FAILED_TOP, to);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Series s : largestFirstByTenant(top)) {
            rows.add(List.of(
                    cell(tenant(s)), cell(s.label("app")), cell(s.label("platform")), fig(top, s, Format::number)));
        }
        if (!byPlatform.empty()) {
            table(
                    section,
                    "Apps with the most failed installations (top 10)",
                    List.of("Tenant", "App", "Platform", "Devices"),
                    rows,
                    top.empty() ? "No app has a failed installation." : null,
                    APP_INSTALL_DEVICES,
                    top);
        }
    }

    private Map<String, Result> expiries(Map<String, Object> section) {
        Result connectors =
                log.instant("Days until connector certificates and tokens expire", CONNECTOR_EXPIRY_DAYS, to);
        Result credentials = log.instant("Days until the exporter's credentials expire", CREDENTIAL_EXPIRY_DAYS, to);
        Result certificates =
                log.instant("Devices whose management certificate expires within N days", CERTIFICATES_EXPIRING, to);
        expiryTable(
                section,
                connectors,
                "Apple and connector tokens",
                List.of("Tenant", "Type", "Name", "Expires in"),
                List.of("connector_type", "name"),
                "Red within 7 days or expired, amber within 30 days.",
                CONNECTOR_EXPIRY);
        expiryTable(
                section,
                credentials,
                "The exporter's app registration credentials",
                List.of("Tenant", "Type", "Key id", "In use", "Expires in"),
                List.of("credential_type", "key_id", "in_use"),
                null,
                CREDENTIAL_EXPIRY);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Series s : sorted(certificates, "days")) {
            rows.add(List.of(
                    cell(tenant(s)),
                    cell("within " + s.label("days") + " days"),
                    fig(certificates, s, Format::number)));
        }
        table(
                section,
                "Device management certificates expiring",
                List.of("Tenant", "Expiring", "Devices"),
                rows,
                null,
                CERTIFICATE_EXPIRING,
                certificates);
        return Map.of("connectors", connectors, "credentials", credentials);
    }

    private void changes(Map<String, Object> section) {
        Result events = log.instant("Audit events in the period", AUDIT_EVENTS_BY_KIND, to);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Series s : largestFirstByTenant(events)) {
            rows.add(List.of(
                    cell(tenant(s)),
                    cell(s.label("category")),
                    cell(s.label("operation_type")),
                    cell(s.label("result")),
                    fig(events, s, Format::number)));
        }
        table(
                section,
                "Audit events by kind",
                List.of("Tenant", "Category", "Operation", "Result", "Events"),
                rows,
                null,
                AUDIT_EVENTS,
                events);
    }

    /**
     * The runbook base URL the rules build their links from ({@code intune:runbook_base_url:info}); the rules API returns
     * annotations unexpanded, so the report expands the link itself.
     */
    private String runbookBase() {
        try {
            List<PrometheusClient.Series> base = client.query(RuleText.RUNBOOK_BASE_QUERY, to);
            String url = base.isEmpty() ? "" : base.get(0).labels().getOrDefault("url", "");
            return url.isEmpty() ? RuleText.DEFAULT_RUNBOOK_BASE : url;
        } catch (PrometheusException e) {
            return RuleText.DEFAULT_RUNBOOK_BASE;
        }
    }

    private List<Incident> incidents(Map<String, Object> section) {
        Result firing = log.range("Firing alerts of the Intune bundle", ALERTS_FIRING, from, to, alertStep);
        RuleNotes notes = new RuleNotes(new HashMap<>(), new HashMap<>());
        if (firing.error() == null && log.unreachable() == null) {
            try {
                notes = ruleNotes();
            } catch (PrometheusException e) {
                note(section, "Runbook links unavailable: " + e.getMessage());
            }
        }
        List<Incident> list = Incidents.from(firing.series(), to, alertStep);
        List<Map<String, String>> described = new ArrayList<>();
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Incident i : list) {
            described.add(describe(i));
            rows.add(incidentRow(i, notes, firing));
        }
        log.describe(firing, described);
        Map<String, Object> t = table(
                section,
                "Alerts that fired",
                List.of(
                        "Alert",
                        "Severity",
                        "Tenant",
                        "Instance",
                        "What",
                        "Fired (UTC)",
                        "Resolved (UTC)",
                        "Time to resolve",
                        "Runbook"),
                rows,
                "Times are accurate to " + Format.duration(alertStep)
                        + " (the query step); \"open\": still firing at the end of the period. Runbooks are in the alert rules' runbook_url; the"
                        + " project's are docs/runbooks/<alert name in lower case>.md.",
                null,
                firing);
        if (list.isEmpty() && firing.error() == null && log.unreachable() == null) {
            t.put("missing", "No alert of the Intune bundle fired in the period.");
            section.put("hasData", true);
        }
        return list;
    }

    /** Runbook URL and summary (templates removed) of each alert rule, by alert name. */
    private record RuleNotes(Map<String, String> runbooks, Map<String, String> summaries) {}

    private RuleNotes ruleNotes() throws PrometheusException {
        RuleNotes notes = new RuleNotes(new HashMap<>(), new HashMap<>());
        String base = runbookBase();
        for (JsonNode group : client.rules().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("name").asText();
                JsonNode annotations = rule.path("annotations");
                notes.runbooks()
                        .putIfAbsent(
                                name,
                                RuleText.runbookUrl(
                                        annotations.path("runbook_url").asText(""), base));
                notes.summaries()
                        .putIfAbsent(
                                name,
                                RuleText.withoutTemplates(
                                        annotations.path("summary").asText("")));
            }
        }
        return notes;
    }

    /** How the query log names one incident: its labels and when it fired. */
    private static Map<String, String> describe(Incident i) {
        String resolved = i.resolved() ? Format.time(i.end()) : "open at the end of the period";
        return Map.of(
                "labels",
                "alertname=" + i.alertname() + ", severity=" + i.severity()
                        + (i.tenant().isEmpty() ? "" : ", tenant=" + i.tenant()) + ", instance=" + i.instance()
                        + (i.details().isEmpty() ? "" : ", " + i.details()),
                "value",
                "firing " + Format.time(i.start()) + " – " + resolved + " (" + Format.duration(i.duration()) + ")");
    }

    private static List<Map<String, Object>> incidentRow(Incident i, RuleNotes notes, Result firing) {
        String runbook = notes.runbooks().getOrDefault(i.alertname(), "");
        Map<String, Object> runbookCell = cell(runbook.isEmpty() ? "–" : "runbook");
        if (!runbook.isEmpty()) {
            runbookCell.put("link", runbook);
        }
        Map<String, Object> sev = cell(i.severity());
        sev.put("light", i.severity().equals("critical") ? "red" : "amber");
        Map<String, Object> dur = cell(Format.duration(i.duration()) + (i.resolved() ? "" : " (open)"));
        dur.put("q", firing.id());
        dur.put("v", Long.toString(i.duration().toSeconds()));
        return List.of(
                cell(i.alertname()),
                sev,
                cell(i.tenant().isEmpty() ? "—" : i.tenant()),
                cell(i.instance()),
                cell(notes.summaries().getOrDefault(i.alertname(), "")
                        + (i.details().isEmpty() ? "" : " (" + i.details() + ")")),
                cell(Format.shortTime(i.start())),
                cell(i.resolved() ? Format.shortTime(i.end()) : "open"),
                dur,
                runbookCell);
    }

    private Map<String, Result> procedures(Map<String, Object> section, List<Incident> incidents) {
        Map<String, int[]> bySeverity = resolveCounts(incidents);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (String severity : new TreeSet<>(concat(options.resolveTargets().keySet(), bySeverity.keySet()))) {
            rows.add(resolveRow(severity, bySeverity.getOrDefault(severity, new int[3])));
        }
        if (log.unreachable() != null) {
            rows.clear();
        }
        table(
                section,
                "Alerts resolved within their target time",
                List.of("Severity", "Target", "Fired", "Resolved in time", "Late", "Still open", "In time"),
                rows,
                "Derived from the incidents above (--resolve-target sets the targets). "
                        + "Green when none was late, amber at 80 % or more in time, red below.",
                null,
                (Result) null);
        return uptimeAndFreshness(section);
    }

    /** Per severity: incidents resolved within the target, past it, and still open within it (none without a target). */
    private Map<String, int[]> resolveCounts(List<Incident> incidents) {
        Map<String, int[]> bySeverity = new TreeMap<>(); // met, missed, open
        for (Incident i : incidents) {
            Duration target = options.resolveTargets().get(i.severity());
            int[] counts = bySeverity.computeIfAbsent(i.severity(), k -> new int[3]);
            if (target == null) {
                continue;
            }
            if (i.duration().compareTo(target) > 0) {
                counts[1]++;
            } else if (i.resolved()) {
                counts[0]++;
            } else {
                counts[2]++;
            }
        }
        return bySeverity;
    }

    private List<Map<String, Object>> resolveRow(String severity, int[] c) {
        Duration target = options.resolveTargets().get(severity);
        int judged = c[0] + c[1];
        Map<String, Object> share = cell(
                judged > 0 ? Format.percent((double) c[0] / judged) : c[2] > 0 ? "none resolved yet" : "no alerts");
        share.put("light", judged == 0 || c[1] == 0 ? "green" : (double) c[0] / judged >= 0.8 ? "amber" : "red");
        return List.of(
                cell(severity),
                cell(target == null ? "none set" : Format.duration(target)),
                cell(Integer.toString(c[0] + c[1] + c[2])),
                cell(Integer.toString(c[0])),
                cell(Integer.toString(c[1])),
                cell(Integer.toString(c[2])),
                share);
    }

    /** The uptime and freshness table; returns its uptime and freshness results for the key figures. */
    private Map<String, Result> uptimeAndFreshness(Map<String, Object> section) {
        Result uptime = log.instant("Exporter uptime in the period (share of successful scrapes)", UPTIME, to);
        Result fresh = log.instant(
                "Share of the period in which collector data was fresh (at most 3 intervals old)", FRESHNESS, to);
        Result success = log.instant("Share of collector runs that succeeded in the period", COLLECTOR_SUCCESS, to);
        tenantTable(
                section,
                "Exporter uptime and data freshness",
                List.of(
                        new Column("Exporter up", uptime, Format::percent, s -> lightAtLeast(s, 0.999, 0.99)),
                        new Column("Data fresh", fresh, Format::percent, s -> lightAtLeast(s, 0.99, 0.95)),
                        new Column(
                                "Collector runs succeeded",
                                success,
                                Format::percent,
                                s -> lightAtLeast(s, 0.99, 0.95))),
                "Up: green from 99.9 %, amber from 99 %. Fresh (as IntuneDataStale judges it) and runs: green from 99 %, amber from 95 %.",
                TENANT_INFO,
                LAST_SUCCESS,
                RUNS);
        return Map.of("uptime", uptime, "fresh", fresh);
    }

    private void summary(
            Map<String, Object> section,
            ComplianceFigures c,
            ProtectionFigures p,
            Map<String, Result> expiry,
            List<Incident> incidents,
            Map<String, Result> proc) {
        current = section;
        Map<String, Series> start = index(c.start(), null);
        Map<String, Series> now = index(c.now(), null);
        Map<String, Expiry> soonest = soonestExpiry(expiry);
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (String tenant : tenants) {
            if (now.get(tenant) == null && index(proc.get("uptime"), null).get(tenant) == null) {
                continue; // nothing known of this tenant in the period
            }
            Series n = now.get(tenant);
            Expiry next = soonest.get(tenant);
            rows.add(List.of(
                    cell(tenant),
                    fig(c.now(), n, Format::percent, complianceLight(n)),
                    changeCell(start.get(tenant), n),
                    fig(c.noncompliant(), index(c.noncompliant(), null).get(tenant), Format::number),
                    fig(
                            p.activeMalware(),
                            index(p.activeMalware(), null).get(tenant),
                            Format::number,
                            lightAtMost(index(p.activeMalware(), null).get(tenant), 0, 0)),
                    alertsCell(tenant, incidents),
                    fig(
                            proc.get("uptime"),
                            index(proc.get("uptime"), null).get(tenant),
                            Format::percent,
                            lightAtLeast(index(proc.get("uptime"), null).get(tenant), 0.999, 0.99)),
                    expiryCell(next)));
        }
        table(
                section,
                "Key figures by tenant",
                List.of(
                        "Tenant",
                        "Compliant",
                        "Change in period",
                        "Noncompliant devices",
                        "Active malware",
                        "Alerts fired",
                        "Exporter up",
                        "Next expiry"),
                rows,
                "Compliant: green from 95 %, amber from 85 %. Change: red at a fall of 5 points or more. Next expiry: red within 7 days, amber within 30.",
                MANAGED_DEVICES,
                (Result) null);
    }

    /** The connector or credential that expires first in a tenant, and the result it came from. */
    private record Expiry(Series series, Result result) {}

    private static Map<String, Expiry> soonestExpiry(Map<String, Result> expiry) {
        Map<String, Expiry> soonest = new HashMap<>();
        for (Result r : List.of(expiry.get("connectors"), expiry.get("credentials"))) {
            for (Series s : r.series()) {
                Expiry best = soonest.get(tenant(s));
                if (best == null || s.lastValue() < best.series().lastValue()) {
                    soonest.put(tenant(s), new Expiry(s, r));
                }
            }
        }
        return soonest;
    }

    /** Compliance change over the period in points: red at a fall of 5 points or more. */
    private static Map<String, Object> changeCell(Series start, Series now) {
        if (now == null || start == null) {
            return cell("n/a");
        }
        double delta = now.lastValue() - start.lastValue();
        Map<String, Object> change = cell(Format.points(delta));
        change.put("light", delta >= -0.01 ? "green" : delta > -0.05 ? "amber" : "red");
        return change;
    }

    private Map<String, Object> alertsCell(String tenant, List<Incident> incidents) {
        long critical = incidents.stream()
                .filter(i -> tenantOfAlert(i).equals(tenant) && i.severity().equals("critical"))
                .count();
        long other = incidents.stream()
                .filter(i -> tenantOfAlert(i).equals(tenant) && !i.severity().equals("critical"))
                .count();
        Map<String, Object> alerts = cell(critical + " critical, " + other + " other");
        alerts.put("light", critical > 0 ? "red" : other > 0 ? "amber" : "green");
        return alerts;
    }

    private Map<String, Object> expiryCell(Expiry next) {
        if (next == null) {
            return cell("none known");
        }
        Series s = next.series();
        return fig(
                next.result(),
                s,
                v -> Format.days(v) + " ("
                        + s.label(s.labels().containsKey("connector_type") ? "connector_type" : "credential_type")
                        + ")",
                expiryLight(s.lastValue()));
    }

    // ---------------------------------------------------------------- helpers

    /** The series by tenant, the largest value first within a tenant. */
    private static List<Series> largestFirstByTenant(Result r) {
        List<Series> sorted = new ArrayList<>(r.series());
        sorted.sort(Comparator.comparing(ReportBuilder::tenant)
                .thenComparing(Comparator.comparingDouble(Series::lastValue).reversed()));
        return sorted;
    }

    /** The tenant of a series: its tenant label, or "default" for a single-tenant exporter (no label). */
    static String tenant(Series s) {
        String t = s.label("tenant");
        return t.isEmpty() ? "default" : t;
    }

    private String tenantOfAlert(Incident i) {
        return i.tenant().isEmpty() ? (tenants.size() == 1 ? tenants.iterator().next() : "default") : i.tenant();
    }

    private static Set<String> concat(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /** One row per tenant, with each result's series of that tenant (null where it has none). */
    record TenantRow(String tenant, List<Series> series) {
        Series get(int i) {
            return series.get(i);
        }
    }

    private List<TenantRow> byTenant(Result... results) {
        Set<String> names = new TreeSet<>(tenants);
        for (Result r : results) {
            if (r.error() != null && log.unreachable() == null) {
                note(current, "Query " + r.id() + " failed: " + r.error());
            }
            r.series().forEach(s -> names.add(tenant(s)));
        }
        tenants.addAll(names);
        List<TenantRow> rows = new ArrayList<>();
        for (String t : names) {
            List<Series> list = new ArrayList<>();
            boolean any = false;
            for (Result r : results) {
                Series s = index(r, null).get(t);
                list.add(s);
                any |= s != null;
            }
            if (any) {
                rows.add(new TenantRow(t, list));
            }
        }
        return rows;
    }

    private static Map<String, Series> index(Result r, String label) {
        Map<String, Series> out = new HashMap<>();
        for (Series s : r.series()) {
            out.put(label == null ? tenant(s) : tenant(s) + "\u0000" + s.label(label), s);
        }
        return out;
    }

    private static List<Series> sorted(Result r, String label) {
        List<Series> out = new ArrayList<>(r.series());
        out.sort(Comparator.comparing(ReportBuilder::tenant).thenComparing(s -> s.label(label)));
        return out;
    }

    private Map<String, Object> section(String id, String title, String intro) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("title", title);
        s.put("intro", intro);
        s.put("blocks", new ArrayList<Map<String, Object>>());
        s.put("notes", new ArrayList<Map<String, String>>());
        s.put("hasData", false);
        sections.add(s);
        current = s;
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void note(Map<String, Object> section, String text) {
        if (text == null) {
            return;
        }
        List<Map<String, String>> notes = (List<Map<String, String>>) section.get("notes");
        if (notes.stream().noneMatch(n -> n.get("text").equals(text))) {
            notes.add(Map.of("text", text));
        }
    }

    /** A line per tenant over the period, when the range query has any; {@code ratio}: a 0..1 axis. */
    private void trendChart(Map<String, Object> section, Result trend, String heading, String title, boolean ratio) {
        if (trend.empty()) {
            return;
        }
        List<SvgCharts.Line> lines = new ArrayList<>();
        for (Series s : trend.series()) {
            lines.add(new SvgCharts.Line(tenant(s), s.points()));
        }
        chart(
                section,
                heading,
                SvgCharts.lines(title, lines, from.getEpochSecond(), to.getEpochSecond(), chartStep.toSeconds(), ratio),
                trend);
    }

    /** A table of things that expire, soonest first: tenant, {@code labels}, days left with a traffic light. */
    private void expiryTable(
            Map<String, Object> section,
            Result result,
            String heading,
            List<String> headers,
            List<String> labels,
            String footnote,
            String metric) {
        List<Series> all = new ArrayList<>(result.series());
        all.sort(Comparator.comparingDouble(Series::lastValue));
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        for (Series s : all) {
            List<Map<String, Object>> row = new ArrayList<>();
            row.add(cell(tenant(s)));
            labels.forEach(l -> row.add(cell(s.label(l))));
            row.add(fig(result, s, Format::days, expiryLight(s.lastValue())));
            rows.add(row);
        }
        table(section, heading, headers, rows, footnote, metric, result);
    }

    /**
     * One label's values per tenant: a table (tenant, value, count) and, with {@code charts}, a bar chart per tenant,
     * left out when all its bars are zero (a chart of zeros says nothing; the table shows the zeros).
     */
    private void breakdown(
            Map<String, Object> section,
            Result result,
            String label,
            boolean charts,
            String heading,
            List<String> headers,
            String footnote,
            String metric) {
        List<List<Map<String, Object>>> rows = new ArrayList<>();
        Map<String, List<SvgCharts.Bar>> bars = new TreeMap<>();
        for (Series s : sorted(result, label)) {
            rows.add(List.of(cell(tenant(s)), cell(s.label(label)), fig(result, s, Format::number)));
            bars.computeIfAbsent(tenant(s), k -> new ArrayList<>())
                    .add(new SvgCharts.Bar(s.label(label), s.lastValue()));
        }
        if (charts) {
            bars.forEach((tenant, b) -> {
                if (b.stream().anyMatch(bar -> bar.value() > 0)) {
                    String title = heading + " – " + tenant;
                    chart(section, title, SvgCharts.bars(title, b, false), result);
                }
            });
        }
        table(section, heading, headers, rows, footnote, metric, result);
    }

    @SuppressWarnings("unchecked")
    private void chart(Map<String, Object> section, String title, String svg, Result from) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("heading", title);
        b.put("svg", svg);
        b.put("q", from.id());
        ((List<Map<String, Object>>) section.get("blocks")).add(b);
        section.put("hasData", true);
    }

    private interface RowMaker {
        List<Map<String, Object>> cells(TenantRow row);
    }

    /** One figure column of a per-tenant table: header, query result, how a value reads, and its light (may be null). */
    private record Column(String header, Result result, Formatter format, Function<Series, String> light) {
        Column(String header, Result result, Formatter format) {
            this(header, result, format, s -> null);
        }
    }

    /** A table with a row per tenant: its name, then one figure per column. */
    private void tenantTable(
            Map<String, Object> section, String heading, List<Column> columns, String footnote, String... metrics) {
        List<String> headers = new ArrayList<>(List.of("Tenant"));
        columns.forEach(c -> headers.add(c.header()));
        Result[] results = columns.stream().map(Column::result).toArray(Result[]::new);
        RowMaker maker = row -> {
            List<Map<String, Object>> cells = new ArrayList<>(List.of(cell(row.tenant())));
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                cells.add(fig(c.result(), row.get(i), c.format(), c.light().apply(row.get(i))));
            }
            return cells;
        };
        table(section, heading, headers, byTenant(results), maker, footnote, metrics);
    }

    private void table(
            Map<String, Object> section,
            String heading,
            List<String> headers,
            List<TenantRow> rows,
            RowMaker maker,
            String footnote,
            String... metrics) {
        List<List<Map<String, Object>>> cells = new ArrayList<>();
        rows.forEach(r -> cells.add(maker.cells(r)));
        table(section, heading, headers, cells, footnote, metrics.length == 0 ? null : metrics[0], (Result) null);
        for (int i = 1; i < metrics.length; i++) {
            if (presenceKnown && !present.contains(metrics[i])) {
                note(section, explainMissing(metrics[i], null));
            }
        }
    }

    /**
     * Adds a table; with no rows it adds a note that says why: Prometheus unreachable, the metric not exported, or
     * no sample at the evaluation time.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> table(
            Map<String, Object> section,
            String heading,
            List<String> headers,
            List<List<Map<String, Object>>> rows,
            String footnote,
            String metric,
            Result result) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("heading", heading);
        List<Map<String, String>> hs = new ArrayList<>();
        headers.forEach(h -> hs.add(Map.of("text", h)));
        b.put("headers", hs);
        b.put("isTable", true);
        List<Map<String, Object>> rs = new ArrayList<>();
        rows.forEach(r -> rs.add(Map.of("cells", r)));
        if (!rs.isEmpty()) {
            b.put("rows", rs);
            b.put("hasRows", true);
            section.put("hasData", true);
        }
        if (footnote != null) {
            b.put("footnote", footnote);
        }
        ((List<Map<String, Object>>) section.get("blocks")).add(b);
        if (rs.isEmpty()) {
            String why = explainMissing(metric, result);
            b.put("missing", why == null ? "No data." : why);
        }
        return b;
    }

    /** Why a table has no rows (or a column no values): Prometheus unreachable, a failed query, a metric not exported, no sample. */
    private String explainMissing(String metric, Result result) {
        String why;
        if (log.unreachable() != null) {
            why = "No data: Prometheus unreachable (" + log.unreachable().getMessage() + ").";
        } else if (result != null && result.error() != null) {
            why = "No data: query " + result.id() + " failed: " + result.error();
        } else if (metric != null && presenceKnown && !present.contains(metric)) {
            why = present.contains(BUILD_INFO) || present.contains(TENANT_INFO)
                    ? "No data: this exporter version does not export " + metric
                            + " yet (or its collector is switched off)."
                    : "No data: Prometheus holds no series of the exporter (job=~\"" + options.job()
                            + "\") in this period.";
        } else if (metric != null) {
            why = "No data: " + metric + " has no sample at " + Format.time(to) + " for this selection.";
        } else {
            return null;
        }
        return why;
    }

    private interface Formatter {
        String format(double v);
    }

    private static Map<String, Object> cell(String text) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("text", text);
        return c;
    }

    private static Map<String, Object> fig(Result r, Series s, Formatter f) {
        return fig(r, s, f, null);
    }

    /** A figure: its text plus the query id, the series' labels and the exact value it was made from. */
    private static Map<String, Object> fig(Result r, Series s, Formatter f, String light) {
        if (s == null) {
            Map<String, Object> c = cell("–");
            c.put("nodata", true);
            return c;
        }
        Map<String, Object> c = cell(f.format(s.lastValue()));
        c.put("q", r.id());
        c.put("s", QueryLog.labelText(s.labels()));
        c.put("v", QueryLog.raw(s.lastValue()));
        if (light != null) {
            c.put("light", light);
        }
        return c;
    }

    private static String complianceLight(Series s) {
        return lightAtLeast(s, 0.95, 0.85);
    }

    private static String lightAtLeast(Series s, double green, double amber) {
        if (s == null) {
            return null;
        }
        double v = s.lastValue();
        return v >= green ? "green" : v >= amber ? "amber" : "red";
    }

    private static String lightAtMost(Series s, double green, double amber) {
        if (s == null) {
            return null;
        }
        double v = s.lastValue();
        return v <= green ? "green" : v <= amber ? "amber" : "red";
    }

    private static String expiryLight(double days) {
        return days <= 7 ? "red" : days <= 30 ? "amber" : "green";
    }
}
