package io.github.intuneexporter;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the heap sized by live data, not by the garbage of the moment. At the end of each marking cycle G1 resizes the
 * heap so that {@code MinHeapFreeRatio} (JVM default 40 %) of it is free, counting as used the young objects allocated
 * since the last collection. A collection cycle allocates fast, so each marking that ends during one grows the heap
 * by the garbage it is about to free: with 200 tenants the heap grew step by step to {@code -Xmx} while the live data
 * stayed near 300 MB (docs/performance.md). The exporter lowers the ratio to {@link #MIN_HEAP_FREE_PERCENT} at start,
 * unless the java command line sets it ({@code -XX:MinHeapFreeRatio=40} restores the JVM's default). The flag is one
 * the JVM lets a running process change ("manageable"); G1 still grows the heap when collections take too much time.
 */
public final class HeapSizing {
    private static final Logger LOG = LoggerFactory.getLogger(HeapSizing.class);

    static final String FLAG = "MinHeapFreeRatio";
    static final int MIN_HEAP_FREE_PERCENT = 10;

    private HeapSizing() {}

    /** Lowers the JVM's MinHeapFreeRatio unless it was set on the command line; never fails the start. */
    public static void apply() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            String value = valueToSet(hotspot.getVMOption(FLAG));
            if (value != null) {
                hotspot.setVMOption(FLAG, value);
                LOG.debug("heap sizing: {} set to {} (pass -XX:{}=N to choose another)", FLAG, value, FLAG);
            }
        } catch (RuntimeException | LinkageError e) {
            // Another JVM (no HotSpot bean), or MaxHeapFreeRatio set below our value: the JVM's own sizing stays.
            LOG.debug("heap sizing: {} left as it is: {}", FLAG, e.toString());
        }
    }

    /** The value to give the flag, or null to leave it: only a default above ours is changed. */
    static String valueToSet(VMOption current) {
        if (current.getOrigin() != VMOption.Origin.DEFAULT || !current.isWriteable()) {
            return null;
        }
        try {
            return Integer.parseInt(current.getValue()) > MIN_HEAP_FREE_PERCENT
                    ? Integer.toString(MIN_HEAP_FREE_PERCENT)
                    : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
