package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The Service Communications API: /admin/serviceAnnouncement/healthOverviews (and one by service id),
 * /issues ($filter on service and isResolved) and /messages (Message Center, 100 per page), from
 * {@link ServiceHealthData}.
 */
final class ServiceHealthEndpoints {
    private ServiceHealthEndpoints() {}

    static void register(TenantSimulator sim) {
        ServiceHealthData data = new ServiceHealthData(sim.tenant());
        sim.collection(
                "/admin/serviceAnnouncement/healthOverviews", PAGE, data::services, ServiceHealthEndpoints::service);
        sim.route("GET", "/admin/serviceAnnouncement/healthOverviews/([^/]+)", (req, m) -> {
            for (ServiceHealthData.Service s : data.services()) {
                if (s.id().equalsIgnoreCase(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8))) {
                    ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
                    service(s, o);
                    TenantSimulator.writeEntity(req, "admin/serviceAnnouncement/healthOverviews/$entity", o);
                    return;
                }
            }
            TenantSimulator.error(
                    req.exchange, 404, "NotFound", "The requested service '" + m.group(1) + "' was not found.");
        });
        sim.collection("/admin/serviceAnnouncement/issues", PAGE, data::issues, ServiceHealthEndpoints::issue);
        sim.collection("/admin/serviceAnnouncement/messages", PAGE, data::messages, ServiceHealthEndpoints::message);
    }

    private static void service(ServiceHealthData.Service s, ObjectNode o) {
        o.put("service", s.name());
        o.put("status", s.status());
        o.put("id", s.id());
    }

    private static void issue(ServiceHealthData.Issue i, ObjectNode o) {
        o.put("startDateTime", i.start().toString());
        putTimeOrNull(o, "endDateTime", i.end());
        o.put("lastModifiedDateTime", (i.end() == null ? i.start().plusSeconds(5400) : i.end()).toString());
        o.put("title", i.title());
        o.put("id", i.id());
        o.put("impactDescription", "Users may be affected by this issue.");
        o.put("classification", i.classification());
        o.put("origin", "microsoft");
        o.put("status", i.status());
        o.put("service", i.service());
        o.put("feature", i.feature());
        o.put("featureGroup", i.service().equals(ServiceHealthData.INTUNE_NAME) ? "Microsoft Intune" : "Service");
        o.put("isResolved", i.resolved());
        o.putArray("details");
        ArrayNode posts = o.putArray("posts");
        ObjectNode post = posts.addObject();
        post.put("createdDateTime", i.start().plusSeconds(900).toString());
        post.put("postType", "regular");
        ObjectNode description = post.putObject("description");
        description.put("contentType", "html");
        description.put(
                "content",
                "Title: " + i.title() + "<br><br>User Impact: Users may be affected.<br><br>Current status: "
                        + "We're investigating.");
    }

    private static void message(ServiceHealthData.Message m, ObjectNode o) {
        o.put("startDateTime", m.start().toString());
        putTimeOrNull(o, "endDateTime", m.end());
        o.put("lastModifiedDateTime", m.start().plusSeconds(3600).toString());
        o.put("title", m.title());
        o.put("id", m.id());
        o.put("category", m.category());
        o.put("severity", m.severity());
        ArrayNode tags = o.putArray("tags");
        tags.add("Admin impact");
        if (m.majorChange()) {
            tags.add("Major change");
        }
        o.put("isMajorChange", m.majorChange());
        putTimeOrNull(o, "actionRequiredByDateTime", m.actionRequiredBy());
        ArrayNode services = o.putArray("services");
        m.services().forEach(services::add);
        o.put("hasAttachments", false);
        o.putNull("viewPoint");
        o.putArray("details")
                .addObject()
                .put("name", "ExternalLink")
                .put("value", "https://learn.microsoft.com/mem/intune/");
        ObjectNode body = o.putObject("body");
        body.put("contentType", "html");
        body.put("content", "<p>" + m.title() + ". " + "Lorem ipsum dolor sit amet, ".repeat(20) + "</p>");
    }

    /** A nullable DateTimeOffset: null when the time is unknown or has not come (an open issue's end). */
    private static void putTimeOrNull(ObjectNode o, String field, Instant time) {
        if (time == null) {
            o.putNull(field);
        } else {
            o.put(field, time.toString());
        }
    }
}
