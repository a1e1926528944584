package io.github.intuneexporter.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Refuses a request the way Graph does when its path or query does not fit the published metadata: an unknown
 * segment (404), an unknown property in {@code $select}, {@code $expand}, {@code $orderby} or {@code $filter}
 * (400), an unknown system query option, or a collection option on a single resource (400). Which options an endpoint
 * supports is not in the metadata but on its API reference page: the simulator's {@code GraphReference} holds that.
 */
public final class RequestCheck {
    /** The system query options that apply to collections only: on a single resource they are refused. */
    private static final Set<String> COLLECTION_ONLY =
            Set.of("$filter", "$orderby", "$count", "$skip", "$top", "$search");

    /**
     * Every system query option OData defines (the collection-only ones and these); any other name starting with '$'
     * is unknown.
     */
    public static final Set<String> SYSTEM_OPTIONS = Stream.concat(
                    COLLECTION_ONLY.stream(),
                    Stream.of("$select", "$expand", "$skiptoken", "$format", "$deltatoken", "$levels", "$apply"))
            .collect(Collectors.toUnmodifiableSet());

    private static final Set<String> FILTER_WORDS = Set.of(
            "eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "has", "in", "true", "false", "null", "add", "sub",
            "mul", "div", "mod", "asc", "desc");

    private RequestCheck() {}

    /**
     * Checks one request. {@code path} is below the version root and decoded; {@code query} holds decoded option
     * values. Returns the rejection Graph would send, or empty when the request fits the contract.
     */
    public static Optional<Rejection> check(
            GraphContract contract, String method, String path, Map<String, String> query) {
        ResolvedPath target = contract.resolve(path);
        if (!target.found()) {
            return Optional.of(Rejection.notFound(target.failedSegment()));
        }
        Optional<Rejection> refused = checkMethod(target, method);
        if (refused.isEmpty()) {
            refused = checkOptionNames(target, query);
        }
        if (refused.isPresent()) {
            return refused;
        }
        String top = query.get("$top");
        if (top != null && !top.trim().matches("\\d{1,9}")) {
            return Optional.of(
                    Rejection.badRequest("Invalid value '" + top + "' for $top query option found. The $top query "
                            + "option requires a non-negative integer value."));
        }
        if (!target.structured(contract)) {
            for (String o : List.of("$select", "$expand", "$filter", "$orderby")) {
                if (query.containsKey(o)
                        && contract.type(String.valueOf(target.type())).isEmpty()
                        && target.type() != null
                        && target.type().startsWith("Edm.")) {
                    return Optional.of(Rejection.badRequest(
                            "Query option '" + o + "' is not allowed on a resource of type '" + target.type() + "'."));
                }
            }
            return Optional.empty(); // beta member without a published type: names cannot be checked further
        }
        String type = target.type();
        Optional<Rejection> r = checkSelect(contract, type, query.get("$select"));
        if (r.isEmpty()) {
            r = checkExpand(contract, type, query.get("$expand"));
        }
        if (r.isEmpty()) {
            r = checkOrderBy(contract, type, query.get("$orderby"));
        }
        if (r.isEmpty()) {
            r = checkFilter(contract, type, query.get("$filter"));
        }
        return r;
    }

    /**
     * An operation is called with POST when it is an action and GET when it is a function; other resources allow GET,
     * and POST on a collection.
     */
    private static Optional<Rejection> checkMethod(ResolvedPath target, String method) {
        if (target.kind() == ResolvedPath.Kind.OPERATION) {
            boolean action = target.isAction();
            if (action != method.equals("POST")) {
                return Optional.of(Rejection.badRequest(
                        "The request method '" + method + "' is not allowed for " + (action ? "action" : "function")
                                + " '" + target.operation().name() + "'."));
            }
        } else if (!method.equals("GET") && !(method.equals("POST") && target.collection())) {
            return Optional.of(new Rejection(
                    405, "BadRequest", "The request method '" + method + "' is not allowed on this resource."));
        }
        return Optional.empty();
    }

    /** Only Graph's system query options, and those for collections only on a collection. */
    private static Optional<Rejection> checkOptionNames(ResolvedPath target, Map<String, String> query) {
        for (String option : query.keySet()) {
            if (!option.startsWith("$")) {
                continue;
            }
            String o = option.toLowerCase(Locale.ROOT);
            if (!SYSTEM_OPTIONS.contains(o)) {
                return Optional.of(Rejection.badRequest("The query parameter '" + option + "' is not supported."));
            }
            if (COLLECTION_ONLY.contains(o) && !target.collection()) {
                return Optional.of(
                        Rejection.badRequest(
                                "The query specified in the URI is not valid. The requested resource is not "
                                        + "a collection. Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections."));
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the JSON body of a POST: an action accepts only the parameters its metadata declares, and creating an
     * entity (POST to a collection) only properties of its type. {@code body} is null when there is none. Operations
     * whose parameters are not published (beta extras) are not checked.
     */
    public static Optional<Rejection> checkBody(GraphContract contract, String method, String path, JsonNode body) {
        if (!method.equals("POST") || body == null) {
            return Optional.empty();
        }
        ResolvedPath target = contract.resolve(path);
        if (!target.found()) {
            return Optional.empty(); // the path check answers 404
        }
        if (!body.isObject()) {
            return Optional.of(Rejection.badRequest(
                    "Unable to read JSON request payload. Please ensure Content-Type header is set "
                            + "and payload is of valid JSON format."));
        }
        if (target.kind() == ResolvedPath.Kind.OPERATION) {
            List<String> parameters = target.operation().parameters();
            if (parameters == null) {
                return Optional.empty();
            }
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!parameters.contains(name)) {
                    return Optional.of(Rejection.badRequest("The parameter '" + name
                            + "' in the request payload is not a valid " + "parameter for the operation '"
                            + target.operation().name() + "'."));
                }
            }
        } else if (target.collection() && target.structured(contract)) {
            String type = target.type();
            JsonNode cast = body.get("@odata.type");
            if (cast != null && cast.isTextual()) {
                String derived = GraphContract.qualify(cast.asText().replaceFirst("^#", ""));
                if (contract.type(derived).isEmpty() || !contract.isA(derived, type)) {
                    return Optional.of(
                            Rejection.badRequest("The type '" + derived + "' is not derived from '" + type + "'."));
                }
                type = derived;
            }
            for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.startsWith("@") && contract.property(type, name).isEmpty()) {
                    return Optional.of(
                            Rejection.badRequest(
                                    "The property '" + name + "' does not exist on type '" + type
                                            + "'. Make sure to only use property names that are defined by the type or mark the type as open type."));
                }
            }
        }
        return Optional.empty();
    }

    static Optional<Rejection> checkSelect(GraphContract c, String type, String select) {
        if (select == null || select.isBlank()) {
            return Optional.empty();
        }
        return firstRejection(splitTopLevel(select), item -> {
            String name = item.trim();
            return name.equals("*") ? Optional.empty() : checkPropertyPath(c, type, name, false);
        });
    }

    static Optional<Rejection> checkExpand(GraphContract c, String type, String expand) {
        if (expand == null || expand.isBlank()) {
            return Optional.empty();
        }
        return firstRejection(splitTopLevel(expand), item -> checkExpandItem(c, type, item.trim()));
    }

    /** One {@code $expand} item: a navigation property, optionally with nested options in parentheses. */
    private static Optional<Rejection> checkExpandItem(GraphContract c, String type, String item) {
        String s = item;
        String nested = null;
        int paren = s.indexOf('(');
        if (paren > 0 && s.endsWith(")")) {
            nested = s.substring(paren + 1, s.length() - 1);
            s = s.substring(0, paren).trim();
        }
        if (s.equals("*")) {
            return Optional.empty();
        }
        Optional<GraphContract.Property> p = c.property(type, s);
        if (p.isEmpty()) {
            return Optional.of(Rejection.noProperty(s, type));
        }
        if (!p.get().navigation()) {
            return Optional.of(
                    Rejection.badRequest("Property '" + s + "' on type '" + type + "' is not a navigation property "
                            + "or complex property. Only navigation properties can be expanded."));
        }
        String target = p.get().type();
        if (nested == null || target == null) {
            return Optional.empty();
        }
        return firstRejection(List.of(nested.split(";")), option -> {
            int eq = option.indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            String value = option.substring(eq + 1);
            return switch (option.substring(0, eq).trim().toLowerCase(Locale.ROOT)) {
                case "$select" -> checkSelect(c, target, value);
                case "$expand" -> checkExpand(c, target, value);
                case "$filter" -> checkFilter(c, target, value);
                case "$orderby" -> checkOrderBy(c, target, value);
                default -> Optional.empty();
            };
        });
    }

    static Optional<Rejection> checkOrderBy(GraphContract c, String type, String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return Optional.empty();
        }
        return firstRejection(List.of(orderBy.split(",")), item -> {
            String[] words = item.trim().split("\\s+");
            if (words.length > 2
                    || (words.length == 2 && !words[1].equalsIgnoreCase("asc") && !words[1].equalsIgnoreCase("desc"))) {
                return Optional.of(Rejection.badRequest("Syntax error in $orderby: '" + item.trim() + "'."));
            }
            return checkPropertyPath(c, type, words[0], true);
        });
    }

    /** The rejection of the first item {@code check} refuses, or empty when it accepts them all. */
    private static Optional<Rejection> firstRejection(List<String> items, Function<String, Optional<Rejection>> check) {
        for (String item : items) {
            Optional<Rejection> r = check.apply(item);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    /** Every property path in a $filter expression must exist; literals, operators and function names are skipped. */
    static Optional<Rejection> checkFilter(GraphContract c, String type, String filter) {
        if (filter == null || filter.isBlank()) {
            return Optional.empty();
        }
        List<String> lambdaVariables = new ArrayList<>();
        int i = 0;
        int n = filter.length();
        while (i < n) {
            char ch = filter.charAt(i);
            if (ch == '\'') {
                i = afterStringLiteral(filter, i);
                if (i < 0) {
                    return Optional.of(Rejection.badRequest("Invalid $filter: unterminated string literal."));
                }
            } else if (Character.isDigit(ch) || ch == '-') { // number, date, time, guid
                while (i < n && "()', ".indexOf(filter.charAt(i)) < 0) {
                    i++;
                }
            } else if (Character.isLetter(ch) || ch == '_' || ch == '$') {
                int start = i;
                while (i < n
                        && (Character.isLetterOrDigit(filter.charAt(i)) || "_./$".indexOf(filter.charAt(i)) >= 0)) {
                    i++;
                }
                String word = filter.substring(start, i);
                char after = i < n ? filter.charAt(i) : ' ';
                if (after == '(' || after == '\'') {
                    continue; // function call (contains(...)) or typed literal (microsoft.graph.x'y', datetime'...')
                }
                if (after == ':') {
                    lambdaVariables.add(word);
                    i++;
                    continue;
                }
                Optional<Rejection> r = checkFilterWord(c, type, word, lambdaVariables);
                if (r.isPresent()) {
                    return r;
                }
            } else {
                i++;
            }
        }
        return Optional.empty();
    }

    /**
     * The index after the string literal that starts at {@code start} ('' escapes a quote), or -1 when it is not
     * terminated.
     */
    private static int afterStringLiteral(String filter, int start) {
        int n = filter.length();
        int i = start + 1;
        while (i < n) {
            if (filter.charAt(i) == '\'') {
                if (i + 1 < n && filter.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                break;
            }
            i++;
        }
        return i >= n ? -1 : i + 1;
    }

    /**
     * One word of a $filter that is neither a function nor a literal: a keyword, a lambda variable's path (not
     * checked: the type of the range is unknown here) or a property path, with any /any or /all at its end.
     */
    private static Optional<Rejection> checkFilterWord(
            GraphContract c, String type, String word, List<String> lambdaVariables) {
        if (FILTER_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        for (String v : lambdaVariables) {
            if (word.equals(v) || word.startsWith(v + "/")) {
                return Optional.empty();
            }
        }
        String path = word;
        if (path.endsWith("/any") || path.endsWith("/all")) {
            path = path.substring(0, path.length() - 4);
        }
        return checkPropertyPath(c, type, path, true);
    }

    /** {@code a/b/c}: each step a property of the type the previous one lands on; a cast may start it. */
    private static Optional<Rejection> checkPropertyPath(
            GraphContract c, String type, String path, boolean allowComplexSteps) {
        String current = type;
        String[] steps = path.split("/");
        for (int s = 0; s < steps.length; s++) {
            String step = steps[s];
            if (step.contains(".")) { // cast to a derived type
                String cast = GraphContract.qualify(step);
                if (c.type(cast).isEmpty() || !c.isA(cast, current)) {
                    return Optional.of(
                            Rejection.badRequest("The type '" + cast + "' is not derived from '" + current + "'."));
                }
                current = cast;
                continue;
            }
            Optional<GraphContract.Property> p = c.property(current, step);
            if (p.isEmpty()) {
                return Optional.of(Rejection.noProperty(step, current));
            }
            if (s < steps.length - 1) {
                if (!allowComplexSteps
                        || p.get().type() == null
                        || c.type(p.get().type()).isEmpty()) {
                    return Optional.empty();
                }
                current = p.get().type();
            }
        }
        return Optional.empty();
    }

    /** Splits on commas outside parentheses (so $expand=a($select=x,y),b works). */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
