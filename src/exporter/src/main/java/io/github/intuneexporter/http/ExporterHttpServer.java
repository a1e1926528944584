package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.intuneexporter.config.TlsContexts;
import io.github.intuneexporter.config.WebConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The exporter's HTTP endpoint (the JDK server): {@code /metrics} in Prometheus text, OpenMetrics
 * or protobuf as negotiated, {@code /probe?tenant=...} (one tenant's metrics), {@code /-/healthy}, {@code /-/ready} and a
 * landing page at {@code /}.
 * Scrapes only read the registry; no handler ever calls Graph.
 */
public final class ExporterHttpServer implements AutoCloseable {
    /**
     * Connections whose request is still being read (or whose TLS handshake is unfinished) each hold a worker
     * thread in the JDK server; the pool is sized far above any number of concurrent scrapes, so that slow or
     * stalled clients never starve Prometheus or the probes before the read timeout below closes them.
     */
    static final int MAX_WORKERS = 256;
    /** Pending connections the kernel keeps for us: a burst of scrapes is queued, not refused. */
    static final int BACKLOG = 1024;
    /** Seconds a client may take to send its request (including the TLS handshake) before it is disconnected. */
    static final int REQUEST_READ_TIMEOUT_SECONDS = 5;
    /** Seconds a client may take to read a response. */
    static final int RESPONSE_WRITE_TIMEOUT_SECONDS = 60;

    static {
        configureJdkServer();
    }

    /**
     * Sets the JDK HTTP server's process-wide options (read once, when its first server starts): TCP_NODELAY, since
     * without it the server writes headers and body in two segments and Nagle's algorithm holds the body until the
     * client's delayed ACK (40 ms on Linux); read and write timeouts, which are off by default, so that a client that
     * sends one byte and waits cannot hold a worker forever; and smaller header limits, since no scrape needs more.
     * Values given on the command line ({@code -Dsun.net.httpserver...}) win.
     */
    public static void configureJdkServer() {
        setDefault("sun.net.httpserver.nodelay", "true");
        setDefault("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_READ_TIMEOUT_SECONDS));
        setDefault("sun.net.httpserver.maxRspTime", Integer.toString(RESPONSE_WRITE_TIMEOUT_SECONDS));
        setDefault("sun.net.httpserver.maxReqHeaders", "100");
        setDefault("sun.net.httpserver.maxReqHeaderSize", Integer.toString(64 * 1024));
        setDefault("sun.net.httpserver.idleInterval", "30");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private ExporterHttpServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves a plain landing page listing {@code collectors} and no lifecycle endpoint (the benchmark). */
    public static ExporterHttpServer start(
            String host,
            int port,
            String metricsPath,
            WebConfig security,
            PrometheusRegistry registry,
            BooleanSupplier ready,
            List<String> collectors)
            throws IOException {
        return start(
                host,
                port,
                security,
                new Endpoints(
                        metricsPath,
                        MetricsEndpoint.of(registry),
                        ready,
                        () -> true,
                        exchange -> send(
                                exchange,
                                200,
                                "text/html; charset=utf-8",
                                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>intune-exporter</title></head>"
                                        + "<body><h1>intune-exporter</h1><p>Collectors: "
                                        + StatusPage.escape(String.join(", ", collectors))
                                        + "</p></body></html>\n"),
                        null,
                        null));
    }

    /**
     * What the server answers. {@code metrics} answers {@code metricsPath} (GET; a HEAD gets the headers a GET
     * would). {@code ready} answers readiness ({@code /-/ready}); {@code healthy} answers liveness
     * ({@code /-/healthy}): false when a part the exporter cannot work without (the collection scheduler) has died, so
     * that the orchestrator restarts the process. {@code landing} answers {@code /} (the status page);
     * {@code lifecycle}, when not null, answers {@code /-/reload} ({@code --web.enable-lifecycle}), which otherwise
     * gets 403 as in Prometheus; {@code probe}, when not null, answers {@code /probe} (one tenant's metrics), which is
     * otherwise 404. Exact paths only: {@code /metrics/x} or {@code /metricsx} are 404, as in the exporter-toolkit.
     */
    public record Endpoints(
            String metricsPath,
            HttpHandler metrics,
            BooleanSupplier ready,
            BooleanSupplier healthy,
            HttpHandler landing,
            HttpHandler lifecycle,
            HttpHandler probe)
            implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            route(this, exchange);
        }
    }

    /** Serves {@code endpoints} on {@code host:port} with the web configuration's TLS, basic auth and headers. */
    public static ExporterHttpServer start(String host, int port, WebConfig security, Endpoints endpoints)
            throws IOException {
        InetSocketAddress address =
                host == null || host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) { // else the JDK says only "Unresolved address", naming no host
            throw new BindException("cannot resolve host '" + host + "'");
        }
        HttpServer server;
        if (security.tls() != null) {
            HttpsServer https = HttpsServer.create(address, BACKLOG);
            https.setHttpsConfigurator(httpsConfigurator(security.tls()));
            server = https;
        } else {
            server = HttpServer.create(address, BACKLOG);
        }
        // A request goes to an idle worker if there is one, else to a new one up to MAX_WORKERS (each ends after 30 s
        // idle); past that, requests queue. Threads follow the concurrent requests, not the requests of the last 30 s.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                0,
                MAX_WORKERS,
                30,
                TimeUnit.SECONDS,
                new HandOffQueue(),
                r -> {
                    Thread t = new Thread(r, "intune-http");
                    t.setDaemon(true);
                    return t;
                },
                (r, pool) -> {
                    if (!pool.isShutdown()) {
                        pool.getQueue().add(r); // every worker busy: wait for one
                    }
                });
        HttpContext context = server.createContext("/", endpoints);
        if (!security.headers().isEmpty()) {
            // Before authentication, so that a 401 carries them too (as in the exporter-toolkit).
            context.getFilters().add(new HeadersFilter(security.headers()));
        }
        if (!security.basicAuthUsers().isEmpty()) {
            context.setAuthenticator(new BcryptAuthenticator(security.basicAuthUsers()));
        }
        server.setExecutor(executor);
        server.start();
        return new ExporterHttpServer(server, executor);
    }

    /**
     * Offers a task only to a worker already waiting for one, so that the executor starts a new worker (up to its maximum)
     * instead of queueing while every worker is busy; {@code add} (the rejection handler) queues it.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        @Override
        public boolean offer(Runnable r) {
            return tryTransfer(r);
        }
    }

    /** Sets the web config's http_server_config.headers on every response. */
    private static final class HeadersFilter extends com.sun.net.httpserver.Filter {
        private final Map<String, String> headers;

        HeadersFilter(Map<String, String> headers) {
            this.headers = headers;
        }

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            headers.forEach(exchange.getResponseHeaders()::set);
            chain.doFilter(exchange);
        }

        @Override
        public String description() {
            return "http_server_config.headers";
        }
    }

    private static void route(Endpoints e, HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (exchange.getRequestURI().getPath().equals("/-/reload")) {
                if (e.lifecycle() == null) {
                    ReloadHandler.disabled(exchange);
                } else {
                    e.lifecycle().handle(exchange);
                }
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "Method Not Allowed\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals(e.metricsPath())) {
                if (method.equals("HEAD")) {
                    // client_java writes a body whatever the method; a HEAD answer must not have one.
                    exchange.getResponseHeaders().set("Content-Type", MetricsEndpoint.headContentType(exchange));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    e.metrics().handle(exchange);
                }
                return;
            }
            switch (path) {
                case "/" -> e.landing().handle(exchange);
                case "/probe" -> {
                    if (e.probe() == null || path.equals(e.metricsPath())) {
                        send(exchange, 404, "text/plain", "Not Found\n");
                    } else {
                        e.probe().handle(exchange);
                    }
                }
                case "/-/healthy" -> healthy(e, exchange);
                case "/-/ready" -> ready(e, exchange);
                default -> send(exchange, 404, "text/plain", "Not Found\n");
            }
        }
    }

    /** /-/healthy: 200 while the collection scheduler runs, 503 once it has stopped. */
    private static void healthy(Endpoints e, HttpExchange exchange) throws IOException {
        if (e.healthy().getAsBoolean()) {
            send(exchange, 200, "text/plain", "Exporter is healthy.\n");
        } else {
            send(
                    exchange,
                    503,
                    "text/plain",
                    "Not healthy: the collection scheduler has stopped; restart the exporter.\n");
        }
    }

    /** /-/ready: 200 once every enabled collector has finished its first run, 503 before. */
    private static void ready(Endpoints e, HttpExchange exchange) throws IOException {
        if (e.ready().getAsBoolean()) {
            send(exchange, 200, "text/plain", "Ready: every enabled collector has finished its first run.\n");
        } else {
            send(exchange, 503, "text/plain", "Not ready: waiting for the collectors' first runs.\n");
        }
    }

    private static HttpsConfigurator httpsConfigurator(WebConfig.Tls tls) {
        SSLContext context = TlsContexts.create("intune.web.config-file", tls);
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = TlsContexts.serverParameters(context, tls);
                params.setSSLParameters(p);
            }
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
