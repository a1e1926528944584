package io.github.intuneexporter.http;

import io.github.intuneexporter.config.WebConfig;
import java.io.IOException;

/** HTTP servers for the tests of one endpoint: on a free loopback port, always ready and healthy, a no-op probe. */
final class MetricsServers {
    private MetricsServers() {}

    /** {@code metrics} at /metrics; {@code lifecycle} null leaves /-/reload off. */
    static ExporterHttpServer start(WebConfig web, MetricsEndpoint metrics, ReloadHandler lifecycle)
            throws IOException {
        return ExporterHttpServer.start(
                "127.0.0.1",
                0,
                web,
                new ExporterHttpServer.Endpoints(
                        "/metrics",
                        metrics,
                        () -> true,
                        () -> true,
                        exchange -> exchange.sendResponseHeaders(204, -1),
                        lifecycle,
                        null));
    }
}
