package io.github.intuneexporter.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.event.KeyValuePair;

/**
 * One logfmt line per event, as Prometheus exporters write them ({@code promlog}/{@code promslog}):
 * {@code ts=2026-01-02T03:04:05.678Z level=info caller=Exporter.java:120 msg="..." tenant=contoso collector=devices}.
 * Key-value pairs of the event and the MDC ({@code tenant}, {@code collector}) follow the message; an exception becomes
 * {@code err=...} and, at debug, {@code stacktrace=...} with its newlines escaped, so every event stays one line.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("ts=").append(TS.format(Instant.ofEpochMilli(event.getTimeStamp())));
        sb.append(" level=").append(event.getLevel().toString().toLowerCase(Locale.ROOT));
        StackTraceElement[] caller = event.getCallerData();
        if (caller != null && caller.length > 0) {
            pair(sb, "caller", caller[0].getFileName() + ":" + caller[0].getLineNumber());
        }
        pair(sb, "msg", event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                pair(sb, kv.key, String.valueOf(kv.value));
            }
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null && !mdc.isEmpty()) {
            // tenant before collector before anything else, so lines line up when read by eye
            Map<String, String> sorted =
                    new TreeMap<>((a, b) -> rank(a) != rank(b) ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
            sorted.putAll(mdc);
            sorted.forEach((k, v) -> pair(sb, k, v));
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            pair(sb, "err", error.getClassName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
            if (event.getLevel().toInt() <= ch.qos.logback.classic.Level.DEBUG_INT) {
                pair(sb, "stacktrace", ThrowableProxyUtil.asString(error));
            }
        }
        return sb.append('\n').toString();
    }

    private static int rank(String key) {
        return switch (key) {
            case "tenant" -> 0;
            case "collector" -> 1;
            default -> 2;
        };
    }

    private static void pair(StringBuilder sb, String key, String value) {
        sb.append(' ').append(key).append('=');
        appendValue(sb, value == null ? "" : value);
    }

    /** Quotes a value when it is empty or holds a space, '=', a quote or a control character; escapes inside quotes. */
    static void appendValue(StringBuilder sb, String value) {
        boolean quote = value.isEmpty();
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f;
        }
        if (!quote) {
            sb.append(value);
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
