package io.github.intuneexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code POST /-/reload} (with {@code --web.enable-lifecycle}), as in Prometheus: 200 when the configuration was
 * reloaded, 500 with the reason when it was rejected (the running one stays), 405 for other methods.
 */
public final class ReloadHandler implements HttpHandler {
    private final Function<Consumer<Runnable>, String> reload;

    /**
     * {@code reload} applies the configuration again and returns null on success, else the reason it was rejected. What
     * it hands to its argument (restarting this very HTTP server for a new web configuration) runs after the answer
     * has been sent, on another thread.
     */
    public ReloadHandler(Function<Consumer<Runnable>, String> reload) {
        this.reload = reload;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")
                && !exchange.getRequestMethod().equals("PUT")) {
            exchange.getResponseHeaders().set("Allow", "POST, PUT");
            send(exchange, 405, "Only POST or PUT requests allowed.\n");
            return;
        }
        exchange.getRequestBody().close();
        List<Runnable> afterAnswer = new ArrayList<>();
        String failure = reload.apply(afterAnswer::add);
        if (failure == null) {
            send(exchange, 200, "Configuration reloaded.\n");
        } else {
            send(exchange, 500, "failed to reload config: " + failure + "\n");
        }
        exchange.close();
        if (!afterAnswer.isEmpty()) {
            Thread t = new Thread(() -> afterAnswer.forEach(Runnable::run), "intune-http-restart");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The answer when the lifecycle API is off, as Prometheus gives it. */
    public static void disabled(HttpExchange exchange) throws IOException {
        send(exchange, 403, "Lifecycle API is not enabled (--web.enable-lifecycle).\n");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) { // a length here makes the JDK log a two-line warning
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
