package io.github.intuneexporter.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A failing sign-in is logged clearly, and the client secret appears in no log line, exception or metric. */
class SecretsTest {
    private static final String SECRET = "Zq8~never-log-this-secret-7Hc";

    @Test
    void failingAuthenticationNeverLogsTheSecret() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once the socket is closed
        }
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ch.qos.logback.classic.Level before = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            ExporterSettings settings = SettingsLoader.load(
                    Optional.empty(),
                    ConfigFactory.parseString(
                            "intune.auth { tenant-id = \"00000000-0000-0000-0000-000000000001\", client-id = \"00000000-0000-0000-0000-000000000002\","
                                    + " client-secret = \"" + SECRET
                                    + "\" }, intune.graph { authority-host = \"https://127.0.0.1:" + closedPort + "\","
                                    + " max-retries = 0, request-timeout = 20s }"),
                    false);
            try (Exporter exporter = Exporter.create(settings, false, Clock.systemUTC())) {
                assertFalse(exporter.scheduler().runNow("compliance"));
                String error = exporter.scheduler().lastError("compliance");
                assertFalse(error.isEmpty());
                assertFalse(error.contains(SECRET), error);
                assertFalse(io.github.intuneexporter.SimulatedGraph.scrape(exporter.registry())
                        .contains(SECRET));
            }
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }
        assertTrue(
                logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("collector compliance failed")),
                "the failure is logged");
        for (ILoggingEvent e : logs.list) {
            assertFalse(e.getFormattedMessage().contains(SECRET), e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                assertFalse(ThrowableProxyUtil.asString(e.getThrowableProxy()).contains(SECRET));
            }
        }
    }
}
