package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Service Communications API: /admin/serviceAnnouncement/healthOverviews (and one by service id),
 * /issues ($filter on service and isResolved) and /messages (Message Center, 100 per page), from
 * {@link ServiceHealthData}.
 */
final class ServiceHealthEndpoints {
    private ServiceHealthEndpoints() {}

    static void register(TenantSimulator sim) {
        ServiceHealthData data = new ServiceHealthData(sim.tenant());
        sim.route("GET", "/admin/serviceAnnouncement/healthOverviews", (req, m) -> {
            List<ObjectNode> items = new ArrayList<>();
            for (ServiceHealthData.Service s : data.services()) {
                items.add(service(s));
            }
            TenantSimulator.writeCollection(req, "admin/serviceAnnouncement/healthOverviews", items, 100);
        });
        sim.route("GET", "/admin/serviceAnnouncement/healthOverviews/([^/]+)", (req, m) -> {
            for (ServiceHealthData.Service s : data.services()) {
                if (s.id().equalsIgnoreCase(
                                java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8))) {
                    TenantSimulator.writeEntity(req, "admin/serviceAnnouncement/healthOverviews/$entity", service(s));
                    return;
                }
            }
            TenantSimulator.error(
                    req.exchange, 404, "NotFound", "The requested service '" + m.group(1) + "' was not found.");
        });
        sim.route("GET", "/admin/serviceAnnouncement/issues", (req, m) -> {
            List<ObjectNode> items = new ArrayList<>();
            for (ServiceHealthData.Issue i : data.issues()) {
                items.add(issue(i));
            }
            TenantSimulator.writeCollection(req, "admin/serviceAnnouncement/issues", items, 100);
        });
        sim.route("GET", "/admin/serviceAnnouncement/messages", (req, m) -> {
            List<ObjectNode> items = new ArrayList<>();
            for (ServiceHealthData.Message msg : data.messages()) {
                items.add(message(msg));
            }
            TenantSimulator.writeCollection(req, "admin/serviceAnnouncement/messages", items, 100);
        });
    }

    private static ObjectNode service(ServiceHealthData.Service s) {
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("service", s.name());
        o.put("status", s.status());
        o.put("id", s.id());
        return o;
    }

    private static ObjectNode issue(ServiceHealthData.Issue i) {
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("startDateTime", i.start().toString());
        if (i.end() == null) {
            o.putNull("endDateTime");
        } else {
            o.put("endDateTime", i.end().toString());
        }
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
        return o;
    }

    private static ObjectNode message(ServiceHealthData.Message m) {
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("startDateTime", m.start().toString());
        if (m.end() == null) {
            o.putNull("endDateTime");
        } else {
            o.put("endDateTime", m.end().toString());
        }
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
        if (m.actionRequiredBy() == null) {
            o.putNull("actionRequiredByDateTime");
        } else {
            o.put("actionRequiredByDateTime", m.actionRequiredBy().toString());
        }
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
        return o;
    }
}
