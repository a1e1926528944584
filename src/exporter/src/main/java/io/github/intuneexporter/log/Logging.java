package io.github.intuneexporter.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets the log level and format chosen with {@code --log.level} and {@code --log.format}: replaces the stderr appender
 * of {@code logback.xml} (logfmt at info) by one with the chosen encoder. Other appenders (tests add some) stay.
 * java.util.logging (the JDK's HTTP server, OkHttp) goes the same way, through SLF4J's bridge.
 */
public final class Logging {
    public static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    public static final List<String> FORMATS = List.of("logfmt", "json");
    private static final String APPENDER = "STDERR";

    private Logging() {}

    public static void configure(String level, String format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: nothing of ours to configure
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context, format));
        appender.start();
        root.detachAppender(APPENDER); // false when logback.xml was not used; ours replaces it either way
        root.addAppender(appender);
        // Without it JUL prints its own two-line console format among our lines (HEAD /-/reload made the JDK warn).
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if (format.equals("json")) {
            LogstashEncoder json = new LogstashEncoder();
            json.setContext(context);
            json.setIncludeCallerData(true);
            json.setTimeZone("UTC");
            // The field names of Prometheus' own JSON logs where they have one.
            LogstashFieldNames names = json.getFieldNames();
            names.setTimestamp("ts");
            names.setMessage("msg");
            names.setLevel("level");
            names.setLevelValue("[ignore]");
            names.setVersion("[ignore]");
            names.setLogger("logger");
            names.setThread("thread");
            names.setStackTrace("stacktrace");
            json.start();
            return json;
        }
        LayoutWrappingEncoder<ILoggingEvent> logfmt = new LayoutWrappingEncoder<>();
        logfmt.setContext(context);
        LogfmtLayout layout = new LogfmtLayout();
        layout.setContext(context);
        layout.start();
        logfmt.setLayout(layout);
        logfmt.setCharset(StandardCharsets.UTF_8);
        logfmt.start();
        return logfmt;
    }
}
