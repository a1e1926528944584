package io.github.intuneexporter.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.MainAccess;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.GraphProbe;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.Credentials;
import io.github.intuneexporter.graph.GraphConnection;
import io.github.intuneexporter.graph.IntuneThrottleBucket;
import io.github.intuneexporter.graph.Permissions;
import io.github.intuneexporter.simulator.AppRegistrationData;
import io.github.intuneexporter.simulator.DocumentedThrottling;
import io.github.intuneexporter.simulator.GraphReference;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.github.intuneexporter.simulator.TenantSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okio.Buffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Graph contract of the collectors, checked from what they really send: every collector runs against the
 * simulator with every option on (beta sources included, both app install sources, both device sources, the beta
 * status overviews), and every request it sends is recorded at the HTTP layer. Then:
 * <ul>
 *   <li>each request is one Microsoft documents (the simulator's {@link GraphReference}, written from the API reference
 *       pages): method, path form, API version, query options the page allows;</li>
 *   <li>the permission the exporter names for it ({@code Permissions}, hence {@code doctor} and the 403 errors), the
 *       README permission table and {@code doctor}'s own output agree with the page's application permissions, read-only
 *       wherever the page offers a read-only one;</li>
 *   <li>the exporter's throttle buckets are no looser than Microsoft's Intune throttling tables;</li>
 *   <li>docs/graph-contract.md is exactly the table these requests give (templates: identifiers and numbers replaced).</li>
 * </ul>
 */
class GraphContractTest {
    static final Path CONTRACT_DOC = Path.of("docs/graph-contract.md");
    static final Path GENERATED = Path.of("target/graph-contract.generated.md");

    /** One request a collector sent: version, path below it, raw query, body. */
    record Sent(String collector, String method, String version, String path, String query, String body) {
        String template() {
            return EndpointTemplates.of(path);
        }
    }

    private static final List<Sent> SENT = new CopyOnWriteArrayList<>();
    private static volatile String current = "";

    @BeforeAll
    static void runEveryCollectorWithEveryOption() throws Exception {
        String all = String.join(
                "\n",
                "intune.auth.client-id = \"" + AppRegistrationData.DEMO_CLIENT_ID + "\"",
                "intune.collectors.credentials.interval = 5m",
                "intune.collectors.connectors.dep-tokens = true",
                "intune.collectors.connectors.ndes-connectors = true",
                "intune.collectors.enrollment.autopilot = true",
                "intune.collectors.protection.per-device-budget = 1000",
                "intune.collectors.service_health.message-center = true");
        String alternatives = String.join(
                "\n",
                "intune.collectors.configuration.beta-status-overview = true",
                "intune.collectors.app_installs.beta-summary-report = true",
                "intune.collectors.devices.source = \"export-job\"",
                "intune.collectors.devices.export-poll-interval = 10ms",
                "intune.collectors.devices.export-timeout = 30s");
        SimulatedTenant tenant = new SimulatedTenant(12, 60, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (TenantSimulator sim = TenantSimulator.start(tenant, SimulatedGraph.TOKEN)) {
            run(sim, all, null);
            run(sim, all + "\n" + alternatives, Set.of("configuration", "app_installs", "devices"));
        }
        assertFalse(SENT.isEmpty());
    }

    /** Runs the collectors of a configuration once (only {@code only}, when given), recording their requests. */
    private static void run(TenantSimulator sim, String hocon, Set<String> only) throws Exception {
        ExporterSettings settings = SettingsLoader.load(ConfigFactory.parseString(hocon)
                .withFallback(SettingsLoader.parseString(
                        "intune.graph.base-url = \"" + sim.baseUrl() + "\"\nintune.graph.throttle-budget = 0")));
        okhttp3.Interceptor recorder = chain -> {
            okhttp3.Request r = chain.request();
            Matcher m =
                    Pattern.compile("^/(v1\\.0|beta)(/.*)?$").matcher(r.url().encodedPath());
            if (m.matches()) {
                String body = null;
                if (r.body() != null) {
                    Buffer buffer = new Buffer();
                    r.body().writeTo(buffer);
                    body = buffer.readUtf8();
                }
                SENT.add(new Sent(
                        current,
                        r.method(),
                        m.group(1),
                        m.group(2) == null ? "/" : m.group(2),
                        r.url().encodedQuery(),
                        body));
            }
            return chain.proceed(r);
        };
        try (GraphConnection connection =
                GraphConnection.open(settings.graph(), Credentials.staticToken(SimulatedGraph.TOKEN), recorder)) {
            for (IntuneCollector c :
                    CollectorFactory.create(settings, connection.api(), SimulatedGraph.fixedClock(), null)) {
                if (c.interval().isZero() || (only != null && !only.contains(c.name()))) {
                    continue;
                }
                current = c.name();
                c.collect();
            }
        }
    }

    // ---- templates ----

    private static final Pattern NAME = Pattern.compile("[A-Za-z$][A-Za-z.$]*");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The path with identifiers replaced: {id}, ('{id}') and (appId='{appId}') keys. */
    static String pathTemplate(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String s = URLDecoder.decode(segment, StandardCharsets.UTF_8);
            out.append('/');
            int paren = s.indexOf('(');
            if (paren > 0) {
                out.append(s, 0, paren).append(s.startsWith("appId=", paren + 1) ? "(appId='{appId}')" : "('{id}')");
            } else if (NAME.matcher(s).matches() && s.length() < 80) {
                out.append(s);
            } else {
                out.append("{id}");
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** The query decoded, with page sizes as {n}, times as {time} and identifiers as {id}. */
    static String queryTemplate(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v =
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (k.equals("$top") || k.equals("$skip")) {
                v = "{n}";
            }
            parts.add(
                    k + "=" + GUID.matcher(TIME.matcher(v).replaceAll("{time}")).replaceAll("{id}"));
        }
        return String.join("&", parts);
    }

    static String bodyTemplate(String body) {
        if (body == null) {
            return "";
        }
        String s = body.replaceAll("\"(skip|top)\":\\d+", "\"$1\":{n}")
                .replaceAll("ApplicationId eq '[^']*'", "ApplicationId eq '{id}'");
        return GUID.matcher(s).replaceAll("{id}");
    }

    private static Set<String> optionNames(String rawQuery) {
        Set<String> out = new LinkedHashSet<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                out.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** A follow-up page of a collection: the URL of an @odata.nextLink, not a request the collector built. */
    private static boolean nextPage(Sent s) {
        Set<String> names = optionNames(s.query());
        return names.contains("$skiptoken") || names.contains("$skip");
    }

    private static GraphReference.Endpoint documented(Sent s) {
        GraphReference.Endpoint e = GraphReference.find(s.method(), s.template());
        assertNotNull(
                e,
                s.collector() + " sends " + s.method() + " /" + s.version() + s.path()
                        + ", which no API reference page " + "documents (simulator GraphReference)");
        return e;
    }

    // ---- the checks ----

    @Test
    void everyRequestIsOneMicrosoftDocuments() {
        for (Sent s : SENT) {
            GraphReference.Endpoint e = documented(s);
            assertTrue(e.versions().contains(s.version()), s + ": documented in " + e.versions() + " only");
            Set<String> options = optionNames(s.query());
            options.removeIf(o -> !o.startsWith("$"));
            assertTrue(
                    e.queryOptions().allowed().containsAll(options),
                    s + ": query options " + options + " beyond what " + e.page() + " allows ("
                            + e.queryOptions().pageSays() + ")");
            String form =
                    pathTemplate(s.path()).replace("(appId='{appId}')", "").replace("('{id}')", "/{id}");
            boolean listed =
                    e.documentedPaths().contains(form) || e.documentedPaths().contains(pathTemplate(s.path()));
            assertTrue(
                    listed || !e.note().isEmpty(),
                    s + ": path form " + form + " is not among the page's " + e.documentedPaths());
        }
    }

    @Test
    void theExporterNamesADocumentedPermissionReadOnlyWherePossible() {
        for (Sent s : SENT) {
            GraphReference.Endpoint e = documented(s);
            checkPermission(
                    "Permissions (errors, doctor) for " + s.method() + " " + s.template(),
                    Permissions.forEndpoint(s.template()),
                    e);
        }
    }

    private static void checkPermission(String what, String permission, GraphReference.Endpoint e) {
        if (!e.verified()) {
            return; // the page was not available: nothing to compare with (README of graph-examples)
        }
        assertTrue(
                e.applicationPermissions().contains(permission),
                what + " is " + permission + ", but " + e.page() + " documents only " + e.applicationPermissions());
        boolean readOnlyExists = e.applicationPermissions().stream().anyMatch(p -> p.endsWith(".Read.All"));
        assertTrue(
                !readOnlyExists || permission.endsWith(".Read.All"),
                what + " is " + permission + " although " + e.page() + " documents a read-only permission: "
                        + e.applicationPermissions());
    }

    @Test
    void doctorProbesNameTheDocumentedPermission() throws Exception {
        String hocon = "intune.auth.client-id = \"" + AppRegistrationData.DEMO_CLIENT_ID + "\"\n"
                + "intune.collectors.credentials.interval = 5m\nintune.collectors.connectors.dep-tokens = true\n"
                + "intune.collectors.connectors.ndes-connectors = true\nintune.collectors.enrollment.autopilot = true\n";
        for (String variant : List.of(
                "",
                "intune.collectors.configuration.beta-status-overview = true\n"
                        + "intune.collectors.app_installs.beta-summary-report = true\nintune.collectors.devices.source = \"export-job\"\n")) {
            ExporterSettings settings = SettingsLoader.load(SettingsLoader.parseString(
                    hocon + variant + "intune.graph.base-url = \"http://127.0.0.1:9/v1.0\""));
            for (IntuneCollector c : CollectorFactory.create(settings, null, SimulatedGraph.fixedClock(), null)) {
                for (GraphProbe p : c.probes()) {
                    String template = EndpointTemplates.of(p.path());
                    GraphReference.Endpoint e = GraphReference.find(p.postBody() == null ? "GET" : "POST", template);
                    assertNotNull(e, "doctor probe of " + c.name() + " is undocumented: " + p.path());
                    checkPermission(
                            "doctor's permission for " + c.name() + " " + p.endpoint(),
                            Permissions.forEndpoint(template),
                            e);
                    int q = p.path().indexOf('?');
                    Set<String> options = optionNames(q < 0 ? null : p.path().substring(q + 1));
                    options.removeIf(o -> !o.startsWith("$"));
                    assertTrue(
                            e.queryOptions().allowed().containsAll(options),
                            "doctor probe of " + c.name() + " " + p.path() + ": query options " + options
                                    + " beyond what " + e.page() + " allows ("
                                    + e.queryOptions().pageSays() + ")");
                }
            }
        }
    }

    @Test
    void doctorNamesTheDocumentedPermissionOfTheApplePushCertificate() {
        // Without DeviceManagementManagedDevices.Read.All, Graph refuses the APNs certificate (its page documents only
        // that and DeviceManagementServiceConfig.ReadWrite.All), and doctor must name that permission, not
        // ServiceConfig.Read.All.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MainAccess.run(
                new String[] {
                    "doctor",
                    "--demo",
                    "--demo-devices",
                    "50",
                    "--set",
                    "intune.simulator.revoked-permissions=[\"DeviceManagementManagedDevices.Read.All\"]"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        String apns = text.lines()
                .filter(l -> l.contains("applePushNotificationCertificate"))
                .findFirst()
                .orElse("");
        assertTrue(apns.contains("DeviceManagementManagedDevices.Read.All"), text);
        assertFalse(text.contains("missing permission DeviceManagementServiceConfig.Read.All"), text);
    }

    /** README's "Graph permissions" rows: collector, endpoints cell, permission. */
    private record ReadmeRow(String collector, String endpoints, String permission) {}

    private static List<ReadmeRow> readmeRows() throws IOException {
        List<ReadmeRow> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Graph permissions");
            }
            if (inSection && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                Matcher collector = Pattern.compile("`([a-z_]+)`").matcher(cells[1]);
                Matcher permission = Pattern.compile("`([A-Za-z.]+\\.All)`").matcher(cells[3]);
                assertTrue(collector.find() && permission.find(), "README permission row: " + line);
                rows.add(new ReadmeRow(collector.group(1), cells[2], permission.group(1)));
            }
        }
        assertFalse(rows.isEmpty(), "README has a Graph permissions table");
        return rows;
    }

    /** The name README uses for an endpoint: its last named segment (deviceStatusOverview, applications, exportJobs...). */
    private static String readmeName(String template) {
        String[] segments = template.split("/");
        for (int i = segments.length - 1; i >= 0; i--) {
            if (!segments[i].isEmpty() && !segments[i].equals("{id}")) {
                return segments[i];
            }
        }
        return template;
    }

    @Test
    void theReadmePermissionTableListsEveryRequestWithADocumentedPermission() throws IOException {
        List<ReadmeRow> rows = readmeRows();
        for (Sent s : SENT) {
            if (nextPage(s)) {
                continue;
            }
            GraphReference.Endpoint e = documented(s);
            String name = readmeName(s.template());
            List<ReadmeRow> matching = rows.stream()
                    .filter(r ->
                            r.collector().equals(s.collector()) && r.endpoints().contains(name))
                    .toList();
            assertFalse(
                    matching.isEmpty(), "README's permission table has no row of " + s.collector() + " naming " + name);
            if (e.verified()) {
                for (ReadmeRow r : matching) {
                    assertTrue(
                            e.applicationPermissions().contains(r.permission()),
                            "README names " + r.permission() + " for " + s.collector() + " " + name + "; " + e.page()
                                    + " documents " + e.applicationPermissions());
                }
            }
        }
    }

    @Test
    void theExporterThrottleBucketsAreNoLooserThanMicrosoftsIntuneTables() {
        Map<DocumentedThrottling, Set<IntuneThrottleBucket>> byGroup = new EnumMap<>(DocumentedThrottling.class);
        for (Sent s : SENT) {
            DocumentedThrottling group = documented(s).throttling();
            if (group == null || group == DocumentedThrottling.SERVICE_COMMUNICATIONS) {
                continue; // not in an Intune table; the exporter budgets only Intune (see docs/graph-contract.md)
            }
            IntuneThrottleBucket bucket = IntuneThrottleBucket.of(s.template());
            assertNotNull(bucket, s.template() + " is in Microsoft's " + group + " table but in no exporter bucket");
            assertEquals(group.window(), bucket.window(), s.template());
            assertTrue(
                    bucket.anyRequests() <= group.anyRequests() && bucket.writeRequests() <= group.writeRequests(),
                    s.template() + ": exporter bucket " + bucket + " allows more than Microsoft's " + group + " table");
            byGroup.computeIfAbsent(group, g -> new HashSet<>()).add(bucket);
        }
        byGroup.forEach((group, buckets) -> assertEquals(
                1,
                buckets.size(),
                "Microsoft's " + group + " limit is shared by its endpoints, but the exporter budgets them in "
                        + buckets + ", which together allow more"));
    }

    // ---- docs/graph-contract.md ----

    /** What happens when a request fails, by collector, and for a few requests with their own handling. */
    private static String onFailure(String collector, String request) {
        if (request.contains("/applePushNotificationCertificate")) {
            return "404 (no certificate uploaded): no APNs series and the run succeeds. Any other error fails the run naming source "
                    + "`apple-push-certificate` and its switch; `intune_collector_success{collector=\"connectors\"}` 0.";
        }
        if (collector.equals("connectors")) {
            return "Fails the run naming the source and its switch (`intune.collectors.connectors.<source> = false`); "
                    + "`intune_collector_success{collector=\"connectors\"}` 0, alert `IntuneCollectorFailing`.";
        }
        if (request.contains("/windowsProtectionState")) {
            return "404 (device has not reported): its checks count as status `unknown`. Other errors fail the run "
                    + "(`intune_collector_success{collector=\"protection\"}` 0).";
        }
        if (request.contains("reports/exportJobs")) {
            return "Job `failed`, not `completed` within `export-timeout`, or download refused: the run fails naming the report "
                    + "and status; `intune_collector_success{collector=\"devices\"}` 0.";
        }
        if (request.contains("$expand=deploymentSummary")) {
            return "A policy without an expanded deploymentSummary is left out of `intune_app_protection_policy_deployed_users` "
                    + "(warning logged); request errors fail the run (`intune_collector_success{collector=\"app_protection\"}` 0).";
        }
        return "Fails the run: `intune_collector_success{collector=\"" + collector
                + "\"}` 0, alert `IntuneCollectorFailing`; "
                + "the error names endpoint, status and (403) the permission.";
    }

    /** A link to the endpoint's reference page; an endpoint Microsoft publishes no page for says so (see the notes). */
    private static String reference(GraphReference.Endpoint e, String version) {
        return e.verified()
                ? "[" + e.page() + "](" + e.learnUrl(version) + ")"
                : "no reference page published (see notes)";
    }

    /** The table rows: collector, request, API version, permission, reference, on failure. */
    static List<List<String>> contractRows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (Sent s : SENT) {
            if (nextPage(s)) {
                continue;
            }
            String query = queryTemplate(s.query());
            String body = bodyTemplate(s.body());
            String request = s.method() + " /" + s.version() + pathTemplate(s.path())
                    + (query.isEmpty() ? "" : "?" + query) + (body.isEmpty() ? "" : " " + body);
            GraphReference.Endpoint e = GraphReference.find(s.method(), s.template());
            String page = e == null ? "(undocumented)" : reference(e, s.version());
            rows.putIfAbsent(
                    s.collector() + "|" + request,
                    List.of(
                            "`" + s.collector() + "`",
                            "`" + request + "`",
                            s.version(),
                            "`" + Permissions.forEndpoint(s.template()) + "`",
                            page,
                            onFailure(s.collector(), request)));
        }
        List<List<String>> out = new ArrayList<>(rows.values());
        // Collectors in the order of CollectorFactory (and of the README); within one, in the order the requests were
        // sent.
        List<String> order = List.of(
                "compliance",
                "devices",
                "connectors",
                "service_health",
                "credentials",
                "protection",
                "app_protection",
                "enrollment",
                "configuration",
                "app_installs",
                "autopilot",
                "partners",
                "compliance_settings",
                "software_updates",
                "app_troubleshooting",
                "subscription",
                "audit");
        out.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.get(0).replace("`", ""))));
        return out;
    }

    static String renderTable(List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Collector | Request | API | Permission | Microsoft reference | When it fails |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void theContractDocumentIsTheTableOfTheRequestsReallySent() throws IOException {
        String table = renderTable(contractRows());
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, table);
        String doc = Files.readString(CONTRACT_DOC);
        int start = doc.indexOf("| Collector | Request |");
        assertTrue(start >= 0, CONTRACT_DOC + " has no contract table");
        int end = doc.indexOf("\n\n", start);
        String inDoc = doc.substring(start, end < 0 ? doc.length() : end + 1);
        if (!inDoc.equals(table)) {
            Set<String> want = new LinkedHashSet<>(table.lines().toList());
            Set<String> have = new LinkedHashSet<>(inDoc.lines().toList());
            Set<String> missing = new LinkedHashSet<>(want);
            missing.removeAll(have);
            Set<String> extra = new LinkedHashSet<>(have);
            extra.removeAll(want);
            fail(CONTRACT_DOC + " does not match the requests the collectors send (the generated table is in "
                    + GENERATED + ").\nMissing or changed:\n" + String.join("\n", missing) + "\nNo longer sent:\n"
                    + String.join("\n", extra));
        }
    }

    private static final List<String> OPTION_ORDER =
            List.of("$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search", "$skiptoken");

    private static String options(Set<String> options) {
        List<String> sorted = new ArrayList<>(options);
        sorted.sort(java.util.Comparator.comparingInt(OPTION_ORDER::indexOf));
        return sorted.isEmpty() ? "none" : "`" + String.join("`, `", sorted) + "`";
    }

    /**
     * The query options table of docs/graph-contract.md: every documented endpoint, what its page says, the options the
     * simulator accepts for it and the ones the collectors (and their nextLinks) really sent.
     */
    static String renderQueryOptionTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Endpoint | API | Reference page | The page says | Accepted | Sent by the collectors |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (GraphReference.Endpoint e : GraphReference.endpoints()) {
            Set<String> sent = new LinkedHashSet<>();
            for (Sent s : SENT) {
                if (s.method().equals(e.method()) && s.template().equals(e.template())) {
                    optionNames(s.query()).stream()
                            .filter(o -> o.startsWith("$"))
                            .forEach(sent::add);
                }
            }
            sb.append("| `")
                    .append(e.method())
                    .append(' ')
                    .append(e.template())
                    .append("` | ")
                    .append(String.join(", ", e.versions()))
                    .append(" | ")
                    .append(reference(e, e.versions().get(0)))
                    .append(" | ")
                    .append(e.queryOptions().pageSays())
                    .append(" | ")
                    .append(options(e.queryOptions().allowed()))
                    .append(" | ")
                    .append(options(sent))
                    .append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void theContractDocumentListsTheQueryOptionsOfEveryEndpoint() throws IOException {
        String table = renderQueryOptionTable();
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED.resolveSibling("graph-query-options.generated.md"), table);
        String doc = Files.readString(CONTRACT_DOC);
        int start = doc.indexOf("| Endpoint | API | Reference page |");
        assertTrue(start >= 0, CONTRACT_DOC + " has no query options table");
        int end = doc.indexOf("\n\n", start);
        assertEquals(
                table,
                doc.substring(start, end < 0 ? doc.length() : end + 1),
                CONTRACT_DOC + ": the query options table differs "
                        + "from GraphReference and the requests sent (generated: target/graph-query-options.generated.md)");
    }

    @Test
    void templatesReplaceIdentifiersNumbersAndTimes() {
        assertEquals(
                "/applications(appId='{appId}')",
                pathTemplate("/applications(appId=%275b1f7c9e-2d4a-4c8e-9a61-3e7d0f2b8c45%27)"));
        assertEquals(
                "/deviceManagement/reports/exportJobs('{id}')",
                pathTemplate("/deviceManagement/reports/exportJobs('Devices_1')"));
        assertEquals(
                "/deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview",
                pathTemplate(
                        "/deviceManagement/deviceCompliancePolicies/0f9c1e5a-1111-2222-3333-444455556666/deviceStatusOverview"));
        assertEquals(
                "$filter=enrolledDateTime lt {time}&$select=id&$top={n}",
                queryTemplate("$filter=enrolledDateTime%20lt%202026-01-01T00:00:00Z&$select=id&$top=1000"));
        assertEquals(
                "{\"select\":[\"AppInstallState\"],\"filter\":\"(ApplicationId eq '{id}')\",\"skip\":{n},\"top\":{n}}",
                bodyTemplate(
                        "{\"select\":[\"AppInstallState\"],\"filter\":\"(ApplicationId eq 'app-7')\",\"skip\":0,\"top\":1000}"));
    }
}
