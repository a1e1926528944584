package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App routes: {@code GET /deviceAppManagement/mobileApps}, the v1.0 per-device report
 * {@code POST /deviceManagement/reports/retrieveDeviceAppInstallationStatusReport} (one app per request through
 * {@code (ApplicationId eq '...')}) and the beta-only per-app summary
 * {@code POST /deviceManagement/reports/getAppsInstallSummaryReport}. Reports answer the way Intune's do:
 * {@code TotalRowCount}, {@code Schema}, {@code Values}, paged by skip/top, columns in the service's own order
 * (not the order asked for), enum columns with an extra {@code <column>_loc}, as application/octet-stream.
 * With odd values on, enum cells come as numeric codes (text only in {@code _loc}) and the summary leaves
 * out NotApplicableDeviceCount.
 */
final class AppInstallEndpoints {
    private static final Pattern APP_FILTER =
            Pattern.compile("^\\s*\\(?\\s*ApplicationId\\s+eq\\s+'([^']+)'\\s*\\)?\\s*$");
    private static final int MAX_TOP = 1000;
    /** The device install status report's columns and their types, from {@code /simulator/app-install-status-columns.tsv}. */
    private static final Map<String, String> DEVICE_COLUMNS = new LinkedHashMap<>();

    static {
        DataTable.rows("app-install-status-columns.tsv", 2).forEach(row -> DEVICE_COLUMNS.put(row[0], row[1]));
    }

    private AppInstallEndpoints() {}

    static void register(TenantSimulator sim) {
        SimulatedTenant tenant = sim.tenant();
        AppData data = new AppData(tenant);
        boolean odd = tenant.oddValues() > 0;
        sim.route("GET", "/deviceAppManagement/mobileApps", (req, m) -> {
            TenantSimulator.writeRows(req, "deviceAppManagement/mobileApps", data.apps(), PAGE, (a, o) -> {
                o.put("@odata.type", a.odataType());
                o.put("id", a.id());
                o.put("displayName", a.displayName());
                o.put("description", a.displayName());
                o.put("publisher", a.publisher());
                o.put(
                        "createdDateTime",
                        tenant.origin().minusSeconds(300L * 86400).toString());
                o.put(
                        "lastModifiedDateTime",
                        tenant.origin().minusSeconds(9L * 86400).toString());
                o.put("isFeatured", false);
                o.put("publishingState", "published");
                if (req.version.equals("beta")) {
                    o.put("isAssigned", a.assigned()); // beta only: v1.0's mobileApp has no isAssigned
                }
                if (TenantSimulator.expands(req, "assignments")) {
                    var assignments = o.putArray("assignments");
                    if (a.assigned()) {
                        ObjectNode as = assignments.addObject();
                        as.put("@odata.type", "#microsoft.graph.mobileAppAssignment");
                        as.put("id", a.id() + "_1_0");
                        as.put("intent", "required");
                        as.putNull("settings");
                        as.putObject("target").put("@odata.type", "#microsoft.graph.allDevicesAssignmentTarget");
                    }
                }
            });
        });
        sim.route(
                "POST",
                "/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport",
                (req, m) -> deviceStatusReport(tenant, data, odd, req));
        sim.betaRoute(
                "POST",
                "/deviceManagement/reports/getAppsInstallSummaryReport",
                (req, m) -> summaryReport(data, odd, req));
    }

    private record Body(List<String> select, String filter, int skip, int top) {}

    private static Body body(SimulatorRequest req) throws IOException {
        JsonNode body;
        try {
            body = TenantSimulator.MAPPER.readTree(req.exchange.getRequestBody().readAllBytes());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Invalid JSON in the request body");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object");
        }
        List<String> select = new ArrayList<>();
        for (JsonNode s : body.path("select")) {
            select.add(s.asText());
        }
        int skip = body.path("skip").asInt(0);
        int top = body.path("top").asInt(50);
        if (skip < 0 || top < 1) {
            throw new IllegalArgumentException("Invalid skip or top");
        }
        return new Body(select, body.path("filter").asText(""), skip, Math.min(top, MAX_TOP));
    }

    /** The selected columns in the service's order; unknown names are a 400 like Intune's. */
    private static List<String> columns(List<String> all, List<String> select) {
        for (String s : select) {
            if (!all.contains(s)) {
                throw new IllegalArgumentException("Invalid select column: " + s);
            }
        }
        List<String> out = new ArrayList<>();
        for (String c : all) {
            if (select.isEmpty() || select.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static void deviceStatusReport(SimulatedTenant tenant, AppData data, boolean odd, SimulatorRequest req)
            throws IOException {
        Body body = body(req);
        Matcher f = APP_FILTER.matcher(body.filter());
        if (!f.matches()) {
            throw new IllegalArgumentException(
                    "This report requires a filter on ApplicationId, e.g. (ApplicationId eq '<id>')");
        }
        AppData.App app = data.app(f.group(1));
        List<Integer> devices = new ArrayList<>();
        if (app != null) {
            data.forEachTargetedDevice(data.index(app), devices::add);
        }
        List<String> columns = columns(new ArrayList<>(DEVICE_COLUMNS.keySet()), body.select());
        String[] os = data.operatingSystems();
        long epoch = tenant.epoch();
        writeReport(
                req,
                body,
                columns,
                devices,
                (g, c) -> {
                    // Names are text: the column is Int32 only when it carries codes (odd values).
                    schemaEntry(g, c, c.equals("AppInstallState") && !odd ? "String" : DEVICE_COLUMNS.get(c));
                    if (c.equals("AppInstallState") || c.equals("Platform")) {
                        schemaEntry(g, c + "_loc", "String");
                    }
                },
                (g, i) -> writeDeviceRow(g, tenant, data, odd, columns, app, os[i], epoch, i));
    }

    /** The cells of device {@code i} in the device install status report of {@code app}. */
    private static void writeDeviceRow(
            JsonGenerator g,
            SimulatedTenant tenant,
            AppData data,
            boolean odd,
            List<String> columns,
            AppData.App app,
            String os,
            long epoch,
            int i)
            throws IOException {
        SimulatedDevice d = tenant.device(i);
        int state = data.state(data.index(app), i, os, epoch);
        for (String c : columns) {
            switch (c) {
                case "DeviceName" -> g.writeString(d.deviceName());
                case "UserPrincipalName" -> g.writeString(d.userPrincipalName());
                case "Platform" -> {
                    g.writeString(d.operatingSystem());
                    g.writeString(d.operatingSystem());
                }
                case "AppVersion" -> g.writeString(app.version());
                case "InstallStateDetail", "AppInstallStateDetails" ->
                    g.writeNumber(state == AppData.FAILED ? 2016 : 0);
                case "AppInstallState" -> {
                    if (odd) {
                        g.writeNumber(state + 1); // a numeric code, as some report enums are sent
                    } else {
                        g.writeString(AppData.STATES.get(state));
                    }
                    g.writeString(localized(state));
                }
                case "LastModifiedDateTime" ->
                    g.writeString(
                            tenant.origin().minus(Duration.ofHours(i % 48)).toString());
                case "DeviceId" -> g.writeString(d.id());
                case "ErrorCode" -> g.writeNumber(state == AppData.FAILED ? -2016345060 : 0);
                case "UserName" -> g.writeString(d.userDisplayName());
                case "UserId" -> g.writeString(new UUID(d.userPrincipalName().hashCode(), 3L).toString());
                case "ApplicationId" -> g.writeString(app.id());
                case "HexErrorCode" -> g.writeString(state == AppData.FAILED ? "0x87D1041C" : "0x0");
                default -> g.writeNull();
            }
        }
    }

    private static String localized(int state) {
        return switch (state) {
            case AppData.INSTALLED -> "Installed";
            case AppData.FAILED -> "Failed";
            case AppData.PENDING -> "Install Pending";
            case AppData.NOT_INSTALLED -> "Not Installed";
            default -> "Not Applicable";
        };
    }

    private static void summaryReport(AppData data, boolean odd, SimulatorRequest req) throws IOException {
        Body body = body(req);
        if (!body.filter().isBlank()) {
            throw new IllegalArgumentException("The simulator implements no filter on this report");
        }
        List<String> columns = columns(data.summaryColumns(), body.select());
        if (odd) {
            columns.remove("NotApplicableDeviceCount"); // an older report version without this column
        }
        List<AppData.App> apps = new ArrayList<>(data.apps());
        apps.sort((a, b) -> {
            int c = a.displayName()
                    .toLowerCase(Locale.ROOT)
                    .compareTo(b.displayName().toLowerCase(Locale.ROOT));
            return c != 0 ? c : a.id().compareTo(b.id());
        });
        Map<String, AppData.Counts> counts = data.aggregates().byApp();
        writeReport(
                req,
                body,
                columns,
                apps,
                (g, c) -> {
                    schemaEntry(
                            g,
                            c,
                            c.endsWith("Count") || (odd && c.equals("Platform"))
                                    ? "Int32"
                                    : c.equals("FailedDevicePercentage") ? "Double" : "String");
                    if (c.equals("Platform")) {
                        schemaEntry(g, "Platform_loc", "String");
                    }
                },
                (g, a) -> writeSummaryRow(g, a, counts.get(a.id()), columns, odd));
    }

    /** The cells of app {@code a} in the apps install summary report, from its counts {@code n}. */
    private static void writeSummaryRow(
            JsonGenerator g, AppData.App a, AppData.Counts n, List<String> columns, boolean odd) throws IOException {
        for (String c : columns) {
            switch (c) {
                case "ApplicationId" -> g.writeString(a.id());
                case "DisplayName" -> g.writeString(a.displayName());
                case "Publisher" -> g.writeString(a.publisher());
                case "Platform" -> {
                    if (odd) {
                        g.writeNumber(ReportPlatform.named(a.reportPlatform()).code());
                    } else {
                        g.writeString(a.reportPlatform());
                    }
                    g.writeString(a.reportPlatform());
                }
                case "AppVersion" -> g.writeString(a.version());
                case "InstalledDeviceCount" -> g.writeNumber(n.installed());
                case "FailedDeviceCount" -> g.writeNumber(n.failed());
                case "PendingInstallDeviceCount" -> g.writeNumber(n.pending());
                case "NotApplicableDeviceCount" -> g.writeNumber(n.notApplicable());
                case "NotInstalledDeviceCount" -> g.writeNumber(n.notInstalled());
                case "InstalledUserCount" -> g.writeNumber(n.installed() * 9 / 10);
                case "FailedUserCount" -> g.writeNumber(n.failed() * 9 / 10);
                case "PendingInstallUserCount" -> g.writeNumber(n.pending() * 9 / 10);
                case "NotApplicableUserCount" -> g.writeNumber(n.notApplicable() * 9 / 10);
                case "NotInstalledUserCount" -> g.writeNumber(n.notInstalled() * 9 / 10);
                case "FailedDevicePercentage" ->
                    g.writeNumber(n.targeted() == 0 ? 0.0 : Math.round(10000.0 * n.failed() / n.targeted()) / 100.0);
                default -> g.writeNull();
            }
        }
    }

    /** Writes something of a report (a column's schema entries, a row's cells) with the generator. */
    @FunctionalInterface
    private interface ReportWriter<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /**
     * A report page as the report actions answer: TotalRowCount, the Schema (each column's entries from {@code schema}),
     * then the Values of rows skip..skip+top, each an array of cells from {@code cells}.
     */
    private static <T> void writeReport(
            SimulatorRequest req,
            Body body,
            List<String> columns,
            List<T> rows,
            ReportWriter<String> schema,
            ReportWriter<T> cells)
            throws IOException {
        try (JsonGenerator g = startReport(req)) {
            g.writeStartObject();
            g.writeNumberField("TotalRowCount", rows.size());
            g.writeArrayFieldStart("Schema");
            for (String c : columns) {
                schema.write(g, c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Values");
            int end = Math.min(rows.size(), body.skip() + body.top());
            for (int k = body.skip(); k < end; k++) {
                g.writeStartArray();
                cells.write(g, rows.get(k));
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeStringField("SessionId", "");
            g.writeEndObject();
        }
    }

    private static void schemaEntry(JsonGenerator g, String column, String type) throws IOException {
        g.writeStartObject();
        g.writeStringField("Column", column);
        g.writeStringField("PropertyType", type);
        g.writeEndObject();
    }

    /** Report actions answer with a JSON body typed application/octet-stream. */
    private static JsonGenerator startReport(SimulatorRequest req) throws IOException {
        req.exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        req.exchange.sendResponseHeaders(200, 0);
        return TenantSimulator.JSON.createGenerator(req.exchange.getResponseBody(), JsonEncoding.UTF8);
    }
}
