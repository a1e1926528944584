package io.github.intuneexporter.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** Lenient reads of Graph JSON values: a missing or odd field gives "absent", never an exception. */
public final class GraphJson {
    private GraphJson() {}

    /** A count field: a JSON number or a numeric string; absent otherwise. */
    public static OptionalLong count(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (v.isIntegralNumber()) {
            return OptionalLong.of(v.longValue());
        }
        if (v.isNumber()) {
            return OptionalLong.of((long) v.doubleValue());
        }
        if (v.isTextual()) {
            try {
                return OptionalLong.of(Long.parseLong(v.textValue().trim()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * An ISO-8601 timestamp; null for absent, unparseable, and Graph's "never" (0001-01-01 or any year before 1971).
     */
    public static Instant instant(String raw) {
        if (raw == null || raw.isEmpty() || raw.startsWith("0001-")) {
            return null;
        }
        Instant t;
        try {
            t = Instant.parse(raw);
        } catch (DateTimeParseException e) {
            try {
                t = OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        return t.getEpochSecond() < 31_536_000L ? null : t;
    }

    public static Instant instant(JsonNode node, String field) {
        return instant(text(node, field));
    }
}
