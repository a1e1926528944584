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

    /** The configured interval (0 disables, else at least {@code min}), or the demo's override when one is given. */
    static Duration interval(io.github.intuneexporter.config.ConfigValues block, Duration override, Duration min) {
        return override != null ? override : block.interval("interval", min);
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
