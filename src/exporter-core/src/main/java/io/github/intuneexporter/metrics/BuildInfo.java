package io.github.intuneexporter.metrics;

import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Version and revision of this build, from the jar manifest (or "dev" when run from classes). */
public final class BuildInfo {
    private BuildInfo() {}

    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static String revision() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/intune-exporter-build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String r = p.getProperty("revision", "").trim();
                if (!r.isEmpty() && !r.startsWith("$")) {
                    return r;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "unknown";
    }

    public static void register(PrometheusRegistry registry) {
        Info info = Info.builder()
                .name("intune_exporter_build_info")
                .help("Build information of intune-exporter; the value is always 1.")
                .labelNames("version", "revision", "java_version")
                .register(registry);
        info.setLabelValues(version(), revision(), System.getProperty("java.version", "unknown"));
    }
}
