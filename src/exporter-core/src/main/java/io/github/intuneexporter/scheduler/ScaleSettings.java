package io.github.intuneexporter.scheduler;

import com.typesafe.config.Config;
import io.github.intuneexporter.config.ConfigValues;

/**
 * The process-wide settings for many tenants: the shared collection pool, the Graph budget share and this replica's
 * shard. Read from the raw configuration in one place (reference.conf: intune.collection.pool-size,
 * intune.collection.graph-budget-share, intune.shard).
 *
 * @param poolSize workers shared by every tenant's collectors
 * @param graphBudgetShare share (0..1) of Intune's documented per-tenant throttling limits the collectors may use per
 *     hour before their intervals stretch; 0 turns stretching off
 * @param shard the tenants this replica reads
 */
public record ScaleSettings(int poolSize, double graphBudgetShare, Shard shard) {
    public static final ScaleSettings DEFAULTS = new ScaleSettings(CollectionPool.defaultSize(), 0.1, Shard.ALL);

    /** Reads the settings; {@code hostname} is the pod name for {@code intune.shard = auto/N}. */
    public static ScaleSettings from(Config raw, String hostname) {
        ConfigValues collection = new ConfigValues(raw.getConfig("intune.collection"), "intune.collection");
        int pool = collection.integer("pool-size", 0, 1024);
        double share = collection.fraction("graph-budget-share");
        String shard = raw.hasPath("intune.shard") ? raw.getString("intune.shard") : "";
        return new ScaleSettings(
                pool == 0 ? CollectionPool.defaultSize() : pool, share, Shard.parse(shard, hostname, "intune.shard"));
    }
}
