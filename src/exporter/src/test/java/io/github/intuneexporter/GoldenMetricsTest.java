package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo exporter's /metrics for a fixed seed and clock, compared line by line with a checked-in file
 * (node_exporter's e2e-output style), and linted with promtool. Families whose values depend on timing,
 * ports or the build are left out of the comparison. After an intended change, regenerate with
 * {@code mvn test -Dtest=GoldenMetricsTest -Dgolden.update=true} and review the diff.
 */
class GoldenMetricsTest {
    private static final Path GOLDEN = Path.of("src/exporter/src/test/resources/golden/demo-metrics.txt");
    private static final Pattern NON_DETERMINISTIC = Pattern.compile(
            "^(# (HELP|TYPE) )?(jvm_|process_|intune_exporter_build_info|intune_collector_duration_seconds"
                    + "|intune_collector_last_success_timestamp_seconds|intune_graph_request_duration_seconds"
                    + "|intune_graph_response_bytes|intune_graph_throttle_wait_seconds)");

    @Test
    void demoMetricsMatchTheGoldenFileAndPassPromtool() throws Exception {
        String scrape = DemoRun.get().text();
        String stable =
                scrape.lines().filter(l -> !NON_DETERMINISTIC.matcher(l).find()).collect(Collectors.joining("\n"))
                        + "\n";
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, stable);
        }
        assertEquals(
                Files.readString(GOLDEN),
                stable,
                "demo /metrics changed; if intended, regenerate with -Dgolden.update=true");

        String promtool = Tools.require("promtool");
        Tools.Result lint = Tools.run(List.of(promtool, "check", "metrics"), scrape, 60);
        assertEquals(0, lint.exitCode(), lint.output());
        assertEquals("", lint.output().trim(), "promtool check metrics findings");
    }
}
