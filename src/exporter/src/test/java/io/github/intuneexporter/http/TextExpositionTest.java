package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.config.WebConfig;
import io.github.intuneexporter.http.TextExposition.TenantData;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.TenantLabels;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The text format served from cached bytes equals what client_java's writer produces for the same snapshots, a
 * collector's new data replaces its bytes, and content negotiation, gzip and HEAD behave as with client_java's handler.
 */
class TextExpositionTest {

    /** One collector's data of a tenant: a gauge with labels and a counter, values depending on {@code seed}. */
    private static MetricSnapshots devices(double seed) {
        GaugeFamily compliance = GaugeFamily.of(
                "intune_devices", "Managed devices by platform and compliance.", "platform", "compliance");
        compliance.set(seed, "windows", "compliant");
        compliance.set(seed + 1, "ios", "noncompliant");
        compliance.set(seed + 2, "android", "compliant \"quoted\" \\ text\nline");
        CounterSnapshot syncs = CounterSnapshot.builder()
                .name("intune_device_syncs")
                .help("Device syncs seen.")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("platform", "windows"))
                        .value(seed * 10)
                        .build())
                .build();
        return new MetricSnapshots(compliance.toSnapshot(), syncs);
    }

    private static MetricSnapshots apps(double seed) {
        GaugeFamily installs = GaugeFamily.of("intune_app_install_failures", "Failed app installs.", "app_type");
        installs.set(seed, "win32");
        GaugeFamily empty = GaugeFamily.of("intune_app_empty", "A family with no series this run.");
        return new MetricSnapshots(installs.toSnapshot(), empty.toSnapshot());
    }

    /** The exporter's own metrics, which change at every scrape. */
    private static MetricSnapshots live(int scrape) {
        GaugeFamily up = GaugeFamily.of("intune_collector_success", "Last run succeeded.", "collector");
        up.set(scrape % 2, "devices");
        GaugeFamily jvm = GaugeFamily.of("jvm_threads_current", "Threads.");
        jvm.set(40 + scrape);
        GaugeFamily last = GaugeFamily.of("zz_last_family", "Sorted after every cached family.");
        last.set(scrape);
        return new MetricSnapshots(up.toSnapshot(), jvm.toSnapshot(), last.toSnapshot());
    }

    private static String clientJava(MetricSnapshots snapshots) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, snapshots, TextExposition.ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String join(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MetricSnapshots union(MetricSnapshots... all) {
        List<MetricSnapshot> out = new ArrayList<>();
        for (MetricSnapshots s : all) {
            s.forEach(out::add);
        }
        return new MetricSnapshots(out);
    }

    private static MetricSnapshots filter(MetricSnapshots all, Predicate<String> included) {
        List<MetricSnapshot> out = new ArrayList<>();
        all.forEach(s -> {
            if (included.test(s.getMetadata().getPrometheusName())) {
                out.add(s);
            }
        });
        return new MetricSnapshots(out);
    }

    @Test
    void oneTenantIsByteForByteWhatClientJavaWrites() throws Exception {
        MetricSnapshots devices = devices(3);
        MetricSnapshots apps = apps(7);
        MetricSnapshots live = live(1);
        TextExposition text = new TextExposition(false);

        String cached = join(
                text.render(List.of(new TenantData("default", List.of(devices, apps))), f -> filter(live, f), true));

        assertEquals(clientJava(union(devices, apps, live)), cached);
        assertTrue(cached.contains("intune_device_syncs_total{platform=\"windows\"} 30.0"), cached);
    }

    @Test
    void severalTenantsHaveTheSameFamiliesInTheSameOrderAndTheSameLines() throws Exception {
        Map<String, MetricSnapshots> byTenant = new LinkedHashMap<>();
        byTenant.put("contoso", union(devices(1), apps(2)));
        byTenant.put("fabrikam", union(devices(5), apps(6)));
        byTenant.put("northwind", devices(9)); // no app data yet
        MetricSnapshots live = live(2);
        TextExposition text = new TextExposition(true);
        List<TenantData> tenants = List.of(
                new TenantData("contoso", List.of(devices(1), apps(2))),
                new TenantData("fabrikam", List.of(devices(5), apps(6))),
                new TenantData("northwind", List.of(devices(9))));

        String cached = join(text.render(tenants, f -> filter(live, f), true));
        String reference = clientJava(union(TenantLabels.merge(byTenant), live));

        assertEquals(
                families(reference).keySet().stream().toList(),
                families(cached).keySet().stream().toList());
        families(reference).forEach((name, lines) -> {
            List<String> ours = families(cached).get(name);
            assertEquals(lines.get(0), ours.get(0), "HELP of " + name);
            assertEquals(lines.get(1), ours.get(1), "TYPE of " + name);
            assertEquals(
                    lines.stream().sorted().toList(), ours.stream().sorted().toList(), "series of " + name);
        });
        // One tenant (what /probe serves) is byte for byte the same.
        String probe = join(text.render(List.of(tenants.get(1)), f -> filter(live, f), false));
        assertEquals(clientJava(union(TenantLabels.merge(Map.of("fabrikam", byTenant.get("fabrikam"))), live)), probe);
    }

    /** Family name to its lines (HELP, TYPE, series), in the order written. */
    private static Map<String, List<String>> families(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                assertTrue(out.put(current, new ArrayList<>()) == null, "family written twice: " + current);
            }
            out.get(current).add(line);
        }
        return out;
    }

    @Test
    void dataIsRenderedOnceAndANewRunReplacesIt() throws Exception {
        TextExposition text = new TextExposition(true);
        MetricSnapshots devices = devices(1);
        MetricSnapshots apps = apps(1);
        Predicate<String>[] asked = new Predicate[1];
        List<byte[]> first = text.render(
                List.of(new TenantData("contoso", List.of(devices, apps))),
                f -> {
                    asked[0] = f;
                    return live(1);
                },
                true);
        // The live part is never asked for the cached families, so nothing is rendered twice.
        assertTrue(!asked[0].test("intune_devices") && asked[0].test("jvm_threads_current"));

        List<byte[]> again =
                text.render(List.of(new TenantData("contoso", List.of(devices, apps))), f -> live(2), true);
        byte[] devicesLines = first.get(indexOf(first, "intune_devices{"));
        assertSame(devicesLines, again.get(indexOf(again, "intune_devices{")), "unchanged data: the same bytes");

        MetricSnapshots newRun = devices(100);
        List<byte[]> after = text.render(List.of(new TenantData("contoso", List.of(newRun, apps))), f -> live(3), true);
        String body = join(after);
        assertTrue(
                body.contains("intune_devices{compliance=\"compliant\",platform=\"windows\",tenant=\"contoso\"} 100.0"),
                body);
        assertTrue(!body.contains("} 1.0\nintune_devices"), body);
        assertSame(
                first.get(indexOf(first, "intune_app_install_failures{")),
                after.get(indexOf(after, "intune_app_install_failures{")),
                "the other collector's bytes are kept");
        assertNotEquals(join(first), body);
    }

    private static int indexOf(List<byte[]> parts, String start) {
        for (int i = 0; i < parts.size(); i++) {
            if (new String(parts.get(i), StandardCharsets.UTF_8).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no part starts with " + start);
    }

    @Test
    void aTenantRemovedByAReloadIsNoLongerServed() throws Exception {
        TextExposition text = new TextExposition(true);
        text.render(
                List.of(new TenantData("a", List.of(devices(1))), new TenantData("b", List.of(devices(2)))),
                f -> MetricSnapshots.of(),
                true);
        String body =
                join(text.render(List.of(new TenantData("a", List.of(devices(1)))), f -> MetricSnapshots.of(), true));
        assertTrue(body.contains("tenant=\"a\"") && !body.contains("tenant=\"b\""), body);
    }

    /** Over HTTP: gzip decodes to the plain body, HEAD has no body, other formats and filters go to client_java. */
    @Test
    void servedOverHttpWithNegotiationGzipAndHead() throws Exception {
        AtomicReference<MetricSnapshots> devices = new AtomicReference<>(devices(1));
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(() -> TenantLabels.merge(Map.of("contoso", devices.get())));
        registry.register(() -> live(1));
        TextExposition text = new TextExposition(true);
        MetricsEndpoint metrics =
                new MetricsEndpoint(registry, text, () -> List.of(new TenantData("contoso", List.of(devices.get()))));
        try (ExporterHttpServer http = MetricsServers.start(WebConfig.NONE, metrics, null)) {
            String base = "http://127.0.0.1:" + http.port() + "/metrics";
            Answer plain = get(base, "GET", null, false);
            Answer gzip = get(base, "GET", null, true);
            assertEquals(200, plain.status());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", plain.type());
            assertEquals(null, plain.encoding());
            assertEquals("gzip", gzip.encoding());
            assertEquals(plain.body(), gzip.body());
            assertEquals(clientJava(registry.scrape()), plain.body());

            devices.set(devices(42));
            assertTrue(get(base, "GET", null, true).body().contains("tenant=\"contoso\"} 42.0"));

            Answer head = get(base, "HEAD", null, false);
            assertEquals(200, head.status());
            assertEquals("", head.body());

            Answer openMetrics = get(base, "GET", "application/openmetrics-text; version=1.0.0", true);
            assertTrue(openMetrics.type().startsWith("application/openmetrics-text"), openMetrics.type());
            assertTrue(openMetrics.body().endsWith("# EOF\n"), openMetrics.body());

            Answer filtered = get(base + "?name[]=jvm_threads_current", "GET", null, false);
            assertEquals(
                    "# HELP jvm_threads_current Threads.\n# TYPE jvm_threads_current gauge\njvm_threads_current 41.0\n",
                    filtered.body());
        }
    }

    private record Answer(int status, String type, String encoding, String body) {}

    private static Answer get(String url, String method, String accept, boolean gzip) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        if (accept != null) {
            c.setRequestProperty("Accept", accept);
        }
        if (gzip) {
            c.setRequestProperty("Accept-Encoding", "gzip");
        }
        int status = c.getResponseCode();
        byte[] raw;
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            raw = in == null ? new byte[0] : in.readAllBytes();
        }
        if ("gzip".equals(c.getContentEncoding()) && raw.length > 0) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                raw = in.readAllBytes();
            }
        }
        return new Answer(status, c.getContentType(), c.getContentEncoding(), new String(raw, StandardCharsets.UTF_8));
    }
}
