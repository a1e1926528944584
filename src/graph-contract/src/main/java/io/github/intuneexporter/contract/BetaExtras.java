package io.github.intuneexporter.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Applies {@code beta-extra.properties}: the types of beta-only navigations and properties, and the beta-only bound
 * actions and functions the exporter calls, as their beta API reference pages document them. Keys:
 * {@code nav.<type>/<name>}, {@code prop.<type>/<name>} (value: a type, or {@code Collection(type)}),
 * {@code action.<type>/<name>} and {@code function.<type>/<name>} (value: the return type).
 */
final class BetaExtras {
    private BetaExtras() {}

    static void apply(
            Properties extra,
            Map<String, GraphContract.StructuredType> types,
            Map<String, List<GraphContract.Operation>> ops) {
        for (String key : extra.stringPropertyNames()) {
            String value = extra.getProperty(key).trim();
            int dot = key.indexOf('.');
            int slash = key.lastIndexOf('/');
            if (dot < 0 || slash < 0) {
                throw new IllegalStateException("beta-extra.properties: bad key " + key);
            }
            String kind = key.substring(0, dot);
            String owner = GraphContract.qualify(key.substring(dot + 1, slash));
            String name = key.substring(slash + 1);
            boolean collection = value.startsWith("Collection(");
            String element = GraphContract.qualify(collection ? value.substring(11, value.length() - 1) : value);
            switch (kind) {
                case "nav", "prop" -> {
                    GraphContract.StructuredType t = types.get(owner);
                    if (t == null || !t.own().containsKey(name)) {
                        throw new IllegalStateException(
                                "beta-extra.properties: " + owner + " has no beta member " + name);
                    }
                    Map<String, GraphContract.Property> own = new LinkedHashMap<>(t.own());
                    own.put(name, new GraphContract.Property(name, element, collection, true, kind.equals("nav")));
                    types.put(
                            owner,
                            new GraphContract.StructuredType(owner, t.baseType(), t.entity(), t.openType(), own));
                }
                case "action", "function" ->
                    ops.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(new GraphContract.Operation(
                                    name,
                                    kind.equals("function"),
                                    owner,
                                    false,
                                    value.isEmpty() ? null : element,
                                    collection));
                default -> throw new IllegalStateException("beta-extra.properties: bad key " + key);
            }
        }
    }
}
