package io.github.intuneexporter.http;

import io.github.intuneexporter.metrics.TenantLabels;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Prometheus text format (0.0.4) of {@code /metrics} and {@code /probe}, from bytes rendered once per collector run.
 * A tenant's collector data changes only when a run replaces it (a new object), yet with hundreds of tenants it is tens
 * of megabytes of text: rendering it at every scrape made one scrape take seconds. Each collector's data is rendered by
 * client_java's own text writer the first time a scrape sees it, kept per metric family, and reused until the
 * collector's next run replaces it. The rest (the exporter's own metrics: JVM, {@code intune_collector_*},
 * {@code intune_graph_*}) changes at every scrape and is rendered live.
 *
 * <p>The output has the same families, in the same (name) order, with the same lines as client_java's writer over the
 * same snapshots. One tenant (a single-tenant exporter, or {@code /probe}) is byte for byte the same; with several
 * tenants a family lists one tenant's series after the other instead of sorting all of them by label values (the
 * format does not order series within a family).
 */
public final class TextExposition {
    /** One tenant's collector data as its scheduler holds it: one object per collector, replaced by each run. */
    public record TenantData(String tenant, List<MetricSnapshots> data) {}

    /** One family of one tenant: its HELP and TYPE lines, and its series lines. */
    record Family(byte[] header, byte[] lines) {}

    /** The rendered families of one tenant's collectors, and the data objects they were rendered from. */
    private record Rendered(List<MetricSnapshots> sources, List<Map<String, Family>> families) {}

    /** The escaping this cache is rendered with: a scrape that negotiates another one is served by client_java. */
    static final EscapingScheme ESCAPING = EscapingScheme.fromAcceptHeader(null);

    private final PrometheusTextFormatWriter writer = ExpositionFormats.init().getPrometheusTextFormatWriter();
    /** Several tenants configured: every series of collector data gets a {@code tenant} label, as on /metrics. */
    private final boolean tenantLabel;

    private final Map<String, Rendered> cache = new ConcurrentHashMap<>();

    public TextExposition(boolean tenantLabel) {
        this.tenantLabel = tenantLabel;
    }

    public String contentType() {
        return writer.getContentType();
    }

    /**
     * The exposition as a list of byte arrays to send in order (most of them cached, shared and never modified): the
     * families of {@code tenants}' collector data, and those of {@code live}, which is asked for every family except
     * the cached ones. {@code forgetOthers} drops the cache of tenants not in the list (they were removed by a reload).
     */
    public List<byte[]> render(
            List<TenantData> tenants, Function<Predicate<String>, MetricSnapshots> live, boolean forgetOthers) {
        List<Map<String, Family>> perTenant = new ArrayList<>();
        Set<String> cachedNames = new HashSet<>();
        for (TenantData t : tenants) {
            for (Map<String, Family> families : rendered(t).families()) {
                perTenant.add(families);
                cachedNames.addAll(families.keySet());
            }
        }
        if (forgetOthers) {
            Set<String> keep = new HashSet<>();
            tenants.forEach(t -> keep.add(t.tenant()));
            cache.keySet().retainAll(keep);
        }
        TreeMap<String, List<byte[]>> liveFamilies = new TreeMap<>();
        for (MetricSnapshot s : live.apply(name -> !cachedNames.contains(name))) {
            ChunkedBytes bytes = render(s);
            if (bytes.size() > 0) {
                liveFamilies.put(s.getMetadata().getPrometheusName(), bytes.chunks());
            }
        }
        TreeMap<String, Boolean> names = new TreeMap<>();
        cachedNames.forEach(n -> names.put(n, true));
        liveFamilies.keySet().forEach(n -> names.put(n, false));
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<String, Boolean> name : names.entrySet()) {
            if (!name.getValue()) {
                out.addAll(liveFamilies.get(name.getKey()));
                continue;
            }
            boolean header = false;
            for (Map<String, Family> families : perTenant) {
                Family f = families.get(name.getKey());
                if (f != null) {
                    if (!header) {
                        out.add(f.header());
                        header = true;
                    }
                    out.add(f.lines());
                }
            }
        }
        return out;
    }

    /** The tenant's rendered families, rendering again only the collectors whose data object was replaced. */
    private Rendered rendered(TenantData t) {
        Rendered was = cache.get(t.tenant());
        if (was != null && sameObjects(was.sources(), t.data())) {
            return was;
        }
        synchronized (this) { // concurrent scrapes render a new run's data once
            was = cache.get(t.tenant());
            if (was != null && sameObjects(was.sources(), t.data())) {
                return was;
            }
            List<Map<String, Family>> families = new ArrayList<>();
            for (int i = 0; i < t.data().size(); i++) {
                MetricSnapshots data = t.data().get(i);
                boolean unchanged =
                        was != null && i < was.sources().size() && was.sources().get(i) == data;
                families.add(unchanged ? was.families().get(i) : families(t.tenant(), data));
            }
            Rendered now = new Rendered(List.copyOf(t.data()), List.copyOf(families));
            cache.put(t.tenant(), now);
            return now;
        }
    }

    private static boolean sameObjects(List<MetricSnapshots> a, List<MetricSnapshots> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** One collector's data, labelled as on /metrics, rendered family by family; empty families are left out. */
    private Map<String, Family> families(String tenant, MetricSnapshots data) {
        MetricSnapshots labelled = tenantLabel ? TenantLabels.merge(Map.of(tenant, data)) : data;
        Map<String, Family> out = new TreeMap<>();
        for (MetricSnapshot s : labelled) {
            ChunkedBytes bytes = render(s);
            if (bytes.size() == 0) {
                continue;
            }
            long body = headerLength(bytes);
            out.put(
                    s.getMetadata().getPrometheusName(),
                    new Family(bytes.copy(0, body), bytes.copy(body, bytes.size())));
        }
        return out;
    }

    /** Length of the leading comment lines (HELP, TYPE). */
    private static long headerLength(ChunkedBytes family) {
        long size = family.size();
        long i = 0;
        while (i < size && family.byteAt(i) == '#') {
            while (i < size && family.byteAt(i) != '\n') {
                i++;
            }
            i++;
        }
        return Math.min(i, size);
    }

    private ChunkedBytes render(MetricSnapshot snapshot) {
        ChunkedBytes out = new ChunkedBytes();
        try {
            writer.write(out, MetricSnapshots.of(snapshot), ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // memory does not fail
        }
        return out;
    }
}
