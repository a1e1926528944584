package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.github.intuneexporter.contract.GraphContract;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Intune reports export API (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-apis) for the DeviceCompliance report: POST
 * /deviceManagement/reports/exportJobs creates a job that goes notStarted, inProgress, completed over three
 * polls; its {@code url} points at a blob-storage look-alike outside Graph ({@code /_blob/...?sig=...}) that
 * wants the SAS signature and refuses a bearer token, and streams a zip with the CSV, row by row from the tenant
 * (a million devices are never held in memory).
 *
 * <p>Cell values [UNVERIFIED against a real tenant: Microsoft documents the columns, not the values]: enum
 * columns carry Graph's enum integers (ComplianceState, OwnerType, ManagementAgents) with a localized
 * {@code <column>_loc} next to them, as localizationType=localizedValuesAsAdditionalColumn describes; odd values
 * (PascalCase, values newer than the exporter) are written as their names. LastContact is
 * "yyyy-MM-dd HH:mm:ss.fffffff" UTC, empty when the device never checked in.
 */
final class ExportJobEndpoints {
    /** DeviceCompliance columns (Intune docs "reports-export-graph-available-reports"). */
    static final List<String> DEVICE_COMPLIANCE_COLUMNS = List.of(
            "DeviceId",
            "IntuneDeviceId",
            "AadDeviceId",
            "DeviceName",
            "DeviceType",
            "OSDescription",
            "OSVersion",
            "OwnerType",
            "LastContact",
            "InGracePeriodUntil",
            "IMEI",
            "SerialNumber",
            "ManagementAgents",
            "PrimaryUser",
            "UserId",
            "UPN",
            "UserEmail",
            "UserName",
            "DeviceHealthThreatLevel",
            "RetireAfterDatetime",
            "PartnerDeviceId",
            "ComplianceState",
            "OS");

    private static final Map<String, String> COMPLIANCE_CODES = Map.of(
            "unknown",
            "0",
            "compliant",
            "1",
            "noncompliant",
            "2",
            "conflict",
            "3",
            "error",
            "4",
            "inGracePeriod",
            "254",
            "configManager",
            "255");
    private static final Map<String, String> COMPLIANCE_LOC = Map.of(
            "unknown",
            "Unknown",
            "compliant",
            "Compliant",
            "noncompliant",
            "Not compliant",
            "conflict",
            "Conflict",
            "error",
            "Error",
            "inGracePeriod",
            "In grace period",
            "configManager",
            "Config Manager");
    private static final Map<String, String> OWNER_CODES = Map.of("unknown", "0", "company", "1", "personal", "2");
    private static final Map<String, String> OWNER_LOC = Map.of("company", "Corporate", "personal", "Personal");
    /** managementAgentType codes, straight from the v1.0 CSDL (a hand-written table had one wrong: 14 for 11). */
    private static final Map<String, String> AGENT_CODES = agentCodes();
    /** Localized agent names contain commas and quotes, so the CSV quoting is exercised. */
    private static final Map<String, String> AGENT_LOC =
            Map.of("configurationManagerClientMdm", "ConfigMgr, MDM", "easMdm", "MDM, \"EAS\"");

    private static Map<String, String> agentCodes() {
        GraphContract v1 = GraphContract.v1();
        Map<String, String> m = new HashMap<>();
        for (String member : v1.enumMembers("managementAgentType")) {
            m.put(
                    member,
                    Long.toString(v1.enumValue("managementAgentType", member).orElseThrow()));
        }
        return Map.copyOf(m);
    }

    /** The OS column holds the reports' platform names, not managedDevice's free-text operatingSystem. */
    static String reportOs(String operatingSystem) {
        return ReportPlatform.covering(operatingSystem)
                .map(ReportPlatform::text)
                .orElse(operatingSystem);
    }

    private static final DateTimeFormatter REPORT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS").withZone(ZoneOffset.UTC);
    private static final int POLLS_TO_COMPLETE = 3;

    private record Job(String id, List<String> select, String signature, Instant requested, AtomicInteger polls) {}

    private ExportJobEndpoints() {}

    static void register(TenantSimulator sim) {
        Map<String, Job> jobs = new ConcurrentHashMap<>();
        SimulatedTenant tenant = sim.tenant();
        sim.route("POST", "/deviceManagement/reports/exportJobs", (req, m) -> {
            List<String> select = requestedColumns(req);
            Job job = new Job(
                    "DeviceCompliance_" + UUID.randomUUID(),
                    List.copyOf(select),
                    UUID.randomUUID().toString().replace("-", ""),
                    tenant.clock().instant(),
                    new AtomicInteger());
            jobs.put(job.id(), job);
            writeJob(req, 201, job, "notStarted", null);
        });
        TenantSimulator.Handler get = (req, m) -> {
            Job job = jobs.get(m.group(1));
            if (job == null) {
                TenantSimulator.notFound(req, "DeviceManagementExportJob", m.group(1));
                return;
            }
            int poll = job.polls().incrementAndGet();
            String status = poll >= POLLS_TO_COMPLETE ? "completed" : "inProgress";
            String url = status.equals("completed")
                    ? req.origin + sim.pathPrefix() + "/_blob/reports/" + job.id()
                            + ".zip?sv=2020-08-04&se=2099-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=" + job.signature()
                    : null;
            writeJob(req, 200, job, status, url);
        };
        sim.route("GET", "/deviceManagement/reports/exportJobs\\((?:'|%27)([^'%/]+)(?:'|%27)\\)", get);
        sim.route("GET", "/deviceManagement/reports/exportJobs/([^/]+)", get);
        sim.blobContext("/_blob/reports/", exchange -> download(exchange, jobs, tenant));
    }

    /**
     * The columns a new export job asks for (all of them when it selects none), after checking the request the way
     * Graph does: a JSON object for the DeviceCompliance report in csv, with known columns only.
     */
    private static List<String> requestedColumns(SimulatorRequest req) {
        JsonNode body;
        try (InputStream in = req.exchange.getRequestBody()) {
            body = TenantSimulator.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid JSON in request body");
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("Invalid JSON in request body");
        }
        String report = body.path("reportName").asText("");
        if (!report.equals("DeviceCompliance")) {
            throw new IllegalArgumentException(
                    "reportName '" + report + "' is not available in the simulator (DeviceCompliance is)");
        }
        String format = body.path("format").asText("csv");
        if (!format.equalsIgnoreCase("csv")) {
            throw new IllegalArgumentException("format '" + format + "' is not supported by the simulator (csv is)");
        }
        List<String> select = new ArrayList<>();
        body.path("select").forEach(c -> select.add(c.asText()));
        for (String column : select) {
            if (!DEVICE_COMPLIANCE_COLUMNS.contains(column)) {
                throw new IllegalArgumentException(
                        "Invalid select column '" + column + "' for report DeviceCompliance");
            }
        }
        if (select.isEmpty()) {
            select.addAll(DEVICE_COMPLIANCE_COLUMNS);
        }
        return select;
    }

    private static void writeJob(SimulatorRequest req, int status, Job job, String state, String url)
            throws IOException {
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put(
                "@odata.context",
                "https://graph.microsoft.com/" + req.version
                        + "/$metadata#deviceManagement/reports/exportJobs/$entity");
        o.put("id", job.id());
        o.put("reportName", "DeviceCompliance");
        o.putNull("filter");
        job.select().forEach(o.putArray("select")::add);
        o.put("format", "csv");
        o.putNull("snapshotId");
        o.put("localizationType", "localizedValuesAsAdditionalColumn");
        o.put("status", state);
        if (url == null) {
            o.putNull("url");
        } else {
            o.put("url", url);
        }
        o.put("requestDateTime", job.requested().toString());
        o.put("expirationDateTime", job.requested().plusSeconds(6 * 3600).toString());
        byte[] body = TenantSimulator.MAPPER.writeValueAsBytes(o);
        req.exchange.getResponseHeaders().set("Content-Type", "application/json");
        req.exchange.sendResponseHeaders(status, body.length);
        req.exchange.getResponseBody().write(body);
    }

    /** The zip of a completed job, streamed: one CSV entry written row by row. */
    private static void download(HttpExchange exchange, Map<String, Job> jobs, SimulatedTenant tenant)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            Job job = name.endsWith(".zip") ? jobs.get(name.substring(0, name.length() - 4)) : null;
            String query = exchange.getRequestURI().getRawQuery();
            if (exchange.getRequestHeaders().getFirst("Authorization") != null) {
                // Blob storage rejects a request that carries both a SAS and a bearer token; it must never see the
                // Graph token.
                blobError(
                        exchange,
                        400,
                        "InvalidAuthenticationInfo",
                        "Authentication information is not given in the correct format.");
                return;
            }
            if (job == null
                    || job.polls().get() < POLLS_TO_COMPLETE
                    || query == null
                    || !query.contains("sig=" + job.signature())) {
                blobError(exchange, 403, "AuthenticationFailed", "Server failed to authenticate the request.");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-zip-compressed");
            exchange.sendResponseHeaders(200, 0);
            try (ZipOutputStream zip = new ZipOutputStream(exchange.getResponseBody())) {
                zip.putNextEntry(new ZipEntry(job.id() + ".csv"));
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 64 * 1024);
                w.write('\uFEFF');
                List<String> header = new ArrayList<>();
                for (String column : job.select()) {
                    header.add(column);
                    if (localized(column)) {
                        header.add(column + "_loc");
                    }
                }
                writeRow(w, header);
                List<String> row = new ArrayList<>();
                int n = tenant.deviceCount();
                long epoch = tenant.epoch();
                Instant now = tenant.clock().instant();
                for (int i = 0; i < n; i++) {
                    SimulatedDevice d = tenant.device(i, epoch, now);
                    row.clear();
                    for (String column : job.select()) {
                        cells(column, d, row);
                    }
                    writeRow(w, row);
                }
                w.flush();
                zip.closeEntry();
            }
        }
    }

    private static boolean localized(String column) {
        return column.equals("ComplianceState") || column.equals("OwnerType") || column.equals("ManagementAgents");
    }

    private static void cells(String column, SimulatedDevice d, List<String> row) {
        switch (column) {
            case "DeviceId", "IntuneDeviceId" -> row.add(d.id());
            case "DeviceName" -> row.add(d.deviceName());
            case "OS" -> row.add(reportOs(d.operatingSystem()));
            case "OSVersion" -> row.add(d.osVersion());
            case "OSDescription" -> row.add(d.operatingSystem() + " " + d.osVersion());
            case "ComplianceState" ->
                codeAndName(row, d.complianceState(), COMPLIANCE_CODES, COMPLIANCE_LOC, d.complianceState());
            case "OwnerType" -> codeAndName(row, d.ownerType(), OWNER_CODES, OWNER_LOC, "Unknown");
            case "ManagementAgents" ->
                codeAndName(row, d.managementAgent(), AGENT_CODES, AGENT_LOC, d.managementAgent());
            case "LastContact" -> row.add(d.lastSyncDateTime() == null ? "" : REPORT_TIME.format(d.lastSyncDateTime()));
            case "UPN", "UserEmail" -> row.add(d.userPrincipalName());
            case "UserName" -> row.add(d.userDisplayName());
            case "SerialNumber" -> row.add(d.serialNumber());
            default -> row.add("");
        }
    }

    /** A localized column's two cells: the enum's code, then its display name ({@code unnamed} for a value without one). */
    private static void codeAndName(
            List<String> row, String value, Map<String, String> codes, Map<String, String> names, String unnamed) {
        row.add(codes.getOrDefault(value, value));
        row.add(names.getOrDefault(value, unnamed));
    }

    private static void writeRow(BufferedWriter w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0) {
                w.write('"');
                w.write(c.replace("\"", "\"\""));
                w.write('"');
            } else {
                w.write(c);
            }
        }
        w.write("\r\n");
    }

    private static void blobError(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
