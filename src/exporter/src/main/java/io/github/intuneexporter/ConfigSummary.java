package io.github.intuneexporter;

import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.config.Shard;
import io.github.intuneexporter.graph.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code --config.check} prints after "Configuration OK.": the listener, this replica's shard, and per tenant it
 * reads its credential, Graph root, enabled collectors and state files. Never a secret.
 */
final class ConfigSummary {
    private ConfigSummary() {}

    static String of(ExporterSettings settings, List<TenantRuntime> tenants, boolean demo) {
        StringBuilder out = new StringBuilder();
        ExporterSettings.Web web = settings.web();
        line(
                out,
                "  listen address: " + String.join(", ", web.listenAddresses()) + ", metrics path " + web.metricsPath()
                        + (web.security().tls() == null ? "" : ", TLS")
                        + (web.security().basicAuthUsers().isEmpty() ? "" : ", basic auth")
                        + (web.enableLifecycle() ? ", POST /-/reload enabled" : ""));
        if (demo) {
            ExporterSettings.Demo d = settings.demo();
            line(
                    out,
                    "  demo: " + d.tenants() + " simulated tenant" + (d.tenants() == 1 ? "" : "s") + " ("
                            + d.devices() + " devices each, seed " + d.seed() + "), collector interval "
                            + ExporterSettings.describe(d.interval()));
        }
        if (settings.scale().shard().count() > 1 || tenants.isEmpty()) {
            line(out, "  " + shardLine(settings, tenants, demo));
        }
        for (TenantRuntime t : tenants) {
            ExporterSettings.Tenant tenant = t.tenant();
            ExporterSettings.Auth auth = tenant.settings().auth();
            line(
                    out,
                    "  tenant " + t.name()
                            + (tenant.displayName().isEmpty() ? "" : " (" + tenant.displayName() + ")") + ": "
                            + (demo
                                    ? "simulated, demo token"
                                    : Credentials.resolve(auth).key() + ", tenant id " + auth.tenantId()
                                            + ", client id " + auth.clientId()));
            line(
                    out,
                    "    graph: cloud " + tenant.settings().graph().cloud().key() + ", root "
                            + t.graph().api().v1Root());
            line(out, "    collectors: " + String.join(", ", t.scheduler().enabled()));
            List<String> state = stateFiles(tenant.settings());
            if (!state.isEmpty()) {
                line(out, "    state files: " + String.join(", ", state));
            }
        }
        return out.toString();
    }

    /** "shard 1/3: reads 2 of the 6 configured tenants (a, b)", or that it reads none of them. */
    static String shardLine(ExporterSettings settings, List<TenantRuntime> tenants, boolean demo) {
        Shard shard = settings.scale().shard();
        int configured = demo ? settings.demo().tenants() : settings.tenants().size();
        String of = " of the " + configured + " configured tenant" + (configured == 1 ? "" : "s");
        if (tenants.isEmpty()) {
            return "shard " + shard + " (intune.shard): reads none" + of + "; the other shards read them";
        }
        return "shard " + shard + " (intune.shard): reads " + tenants.size() + of + " ("
                + String.join(", ", tenants.stream().map(TenantRuntime::name).toList()) + ")";
    }

    /** Enabled event collectors' state files ("memory only" when empty). */
    private static List<String> stateFiles(ExporterSettings settings) {
        var c = settings.collectors();
        List<String> out = new ArrayList<>();
        add(out, "enrollment", c.enrollment().interval(), c.enrollment().stateFile());
        add(
                out,
                "app_troubleshooting",
                c.appTroubleshooting().interval(),
                c.appTroubleshooting().stateFile());
        add(out, "audit", c.audit().interval(), c.audit().stateFile());
        return out;
    }

    private static void add(List<String> out, String collector, Duration interval, Path file) {
        if (!interval.isZero()) {
            out.add(collector + " " + (file == null ? "memory only" : file.toString()));
        }
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append(System.lineSeparator());
    }
}
