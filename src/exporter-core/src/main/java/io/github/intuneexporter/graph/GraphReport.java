package io.github.intuneexporter.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One page of an Intune report action ({@code POST /deviceManagement/reports/...}):
 * {@code {"TotalRowCount": n, "Schema": [{"Column": "DisplayName", "PropertyType": "String"}, ...], "Values": [[...], ...]}}.
 * Cells are found through the Schema's column names, never by position: the service may reorder columns,
 * add some (such as {@code Platform_loc}) or leave out one that was asked for; a missing column reads as absent.
 */
public final class GraphReport {
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> folded = new HashMap<>();
    private final JsonNode values;
    private final OptionalLong totalRowCount;

    private GraphReport(JsonNode values, OptionalLong totalRowCount) {
        this.values = values;
        this.totalRowCount = totalRowCount;
    }

    /** Reads a report page; a response without a Schema and Values arrays is malformed. */
    public static GraphReport parse(String endpoint, JsonNode body) throws GraphException {
        JsonNode schema = body.get("Schema");
        JsonNode values = body.get("Values");
        if (schema == null || !schema.isArray()) {
            throw malformed(endpoint, "no 'Schema' array");
        }
        if (values == null || !values.isArray()) {
            throw malformed(endpoint, "no 'Values' array");
        }
        JsonNode total = body.get("TotalRowCount");
        GraphReport report = new GraphReport(
                values,
                total != null && total.canConvertToLong() && total.asLong() >= 0
                        ? OptionalLong.of(total.asLong())
                        : OptionalLong.empty());
        for (int i = 0; i < schema.size(); i++) {
            JsonNode column = schema.get(i).get("Column");
            if (column == null || !column.isTextual()) {
                throw malformed(endpoint, "Schema entry " + i + " has no 'Column' name");
            }
            report.exact.putIfAbsent(column.asText(), i);
            report.folded.putIfAbsent(column.asText().toLowerCase(Locale.ROOT), i);
        }
        for (JsonNode row : values) {
            if (!row.isArray()) {
                throw malformed(endpoint, "a row of 'Values' is not an array");
            }
        }
        return report;
    }

    private static GraphException malformed(String endpoint, String what) {
        return new GraphException(endpoint, 0, "", "Graph " + endpoint + ": malformed report response: " + what, null);
    }

    /** Rows on this page. */
    public int rowCount() {
        return values.size();
    }

    /** The report's total rows over all pages, when the service sent it. */
    public OptionalLong totalRowCount() {
        return totalRowCount;
    }

    public boolean hasColumn(String column) {
        return index(column) >= 0;
    }

    private int index(String column) {
        Integer i = exact.get(column);
        if (i == null) {
            i = folded.get(column.toLowerCase(Locale.ROOT));
        }
        return i == null ? -1 : i;
    }

    /** The cell, or null when the column is missing, the row is short or the value is null. */
    public JsonNode cell(int row, String column) {
        int i = index(column);
        if (i < 0) {
            return null;
        }
        JsonNode v = values.get(row).get(i);
        return v == null || v.isNull() ? null : v;
    }

    public String text(int row, String column) {
        JsonNode v = cell(row, column);
        return v == null ? null : v.asText();
    }

    /**
     * An enum-like cell as text: reports send some enums as numeric codes with the text in a {@code <column>_loc}
     * column; the text is taken from there when the cell itself is a number.
     */
    public String enumText(int row, String column) {
        JsonNode v = cell(row, column);
        if (v != null && v.isTextual()) {
            return v.asText();
        }
        String localized = text(row, column + "_loc");
        return localized != null ? localized : v == null ? null : v.asText();
    }

    /** A count cell (number or numeric text); absent when missing or not a whole number. */
    public OptionalLong count(int row, String column) {
        JsonNode v = cell(row, column);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v.isIntegralNumber()) {
            return OptionalLong.of(v.asLong());
        }
        if (v.isNumber()) {
            return OptionalLong.of((long) v.asDouble());
        }
        try {
            return OptionalLong.of(Long.parseLong(v.asText().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Builds a report request body: {@code {"select": [...], "filter": ..., "skip": n, "top": n}}. */
    public static String requestBody(List<String> select, String filter, long skip, int top) {
        com.fasterxml.jackson.databind.node.ObjectNode body = GraphApi.mapper().createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode columns = body.putArray("select");
        select.forEach(columns::add);
        if (filter != null && !filter.isEmpty()) {
            body.put("filter", filter);
        }
        body.put("skip", skip);
        body.put("top", top);
        return body.toString();
    }
}
