package io.github.intuneexporter.log;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends java.util.logging records (the JDK's HTTP server, OkHttp) to SLF4J, so that they come out as logfmt or json
 * lines like every other, not in JUL's own two-line console format on stderr. The JUL logger's name opens the
 * message, since the caller field can only name this class.
 */
final class JulBridge extends Handler {
    private static final Formatter MESSAGE = new SimpleFormatter();

    private JulBridge() {}

    /** Replaces the handlers of JUL's root logger (its console handler) by the bridge. */
    static void install() {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new JulBridge());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        Logger log = LoggerFactory.getLogger(name);
        String message = name + ": " + MESSAGE.formatMessage(record);
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            log.error(message, record.getThrown());
        } else if (level >= Level.WARNING.intValue()) {
            log.warn(message, record.getThrown());
        } else if (level >= Level.INFO.intValue()) {
            log.info(message, record.getThrown());
        } else {
            log.debug(message, record.getThrown());
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
