package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** External tools for tests (promtool, amtool, prometheus): skipped locally when missing, required in CI. */
public final class Tools {
    private Tools() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The tool's path; outside CI a missing tool skips the test, with CI=true it fails it. */
    public static String require(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        if (inCi()) {
            fail(name + " is required when CI=true (.ci/run installs it)");
        }
        Assumptions.assumeTrue(false, name + " not installed; skipping outside CI");
        return null;
    }

    /** Output and exit code of a finished process. */
    public record Result(int exitCode, String output) {}

    /** Runs a command with optional stdin, bounded in time, and returns its combined output. */
    public static Result run(List<String> command, String stdin, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        Path out = Files.createTempFile("tool", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String output = Files.readString(out);
        Files.deleteIfExists(out);
        return new Result(p.exitValue(), output);
    }
}
