package io.github.intuneexporter.collector;

import java.time.Duration;

/** The name and interval every collector has; subclasses only read Graph and build their snapshot. */
abstract class AbstractCollector implements IntuneCollector {
    private final String name;
    private final Duration interval;

    protected AbstractCollector(String name, Duration interval) {
        this.name = name;
        this.interval = interval;
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
