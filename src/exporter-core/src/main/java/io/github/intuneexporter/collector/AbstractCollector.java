package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.graph.GraphApi;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What every collector has: its name, interval, declared families, the tenant's Graph client (and clock) and its typed settings
 * record (bound and validated by the config package); subclasses only read Graph and fill the families.
 *
 * @param <S> the collector's record in {@code config.CollectorSettings}
 */
abstract class AbstractCollector<S> implements IntuneCollector {
    private final String name;
    private final Duration interval;
    private final List<FamilySpec> families;
    protected final GraphApi graph;
    /** "Now" for collectors that count ages and time windows; null for those constructed without one. */
    protected final Clock clock;

    protected final S settings;

    /** {@code families}: every family the collector exports, declared up front. */
    protected AbstractCollector(String name, FamilySpecs families, GraphApi graph, Duration interval, S settings) {
        this(name, families, graph, null, interval, settings);
    }

    protected AbstractCollector(
            String name, FamilySpecs families, GraphApi graph, Clock clock, Duration interval, S settings) {
        this.name = name;
        this.interval = interval;
        this.families = families.list();
        this.graph = graph;
        this.clock = clock;
        this.settings = settings;
    }

    @Override
    public final List<FamilySpec> families() {
        return families;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Duration interval() {
        return interval;
    }
}
