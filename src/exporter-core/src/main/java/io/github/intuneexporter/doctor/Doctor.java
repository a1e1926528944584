package io.github.intuneexporter.doctor;

import io.github.intuneexporter.collector.GraphProbe;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.contract.EndpointTemplates;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.Permissions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code doctor}: signs in with the configured credential and sends each enabled collector's probes (the exact
 * requests of a run, built by the collector's own URL builders, with {@code $top=1} where the endpoint pages), then
 * prints what works, what is missing and the exact permissions to grant. A request Graph refuses (400, or 404 for an
 * unknown segment) is reported with Graph's message and fails the check.
 */
public final class Doctor {

    /** One probe's outcome. */
    public record Row(
            String tenant, String collector, String endpoint, String result, String missingPermission, boolean ok) {}

    /** One tenant to check: its name, its Graph access and its collectors. */
    public record Tenant(String name, GraphApi api, List<IntuneCollector> collectors) {}

    private Doctor() {}

    /** Probes every tenant; prints the table and the advice; returns the exit code (0 only when every enabled collector can run). */
    public static int run(List<Tenant> tenants, PrintStream out) {
        List<Row> rows = new ArrayList<>();
        TreeSet<String> needed = new TreeSet<>();
        TreeSet<String> betaOff = new TreeSet<>();
        for (Tenant t : tenants) {
            for (IntuneCollector c : t.collectors()) {
                if (c.interval().isZero()) {
                    rows.add(new Row(t.name(), c.name(), "-", "disabled (interval = 0)", null, true));
                    continue;
                }
                betaOff.addAll(c.betaSourcesOff());
                for (GraphProbe probe : c.probes()) {
                    String permission = Permissions.forEndpoint(EndpointTemplates.of(probe.path()));
                    needed.add(permission);
                    rows.add(probe(t, c.name(), probe, permission));
                }
            }
        }
        print(rows, tenants.size() > 1, out);
        TreeSet<String> missing = new TreeSet<>();
        rows.stream().filter(r -> r.missingPermission() != null).forEach(r -> missing.add(r.missingPermission()));
        out.println();
        out.println("Application permissions the enabled collectors need (Microsoft Graph, admin consent): "
                + String.join(", ", needed));
        if (!missing.isEmpty()) {
            out.println("Grant these and give admin consent: " + String.join(", ", missing));
            out.println(
                    "  (Entra ID > App registrations > your app > API permissions > Add a permission > Microsoft Graph >");
            out.println("   Application permissions; then 'Grant admin consent'. It can take a few minutes to apply.)");
        }
        if (!betaOff.isEmpty()) {
            out.println("Beta-only sources switched off (set to true to use them): " + String.join(", ", betaOff));
        }
        boolean ok = rows.stream().allMatch(Row::ok);
        out.println(
                ok ? "Every enabled collector can run." : "Some enabled collectors cannot run: see the rows above.");
        return ok ? 0 : 1;
    }

    static Row probe(Tenant t, String collector, GraphProbe probe, String permission) {
        GraphApi api = t.api();
        String root = probe.beta() ? api.betaRoot() : api.v1Root();
        try {
            if (probe.postBody() != null) {
                api.post(root + probe.path(), probe.postBody());
            } else {
                api.getUrl(root + probe.path());
            }
            return new Row(t.name(), collector, probe.endpoint(), "ok", null, true);
        } catch (GraphException e) {
            return classify(t.name(), collector, probe, permission, e);
        }
    }

    static Row classify(String tenant, String collector, GraphProbe probe, String permission, GraphException e) {
        Outcome o = outcome(probe, permission, e);
        return new Row(tenant, collector, probe.endpoint(), o.text(), o.missingPermission(), o.ok());
    }

    /** What a failed probe means; {@code missingPermission} is set when granting it would fix the probe. */
    private record Outcome(String text, String missingPermission, boolean ok) {
        static Outcome failed(String text) {
            return new Outcome(text, null, false);
        }
    }

    private static Outcome outcome(GraphProbe probe, String permission, GraphException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        // Intune answers 403 both for a missing permission and for a tenant without an Intune licence.
        boolean unlicensed = e.graphMessage().toLowerCase(Locale.ROOT).contains("licen");
        // A request Graph refuses (unknown property, segment or query option) fails on every tenant: never OK.
        boolean refused = e.status() == 400
                || e.status() == 405
                || (e.status() == 404 && e.graphMessage().startsWith("Resource not found for the segment"));
        if (refused) {
            return Outcome.failed("Graph rejects the request: "
                    + (e.graphMessage().isBlank() ? "HTTP " + e.status() + " " + e.errorCode() : e.graphMessage()));
        }
        return switch (e.status()) {
            case 401 -> Outcome.failed("token rejected (check tenant id, client id, secret or certificate, cloud)");
            case 403 ->
                unlicensed
                        ? Outcome.failed("not licensed (the tenant needs an active Intune licence)")
                        : new Outcome("missing permission " + permission, permission, false);
            case 404 ->
                probe.absentIsNormal()
                        ? new Outcome("ok (not configured in this tenant)", null, true)
                        : Outcome.failed(probe.beta() ? "not found (beta endpoint unavailable)" : "not found");
            case 0 ->
                Outcome.failed(
                        (message.toLowerCase(Locale.ROOT).contains("sign-in") ? "sign-in failed: " : "request failed: ")
                                + tail(message));
            default ->
                Outcome.failed("HTTP " + e.status() + (e.errorCode().isEmpty() ? "" : " " + e.errorCode())
                        + " (Graph error; try again later)");
        };
    }

    private static String tail(String message) {
        int colon = message.lastIndexOf("): ");
        String s = colon >= 0 ? message.substring(colon + 3) : message;
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    private static void print(List<Row> rows, boolean withTenant, PrintStream out) {
        int tw = "TENANT".length();
        int cw = "COLLECTOR".length();
        int ew = "ENDPOINT".length();
        for (Row r : rows) {
            tw = Math.max(tw, r.tenant().length());
            cw = Math.max(cw, r.collector().length());
            ew = Math.max(ew, r.endpoint().length());
        }
        String format = (withTenant ? "%-" + tw + "s  " : "%s") + "%-" + cw + "s  %-" + ew + "s  %s%n";
        out.printf(format, withTenant ? "TENANT" : "", "COLLECTOR", "ENDPOINT", "RESULT");
        for (Row r : rows) {
            out.printf(format, withTenant ? r.tenant() : "", r.collector(), r.endpoint(), r.result());
        }
    }
}
