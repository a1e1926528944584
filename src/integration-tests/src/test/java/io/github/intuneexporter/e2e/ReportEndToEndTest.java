package io.github.intuneexporter.e2e;

import static io.github.intuneexporter.e2e.PrometheusApi.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.Exporter;
import io.github.intuneexporter.Tools;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.SettingsLoader;
import io.github.intuneexporter.report.ReportCommand;
import io.github.intuneexporter.simulator.ScenarioRun;
import io.github.intuneexporter.simulator.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report command against a real Prometheus that scraped a demo exporter playing noncompliance-spike (incident
 * started and recovered, so both of its alerts fire and resolve), with the shipped rules ({@code for:} shortened as
 * in {@link AlertingEndToEndTest}). The HTML file is opened in headless Chromium: the rendered DOM must show every
 * section, non-empty SVG charts, the scenario's alerts in the incident table, and figures equal to the appendix's
 * values, which must equal this test's own queries to the same Prometheus at the same instant.
 *
 * <p>Needs /usr/bin/prometheus and chromium (Debian packages; .ci/run installs them): skipped outside CI when missing,
 * failed with CI=true.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReportEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> SECTIONS = List.of(
            "summary", "compliance", "protection", "failures", "expiries", "changes", "incidents", "procedures");

    @Test
    void reportOfANoncomplianceSpikeRendersAndMatchesPrometheus(@TempDir Path dir) throws Exception {
        String prometheusBin = Tools.require("prometheus");
        String chromium = Tools.require("chromium");
        MonitoringBundle bundle = MonitoringBundle.locate();
        if (!bundle.missing().isEmpty()) {
            if (Tools.inCi()) {
                fail("monitoring bundle files missing: " + bundle.missing());
            }
            Assumptions.assumeTrue(false, "monitoring bundle files missing; skipping outside CI");
        }
        Instant started = Instant.now();
        ExporterSettings settings = SettingsLoader.load(
                Optional.empty(),
                SettingsLoader.parseString(String.join(
                        "\n",
                        "intune.web.listen-address = \"127.0.0.1:0\"",
                        "intune.demo { devices = 1000, interval = 2s, latency = 0s }",
                        "intune.demo.scenario { name = \"" + Scenarios.NONCOMPLIANCE_SPIKE.name() + "\", normal = 1h }",
                        "intune.collection.startup-stagger = 200ms",
                        "intune.collectors.protection.per-device-budget = 50")),
                true);
        Exporter exporter = Exporter.create(settings, true, Clock.systemUTC());
        ManagedProcess prometheus = null;
        try {
            exporter.start(settings.web());
            String instance = "127.0.0.1:" + exporter.port();
            Path rules = dir.resolve("rules");
            bundle.writeTestRules(rules, AlertingEndToEndTest.FOR, AlertingEndToEndTest.KEEP_FIRING_FOR);
            // No Alertmanager: the report reads the alert history from Prometheus itself.
            String noAlertmanager = "127.0.0.1:" + ManagedProcess.freePort();
            prometheus = ManagedProcess.start(
                    "prometheus",
                    port -> {
                        try {
                            Path config = bundle.writePrometheusConfig(
                                    dir.resolve("prometheus.yml"),
                                    rules,
                                    List.of(instance),
                                    "127.0.0.1:" + port,
                                    noAlertmanager);
                            return List.of(
                                    prometheusBin,
                                    "--config.file=" + config,
                                    "--storage.tsdb.path=" + dir.resolve("tsdb-" + port),
                                    "--web.listen-address=127.0.0.1:" + port);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    "/-/ready",
                    dir,
                    WAIT);
            PrometheusApi prom = new PrometheusApi(prometheus.baseUrl());

            // Every section has data once every collector has succeeded (the connectors' tokens, the credentials).
            int collectors = exporter.scheduler().enabled().size();
            await(
                    WAIT,
                    () -> "every collector succeeded",
                    () -> prom.value("count(intune_collector_success{instance=\"" + instance + "\"} == 1)")
                            .filter(n -> n == collectors));
            // The spike alert compares with the lowest count of the last hour: a few normal samples first.
            await(
                    WAIT,
                    () -> "a baseline of noncompliant counts",
                    () -> prom.value("count_over_time(instance:intune_devices_noncompliant:sum{instance=\"" + instance
                                    + "\"}[1m])")
                            .filter(n -> n >= 3));
            ScenarioRun scenario = exporter.simulator()
                    .unwrap(io.github.intuneexporter.simulator.TenantSimulator.class)
                    .tenant()
                    .scenario();
            scenario.startIncident();
            List<String> expected = Scenarios.NONCOMPLIANCE_SPIKE.alerts();
            for (String alert : expected) {
                await(
                        WAIT,
                        () -> alert + " firing",
                        () -> prom.value("count(ALERTS{alertstate=\"firing\", alertname=\"" + alert + "\"})"));
            }
            scenario.recover();
            for (String alert : expected) {
                await(
                        WAIT,
                        () -> alert + " resolved",
                        () -> prom.query("ALERTS{alertname=\"" + alert + "\"}").isEmpty()
                                ? Optional.of(true)
                                : Optional.empty());
            }
            Thread.sleep(2000);
            // The period ends in the past, so this test's queries at the same instant see exactly what the report saw.
            Instant to = Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant from = started.minusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Path html = dir.resolve("out/report.html");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = ReportCommand.run(
                    new String[] {
                        "--prometheus",
                        prometheus.baseUrl(),
                        "--from",
                        from.toString(),
                        "--to",
                        to.toString(),
                        "--output",
                        html.toString()
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, "exit code; stderr: " + err);
            assertFalse(
                    out.toString(StandardCharsets.UTF_8).contains("sections without data"),
                    out.toString(StandardCharsets.UTF_8));
            String source = Files.readString(html);
            assertFalse(
                    source.contains("<script")
                            || source.contains("src=\"http")
                            || source.contains("href=\"http://") && source.contains("<link"),
                    "self-contained, no script");

            String dom = chromium(chromium, html, dir);
            checkSections(dom);
            checkCharts(dom);
            checkIncidents(dom, expected, prometheus.baseUrl(), from, to);
            int figures = checkFiguresAgainstAppendix(dom);
            int queries = checkAppendixAgainstPrometheus(dom, prometheus.baseUrl());
            Path png = screenshot(chromium, html, dir);
            System.out.printf(
                    "report: %d figures traced to %d instant queries, all equal to Prometheus; screenshot %s (%d bytes)%n",
                    figures, queries, png, Files.size(png));
        } finally {
            if (prometheus != null) {
                prometheus.close();
            }
            exporter.stop(Duration.ofSeconds(2));
        }
    }

    // ------------------------------------------------------------------ Chromium

    /** The DOM after Chromium rendered the file; fails on a non-zero exit or a console error. */
    private static String chromium(String chromium, Path html, Path dir) throws Exception {
        Tools.Result r = Tools.run(
                List.of(
                        chromium,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--user-data-dir=" + dir.resolve("chrome"),
                        "--enable-logging=stderr",
                        "--v=0",
                        "--dump-dom",
                        html.toUri().toString()),
                null,
                90);
        assertEquals(0, r.exitCode(), "chromium --dump-dom failed:\n" + r.output());
        for (String line : r.output().split("\n")) {
            assertFalse(
                    line.contains("CONSOLE") && line.contains("ERROR") || line.contains("Uncaught"),
                    "console error: " + line);
        }
        int start = r.output().indexOf("<html");
        assertTrue(start >= 0, "no DOM in chromium output:\n" + r.output());
        return r.output().substring(start);
    }

    private static Path screenshot(String chromium, Path html, Path dir) throws Exception {
        Path png = dir.resolve("report.png");
        Path keep = Path.of(System.getProperty("intune.report.screenshot", ""));
        Tools.Result r = Tools.run(
                List.of(
                        chromium,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--user-data-dir=" + dir.resolve("chrome"),
                        "--hide-scrollbars",
                        "--window-size=1200,2400",
                        "--screenshot=" + png,
                        html.toUri().toString()),
                null,
                90);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.size(png) > 50_000, "screenshot too small to show the report: " + Files.size(png));
        if (!keep.toString().isEmpty()) {
            Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return png;
    }

    // ------------------------------------------------------------------ checks

    private static void checkSections(String dom) {
        for (String id : SECTIONS) {
            Matcher m = Pattern.compile("<section id=\"" + id + "\" class=\"report-section\" data-has-data=\"(\\w+)\"")
                    .matcher(dom);
            assertTrue(m.find(), "section " + id + " missing");
            assertEquals("true", m.group(1), "data of section " + id);
        }
        // The scenario's policy change is in the audit log: the changes section lists it; the expiries section lists
        // the MDM certificates of the device scan.
        assertTrue(
                section(dom, "changes").contains("compliance"),
                "the policy change of the scenario: " + section(dom, "changes"));
        assertTrue(
                section(dom, "expiries").contains("within 90 days"),
                "MDM certificates expiring: " + section(dom, "expiries"));
        assertTrue(dom.contains("<section id=\"appendix\""), "appendix");
        assertFalse(dom.contains("id=\"unreachable\""), "no unreachable banner");
    }

    private static void checkCharts(String dom) {
        Matcher svg = Pattern.compile("<svg class=\"chart\"[^>]*>(.*?)</svg>", Pattern.DOTALL)
                .matcher(dom);
        int charts = 0;
        while (svg.find()) {
            charts++;
            String body = svg.group(1);
            boolean line = Pattern.compile("<path class=\"series\"[^>]* d=\"M[\\d.]+,[\\d.]+ L")
                    .matcher(body)
                    .find();
            boolean bar = Pattern.compile("<rect class=\"bar\"[^>]* width=\"([1-9][\\d.]*)\"")
                    .matcher(body)
                    .find();
            assertTrue(
                    line || bar,
                    "chart " + charts + " draws nothing: " + body.substring(0, Math.min(300, body.length())));
        }
        assertTrue(section(dom, "compliance").contains("<svg class=\"chart\""), "compliance trend chart");
        assertTrue(section(dom, "protection").contains("<svg class=\"chart\""), "Defender chart");
        assertTrue(charts >= 3, "charts: " + charts);
    }

    private static void checkIncidents(String dom, List<String> expected, String prometheus, Instant from, Instant to)
            throws Exception {
        String incidents = section(dom, "incidents");
        Set<String> listed = new TreeSet<>();
        Matcher row = Pattern.compile(
                        "<tr><td>(Intune\\w+)</td><td class=\"light (\\w+)\">(\\w+)</td>(.*?)</tr>", Pattern.DOTALL)
                .matcher(incidents);
        while (row.find()) {
            listed.add(row.group(1));
            if (expected.contains(row.group(1))) {
                assertFalse(row.group(4).contains(">open<"), row.group(1) + " resolved in the report: " + row.group(4));
                assertTrue(
                        row.group(4).contains("docs/runbooks/" + row.group(1).toLowerCase() + ".md"),
                        "runbook link of " + row.group(1));
            }
        }
        assertTrue(listed.containsAll(expected), "incident table lists " + listed + ", expected " + expected);
        // The same alerts as Prometheus' own history of the period.
        long range = to.getEpochSecond() - from.getEpochSecond();
        JsonNode r = PrometheusApi.get(prometheus + "/api/v1/query?time=" + to.getEpochSecond() + "&query="
                + URLEncoder.encode(
                        "count by (alertname) (max_over_time(ALERTS{alertstate=\"firing\", alertname=~\"Intune.*\"}["
                                + range + "s]))",
                        StandardCharsets.UTF_8));
        Set<String> own = new TreeSet<>();
        r.path("data")
                .path("result")
                .forEach(s -> own.add(s.path("metric").path("alertname").asText()));
        assertEquals(own, listed, "alerts in the report vs. ALERTS in Prometheus");
    }

    /** Every figure's value equals the appendix value of its query and series, and its text shows that value. */
    private static int checkFiguresAgainstAppendix(String dom) {
        Map<String, Map<String, String>> appendix = appendix(dom);
        Matcher td = Pattern.compile("<td[^>]* data-q=\"(q\\d+)\" data-s=\"([^\"]*)\" data-v=\"([^\"]*)\">(.*?)</td>")
                .matcher(dom);
        int n = 0;
        while (td.find()) {
            n++;
            String q = td.group(1);
            String labels = unescape(td.group(2));
            String v = td.group(3);
            String text = unescape(td.group(4));
            assertTrue(appendix.containsKey(q), "figure of unknown query " + q);
            assertEquals(
                    appendix.get(q).get(labels),
                    v,
                    "figure " + text + " of " + q + " {" + labels + "} vs. appendix " + appendix.get(q));
            double value = Double.parseDouble(v);
            if (text.endsWith(" %")) {
                assertEquals(
                        value * 100, Double.parseDouble(text.replace(" %", "")), 0.051, "shown " + text + " for " + v);
            } else if (text.matches("[\\d,]+")) {
                assertEquals(value, Double.parseDouble(text.replace(",", "")), 0.5, "shown " + text + " for " + v);
            }
        }
        assertTrue(n >= 20, "figures traced: " + n);
        return n;
    }

    /** Each instant query of the appendix, run again at its evaluation time, gives exactly the printed series and values. */
    private static int checkAppendixAgainstPrometheus(String dom, String prometheus) throws Exception {
        Matcher entry = Pattern.compile(
                        "<tr id=\"(q\\d+)\" class=\"query\" data-time=\"([\\d.]+)\">.*?<code class=\"promql\">(.*?)</code>(.*?)</td></tr>",
                        Pattern.DOTALL)
                .matcher(dom);
        Map<String, Map<String, String>> appendix = appendix(dom);
        int n = 0;
        while (entry.find()) {
            n++;
            String query = unescape(entry.group(3));
            JsonNode r = PrometheusApi.get(prometheus + "/api/v1/query?time=" + entry.group(2) + "&query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8));
            Map<String, String> own = new TreeMap<>();
            for (JsonNode s : r.path("data").path("result")) {
                List<String> labels = new ArrayList<>();
                s.path("metric")
                        .fields()
                        .forEachRemaining(
                                e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
                labels.sort(null);
                own.put(String.join(", ", labels), s.path("value").get(1).asText());
            }
            Map<String, String> printed = appendix.getOrDefault(entry.group(1), Map.of());
            assertEquals(own.keySet(), printed.keySet(), "series of " + entry.group(1) + ": " + query);
            for (Map.Entry<String, String> e : own.entrySet()) {
                double expected = Double.parseDouble(e.getValue());
                // Equal to the last few bits: Prometheus adds series up in no fixed order, so two evaluations of one
                // avg() over many series may differ in the last bit (seen: ...6262 vs ...6261).
                assertEquals(
                        expected,
                        Double.parseDouble(printed.get(e.getKey())),
                        Math.abs(expected) * 1e-12,
                        entry.group(1) + " {" + e.getKey() + "}: " + query);
            }
        }
        assertTrue(n >= 20, "instant queries in the appendix: " + n);
        return n;
    }

    /** Appendix: query id -> (labels -> printed value). */
    private static Map<String, Map<String, String>> appendix(String dom) {
        Map<String, Map<String, String>> out = new HashMap<>();
        String[] entries = section(dom, "appendix").split("<tr id=\"");
        for (String entry : entries) {
            Matcher id = Pattern.compile("^(q\\d+)\" class=\"query\"").matcher(entry);
            if (!id.find()) {
                continue;
            }
            Map<String, String> rows = new TreeMap<>();
            Matcher row = Pattern.compile("<td class=\"labels\">(.*?)</td><td class=\"value\">(.*?)</td>")
                    .matcher(entry);
            while (row.find()) {
                rows.put(unescape(row.group(1)), unescape(row.group(2)));
            }
            out.put(id.group(1), rows);
        }
        return out;
    }

    private static String section(String dom, String id) {
        int start = dom.indexOf("<section id=\"" + id + "\"");
        int end = dom.indexOf("</section>", start);
        assertTrue(start >= 0 && end > start, "section " + id);
        return dom.substring(start, end);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }
}
