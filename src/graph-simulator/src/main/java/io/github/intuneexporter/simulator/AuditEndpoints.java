package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code GET /deviceManagement/auditEvents} (v1.0), paged like Graph's Intune lists (100 per page by default, $top
 * honoured, absolute nextLinks), oldest first so that paging stays stable while new events arrive. $filter is
 * accepted on activityDateTime only (comparisons joined with "and"); anything else is refused with 400.
 */
final class AuditEndpoints {
    private AuditEndpoints() {}

    static void register(TenantSimulator sim) {
        SimulatedTenant tenant = sim.tenant();
        AuditData data = new AuditData(tenant);
        sim.route("GET", "/deviceManagement/auditEvents", (req, m) -> {
            ODataFilter filter = ODataFilter.parse(req.query.get("$filter"));
            for (String field : filter.fields()) {
                if (!field.equals("activityDateTime")) {
                    throw new IllegalArgumentException("Filter on property '" + field + "' is not supported.");
                }
            }
            Instant now = tenant.clock().instant();
            // Only the hours the filter can match are generated; the filter itself is applied by writeCollection.
            Instant from = lowerBound(filter, now);
            TenantSimulator.writeRows(
                    req, "deviceManagement/auditEvents", data.events(from, now), PAGE, AuditEndpoints::json);
        });
    }

    /** The earliest activityDateTime a filter can match: its ge/gt bound, or null (the whole retention). */
    private static Instant lowerBound(ODataFilter filter, Instant now) {
        // Probe the filter with instants: the smallest accepted one within retention is found by bisection.
        Instant lo = now.minus(AuditData.RETENTION);
        Instant hi = now;
        if (filter.test(f -> lo)) {
            return null;
        }
        if (!filter.test(f -> hi)) {
            return null; // an upper bound before now: rare (not the exporter's form), so the whole log is generated
        }
        long a = lo.getEpochSecond();
        long b = hi.getEpochSecond();
        while (b - a > 1) {
            long mid = (a + b) >>> 1;
            Instant t = Instant.ofEpochSecond(mid);
            if (filter.test(f -> t)) {
                b = mid;
            } else {
                a = mid;
            }
        }
        return Instant.ofEpochSecond(a);
    }

    private static void json(AuditData.AuditEvent e, ObjectNode o) {
        o.put("@odata.type", "#microsoft.graph.auditEvent");
        o.put("id", e.id());
        o.put("displayName", e.activity());
        o.put("componentName", e.componentName());
        ObjectNode actor = o.putObject("actor");
        actor.put("auditActorType", e.actorUpn() == null ? "Application" : "ItPro");
        actor.putArray("userPermissions").add("*");
        actor.put("applicationId", "5e8b3e1a-6c1d-4a8e-9d3f-000000000" + (e.actorUpn() == null ? "001" : "002"));
        actor.put("applicationDisplayName", e.applicationName());
        if (e.actorUpn() == null) {
            actor.putNull("userPrincipalName");
            actor.put("servicePrincipalName", e.applicationName());
            actor.putNull("userId");
        } else {
            actor.put("userPrincipalName", e.actorUpn());
            actor.putNull("servicePrincipalName");
            actor.put(
                    "userId",
                    java.util
                            .UUID
                            .nameUUIDFromBytes(e.actorUpn().getBytes(StandardCharsets.UTF_8))
                            .toString());
        }
        actor.put("ipAddress", "198.51.100." + Math.floorMod(e.id().hashCode(), 200));
        o.put("activity", e.activity());
        o.put("activityDateTime", e.activityDateTime().toString());
        o.put("activityType", e.activityType());
        o.put("activityOperationType", e.operationType());
        o.put("activityResult", e.result());
        o.put(
                "correlationId",
                java.util
                        .UUID
                        .nameUUIDFromBytes(e.id().getBytes(StandardCharsets.UTF_8))
                        .toString());
        ArrayNode resources = o.putArray("resources");
        ObjectNode r = resources.addObject();
        r.put("displayName", e.resourceName());
        ArrayNode props = r.putArray("modifiedProperties");
        if (e.operationType().equals("Patch")) {
            ObjectNode p = props.addObject();
            p.put("displayName", "Description");
            p.put("oldValue", "");
            p.put("newValue", "Changed by the simulated admin");
        }
        r.put("auditResourceType", e.resourceType());
        r.put(
                "resourceId",
                java.util
                        .UUID
                        .nameUUIDFromBytes((e.id() + "r").getBytes(StandardCharsets.UTF_8))
                        .toString());
        o.put("category", e.category());
    }
}
