package io.github.intuneexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --set takes values literally unless reference.conf types the key; it never echoes a secret (issue 14, item 4). */
class SetFlagTest {
    private static final Config REFERENCE = Cli.reference();

    private static Config set(String flag) {
        return SetFlag.parse(flag, REFERENCE);
    }

    @Test
    void stringsAreTakenLiterallyWithCommentMarkersAndQuotes() {
        // HOCON would have cut these at // and #.
        assertEquals(
                "s3cr#t//x y", set("intune.auth.client-secret=s3cr#t//x y").getString("intune.auth.client-secret"));
        assertEquals(
                "https://graph.example.org/v1.0#frag",
                set("intune.graph.base-url=https://graph.example.org/v1.0#frag").getString("intune.graph.base-url"));
        assertEquals("a=b", set("intune.auth.client-id=a=b").getString("intune.auth.client-id"));
        assertEquals("", set("intune.auth.tenant-id=").getString("intune.auth.tenant-id"));
        assertEquals("", set("intune.auth.tenant-id=\"\"").getString("intune.auth.tenant-id"));
        assertEquals(
                "${HOME}", set("intune.auth.client-id=${HOME}").getString("intune.auth.client-id"), "no substitution");
    }

    @Test
    void typedKeysAreParsedByTheirReferenceType() {
        assertEquals(250, set("intune.graph.page-size=250").getInt("intune.graph.page-size"));
        assertEquals(0.25, set("intune.graph.throttle-budget=0.25").getDouble("intune.graph.throttle-budget"));
        assertTrue(set("intune.collectors.enrollment.autopilot=true")
                .getBoolean("intune.collectors.enrollment.autopilot"));
        assertEquals(
                List.of(1, 7),
                set("intune.collectors.devices.stale-days=[1, 7]").getIntList("intune.collectors.devices.stale-days"));
        assertEquals(
                Duration.ofHours(1),
                set("intune.collectors.devices.interval=1h").getDuration("intune.collectors.devices.interval"));
        // credentials.interval defaults to 0s (off) and takes a duration
        assertEquals(
                Duration.ofMinutes(30),
                set("intune.collectors.credentials.interval=30m")
                        .getDuration("intune.collectors.credentials.interval"));
        assertEquals(
                1,
                set("intune.simulator.faults=[{kind = throttle}]")
                        .getConfigList("intune.simulator.faults")
                        .size());
    }

    @Test
    void badValuesNameTheKey() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> set("intune.graph.page-size=many"));
        assertTrue(
                e.getMessage().contains("intune.graph.page-size")
                        && e.getMessage().contains("expected a number"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> set("intune.collectors.devices.stale-days=[1,"));
        assertTrue(e.getMessage().contains("intune.collectors.devices.stale-days"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> set("no-equals-sign"));
        assertTrue(e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }

    @Test
    void secretValuesAreNeverEchoed() {
        for (String flag : List.of(
                "intune.auth.client-secret=\"bad\\escape-s3cret\"",
                "intune.auth.client-certificate-password=\"\\q-s3cret\"",
                "client-secret-s3cret")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set(flag));
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}
