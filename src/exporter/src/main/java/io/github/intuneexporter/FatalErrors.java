package io.github.intuneexporter;

import java.io.PrintStream;

/**
 * Makes any {@link Error} in any thread fatal: one line on stderr, then the process halts with exit code 1. Without it
 * an {@link OutOfMemoryError} kills only the thread it hits (the HTTP dispatcher, a collector), and the process stays
 * up serving nothing. {@code -XX:+ExitOnOutOfMemoryError} in the launch commands does the same for out-of-memory
 * before any Java code runs; this handler covers a jar started without the flag, and every other Error.
 */
final class FatalErrors {
    static final int EXIT_CODE = 1;

    private FatalErrors() {}

    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(FatalErrors::handle);
    }

    /** Ends the process for a reason found outside an exception (the memory watchdog). */
    static void exit(String reason) {
        try {
            System.err.println(
                    "intune-exporter: fatal error: " + reason
                            + "; exiting. Give the JVM more heap (-Xmx, or -XX:MaxRAMPercentage in containers) or lower the tenant's load.");
            System.err.flush();
        } catch (Throwable ignored) {
            // exit anyway
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
            PrintStream err = System.err;
            err.print("intune-exporter: fatal error in thread ");
            err.print(thread.getName());
            err.print(": ");
            err.print(error.getClass().getName());
            err.print(": ");
            err.print(error.getMessage());
            err.println(
                    error instanceof OutOfMemoryError
                            ? "; exiting. Give the JVM more heap (-Xmx, or -XX:MaxRAMPercentage in containers) or lower the tenant's load."
                            : "; exiting.");
            err.flush();
        } catch (Throwable ignored) {
            // out of memory even for the message: exit anyway
        } finally {
            // halt, not exit: shutdown hooks could block or need the memory that is gone.
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
