package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fatal line reaches stderr even when the heap is too full to build or print it (HardeningIT saw a silent exit). */
class FatalErrorsTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

    /** A stderr whose every write fails like an exhausted heap does. */
    private static PrintStream outOfMemoryStream() {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw new OutOfMemoryError("Java heap space");
            }
        });
    }

    private String raw() {
        return raw.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anErrorInAThreadPrintsOneLineAndNothingRaw() {
        FatalErrors.report(
                new Thread(() -> {}, "intune-http"),
                new OutOfMemoryError("Java heap space"),
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                raw);
        assertEquals(
                "intune-exporter: fatal error in thread intune-http: java.lang.OutOfMemoryError: Java heap space;"
                        + " exiting. Give the JVM more heap (-Xmx, or -XX:MaxRAMPercentage in containers) or lower"
                        + " the tenant's load.",
                printed.toString(StandardCharsets.UTF_8).strip());
        assertEquals("", raw());
    }

    @Test
    void whenPrintingRunsOutOfMemoryThePreparedLineIsWrittenRaw() {
        FatalErrors.report(
                new Thread(() -> {}, "intune-collect-1"),
                new OutOfMemoryError("Java heap space"),
                outOfMemoryStream(),
                raw);
        assertTrue(raw().contains("intune-exporter: fatal error: out of memory; exiting."), raw());
    }

    @Test
    void anotherErrorWhosePrintingFailsSaysFatalError() {
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("closed");
            }
        });
        FatalErrors.report(new Thread(() -> {}, "t"), new StackOverflowError(), broken, raw);
        assertEquals("\nintune-exporter: fatal error; exiting.\n", raw());
    }

    @Test
    void theWatchdogsReasonFallsBackToTheOutOfMemoryLine() {
        FatalErrors.report("out of memory: 97% of the last 5 s spent in garbage collection", outOfMemoryStream(), raw);
        assertTrue(raw().contains("intune-exporter: fatal error: out of memory; exiting."), raw());
        FatalErrors.report(
                "out of memory: 97% of the last 5 s", new PrintStream(printed, true, StandardCharsets.UTF_8), raw);
        assertTrue(
                printed.toString(StandardCharsets.UTF_8)
                        .startsWith("intune-exporter: fatal error: out of memory: 97% of the last 5 s; exiting."),
                printed.toString(StandardCharsets.UTF_8));
    }
}
