package io.github.intuneexporter.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a response body against the contract of its request: a collection page is an object with
 * {@code @odata.context} and a {@code value} array (and optionally {@code @odata.nextLink}, {@code @odata.count});
 * every property exists on the declared type or on the derived type its {@code @odata.type} names; values have the
 * declared primitive type; enum values are members of this version's enum; dates are ISO 8601; non-nullable
 * properties are not null. An action that returns {@code Edm.Stream} from the Intune reports API has the documented
 * report shape ({@code TotalRowCount}, {@code Schema} of {@code Column}/{@code PropertyType}, {@code Values} rows).
 */
public final class ResponseCheck {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final GraphContract contract;
    private final List<String> violations = new ArrayList<>();

    private ResponseCheck(GraphContract contract) {
        this.contract = contract;
    }

    /** The violations of {@code body}, the answer to a request for {@code target}; empty when it fits the contract. */
    public static List<String> check(GraphContract contract, ResolvedPath target, JsonNode body) {
        ResponseCheck check = new ResponseCheck(contract);
        check.top(target, body);
        return check.violations;
    }

    private void top(ResolvedPath target, JsonNode body) {
        if (target.type() == null) {
            return; // beta member without a published type
        }
        if (target.kind() == ResolvedPath.Kind.OPERATION && "Edm.Stream".equals(target.type())) {
            reportStream(body);
            return;
        }
        if (!body.isObject()) {
            violations.add("$: response is not a JSON object");
            return;
        }
        if (!body.has("@odata.context") || !body.get("@odata.context").isTextual()) {
            violations.add("$: no @odata.context");
        }
        if (target.collection()) {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("value") && !f.startsWith("@odata.")) {
                    violations.add("$: collection page has member '" + f + "' besides value and @odata annotations");
                }
            }
            JsonNode next = body.get("@odata.nextLink");
            if (next != null && (!next.isTextual() || !next.asText().matches("https?://.+"))) {
                violations.add("$.@odata.nextLink: not an absolute URL");
            }
            JsonNode count = body.get("@odata.count");
            if (count != null && !count.isIntegralNumber()) {
                violations.add("$.@odata.count: not an integer");
            }
            JsonNode value = body.get("value");
            if (value == null || !value.isArray()) {
                violations.add("$: collection page has no value array");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                value(target.type(), false, true, value.get(i), "$.value[" + i + "]");
            }
        } else {
            if (contract.type(target.type()).isPresent()) {
                structured(target.type(), body, "$");
            } else if (body.has("value")) {
                value(target.type(), false, true, body.get("value"), "$.value");
            }
        }
    }

    private void structured(String declared, JsonNode node, String where) {
        if (!node.isObject()) {
            violations.add(where + ": expected an object of type " + declared);
            return;
        }
        String type = declared;
        JsonNode odataType = node.get("@odata.type");
        if (odataType != null) {
            String named = GraphContract.qualify(odataType.asText());
            if (contract.type(named).isEmpty()) {
                violations.add(where + ".@odata.type: '" + odataType.asText() + "' is not a type in Graph "
                        + contract.version());
                return;
            }
            if (!contract.isA(named, declared)) {
                violations.add(where + ".@odata.type: '" + named + "' does not derive from " + declared);
                return;
            }
            type = named;
        }
        boolean open =
                contract.type(type).map(GraphContract.StructuredType::openType).orElse(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.startsWith("@") || name.contains("@odata.")) {
                continue; // instance and property annotations
            }
            Optional<GraphContract.Property> p = contract.property(type, name);
            if (p.isEmpty()) {
                if (!open) {
                    violations.add(where + "." + name + ": no property '" + name + "' on type '" + type + "' in Graph "
                            + contract.version());
                }
                continue;
            }
            GraphContract.Property prop = p.get();
            if (prop.type() == null) {
                continue; // beta: name published, type not
            }
            value(prop.type(), prop.collection(), prop.nullable(), e.getValue(), where + "." + name);
        }
    }

    private void value(String type, boolean collection, boolean nullable, JsonNode v, String where) {
        if (v == null || v.isNull()) {
            if (!nullable) {
                violations.add(where + ": null, but the property is not nullable");
            }
            return;
        }
        if (collection) {
            if (!v.isArray()) {
                violations.add(where + ": expected an array of " + type);
                return;
            }
            for (int i = 0; i < v.size(); i++) {
                value(type, false, true, v.get(i), where + "[" + i + "]");
            }
            return;
        }
        if (contract.type(type).isPresent()) {
            structured(type, v, where);
            return;
        }
        if (contract.isEnum(type)) {
            if (!v.isTextual()) {
                violations.add(where + ": enum " + type + " value is not a string");
                return;
            }
            List<String> members = contract.enumMembers(type);
            String[] parts = contract.isFlagsEnum(type) ? v.asText().split(",") : new String[] {v.asText()};
            for (String part : parts) {
                if (!members.contains(part.trim())) {
                    violations.add(where + ": '" + part.trim() + "' is not a member of enum " + type + " in Graph "
                            + contract.version());
                }
            }
            return;
        }
        switch (type) {
            case "Edm.String" -> expect(v.isTextual(), where, "a string");
            case "Edm.Boolean" -> expect(v.isBoolean(), where, "a boolean");
            case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte" ->
                expect(v.isIntegralNumber(), where, "an integer");
            case "Edm.Double", "Edm.Single", "Edm.Decimal" ->
                expect(v.isNumber() || (v.isTextual() && v.asText().matches("NaN|-?INF")), where, "a number");
            case "Edm.DateTimeOffset" ->
                expect(v.isTextual() && isDateTime(v.asText()), where, "an ISO 8601 date-time with offset");
            case "Edm.Date" -> expect(v.isTextual() && isDate(v.asText()), where, "an ISO 8601 date");
            case "Edm.TimeOfDay" ->
                expect(
                        v.isTextual() && v.asText().matches("\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?"),
                        where,
                        "a time of day");
            case "Edm.Duration" -> expect(v.isTextual() && isDuration(v.asText()), where, "an ISO 8601 duration");
            case "Edm.Guid" -> expect(v.isTextual() && GUID.matcher(v.asText()).matches(), where, "a GUID");
            case "Edm.Binary" -> expect(v.isTextual(), where, "base64 text");
            default -> {} // Edm.Stream, Edm.Untyped, geography: not checked
        }
    }

    private void expect(boolean ok, String where, String what) {
        if (!ok) {
            violations.add(where + ": expected " + what);
        }
    }

    private void reportStream(JsonNode body) {
        if (!body.isObject()) {
            violations.add("$: report stream is not a JSON object");
            return;
        }
        JsonNode schema = body.get("Schema");
        JsonNode values = body.get("Values");
        if (!body.path("TotalRowCount").isIntegralNumber()) {
            violations.add("$.TotalRowCount: missing or not an integer");
        }
        if (schema == null || !schema.isArray()) {
            violations.add("$.Schema: missing or not an array");
            return;
        }
        for (int i = 0; i < schema.size(); i++) {
            if (!schema.get(i).path("Column").isTextual()
                    || !schema.get(i).path("PropertyType").isTextual()) {
                violations.add("$.Schema[" + i + "]: needs Column and PropertyType");
            }
        }
        if (values == null || !values.isArray()) {
            violations.add("$.Values: missing or not an array");
            return;
        }
        for (int r = 0; r < values.size(); r++) {
            JsonNode row = values.get(r);
            if (!row.isArray() || row.size() != schema.size()) {
                violations.add("$.Values[" + r + "]: row has " + (row.isArray() ? row.size() : 0) + " cells for "
                        + schema.size() + " columns");
                continue;
            }
            for (int c = 0; c < row.size(); c++) {
                String t = schema.get(c).path("PropertyType").asText();
                JsonNode cell = row.get(c);
                if (cell.isNull()) {
                    continue;
                }
                boolean ok = switch (t) {
                    case "String" -> cell.isTextual();
                    case "Int32", "Int64", "Int16", "Byte" -> cell.isIntegralNumber();
                    case "Double", "Single", "Decimal" -> cell.isNumber();
                    case "Boolean" -> cell.isBoolean();
                    case "DateTime", "DateTimeOffset" -> cell.isTextual() && isDateTime(cell.asText());
                    default -> true;
                };
                if (!ok) {
                    violations.add("$.Values[" + r + "][" + c + "]: " + cell + " is not a " + t + " (column "
                            + schema.get(c).path("Column").asText() + ")");
                }
            }
        }
    }

    static boolean isDateTime(String s) {
        return parses(() -> OffsetDateTime.parse(s));
    }

    static boolean isDate(String s) {
        return parses(() -> LocalDate.parse(s));
    }

    static boolean isDuration(String s) {
        return parses(() -> Duration.parse(s.startsWith("P") && s.contains("D") && !s.contains("T") ? s + "T0S" : s));
    }

    /** Whether a java.time parse of a wire value succeeds. */
    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
