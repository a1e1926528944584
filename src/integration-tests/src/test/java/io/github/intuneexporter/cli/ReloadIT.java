package io.github.intuneexporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload of the packaged jar (issue 16): SIGHUP adds a tenant and changes an interval without a restart and without a gap
 * in the series already served; a broken configuration is rejected, the running one stays, and the reload metric says so.
 */
class ReloadIT {
    @TempDir
    Path dir;

    private static String config(int tenants, String interval) {
        return "intune.demo { devices = 200, tenants = " + tenants + ", interval = " + interval + " }\n"
                + "intune.collection.startup-stagger = 0s\n";
    }

    private static final Pattern SERIES =
            Pattern.compile("^([a-z_]+)\\{([^}]*tenant=\"contoso\"[^}]*)\\} (\\S+)", Pattern.MULTILINE);

    /** The metric families of tenant contoso in one scrape. */
    private static Set<String> contosoFamilies(String body) {
        Set<String> out = new TreeSet<>();
        Matcher m = SERIES.matcher(body);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static double value(String body, String series) {
        for (String line : body.lines().toList()) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Test
    void sighupAddsATenantAndChangesIntervalsWithoutGapsAndRejectsABrokenConfig() throws Exception {
        Path conf = Files.writeString(dir.resolve("exporter.conf"), config(2, "20s"));
        try (JarProcess p = JarProcess.start(
                dir, Map.of(), "--demo", "--config.file=" + conf, "--web.listen-address=127.0.0.1:%PORT%")) {
            p.awaitOk("/-/ready", Duration.ofSeconds(90));
            String first = p.get("/metrics").body();
            Set<String> baseline = contosoFamilies(first);
            assertTrue(
                    baseline.contains("intune_managed_devices") && baseline.contains("intune_collector_success"),
                    baseline.toString());
            assertEquals(
                    20,
                    value(first, "intune_collector_interval_seconds{collector=\"compliance\",tenant=\"contoso\"}"),
                    first);
            assertEquals(1, value(first, "intune_exporter_config_last_reload_successful"));
            long pid = p.process.pid();

            // Scrape all the time while the configuration changes: no scrape may miss a family contoso had.
            List<String> gaps = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean scraping = new AtomicBoolean(true);
            int[] scrapes = new int[1];
            Thread scraper = new Thread(() -> {
                while (scraping.get()) {
                    try {
                        Set<String> now = contosoFamilies(p.get("/metrics").body());
                        scrapes[0]++;
                        if (!now.containsAll(baseline)) {
                            Set<String> missing = new TreeSet<>(baseline);
                            missing.removeAll(now);
                            gaps.add("scrape " + scrapes[0] + " misses " + missing);
                        }
                        Thread.sleep(50);
                    } catch (Exception e) {
                        gaps.add("scrape failed: " + e);
                    }
                }
            });
            scraper.start();
            try {
                // 1. A third tenant: the two others are kept as they run.
                Files.writeString(conf, config(3, "20s"));
                p.signal("HUP");
                awaitMetric(p, "intune_tenant_info{tenant=\"northwind\"", Duration.ofSeconds(30));
                awaitMetric(
                        p,
                        "intune_collector_success{collector=\"compliance\",tenant=\"northwind\"} 1",
                        Duration.ofSeconds(60));
                // 2. A shorter interval: every tenant is rebuilt and serves its predecessor's data until its own runs.
                Files.writeString(conf, config(3, "5s"));
                p.signal("HUP");
                awaitMetric(
                        p,
                        "intune_collector_interval_seconds{collector=\"compliance\",tenant=\"contoso\"} 5",
                        Duration.ofSeconds(30));
                String body = p.get("/metrics").body();
                double runs = value(body, "intune_collector_runs_total{collector=\"compliance\",tenant=\"contoso\"}");
                awaitCondition(
                        () -> value(
                                        p.get("/metrics").body(),
                                        "intune_collector_runs_total{collector=\"compliance\",tenant=\"contoso\"}")
                                >= runs + 2,
                        "two runs at the new interval",
                        Duration.ofSeconds(40));
                // 3. A broken configuration: rejected, the running one stays.
                Files.writeString(conf, config(3, "5s") + "intune.collectors.devices.interval = sometimes\n");
                p.signal("HUP");
                awaitMetric(p, "intune_exporter_config_last_reload_successful 0", Duration.ofSeconds(30));
                body = p.get("/metrics").body();
                assertEquals(
                        5,
                        value(body, "intune_collector_interval_seconds{collector=\"compliance\",tenant=\"contoso\"}"),
                        body);
                assertTrue(body.contains("intune_tenant_info{tenant=\"northwind\""), body);
                assertTrue(
                        p.stderr()
                                .lines()
                                .anyMatch(l -> l.contains("level=error")
                                        && l.contains("keeping the running one")
                                        && l.contains("collectors.devices.interval")
                                        && l.contains("sometimes")),
                        p.stderr());
            } finally {
                scraping.set(false);
                scraper.join(20_000);
            }
            assertTrue(
                    gaps.isEmpty(), gaps.size() + " scrapes with gaps: " + gaps.subList(0, Math.min(5, gaps.size())));
            assertTrue(scrapes[0] > 5, "scraped throughout: " + scrapes[0]);
            assertEquals(pid, p.process.pid());
            assertTrue(p.process.isAlive(), "never restarted: " + p.output());
            // A reload without the lifecycle flag over HTTP is refused.
            assertEquals(403, p.post("/-/reload").statusCode());
            // Fixed again: success.
            Files.writeString(conf, config(3, "5s"));
            p.signal("HUP");
            awaitMetric(p, "intune_exporter_config_last_reload_successful 1", Duration.ofSeconds(30));
        }
    }

    @Test
    void postReloadWithLifecycle() throws Exception {
        Path conf = Files.writeString(dir.resolve("exporter.conf"), config(1, "20s"));
        try (JarProcess p = JarProcess.start(
                dir,
                Map.of(),
                "--demo",
                "--config.file",
                conf.toString(),
                "--web.enable-lifecycle",
                "--web.listen-address=127.0.0.1:%PORT%")) {
            p.awaitOk("/-/ready", Duration.ofSeconds(90));
            Files.writeString(conf, config(1, "7s"));
            var ok = p.post("/-/reload");
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(
                    7, value(p.get("/metrics").body(), "intune_collector_interval_seconds{collector=\"compliance\"}"));
            Files.writeString(conf, "intune.demo { tenants = x }\n");
            var failed = p.post("/-/reload");
            assertEquals(500, failed.statusCode());
            assertTrue(failed.body().contains("intune.demo.tenants"), failed.body());
            assertEquals(405, p.get("/-/reload").statusCode());
            String body = p.get("/metrics").body();
            assertEquals(0, value(body, "intune_exporter_config_last_reload_successful"));
            assertEquals(7, value(body, "intune_collector_interval_seconds{collector=\"compliance\"}"));
            // A new web configuration (basic auth) applies too; the reload request itself still gets its answer.
            Path web = Files.writeString(
                    dir.resolve("web.yml"),
                    "basic_auth_users:\n  prom: " + "'$2y$10$0cUoTQ6V3dd/6tn/bbGMIeV94b2kRytVkXH/Fz0PPOdI.CZpVh5nG'\n");
            Files.writeString(conf, config(1, "7s") + "intune.web.config-file = \"" + web + "\"\n");
            assertEquals(200, p.post("/-/reload").statusCode());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status = 0;
            while (status != 401 && System.nanoTime() < deadline) {
                try {
                    status = p.get("/metrics").statusCode();
                } catch (java.io.IOException restarting) {
                    // the listener restarts on the same port for the new web configuration
                }
                Thread.sleep(200);
            }
            assertEquals(401, status, "basic auth after the reload");
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitCondition(Check check, String what, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + limit);
            Thread.sleep(250);
        }
    }

    private static void awaitMetric(JarProcess p, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!p.get("/metrics").body().contains(text)) {
            assertTrue(p.process.isAlive(), p.output());
            assertTrue(System.nanoTime() < deadline, text + " within " + limit + ": " + p.output());
            Thread.sleep(250);
        }
    }
}
