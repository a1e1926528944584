package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.GraphReport;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App install status per app, from Intune's report actions (the old mobileApps installSummary is gone).
 *
 * <ul>
 *   <li>Opt-in, beta: {@code POST /beta/deviceManagement/reports/getAppsInstallSummaryReport} gives one row per app
 *       with device counts per state: a handful of requests for the whole tenant, whatever its size.</li>
 *   <li>Default, v1.0: {@code GET /deviceAppManagement/mobileApps?$select=id,displayName&$expand=assignments} for the
 *       assigned apps (an app with at least one assignment; v1.0's mobileApp has no isAssigned), then
 *       {@code POST /deviceManagement/reports/retrieveDeviceAppInstallationStatusReport} per app, which has one row
 *       per device and is counted here. Its cost grows with apps x devices, so it is bounded: the first page of
 *       every candidate gives its device total (TotalRowCount), the top max-apps apps by devices are read in
 *       full, and apps whose rows would exceed max-report-rows in this run are left out with a warning.</li>
 * </ul>
 * Reports are read by their Schema column names, never by position. Both need DeviceManagementApps.Read.All.
 */
public final class AppInstallsCollector extends AbstractCollector<CollectorSettings.AppInstalls> {
    public static final String NAME = "app_installs";
    private static final Logger LOG = LoggerFactory.getLogger(AppInstallsCollector.class);

    public static final List<String> STATUSES =
            List.of("installed", "failed", "pending", "not_installed", "not_applicable");
    static final String SUMMARY_REPORT = "/deviceManagement/reports/getAppsInstallSummaryReport";
    static final String DEVICE_REPORT = "/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport";
    /** v1.0: every app with its assignments; isAssigned exists only on beta's mobileApp. */
    static final String APPS = "/deviceAppManagement/mobileApps?$select=id,displayName&$expand=assignments";

    static final String APPS_ENDPOINT = "/deviceAppManagement/mobileApps";
    private static final Map<String, String> SUMMARY_COLUMNS = StateCounts.fields(
            "InstalledDeviceCount", "installed",
            "FailedDeviceCount", "failed",
            "PendingInstallDeviceCount", "pending",
            "NotInstalledDeviceCount", "not_installed",
            "NotApplicableDeviceCount", "not_applicable");

    public AppInstallsCollector(GraphApi graph, Duration interval, CollectorSettings.AppInstalls settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    @Override
    public List<GraphProbe> probes() {
        // The requests of a run, one row or item each: same URL and body builders as collect().
        return settings.betaSummaryReport()
                ? List.of(GraphProbe.post(SUMMARY_REPORT, true, GraphReport.requestBody(summarySelect(), null, 0, 1)))
                : List.of(
                        GraphProbe.get(APPS + "&$top=1"),
                        GraphProbe.post(
                                DEVICE_REPORT, false, deviceReportBody("00000000-0000-0000-0000-000000000000", 0, 1)));
    }

    @Override
    public List<String> betaSourcesOff() {
        return settings.betaSummaryReport() ? List.of() : List.of("intune.collectors.app_installs.beta-summary-report");
    }

    /** One app's counts; a status absent from the map was not reported. */
    private record AppCounts(String id, String name, String platform, Map<String, Long> byStatus) {
        long targeted() {
            return byStatus.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private int reportPageSize() {
        return Math.max(1, Math.min(graph.pageSize(), 1000));
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_app_install_devices{app,platform,status}
                Devices per app and install status, from Intune's app install reports (v1.0
                retrieveDeviceAppInstallationStatusReport, or beta getAppsInstallSummaryReport); the max-apps apps with
                the most devices targeted by name, the rest summed in app="_other".
            gauge intune_apps_tracked
                Apps counted in intune_app_install_devices, under their own name or as _other (after include-pattern and
                max-report-rows).
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        List<AppCounts> apps = settings.betaSummaryReport() ? fromSummaryReport() : fromDeviceReports();
        GaugeFamily devices = FAMILIES.gauge("intune_app_install_devices");
        AdminNames.TopN names =
                new AdminNames.TopN("app", "intune.collectors.app_installs.max-apps", settings.maxApps());
        for (AppCounts a : apps) {
            String app = names.rank(a.name());
            // Zeros included: every status the source reports exists for every exported app.
            a.byStatus().forEach((status, n) -> devices.add(n, app, a.platform(), status));
        }
        names.finish();
        return new SnapshotBuilder()
                .add(devices)
                .add(FAMILIES.gauge("intune_apps_tracked").set(apps.size()))
                .build();
    }

    /** Apps that reach a device, the most devices targeted first (ties by name, then id). */
    private static List<AppCounts> ranked(List<AppCounts> candidates) {
        List<AppCounts> out = new ArrayList<>();
        for (AppCounts a : candidates) {
            if (a.targeted() > 0) {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingLong(AppCounts::targeted)
                .reversed()
                .thenComparing(AppCounts::name)
                .thenComparing(AppCounts::id));
        return out;
    }

    // ---- beta: one row per app ----

    private List<AppCounts> fromSummaryReport() throws GraphException {
        String url = graph.betaRoot() + SUMMARY_REPORT;
        List<String> select = summarySelect();
        List<AppCounts> candidates = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int top = reportPageSize();
        long skip = 0;
        for (int page = 0; ; page++) {
            if (page > 100_000) {
                throw new GraphException(
                        SUMMARY_REPORT, 0, "", "Graph " + SUMMARY_REPORT + ": report paging does not end", null);
            }
            GraphReport report = GraphReport.parse(
                    SUMMARY_REPORT, graph.post(url, GraphReport.requestBody(select, null, skip, top)));
            if (!report.hasColumn("DisplayName") && report.rowCount() > 0) {
                throw new GraphException(
                        SUMMARY_REPORT, 0, "", "Graph " + SUMMARY_REPORT + ": report has no DisplayName column", null);
            }
            for (int r = 0; r < report.rowCount(); r++) {
                String id = report.text(r, "ApplicationId");
                String name = AdminNames.label("app", report.text(r, "DisplayName"));
                String platform =
                        Platform.ofReport(report.enumText(r, "Platform")).label();
                // Rows repeated by shifting pages are counted once.
                if ((id != null && !ids.add(id)) || !settings.apps().accepts(name)) {
                    continue;
                }
                Map<String, Long> byStatus = new LinkedHashMap<>();
                for (Map.Entry<String, String> c : SUMMARY_COLUMNS.entrySet()) {
                    OptionalLong v = report.count(r, c.getKey());
                    if (v.isPresent()) {
                        byStatus.put(c.getValue(), v.getAsLong());
                    }
                }
                candidates.add(new AppCounts(id == null ? name : id, name, platform, byStatus));
            }
            skip += report.rowCount();
            boolean done = report.rowCount() == 0
                    || (report.totalRowCount().isPresent()
                            ? skip >= report.totalRowCount().getAsLong()
                            : report.rowCount() < top);
            if (done) {
                break;
            }
        }
        return ranked(candidates);
    }

    private static List<String> summarySelect() {
        List<String> select = new ArrayList<>(List.of("ApplicationId", "DisplayName", "Platform"));
        select.addAll(SUMMARY_COLUMNS.keySet());
        return select;
    }

    // ---- v1.0: one row per device, counted here within a budget ----

    /** Counts of one app's device rows read so far. */
    private static final class Tally {
        final String id;
        final String name;
        final String platform;
        final Map<String, Long> byStatus = new LinkedHashMap<>();
        long rowsRead;
        long total;

        Tally(String id, String name, String platform) {
            this.id = id;
            this.name = name;
            this.platform = platform;
        }
    }

    private List<AppCounts> fromDeviceReports() throws GraphException {
        List<Tally> candidates = assignedApps();
        long budget = settings.maxReportRows();
        for (Tally t : candidates) {
            readDevicePage(t);
            budget -= t.rowsRead;
        }
        candidates.removeIf(t -> t.total == 0);
        candidates.sort(Comparator.comparingLong((Tally t) -> t.total)
                .reversed()
                .thenComparing(t -> t.name)
                .thenComparing(t -> t.id));
        List<AppCounts> out = new ArrayList<>();
        int skipped = 0;
        for (Tally t : candidates) {
            long remaining = t.total - t.rowsRead;
            if (remaining > 0 && remaining > budget) {
                skipped++;
                continue;
            }
            while (t.rowsRead < t.total) {
                long before = t.rowsRead;
                readDevicePage(t);
                budget -= t.rowsRead - before;
                if (t.rowsRead == before) {
                    break; // the service has fewer rows than it announced
                }
            }
            out.add(new AppCounts(t.id, t.name, t.platform, t.byStatus));
        }
        if (skipped > 0) {
            LOG.warn(
                    "{} apps left out: reading their per-device rows would exceed intune.collectors.app_installs.max-report-rows "
                            + "({}); lower max-apps, narrow include-pattern or turn on beta-summary-report",
                    skipped,
                    settings.maxReportRows());
        }
        return out;
    }

    /** The assigned apps include-pattern selects, each with an empty tally. */
    private List<Tally> assignedApps() throws GraphException {
        List<Tally> candidates = new ArrayList<>();
        for (JsonNode app : graph.list(APPS)) {
            String id = GraphJson.text(app, "id");
            String name = AdminNames.label("app", GraphJson.text(app, "displayName"));
            JsonNode assignments = app.get("assignments");
            if (assignments == null || !assignments.isArray()) {
                // $expand=assignments always yields an array (empty when unassigned): anything else is not Graph's
                // shape.
                throw new GraphException(
                        APPS_ENDPOINT,
                        0,
                        "",
                        "Graph " + APPS_ENDPOINT + ": field assignments of app "
                                + (id == null ? "(no id)" : id) + " is "
                                + (assignments == null ? "missing" : "not an array")
                                + " ($expand=assignments)",
                        null);
            }
            // Unassigned apps have no install status to report.
            if (id == null
                    || id.isBlank()
                    || assignments.isEmpty()
                    || !settings.apps().accepts(name)) {
                continue;
            }
            candidates.add(new Tally(
                    id,
                    name,
                    Platform.ofODataType(GraphJson.text(app, "@odata.type")).label()));
        }
        return candidates;
    }

    /** Reads the next page of one app's device rows into its tally. */
    private void readDevicePage(Tally t) throws GraphException {
        int top = reportPageSize();
        GraphReport report = GraphReport.parse(
                DEVICE_REPORT, graph.post(graph.v1Root() + DEVICE_REPORT, deviceReportBody(t.id, t.rowsRead, top)));
        for (String status : STATUSES) {
            t.byStatus.putIfAbsent(status, 0L);
        }
        for (int r = 0; r < report.rowCount(); r++) {
            t.byStatus.merge(installState(report.enumText(r, "AppInstallState")), 1L, Long::sum);
        }
        t.rowsRead += report.rowCount();
        long announced = report.totalRowCount().orElse(report.rowCount() < top ? t.rowsRead : t.rowsRead + 1);
        t.total = Math.max(announced, t.rowsRead);
    }

    /** The body of one page of an app's device rows in retrieveDeviceAppInstallationStatusReport. */
    static String deviceReportBody(String appId, long skip, int top) {
        String filter = "(ApplicationId eq '" + appId.replace("'", "''") + "')";
        return GraphReport.requestBody(List.of("AppInstallState"), filter, skip, top);
    }

    /** An install state as the reports write it (installed, pendingInstall, "Not Installed", ...) to a status label. */
    static String installState(String raw) {
        String s = raw == null ? "" : raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return switch (s) {
            case "installed" -> "installed";
            case "failed", "installfailed", "uninstallfailed" -> "failed";
            case "pendinginstall", "installpending", "pending" -> "pending";
            case "notinstalled" -> "not_installed";
            case "notapplicable" -> "not_applicable";
            default -> EnumLabels.UNKNOWN;
        };
    }
}
