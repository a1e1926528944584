package io.github.intuneexporter.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The JDK's HTTP server and OkHttp log through java.util.logging; without the bridge a client could make the daemon
 * print JUL's two-line console format among the logfmt lines (as HEAD /-/reload did).
 */
class JulLoggingTest {
    @Test
    void julRecordsBecomeOneEventOfOurLogging() {
        Logging.configure("info", "logfmt");
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            java.util.logging.Logger jdk = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
            jdk.warning("sendResponseHeaders: being invoked with a content length for a HEAD request");
            jdk.fine("below the level: dropped");
            assertEquals(
                    List.of("WARN com.sun.net.httpserver sendResponseHeaders: being invoked with a content length"
                            + " for a HEAD request"),
                    events.list.stream()
                            .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                            .toList());
            java.util.logging.Handler[] handlers =
                    java.util.logging.LogManager.getLogManager().getLogger("").getHandlers();
            assertEquals(1, handlers.length, "JUL's console handler is gone");
            assertEquals(SLF4JBridgeHandler.class, handlers[0].getClass());
        } finally {
            root.detachAppender(events);
        }
    }
}
