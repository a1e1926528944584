package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A reload that changes a key it cannot apply says which key; it used to name both keys of a pair whichever changed
 * ("intune.web.listen-address and intune.web.disable-exporter-metrics changes ..." when only the second had).
 */
class ReloadRestartWarningTest {
    private static ExporterSettings demo(String extra) {
        return SettingsLoader.load(
                Optional.empty(),
                ConfigFactory.parseString("intune.demo { devices = 10, latency = 0s }\n" + extra),
                true);
    }

    @Test
    void theWarningNamesOnlyTheKeysThatChanged() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(Exporter.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try (Exporter e = Exporter.create(demo(""), true, Clock.systemUTC())) {
            e.reloadFrom(() -> demo("intune.web.disable-exporter-metrics = true"));
            assertEquals(null, e.reload("test"));
            e.reloadFrom(() -> demo("intune.web.disable-exporter-metrics = true\nintune.collection.threads = 3"));
            assertEquals(null, e.reload("test"));
            assertEquals(
                    List.of(
                            "intune.web.disable-exporter-metrics changed; it applies at the next restart",
                            "intune.collection.threads changed; it applies at the next restart"),
                    events.list.stream()
                            .filter(ev -> ev.getLevel() == Level.WARN)
                            .map(ILoggingEvent::getFormattedMessage)
                            .toList());
        } finally {
            log.detachAppender(events);
        }
    }
}
