package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Demo mode runs the collectors every intune.demo.interval, except those whose interval the user sets: such a setting
 * used to be read, validated and then silently replaced by the demo interval.
 */
class DemoIntervalsTest {
    private static Map<String, Duration> intervals(String hocon) throws Exception {
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(), ConfigFactory.parseString("intune.demo.devices = 10\n" + hocon), true);
        try (Exporter e = Exporter.create(settings, true, Clock.systemUTC())) {
            Map<String, Duration> out = new TreeMap<>();
            for (IntuneCollector c : e.tenants().get(0).collectors()) {
                out.put(c.name(), c.interval());
            }
            return out;
        }
    }

    @Test
    void anIntervalTheUserSetsWinsOverTheDemoInterval() throws Exception {
        Map<String, Duration> set = intervals("intune.collectors.devices.interval = 7m\n"
                + "intune.collectors.audit.interval = 0\nintune.demo.interval = 2m");
        assertEquals(Duration.ofMinutes(7), set.get("devices"), "set by the user");
        assertEquals(Duration.ZERO, set.get("audit"), "switched off by the user");
        assertEquals(Duration.ofMinutes(2), set.get("compliance"), "the demo interval");
        assertEquals(Duration.ofMinutes(2), set.get("credentials"), "on in demo.conf, at the demo interval");
        Map<String, Duration> defaults = intervals("");
        defaults.forEach((collector, interval) -> assertEquals(Duration.ofMinutes(1), interval, collector));
    }
}
