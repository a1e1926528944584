package io.github.intuneexporter.collector.kit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.GraphJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Objects an administrator names (partners, connectors, tokens) turned into stable label values: sorted by name and
 * id so that the same objects always get the same labels, a name two objects share made unique with " #2", " #3"...,
 * the first of {@code top} under their name and the rest as {@code _other}.
 */
public final class AdminNamedObjects {
    private AdminNamedObjects() {}

    /** An object and its label value. */
    public record Labelled(String label, JsonNode item) {}

    /**
     * Labels {@code items}; {@code name} gives each object's bounded name ({@link AdminNames#label}), and a
     * de-duplicated name stays within {@code maxLength}. Calls {@link AdminNames.TopN#finish} on {@code top}.
     */
    public static List<Labelled> label(
            List<JsonNode> items, Function<JsonNode, String> name, AdminNames.TopN top, int maxLength) {
        record Base(String name, String id, JsonNode item) {}
        List<Base> sorted = new ArrayList<>();
        for (JsonNode item : items) {
            String id = GraphJson.text(item, "id");
            sorted.add(new Base(name.apply(item), id == null ? "" : id, item));
        }
        sorted.sort(Comparator.comparing(Base::name).thenComparing(Base::id));
        Set<String> used = new HashSet<>();
        List<Labelled> out = new ArrayList<>();
        for (Base b : sorted) {
            String label = b.name();
            for (int k = 2; !used.add(label); k++) {
                String suffix = " #" + k;
                label = b.name().substring(0, Math.min(b.name().length(), maxLength - suffix.length())) + suffix;
            }
            out.add(new Labelled(top.rank(label), b.item()));
        }
        top.finish();
        return out;
    }
}
