package io.github.intuneexporter.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

public class LogfmtLayoutTest {
    /** Parses one logfmt line (the test's own small parser: key=value, key="quoted \" value"). */
    public static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("not logfmt at " + i + ": " + line);
            }
            String key = line.substring(i, eq);
            if (key.isEmpty() || key.contains(" ") || key.contains("\"")) {
                throw new IllegalArgumentException("bad key '" + key + "': " + line);
            }
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unterminated quote: " + line);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        v.append(
                                switch (e) {
                                    case 'n' -> '\n';
                                    case 't' -> '\t';
                                    case 'r' -> '\r';
                                    default -> e;
                                });
                    } else {
                        v.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ' ') {
                    throw new IllegalArgumentException("garbage after quote: " + line);
                }
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("quote inside bare value: " + line);
                    }
                    v.append(c);
                }
            }
            out.put(key, v.toString());
        }
        return out;
    }

    @Test
    void oneParsableLineWithMdcAndKeyValues() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("x.Y");
        LoggingEvent event = new LoggingEvent(
                "x.Y",
                logger,
                Level.WARN,
                "collector {} failed: a \"quoted\" = thing\nsecond line",
                new RuntimeException("boom"),
                new Object[] {"devices"});
        event.setCallerData(new StackTraceElement[] {new StackTraceElement("x.Y", "run", "Y.java", 12)});
        event.setMDCPropertyMap(Map.of("collector", "devices", "tenant", "contoso"));
        event.addKeyValuePair(new KeyValuePair("reason", "throttled"));
        LogfmtLayout layout = new LogfmtLayout();
        layout.setContext(context);
        layout.start();
        String line = layout.doLayout(event);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        Map<String, String> f = parse(line.strip());
        assertEquals(
                java.util.List.of("ts", "level", "caller", "msg", "reason", "tenant", "collector", "err"),
                java.util.List.copyOf(f.keySet()));
        assertEquals("warn", f.get("level"));
        assertTrue(f.get("ts").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), f.get("ts"));
        assertTrue(f.get("caller").matches("[A-Za-z]+\\.java:\\d+"), f.get("caller"));
        assertEquals("collector devices failed: a \"quoted\" = thing\nsecond line", f.get("msg"));
        assertEquals("contoso", f.get("tenant"));
        assertEquals("java.lang.RuntimeException: boom", f.get("err"));
    }
}
