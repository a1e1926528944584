package io.github.intuneexporter;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Makes any {@link Error} in any thread fatal: one line on stderr, then the process halts with exit code 1. Without it
 * an {@link OutOfMemoryError} kills only the thread it hits (the HTTP dispatcher, a collector), and the process stays
 * up serving nothing. {@code -XX:+ExitOnOutOfMemoryError} in the launch commands does the same for out-of-memory
 * before any Java code runs; this handler covers a jar started without the flag, and every other Error.
 *
 * <p>When the heap is exhausted, building or printing the detailed line can itself fail (string concatenation, the
 * stream's encoder): then a line prepared at start is written straight to file descriptor 2, which needs no heap, so
 * the operator never sees a process vanish without a word.
 */
final class FatalErrors {
    static final int EXIT_CODE = 1;

    private static final String MORE_HEAP =
            "; exiting. Give the JVM more heap (-Xmx, or -XX:MaxRAMPercentage in containers) or lower the tenant's load.";
    private static final byte[] OUT_OF_MEMORY_LINE =
            ("intune-exporter: fatal error: out of memory" + MORE_HEAP + "\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] ERROR_LINE =
            "intune-exporter: fatal error; exiting.\n".getBytes(StandardCharsets.UTF_8);
    private static final OutputStream RAW_STDERR = new FileOutputStream(FileDescriptor.err);

    private FatalErrors() {}

    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(FatalErrors::handle);
    }

    /** Ends the process for a reason found outside an exception (the memory watchdog says out of memory). */
    static void exit(String reason) {
        try {
            report(reason, System.err, RAW_STDERR);
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    static void handle(Thread thread, Throwable error) {
        if (!(error instanceof Error)) {
            // An exception that escaped a thread of ours or a library's: log it, the thread's own loop decides.
            try {
                System.err.println("intune-exporter: uncaught exception in thread " + thread.getName() + ": " + error);
            } catch (Throwable ignored) {
                // nothing more to do
            }
            return;
        }
        try {
            report(thread, (Error) error, System.err, RAW_STDERR);
        } finally {
            // halt, not exit: shutdown hooks could block or need the memory that is gone.
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    /** Writes the line for a reason (an out-of-memory found by the watchdog); never throws. */
    static void report(String reason, PrintStream err, OutputStream raw) {
        try {
            err.println("intune-exporter: fatal error: " + reason + MORE_HEAP);
            flushOrThrow(err);
        } catch (Throwable printFailed) {
            writeRaw(raw, OUT_OF_MEMORY_LINE);
        }
    }

    /** Writes the line for an error that ended a thread; never throws. */
    static void report(Thread thread, Error error, PrintStream err, OutputStream raw) {
        boolean outOfMemory = error instanceof OutOfMemoryError;
        try {
            err.print("intune-exporter: fatal error in thread ");
            err.print(thread.getName());
            err.print(": ");
            err.print(error.getClass().getName());
            err.print(": ");
            err.print(error.getMessage());
            err.println(outOfMemory ? MORE_HEAP : "; exiting.");
            flushOrThrow(err);
        } catch (Throwable printFailed) {
            // A partial line may be out already; the prepared line on a line of its own still says what happened.
            writeRaw(raw, outOfMemory || printFailed instanceof OutOfMemoryError ? OUT_OF_MEMORY_LINE : ERROR_LINE);
        }
    }

    /** PrintStream swallows write failures; a swallowed failure must still reach the prepared line. */
    private static void flushOrThrow(PrintStream err) {
        err.flush();
        if (err.checkError()) {
            throw new IllegalStateException("stderr write failed");
        }
    }

    private static void writeRaw(OutputStream raw, byte[] line) {
        try {
            raw.write('\n');
            raw.write(line);
            raw.flush();
        } catch (Throwable ignored) {
            // stderr itself is gone: nothing left to tell
        }
    }
}
