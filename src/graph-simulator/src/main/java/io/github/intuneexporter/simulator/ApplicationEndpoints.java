package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The exporter's app registration: {@code GET /applications(appId='{appId}')} and {@code GET /applications/{id}},
 * with $select, from {@link AppRegistrationData}. Any other appId answers 404 the way Entra ID does.
 */
final class ApplicationEndpoints {
    private ApplicationEndpoints() {}

    static void register(TenantSimulator sim) {
        AppRegistrationData data = new AppRegistrationData(sim.tenant());
        sim.route(
                "GET",
                "/applications\\(appId=(?:'|%27)([^'%]*)(?:'|%27)\\)",
                (req, m) -> answer(data, req, m.group(1), true));
        sim.route(
                "GET",
                "/applications/([^/]+)",
                (req, m) -> answer(data, req, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), false));
    }

    private static void answer(AppRegistrationData data, SimulatorRequest req, String key, boolean byAppId)
            throws IOException {
        if (!(byAppId ? data.appId() : data.objectId()).equalsIgnoreCase(key)) {
            TenantSimulator.error(
                    req.exchange,
                    404,
                    "Request_ResourceNotFound",
                    "Resource '" + key
                            + "' does not exist or one of its queried reference-property objects are not present.");
            return;
        }
        ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
        o.put("id", data.objectId());
        o.put("appId", data.appId());
        o.put("displayName", "intune-exporter");
        o.put("signInAudience", "AzureADMyOrg");
        ArrayNode passwords = o.putArray("passwordCredentials");
        for (AppRegistrationData.PasswordCredential p : data.passwordCredentials()) {
            ObjectNode c = passwords.addObject();
            c.putNull("customKeyIdentifier");
            c.put("displayName", p.displayName());
            c.put("endDateTime", p.end().toString());
            c.put("hint", p.hint());
            c.put("keyId", p.keyId());
            c.putNull("secretText");
            c.put("startDateTime", p.start().toString());
        }
        ArrayNode keys = o.putArray("keyCredentials");
        for (AppRegistrationData.KeyCredential k : data.keyCredentials()) {
            ObjectNode c = keys.addObject();
            c.put("customKeyIdentifier", Base64.getEncoder().encodeToString(k.customKeyIdentifier()));
            c.put("displayName", k.displayName());
            c.put("endDateTime", k.end().toString());
            // Graph returns the certificate itself only for a single object asked for with $select.
            if (TenantSimulator.select(req) != null) {
                c.put("key", Base64.getEncoder().encodeToString(k.key()));
            } else {
                c.putNull("key");
            }
            c.put("keyId", k.keyId());
            c.put("startDateTime", k.start().toString());
            c.put("type", k.type());
            c.put("usage", k.usage());
        }
        String select = req.query.get("$select");
        TenantSimulator.writeEntity(req, "applications" + (select == null ? "" : "(" + select + ")") + "/$entity", o);
    }
}
