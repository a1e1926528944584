package io.github.intuneexporter.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.graph.IntuneThrottleBucket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The default demo (--demo, 5000 devices) runs every collector at intune.demo.interval, as docs/scenarios.md times the
 * alerts. Its protection collector reads about 2750 Windows devices' windowsProtectionState each minute: 46 % of the
 * devices bucket per hour. Under the default Graph budget share (10 %) that stretched the four collectors of the
 * bucket to about 4.5 minutes, so the demo wall and the scenario timings lagged by minutes.
 */
class DemoBudgetTest {
    private static final Map<String, Map<IntuneThrottleBucket, Long>> DEFAULT_DEMO_RUN = Map.of(
            "protection", Map.of(IntuneThrottleBucket.DEVICES, 2750L + 3),
            "devices", Map.of(IntuneThrottleBucket.DEVICES, 5L),
            "compliance", Map.of(IntuneThrottleBucket.DEVICES, 1L, IntuneThrottleBucket.DEVICE_CONFIGURATION, 4L));

    private static Map<String, Double> stretch(ExporterSettings settings, Duration interval) {
        Map<String, Duration> intervals = Map.of("protection", interval, "devices", interval, "compliance", interval);
        return new GraphBudget(settings.scale().graphBudgetShare()).stretch(intervals, DEFAULT_DEMO_RUN);
    }

    @Test
    void demoCollectorsRunAtTheDemoInterval() {
        ExporterSettings demo = SettingsLoader.load(Optional.empty(), ConfigFactory.empty(), true);
        stretch(demo, demo.demo().interval()).forEach((collector, factor) -> assertEquals(1.0, factor, collector));
    }

    /** The same reads against a real tenant's defaults are stretched: the demo setting is what keeps them. */
    @Test
    void theSameReadsAreStretchedUnderTheDefaultShare() {
        ExporterSettings real = SettingsLoader.load(Optional.empty(), ConfigFactory.empty(), false);
        double factor = stretch(real, Duration.ofMinutes(1)).get("protection");
        assertTrue(factor > 4 && factor < 5, "about 4.5: " + factor);
    }
}
