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
