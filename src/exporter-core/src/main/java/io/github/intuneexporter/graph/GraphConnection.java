package io.github.intuneexporter.graph;

import com.azure.core.credential.TokenCredential;
import com.microsoft.graph.core.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.microsoft.kiota.serialization.JsonSerializationWriterFactory;
import io.github.intuneexporter.config.ExporterSettings;
import java.net.URI;
import okhttp3.OkHttpClient;

/**
 * The Graph core library's request adapter (authentication, retry, redirect and Graph's own middleware) built with
 * our timeouts, retry policy and request metrics, plus the {@link GraphApi} the collectors read through. Closing it releases the HTTP client's threads and sockets.
 */
public final class GraphConnection implements AutoCloseable {
    private final BaseGraphRequestAdapter adapter;
    private final OkHttpClient http;
    private final InFlightCalls inFlight;
    private final GraphApi api;

    /** The connection pool is the process's, shared with other tenants: closing this connection leaves it open. */
    private final boolean sharedConnections;

    private GraphConnection(
            BaseGraphRequestAdapter adapter,
            OkHttpClient http,
            InFlightCalls inFlight,
            boolean sharedConnections,
            GraphApi api) {
        this.sharedConnections = sharedConnections;
        this.adapter = adapter;
        this.http = http;
        this.inFlight = inFlight;
        this.api = api;
    }

    /**
     * Opens a connection for {@code settings}, authenticated by {@code credential}. The call timeout is raised
     * because the RetryHandler sleeps for Retry-After inside the call: the default 100 s timeout would turn a
     * long throttle wait into a failure.
     */
    public static GraphConnection open(
            ExporterSettings.Graph settings, TokenCredential credential, okhttp3.Interceptor metrics) {
        ThrottleBudget.WaitListener waits = metrics instanceof GraphRequestMetrics m ? m::recordThrottleWait : null;
        return open(settings, credential, metrics, ThrottleBudget.documented(settings.throttleBudget(), waits));
    }

    /** As {@link #open(ExporterSettings.Graph, TokenCredential, okhttp3.Interceptor)} with a given throttle budget. */
    public static GraphConnection open(
            ExporterSettings.Graph settings,
            TokenCredential credential,
            okhttp3.Interceptor metrics,
            ThrottleBudget budget) {
        return open(settings, credential, metrics, budget, null);
    }

    /**
     * As above; {@code sharedConnections}, when not null, is the connection pool of every tenant of the process (idle
     * connections and their cleanup do not grow with the number of tenants); closing this connection leaves it open.
     */
    public static GraphConnection open(
            ExporterSettings.Graph settings,
            TokenCredential credential,
            okhttp3.Interceptor metrics,
            ThrottleBudget budget,
            okhttp3.ConnectionPool sharedConnections) {
        String root = settings.baseUrl().isEmpty() ? settings.cloud().graphHost() + "/v1.0" : settings.baseUrl();
        String host = URI.create(root).getHost();
        // Only allowed hosts get the Authorization header; the simulator's loopback host must be listed.
        var auth = new AzureIdentityAuthenticationProvider(
                credential, new String[] {host}, settings.cloud().defaultScope());
        RequestOption[] options = {
            new RetryHandlerOption(
                    null, settings.maxRetries(), settings.retryDelay().toSeconds())
        };
        InFlightCalls inFlight = new InFlightCalls();
        OkHttpClient.Builder builder = GraphClientFactory.create(options);
        if (sharedConnections != null) {
            builder.connectionPool(sharedConnections);
        }
        OkHttpClient http = builder.addInterceptor(inFlight)
                .addNetworkInterceptor(budget) // waits outside the measured request duration
                .addNetworkInterceptor(metrics)
                .addNetworkInterceptor(RunRequests.INTERCEPTOR) // what each collector run costs against the budget
                .callTimeout(settings.requestTimeout())
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .build();
        // JSON parsing is only for Graph's error bodies: responses are streamed by GraphApi.
        var adapter = new BaseGraphRequestAdapter(
                auth,
                new JsonParseNodeFactory(),
                new JsonSerializationWriterFactory(),
                http,
                new GraphClientOption(),
                root);
        // Downloads (export SAS URLs) share the pool and the request metrics but skip the Graph middleware; no token is
        // added.
        OkHttpClient.Builder plainBuilder = http.newBuilder();
        plainBuilder.interceptors().clear();
        OkHttpClient plain = plainBuilder.build();
        return new GraphConnection(
                adapter,
                http,
                inFlight,
                sharedConnections != null,
                new GraphApi(adapter, settings.pageSize(), settings.maxPages(), plain, settings.maxResponseBytes()));
    }

    /** The authority host for the credential: the override, else the cloud's. */
    public static String authorityHost(ExporterSettings.Graph settings) {
        return settings.authorityHost().isEmpty() ? settings.cloud().authorityHost() : settings.authorityHost();
    }

    public BaseGraphRequestAdapter adapter() {
        return adapter;
    }

    public GraphApi api() {
        return api;
    }

    /**
     * Cancels the Graph calls {@code thread} has in flight (a timed-out collection): the blocked read ends with an
     * IOException at once. A call whose body is being streamed is cancelled too, which ends the stream.
     */
    public int cancelCallsOf(Thread thread) {
        return inFlight.cancelCallsOf(thread);
    }

    /** Open HTTP connections in the pool (for the soak test and diagnostics). */
    public int connectionCount() {
        return http.connectionPool().connectionCount();
    }

    @Override
    public void close() {
        inFlight.cancelAll(); // synchronous calls are not known to the dispatcher
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        if (!sharedConnections) {
            http.connectionPool().evictAll();
        }
    }
}
