package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import java.time.Duration;
import java.util.List;

/** The name, interval and declared families every collector has; subclasses only read Graph and fill the families. */
abstract class AbstractCollector implements IntuneCollector {
    private final String name;
    private final Duration interval;
    private final List<FamilySpec> families;

    /** {@code families}: every family the collector exports, declared up front. */
    protected AbstractCollector(String name, Duration interval, List<FamilySpec> families) {
        this.name = name;
        this.interval = interval;
        this.families = List.copyOf(families);
    }

    /**
     * Transitional, for collectors written before the collector kit (no declared families, reading their own config
     * block): DeclaredFamiliesTest fails until they declare their families and take a CollectorSettings record.
     */
    @Deprecated
    protected AbstractCollector(String name, Duration interval) {
        this(name, interval, List.of());
    }

    /** Transitional (see the deprecated constructor): the interval of a collector that still reads its own block. */
    @Deprecated
    static Duration interval(io.github.intuneexporter.config.ConfigValues block, Duration override, Duration min) {
        return override != null ? override : block.interval("interval", min);
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
