package io.github.intuneexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landing page of the packaged jar, rendered by headless Chromium (issue 16): every tenant and collector is listed with
 * its state, and the page loads nothing from elsewhere. Without Chromium the test is skipped, except in CI (CI=true), where
 * .ci/run installs it and its absence is a failure.
 */
class StatusPageIT {
    @TempDir
    Path dir;

    static Optional<Path> chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(p, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void rendersEveryTenantAndCollectorInHeadlessChromium() throws Exception {
        Optional<Path> chromium = chromium();
        if (chromium.isEmpty()) {
            assertFalse("true".equals(System.getenv("CI")), "CI=true and no chromium on PATH (.ci/run installs it)");
            Assumptions.abort("chromium is not installed");
        }
        try (JarProcess p = JarProcess.start(
                dir,
                Map.of(),
                "--demo",
                "--demo-devices=100",
                "--set",
                "intune.demo.tenants=3",
                "--set",
                "intune.collection.startup-stagger=0s",
                "--set",
                "intune.simulator.revoked-permissions=[\"ServiceHealth.Read.All\"]",
                "--web.listen-address=127.0.0.1:%PORT%")) {
            p.awaitOk("/-/ready", Duration.ofSeconds(90));
            String dom = dumpDom(chromium.get(), p.base() + "/");
            assertTrue(dom.contains("<h1>intune-exporter</h1>"), dom);
            for (String tenant : List.of("contoso", "fabrikam", "northwind")) {
                Matcher table = Pattern.compile(
                                "<table class=\"collectors\" data-tenant=\"" + tenant + "\">(.*?)</table>",
                                Pattern.DOTALL)
                        .matcher(dom);
                assertTrue(table.find(), tenant + " listed: " + dom);
                for (String collector : Cli.collectorNames()) {
                    assertTrue(
                            table.group(1).contains("data-collector=\"" + collector + "\""),
                            tenant + "/" + collector + " listed");
                }
                // The revoked permission shows as the collector's last error, in plain words.
                Matcher health = Pattern.compile("data-collector=\"service_health\">(.*?)</tr>", Pattern.DOTALL)
                        .matcher(table.group(1));
                assertTrue(
                        health.find()
                                && health.group(1).contains("failed")
                                && health.group(1).contains("ServiceHealth.Read.All"),
                        health.group(0));
            }
            for (String link :
                    List.of("href=\"/metrics\"", "href=\"/-/healthy\"", "href=\"/-/ready\"", "docs/operations.md")) {
                assertTrue(dom.contains(link), link);
            }
            assertTrue(dom.contains("Uptime") && dom.contains("revision"), dom);
            assertFalse(
                    dom.contains("<script") || dom.contains("<link") || dom.contains("<img") || dom.contains("src="),
                    "no scripts or external assets");
        }
    }

    /** Loads the page in headless Chromium and returns the DOM after rendering. */
    private String dumpDom(Path chromium, String url) throws Exception {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Path out = dir.resolve("dom.html");
        Process c = new ProcessBuilder(
                        chromium.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--dump-dom",
                        url)
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("chromium.err").toFile())
                .start();
        assertTrue(c.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, c.exitValue(), Files.readString(dir.resolve("chromium.err")));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
