package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.intuneexporter.contract.EndpointTemplates;
import io.github.intuneexporter.contract.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Microsoft Graph look-alike on loopback that serves a {@link SimulatedTenant}: the v1.0 (and beta)
 * URLs the collectors use, JSON shaped like Graph's ({@code @odata.context}, {@code value},
 * {@code @odata.nextLink} paging, {@code $top}, {@code $select}, {@code $filter}), bearer-token checks,
 * per-permission 403s, and fault injection (429 with Retry-After, 503, slow and malformed responses).
 */
public final class TenantSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantSimulator.class);
    static final JsonFactory JSON = new JsonFactory();
    static final ObjectMapper MAPPER = new ObjectMapper(JSON);
    /** The page size of most of Graph's Intune lists when the request names no $top. */
    static final int PAGE = 100;

    private static final Pattern VERSIONED = Pattern.compile("^(/[^/]+)?/(v1\\.0|beta)(/.*)?$");

    static {
        // Without TCP_NODELAY each response waits for the client's delayed ACK (about 40 ms on Linux loopback), so
        // per-item fan-outs (windowsProtectionState) crawl. Read once by the JDK HTTP server, so set before it starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatedTenant tenant;
    private final String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<FaultRule> faults = new CopyOnWriteArrayList<>();
    private final Set<String> revokedPermissions = ConcurrentHashMap.newKeySet();
    private final SplittableRandom random;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> requestsByEndpoint = new ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile SimulatorLimits limits;
    private final AtomicLong throttled = new AtomicLong();
    private volatile boolean tokenRevoked;
    private volatile boolean unlicensed;
    private final ContractEnforcer contract = new ContractEnforcer();
    /** Requests being answered: a response is checked after its last byte is sent, so findings wait for them. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /** Handles one matched request. */
    @FunctionalInterface
    interface Handler {
        void handle(SimulatorRequest request, Matcher match) throws IOException;
    }

    private record Route(String method, Pattern path, Handler handler) {}

    /** "" for a simulator with a server of its own; "/tN" for one of several behind a {@link Host}. */
    private final String prefix;

    private final List<String> contexts = new CopyOnWriteArrayList<>();

    private TenantSimulator(
            SimulatedTenant tenant, String token, HttpServer server, ExecutorService executor, String prefix) {
        this.tenant = tenant;
        this.token = token;
        this.server = server;
        this.executor = executor;
        this.prefix = prefix;
        this.random = new SplittableRandom(tenant.seed() ^ 0x5eed);
    }

    /**
     * One HTTP server and one thread pool for many simulated tenants, each under its own path prefix
     * ({@code http://127.0.0.1:PORT/tN/v1.0}): hundreds of tenants without hundreds of servers and thread pools.
     */
    public static final class Host implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private final AtomicInteger next = new AtomicInteger();

        private Host(HttpServer server, ExecutorService executor) {
            this.server = server;
            this.executor = executor;
        }

        /** Starts the shared server on 127.0.0.1 at a free port with {@code threads} request threads. */
        public static Host start(int threads) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "graph-simulator");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.start();
            return new Host(server, executor);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** Starts a simulator on 127.0.0.1 at a free port, accepting {@code token} as the bearer token. */
    public static TenantSimulator start(SimulatedTenant tenant, String token) throws IOException {
        // Graph answers without 40 ms Nagle stalls, so do we (the JDK server reads this once, for every server in the
        // process).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "graph-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        TenantSimulator sim = new TenantSimulator(tenant, token, server, executor, "");
        sim.registerEndpoints();
        server.start();
        LOG.info(
                "Graph tenant simulator listening on {} ({} devices, seed {})",
                sim.baseUrl(),
                tenant.deviceCount(),
                tenant.seed());
        return sim;
    }

    /** Starts a simulator behind {@code host}, at its own path prefix; closing it leaves the host running. */
    public static TenantSimulator start(SimulatedTenant tenant, String token, Host host) {
        TenantSimulator sim = new TenantSimulator(tenant, token, host.server, null, "/t" + host.next.incrementAndGet());
        sim.registerEndpoints();
        LOG.debug(
                "Graph tenant simulator at {} ({} devices, seed {})",
                sim.baseUrl(),
                tenant.deviceCount(),
                tenant.seed());
        return sim;
    }

    private void registerEndpoints() {
        TenantSimulator sim = this;
        DeviceEndpoints.register(sim);
        ExportJobEndpoints.register(sim);
        ConnectorEndpoints.register(sim);
        ServiceHealthEndpoints.register(sim);
        ApplicationEndpoints.register(sim);
        ProtectionEndpoints.register(sim);
        AppProtectionEndpoints.register(sim);
        EnrollmentEndpoints.register(sim);
        ConfigurationEndpoints.register(sim);
        AppInstallEndpoints.register(sim);
        AwarenessEndpoints.register(sim);
        AuditEndpoints.register(sim);
        context("/", sim::dispatch);
    }

    private void context(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(prefix + path, handler);
        contexts.add(prefix + path);
    }

    /** The path prefix of this tenant on a shared {@link Host}; "" with a server of its own. */
    String pathPrefix() {
        return prefix;
    }

    /** The v1.0 root to configure as intune.graph.base-url. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix + "/v1.0";
    }

    public SimulatedTenant tenant() {
        return tenant;
    }

    /** Requests answered so far (all endpoints, faults included). */
    public long requestCount() {
        return requests.get();
    }

    /** Requests answered so far for one endpoint template, e.g. /deviceManagement/managedDevices. */
    public long requestCount(String endpoint) {
        AtomicLong n = requestsByEndpoint.get(endpoint);
        return n == null ? 0 : n.get();
    }

    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    /** Enforces Intune's throttling limits (null: no limits, the default). */
    public void setLimits(SimulatorLimits limits) {
        this.limits = limits;
    }

    /** Requests answered with 429 by the enforced limits (fault-injected 429s not included). */
    public long throttledCount() {
        return throttled.get();
    }

    public void setFaults(List<FaultRule> rules) {
        faults.clear();
        faults.addAll(rules);
    }

    /**
     * Takes {@code permission} away from the simulated app, and its broader ReadWrite variant with it (an app that
     * lacks Foo.Read.All but holds Foo.ReadWrite.All would still read): every endpoint none of whose documented
     * permissions the app still holds answers 403, as if admin consent was never granted.
     */
    public void revokePermission(String permission) {
        revokedPermissions.add(permission);
        String broader = GraphReference.broader(permission);
        if (broader != null) {
            revokedPermissions.add(broader);
        }
    }

    /** The permissions the simulated app holds now ({@link GraphReference#GRANTED_BY_DEFAULT} less the revoked ones). */
    public Set<String> grantedPermissions() {
        Set<String> granted = new HashSet<>(GraphReference.GRANTED_BY_DEFAULT);
        granted.removeAll(revokedPermissions);
        return granted;
    }

    /** Makes every request answer 401, as for an expired or revoked token; false restores normal answers. */
    public void setTokenRevoked(boolean revoked) {
        this.tokenRevoked = revoked;
    }

    /** Makes every Intune endpoint answer 403 the way Graph does for a tenant without an Intune licence. */
    public void setUnlicensed(boolean unlicensed) {
        this.unlicensed = unlicensed;
    }

    /**
     * What the contract check found so far: requests refused because Graph's metadata does not allow them, and
     * responses of the simulator that do not fit the metadata. Empty when every request and response fit.
     */
    public List<String> contractFindings() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(5));
        }
        return contract.findings();
    }

    public void clearContractFindings() {
        contract.clear();
    }

    public void grantAllPermissions() {
        revokedPermissions.clear();
    }

    /** Serves a path outside Graph (no version, no bearer token), e.g. the blob storage of report exports. */
    void blobContext(String path, com.sun.net.httpserver.HttpHandler handler) {
        context(path, handler);
    }

    /** Adds a route; {@code pathRegex} matches the path below the version root, e.g. /deviceManagement/managedDevices. */
    void route(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
    }

    /**
     * A route Graph serves in beta only. v1.0 gets Graph's answer for an unknown segment; the contract check normally
     * gives it first, this keeps the route right on its own.
     */
    void betaRoute(String method, String pathRegex, Handler handler) {
        route(method, pathRegex, (req, m) -> {
            if (req.version.equals("beta")) {
                handler.handle(req, m);
            } else {
                String segment = req.path.substring(req.path.lastIndexOf('/') + 1);
                error(req.exchange, 404, "BadRequest", "Resource not found for the segment '" + segment + "'.");
            }
        });
    }

    /**
     * A GET route that serves {@code rows} as the paged collection at {@code path} (its {@code @odata.context} is the
     * path); see {@link #writeRows}.
     */
    <T> void collection(
            String path, int defaultPageSize, Supplier<? extends List<T>> rows, BiConsumer<T, ObjectNode> write) {
        route("GET", path, (req, m) -> writeRows(req, path.substring(1), rows.get(), defaultPageSize, write));
    }

    /** A {@link #collection} Graph serves in beta only (see {@link #betaRoute}). */
    <T> void betaCollection(
            String path, int defaultPageSize, Supplier<? extends List<T>> rows, BiConsumer<T, ObjectNode> write) {
        betaRoute("GET", path, (req, m) -> writeRows(req, path.substring(1), rows.get(), defaultPageSize, write));
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            dispatchCounted(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void dispatchCounted(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String rawPath = exchange.getRequestURI().getRawPath();
            Matcher versioned = VERSIONED.matcher(rawPath);
            if (!versioned.matches()) {
                error(exchange, 404, "NotFound", "Resource not found for the segment '" + rawPath + "'.");
                return;
            }
            String prefix = versioned.group(1) == null ? "" : versioned.group(1);
            String path = versioned.group(3) == null ? "/" : versioned.group(3);
            String endpoint = EndpointTemplates.of(path);
            requestsByEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
            SimulatorRequest request = new SimulatorRequest(exchange, prefix, versioned.group(2), path);

            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + token) || tokenRevoked) {
                error(exchange, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
                return;
            }
            // Graph refuses a path or query its metadata does not allow, whatever the tenant holds.
            Optional<Rejection> refused = contract.checkRequest(request);
            if (refused.isPresent()) {
                error(
                        exchange,
                        refused.get().status(),
                        refused.get().code(),
                        refused.get().message());
                return;
            }
            GraphReference.Endpoint documented = GraphReference.find(exchange.getRequestMethod(), endpoint);
            if (overLimit(exchange, documented)) {
                return;
            }
            sleep(latency);
            if (faulted(exchange, path) || forbidden(exchange, path, documented)) {
                return;
            }
            serve(request, path);
        } catch (IOException e) {
            LOG.debug("simulator: client went away: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.warn("simulator: request failed", e);
            try {
                error(exchange, 500, "InternalServerError", "simulator error: " + e);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        }
    }

    /** Answers 429 when the request's documented throttling group is over its limit (with limits enforced). */
    private boolean overLimit(HttpExchange exchange, GraphReference.Endpoint documented) throws IOException {
        SimulatorLimits l = limits;
        DocumentedThrottling group = l == null || documented == null ? null : documented.throttling();
        if (group == null) {
            return false;
        }
        boolean write = DocumentedThrottling.isWrite(exchange.getRequestMethod());
        double retryAfter = l.admit(group, write, System.nanoTime());
        if (retryAfter <= 0) {
            return false;
        }
        throttled.incrementAndGet();
        exchange.getResponseHeaders().set("Retry-After", String.format(Locale.ROOT, "%.3f", retryAfter));
        error(exchange, 429, "TooManyRequests", "Too many requests. Please retry after some time.");
        return true;
    }

    /** Applies the first fault rule that draws this request (configured rules, then the scenario's); true if it answered. */
    private boolean faulted(HttpExchange exchange, String path) throws IOException {
        for (List<FaultRule> rules : List.of(faults, tenant.effects().faults())) {
            for (FaultRule rule : rules) {
                if (rule.matches(path) && draw() < rule.fraction()) {
                    if (applyFault(rule, exchange)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Answers 403 for an unlicensed tenant's Intune paths, or when the app lacks every documented permission. */
    private boolean forbidden(HttpExchange exchange, String path, GraphReference.Endpoint documented)
            throws IOException {
        if (unlicensed && (path.startsWith("/deviceManagement") || path.startsWith("/deviceAppManagement"))) {
            error(
                    exchange,
                    403,
                    "Forbidden",
                    "{\"_version\":3,\"Message\":\"Tenant is not licensed for Intune. - Operation ID (for customer "
                            + "support): 00000000-0000-0000-0000-000000000000\"}");
            return true;
        }
        // Graph lets a request through when the app holds any one of the permissions its reference page names.
        if (documented != null && !documented.allows(grantedPermissions())) {
            error(
                    exchange,
                    403,
                    "Forbidden",
                    "Application is not authorized to perform this operation. Application must have one "
                            + "of the following scopes: " + String.join(", ", documented.applicationPermissions()));
            return true;
        }
        return false;
    }

    /** Runs the first route matching the request, checking a 200 answer against the contract; 404 when none does. */
    private void serve(SimulatorRequest request, String path) throws IOException {
        HttpExchange exchange = request.exchange;
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (m.matches() && route.method().equals(exchange.getRequestMethod())) {
                ContractEnforcer.Tee sent = ContractEnforcer.capture(exchange);
                try {
                    route.handler().handle(request, m);
                } catch (IllegalArgumentException e) {
                    error(exchange, 400, "BadRequest", e.getMessage());
                }
                if (exchange.getResponseCode() == 200) {
                    contract.checkResponse(request, sent.copy.toByteArray());
                }
                return;
            }
        }
        error(exchange, 404, "NotFound", "Resource not found for the segment '" + path + "'.");
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    /** Returns true when the fault produced the whole response. */
    private boolean applyFault(FaultRule rule, HttpExchange exchange) throws IOException {
        switch (rule.kind()) {
            case THROTTLE -> {
                double seconds = rule.retryAfter().toMillis() / 1000.0;
                if (seconds > 0) {
                    exchange.getResponseHeaders()
                            .set(
                                    "Retry-After",
                                    seconds == Math.floor(seconds)
                                            ? Long.toString((long) seconds)
                                            : Double.toString(seconds));
                }
                error(exchange, 429, "TooManyRequests", "Too many requests. Please retry after some time.");
                return true;
            }
            case UNAVAILABLE -> {
                error(exchange, 503, "ServiceUnavailable", "The service is temporarily unavailable.");
                return true;
            }
            case SLOW -> {
                sleep(rule.delay());
                return false;
            }
            case RESET -> {
                // Closing the exchange before sending headers drops the connection: the client sees an early EOF.
                exchange.getRequestBody().close();
                return true;
            }
            case MALFORMED -> {
                byte[] body =
                        "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata\",\"value\":[{\"id\":\"trunc"
                                .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return true;
            }
            default -> throw new IllegalStateException(rule.kind().toString());
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeObjectFieldStart("innerError");
            g.writeStringField("date", Instant.now().toString());
            g.writeStringField("request-id", UUID.randomUUID().toString());
            String clientRequestId = exchange.getRequestHeaders().getFirst("client-request-id");
            g.writeStringField(
                    "client-request-id",
                    clientRequestId != null
                            ? clientRequestId
                            : UUID.randomUUID().toString());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        }
        byte[] body = out.toByteArray();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Starts a 200 JSON response streamed in chunks; the caller writes the body and closes the generator. */
    /** Graph's 404 for an entity id that does not exist. */
    static void notFound(SimulatorRequest request, String entityType, String id) throws IOException {
        error(request.exchange, 404, "ResourceNotFound", entityType + " " + id + " not found");
    }

    static JsonGenerator startJson(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders()
                .set(
                        "Content-Type",
                        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        return JSON.createGenerator(body, JsonEncoding.UTF8);
    }

    /** Writes a single entity, honouring $select. */
    static void writeEntity(SimulatorRequest request, String contextPath, ObjectNode entity) throws IOException {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("@odata.context", "https://graph.microsoft.com/" + request.version + "/$metadata#" + contextPath);
        Set<String> select = select(request);
        entity.fields().forEachRemaining(e -> {
            if (select == null || select.contains(e.getKey()) || e.getKey().startsWith("@odata")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        try (JsonGenerator g = startJson(request.exchange)) {
            MAPPER.writeTree(g, out);
        }
    }

    /** Writes one page of {@code rows}, each written into its JSON object by {@code write}; see {@link #writeCollection}. */
    static <T> void writeRows(
            SimulatorRequest request,
            String contextPath,
            List<T> rows,
            int defaultPageSize,
            BiConsumer<T, ObjectNode> write)
            throws IOException {
        List<ObjectNode> items = new ArrayList<>(rows.size());
        for (T row : rows) {
            ObjectNode o = MAPPER.createObjectNode();
            write.accept(row, o);
            items.add(o);
        }
        writeCollection(request, contextPath, items, defaultPageSize);
    }

    /** Writes one page of a collection held in memory, honouring $top, $skiptoken, $select and $filter. */
    static void writeCollection(
            SimulatorRequest request, String contextPath, List<ObjectNode> items, int defaultPageSize)
            throws IOException {
        ODataFilter filter = ODataFilter.parse(request.query.get("$filter"));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode item : items) {
            if (filter.test(field -> jsonValue(item.get(field)))) {
                matching.add(item);
            }
        }
        writePage(request, contextPath, matching, defaultPageSize, (g, item, select) -> {
            Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                if (select == null || select.contains(e.getKey()) || e.getKey().startsWith("@odata")) {
                    g.writeFieldName(e.getKey());
                    MAPPER.writeTree(g, e.getValue());
                }
            }
        });
    }

    /** Writes the properties of one element of a page: those in {@code select}, or all when it is null. */
    @FunctionalInterface
    interface ElementWriter<T> {
        void write(JsonGenerator g, T element, Set<String> select) throws IOException;
    }

    /**
     * Streams one page of {@code elements}, honouring $top and $skiptoken (with the nextLink to the next page); each
     * element's properties come from {@code write}, which honours $select.
     */
    static <T> void writePage(
            SimulatorRequest request, String contextPath, List<T> elements, int defaultPageSize, ElementWriter<T> write)
            throws IOException {
        int top = top(request, defaultPageSize);
        int start = skip(request);
        int end = Math.min(elements.size(), start + top);
        Set<String> select = select(request);
        try (JsonGenerator g = startJson(request.exchange)) {
            g.writeStartObject();
            g.writeStringField(
                    "@odata.context", "https://graph.microsoft.com/" + request.version + "/$metadata#" + contextPath);
            if (end < elements.size()) {
                g.writeStringField("@odata.nextLink", nextLink(request, end));
            }
            g.writeArrayFieldStart("value");
            for (int i = start; i < end; i++) {
                g.writeStartObject();
                write.write(g, elements.get(i), select);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static Object jsonValue(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        String text = node.asText();
        if (text.length() >= 20 && text.charAt(4) == '-' && text.endsWith("Z")) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return text;
            }
        }
        return text;
    }

    /** $top, capped at 1000 like Intune; {@code defaultPageSize} when absent. */
    static int top(SimulatorRequest request, int defaultPageSize) {
        String raw = request.query.get("$top");
        if (raw == null) {
            return defaultPageSize;
        }
        try {
            int top = Integer.parseInt(raw.trim());
            if (top < 1) {
                throw new IllegalArgumentException("Invalid value for $top: " + raw);
            }
            return Math.min(top, 1000);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for $top: " + raw);
        }
    }

    /** The position a $skiptoken stands for; 0 without one. */
    static int skip(SimulatorRequest request) {
        String raw = request.query.get("$skiptoken");
        if (raw == null) {
            return 0;
        }
        if (!raw.startsWith("Pos-")) {
            throw new IllegalArgumentException("Invalid skip token");
        }
        try {
            return Integer.parseInt(raw.substring(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid skip token");
        }
    }

    /** The $select set plus the expanded navigation properties, or null when every property is wanted. */
    static Set<String> select(SimulatorRequest request) {
        String raw = request.query.get("$select");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Set<String> out = new HashSet<>();
        for (String s : raw.split(",")) {
            out.add(s.trim());
        }
        out.addAll(expanded(request));
        return out;
    }

    /** The navigation properties named in $expand (nested options left out). */
    static Set<String> expanded(SimulatorRequest request) {
        String raw = request.query.get("$expand");
        Set<String> out = new HashSet<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        int depth = 0;
        StringBuilder name = new StringBuilder();
        for (char ch : (raw + ",").toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(name.toString().trim());
                name.setLength(0);
            } else if (depth == 0) {
                name.append(ch);
            }
        }
        return out;
    }

    /** Whether the request asks to expand {@code navigation}. */
    static boolean expands(SimulatorRequest request, String navigation) {
        return expanded(request).contains(navigation);
    }

    /** An absolute nextLink back to this simulator, carrying the same options and a new $skiptoken. */
    static String nextLink(SimulatorRequest request, int position) {
        StringBuilder sb = new StringBuilder(request.root()).append(request.path);
        char sep = '?';
        for (Map.Entry<String, String> e : request.query.entrySet()) {
            if (e.getKey().equals("$skiptoken")) {
                continue;
            }
            sb.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        sb.append(sep).append("$skiptoken=Pos-").append(position);
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%24", "$")
                .replace("%2C", ",");
    }

    @Override
    public void close() {
        if (executor == null) { // behind a shared host: only this tenant's paths go
            for (String path : contexts) {
                try {
                    server.removeContext(path);
                } catch (IllegalArgumentException e) {
                    // already removed
                }
            }
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
