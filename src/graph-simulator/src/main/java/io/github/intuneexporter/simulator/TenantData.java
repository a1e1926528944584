package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the generated data of one area (connectors, change-awareness signals) reads from its tenant: the seed that fixes
 * it, the clock that moves it, and whether the tenant has set anything up at all.
 */
abstract class TenantData {
    final SimulatedTenant tenant;

    TenantData(SimulatedTenant tenant) {
        this.tenant = tenant;
    }

    long seed() {
        return tenant.seed();
    }

    Instant origin() {
        return tenant.origin();
    }

    Instant now() {
        return tenant.clock().instant();
    }

    /** Whether odd values (off-contract members, missing properties) are on. */
    boolean odd() {
        return tenant.oddValues() > 0;
    }

    /** A tenant without devices has set up nothing: no connectors, partners, identities or events. */
    public boolean configured() {
        return tenant.deviceCount() > 0;
    }

    /** The rows {@code fill} adds for a configured tenant; none for a tenant that has set nothing up. */
    <T> List<T> whenConfigured(Consumer<List<T>> fill) {
        List<T> rows = new ArrayList<>();
        if (configured()) {
            fill.accept(rows);
        }
        return rows;
    }

    /** The last tick at or before {@code now} of something this tenant does every {@code period}; see {@link Rng#periodic}. */
    Instant periodic(Instant now, Duration period, long salt) {
        return Rng.periodic(seed(), now, period, salt);
    }
}
