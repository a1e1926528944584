package io.github.intuneexporter.simulator;

import java.time.Duration;

/**
 * One fault-injection rule of the simulator: requests whose path contains {@code endpoint} ("" matches all)
 * fail in the given way for {@code fraction} of them.
 */
public record FaultRule(Kind kind, String endpoint, double fraction, Duration retryAfter, Duration delay) {

    /** What goes wrong. */
    public enum Kind {
        /** 429 Too Many Requests with Retry-After. */
        THROTTLE,
        /** 503 Service Unavailable. */
        UNAVAILABLE,
        /** The normal answer, after {@code delay}. */
        SLOW,
        /** A 200 whose JSON body is cut off half way. */
        MALFORMED,
        /** The connection is closed without any response. */
        RESET
    }

    public boolean matches(String path) {
        return endpoint.isEmpty() || path.contains(endpoint);
    }
}
