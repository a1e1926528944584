package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External command-line tools of the bundle tests (promtool, amtool, kubectl). A missing tool skips the test on a
 * developer machine, but fails it when CI=true: CI must install them (apt-get install prometheus
 * prometheus-alertmanager).
 */
final class Tools {
    private Tools() {}

    /** Result of one command: exit code and combined stdout + stderr. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    static Optional<Path> find(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The tool's path; skips the test when it is missing, or fails it under CI=true. */
    static Path require(String tool, String installHint) {
        Optional<Path> found = find(tool);
        if (found.isEmpty()) {
            String message = tool + " is not installed (" + installHint + ")";
            if (ci()) {
                fail(message + "; CI=true, so the test cannot be skipped");
            }
            Assumptions.assumeTrue(false, message + "; skipping");
        }
        return found.get();
    }

    /** A tool that tests use only where it exists (kubectl): skipped when missing, also in CI. */
    static Path optional(String tool) {
        Optional<Path> found = find(tool);
        Assumptions.assumeTrue(found.isPresent(), tool + " is not installed; skipping");
        return found.get();
    }

    static Result run(Path workDir, long timeoutSeconds, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Path out;
        try {
            out = Files.createTempFile("bundle-tool", ".out");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        }
    }

    static Result run(Path workDir, long timeoutSeconds, String... command) {
        return run(workDir, timeoutSeconds, List.of(command));
    }
}
