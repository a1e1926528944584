package io.github.intuneexporter.simulator;

import static io.github.intuneexporter.simulator.TenantSimulator.PAGE;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Enrollment routes: v1.0 {@code troubleshootingEvents} and beta-only {@code autopilotEvents}, paged like
 * Graph (100 per page by default, {@code $top} honoured, absolute nextLinks with a skip token). Neither accepts
 * {@code $filter}: Graph's support for it here is unverified, so a collector that relied on it fails in tests.
 */
final class EnrollmentEndpoints {
    private EnrollmentEndpoints() {}

    static void register(TenantSimulator sim) {
        SimulatedTenant tenant = sim.tenant();
        EnrollmentData data = new EnrollmentData(tenant);
        sim.route("GET", "/deviceManagement/troubleshootingEvents", (req, m) -> troubleshooting(tenant, data, req));
        sim.betaRoute("GET", "/deviceManagement/autopilotEvents", (req, m) -> autopilot(tenant, data, req));
    }

    private static void rejectFilter(SimulatorRequest req) {
        if (req.query.containsKey("$filter")) {
            throw new IllegalArgumentException("The simulator does not implement $filter on " + req.path
                    + " (Graph's support for it is unverified).");
        }
    }

    private static void troubleshooting(SimulatedTenant tenant, EnrollmentData data, SimulatorRequest req)
            throws IOException {
        rejectFilter(req);
        List<EnrollmentData.TroubleshootingEvent> events =
                data.troubleshootingEvents(tenant.clock().instant());
        TenantSimulator.writePage(req, "deviceManagement/troubleshootingEvents", events, PAGE, (g, e, select) -> {
            string(g, select, "@odata.type", e.odataType());
            string(g, select, "id", e.id());
            string(g, select, "eventDateTime", e.eventDateTime().toString());
            string(g, select, "correlationId", e.correlationId());
            string(g, select, "managedDeviceIdentifier", e.managedDeviceIdentifier());
            string(g, select, "operatingSystem", e.operatingSystem());
            string(g, select, "osVersion", e.osVersion());
            string(g, select, "userId", e.userId());
            string(g, select, "deviceId", e.deviceId());
            string(g, select, "enrollmentType", e.enrollmentType());
            string(g, select, "failureCategory", e.failureCategory());
            string(g, select, "failureReason", e.failureReason());
        });
    }

    private static void autopilot(SimulatedTenant tenant, EnrollmentData data, SimulatorRequest req)
            throws IOException {
        rejectFilter(req);
        Instant now = tenant.clock().instant();
        List<EnrollmentData.AutopilotEvent> events = data.autopilotEvents(now);
        TenantSimulator.writePage(req, "deviceManagement/autopilotEvents", events, PAGE, (g, e, select) -> {
            boolean running = e.inProgressAt(now);
            boolean failed = !running && e.finalState().equals("failure");
            Instant started = e.eventDateTime();
            Instant ended = started.plus(e.duration());
            Duration elapsed = running ? Duration.between(started, now) : e.duration();
            string(g, select, "id", e.id());
            string(g, select, "eventDateTime", started.toString());
            string(
                    g,
                    select,
                    "deviceRegisteredDateTime",
                    started.minus(Duration.ofDays(3)).toString());
            string(g, select, "enrollmentStartDateTime", started.toString());
            string(g, select, "enrollmentType", e.enrollmentType());
            string(g, select, "deviceSerialNumber", e.deviceSerialNumber());
            string(g, select, "managedDeviceName", e.managedDeviceName());
            string(g, select, "userPrincipalName", e.userPrincipalName());
            string(g, select, "windowsAutopilotDeploymentProfileDisplayName", "Autopilot - User driven (Entra join)");
            string(g, select, "enrollmentState", running ? "notContacted" : failed ? "failed" : "enrolled");
            string(g, select, "windows10EnrollmentCompletionPageConfigurationDisplayName", "ESP - Corporate devices");
            string(
                    g,
                    select,
                    "windows10EnrollmentCompletionPageConfigurationId",
                    "5c4f2a10-0d3b-4f4e-9a51-8f3c2d1e0a01");
            string(g, select, "deploymentState", e.deploymentState());
            string(g, select, "deviceSetupStatus", running ? "inProgress" : failed ? "failure" : "success");
            string(g, select, "accountSetupStatus", running ? "notAttempted" : failed ? "notAttempted" : "success");
            string(g, select, "osVersion", e.osVersion());
            string(g, select, "deploymentDuration", elapsed.toString());
            string(g, select, "deploymentTotalDuration", elapsed.plusMinutes(4).toString());
            string(
                    g,
                    select,
                    "deviceSetupDuration",
                    elapsed.dividedBy(3).multipliedBy(2).toString());
            string(g, select, "accountSetupDuration", elapsed.dividedBy(3).toString());
            string(g, select, "deploymentStartDateTime", started.toString());
            string(g, select, "deploymentEndDateTime", running ? null : ended.toString());
            string(
                    g,
                    select,
                    "enrollmentFailureDetails",
                    failed ? "Enrollment Status Page timed out waiting for apps (0x81036502)." : null);
            string(g, select, "deviceId", running ? null : new UUID(e.id().hashCode(), 7L).toString());
            string(g, select, "userId", new UUID(e.userPrincipalName().hashCode(), 11L).toString());
        });
    }

    /** A string property, left out when null or not $select-ed (@odata annotations always stay). */
    private static void string(JsonGenerator g, Set<String> select, String field, String value) throws IOException {
        if (value == null || (select != null && !select.contains(field) && !field.startsWith("@odata"))) {
            return;
        }
        g.writeStringField(field, value);
    }
}
