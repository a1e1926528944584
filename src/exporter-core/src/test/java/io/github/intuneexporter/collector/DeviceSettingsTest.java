package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.simulator.SimulatorLimits;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class DeviceSettingsTest {
    private static DeviceInventoryCollector devices(String hocon) {
        ExporterSettings settings = SettingsLoader.load(SettingsLoader.parseString(hocon));
        return (DeviceInventoryCollector) CollectorFactory.create(settings, null, Clock.systemUTC(), null).stream()
                .filter(c -> c.name().equals(DeviceInventoryCollector.NAME))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void defaultsAreOnePlainScanOfTheManagedDevicesList() {
        CollectorSettings.Devices s = devices("").settings();
        assertEquals(1, s.scanConcurrency());
        assertEquals(CollectorSettings.DeviceSource.GRAPH_LIST, s.source());
        assertEquals(
                0.5, SettingsLoader.load(SettingsLoader.parseString("")).graph().throttleBudget(), 0.0);
        assertEquals(
                CollectorSettings.DeviceSource.EXPORT_JOB,
                devices("intune.collectors.devices.source = export-job")
                        .settings()
                        .source());
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> devices("intune.collectors.devices.source = odata"));
        assertEquals("intune.collectors.devices.source: 'odata' is not graph-list or export-job", e.getMessage());
        e = assertThrows(ConfigException.class, () -> devices("intune.collectors.devices.scan-concurrency = 40"));
        assertEquals("intune.collectors.devices.scan-concurrency: 40 is out of range, expected 1..16", e.getMessage());
        e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(SettingsLoader.parseString("intune.graph.throttle-budget = 2")));
        assertEquals("intune.graph.throttle-budget: 2.0 is out of range, expected 0..1", e.getMessage());
        e = assertThrows(
                ConfigException.class,
                () -> SimulatorLimits.fromConfig(SettingsLoader.load(SettingsLoader.parseString(
                                "intune.simulator { enforce-limits = true, limits-scale = 0 }"))
                        .raw()));
        assertEquals(
                "intune.simulator.limits-scale: 0.0 is out of range, expected more than 0, up to 1000", e.getMessage());
    }
}
