package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Microsoft 365 service health as the Service Communications API reports it for the tenant: health overviews
 * of about fifteen services, service issues (incidents and advisories, open and resolved) and Message Center
 * posts. Intune runs normally most of the time; in some stretches of epochs it has an open incident and its
 * overview shows that incident's status. Wire strings are the v1.0 enum members (camelCase);
 * with odd values on, some categories and severities come PascalCase or as members newer than the metadata. Tests use these records as ground truth.
 */
public final class ServiceHealthData {
    public static final String INTUNE_ID = "Intune";
    public static final String INTUNE_NAME = "Microsoft Intune";
    /** Epochs an Intune incident window lasts. */
    static final int WINDOW = 20;

    public record Service(String id, String name, String status) {}

    /** {@code end} null while the issue is open. */
    public record Issue(
            String id,
            String service,
            String feature,
            String classification,
            String status,
            boolean resolved,
            Instant start,
            Instant end,
            String title) {}

    /** {@code end} and {@code actionRequiredBy} may be null. */
    public record Message(
            String id,
            List<String> services,
            String category,
            String severity,
            Instant start,
            Instant end,
            Instant actionRequiredBy,
            boolean majorChange,
            String title) {}

    private static final String[][] OTHER_SERVICES = {
        {"Exchange", "Exchange Online", "EX"},
        {"SharePoint", "SharePoint Online", "SP"},
        {"microsoftteams", "Microsoft Teams", "TM"},
        {"OneDriveForBusiness", "OneDrive for Business", "OD"},
        {"OrgLiveID", "Microsoft Entra", "EN"},
        {"OSDPPlatform", "Microsoft 365 suite", "MO"},
        {"O365Client", "Microsoft 365 Apps", "OP"},
        {"PowerBIcom", "Power BI", "PB"},
        {"Planner", "Planner", "PL"},
        {"Forms", "Microsoft Forms", "FM"},
        {"Bookings", "Microsoft Bookings", "BK"},
        {"PowerApps", "Power Apps", "PA"},
        {"MicrosoftDefenderforEndpoint", "Microsoft Defender for Endpoint", "DZ"},
        {"Lync", "Skype for Business", "LY"},
    };
    private static final String[] ADVISORY_STATUSES = {"extendedRecovery", "investigating", "restoringService"};
    private static final String[] RESOLVED_STATUSES = {
        "serviceRestored", "postIncidentReviewPublished", "resolved", "falsePositive"
    };

    private final SimulatedTenant tenant;

    public ServiceHealthData(SimulatedTenant tenant) {
        this.tenant = tenant;
    }

    private long seed() {
        return tenant.seed();
    }

    private Instant windowStart(long window) {
        return tenant.origin().plus(tenant.evolveEvery().multipliedBy(window * WINDOW));
    }

    private boolean incidentIn(long window) {
        return Rng.unit(seed(), window, 9101) < 0.3;
    }

    /** The open Intune incident of the current epoch window (or of the scenario being played), or null. */
    public Issue intuneIncident() {
        switch (tenant.effects().intuneIncident()) {
            case NONE, RESOLVED -> {
                return null;
            }
            case OPEN -> {
                return scenarioIncident(false);
            }
            case GENERATED -> {
                // The healthy tenant: Intune operational, only past incidents (resolved) in the history below.
                return null;
            }
        }
        return null;
    }

    /**
     * The incident of scenario service-incident: Investigating for its first 15 minutes, then ServiceDegradation;
     * ServiceRestored once resolved.
     */
    private Issue scenarioIncident(boolean resolved) {
        ScenarioRun run = tenant.scenario();
        Instant start = run.incidentStart().truncatedTo(ChronoUnit.SECONDS);
        String status = resolved
                ? "serviceRestored"
                : tenant.clock().instant().isBefore(start.plus(Duration.ofMinutes(15)))
                        ? "investigating"
                        : "serviceDegradation";
        return new Issue(
                issueId("IT", start.getEpochSecond(), 4),
                INTUNE_NAME,
                "Device management",
                "incident",
                status,
                resolved,
                start,
                resolved ? run.incidentEnd().truncatedTo(ChronoUnit.SECONDS) : null,
                "Users can't enroll or sync devices in Microsoft Intune");
    }

    /** The status Intune's health overview shows: the open incident's, else operational. */
    public String intuneStatus() {
        Issue incident = intuneIncident();
        return incident == null ? "serviceOperational" : incident.status();
    }

    public List<Service> services() {
        List<Service> out = new ArrayList<>();
        for (int s = 0; s < OTHER_SERVICES.length; s++) {
            if (s == 2) {
                out.add(new Service(INTUNE_ID, INTUNE_NAME, intuneStatus()));
            }
            String status = Rng.unit(seed(), s, 9200 + tenant.epoch() / WINDOW) < 0.12
                    ? "serviceDegradation"
                    : "serviceOperational";
            out.add(new Service(OTHER_SERVICES[s][0], OTHER_SERVICES[s][1], status));
        }
        return out;
    }

    /** Every issue the tenant sees, open and resolved, for every service, in the order Graph lists them. */
    public List<Issue> issues() {
        List<Issue> out = new ArrayList<>();
        Instant origin = tenant.origin();
        boolean odd = tenant.oddValues() > 0;
        long window = tenant.epoch() / WINDOW;
        Issue incident = intuneIncident();
        if (incident != null) {
            out.add(incident);
        }
        if (tenant.effects().intuneIncident() == ScenarioEffects.IntuneIncident.RESOLVED) {
            out.add(scenarioIncident(true));
        }
        addPastIncidents(out, window);
        addAdvisories(out, origin, odd);
        addOtherServicesIssues(out, origin);
        return out;
    }

    /** Earlier incident windows (up to 40 before {@code window}): resolved incidents. */
    private void addPastIncidents(List<Issue> out, long window) {
        for (long w = window - 1; w >= Math.max(0, window - 40); w--) {
            if (incidentIn(w)) {
                out.add(new Issue(
                        issueId("IT", w, 1),
                        INTUNE_NAME,
                        "Device enrollment",
                        "incident",
                        RESOLVED_STATUSES[(int) Math.floorMod(Rng.hash(seed(), w, 9102), 2L)],
                        true,
                        windowStart(w),
                        windowStart(w + 1),
                        "Some users can't enroll devices in Microsoft Intune"));
            }
        }
    }

    /** Long-running Intune advisories: one to three open, a few resolved; odd values in the first three. */
    private void addAdvisories(List<Issue> out, Instant origin, boolean odd) {
        int openAdvisories = 1 + (int) Math.floorMod(Rng.hash(seed(), 9300, 1), 3L);
        for (int a = 0; a < openAdvisories + 3; a++) {
            boolean open = a < openAdvisories;
            Instant start = origin.minus(Duration.ofHours(30 + (long) (Rng.unit(seed(), a, 9301) * 40 * 24)));
            String status = open
                    ? ADVISORY_STATUSES[a % ADVISORY_STATUSES.length]
                    : RESOLVED_STATUSES[(a + 2) % RESOLVED_STATUSES.length];
            String classification = "advisory";
            if (odd && a == 0) {
                status = "unknownFutureValue";
            }
            if (odd && a == 1) {
                classification = "advisory";
            }
            if (odd && a == 2 && open) {
                classification = "someNewClassification";
            }
            out.add(new Issue(
                    issueId("IT", 5000 + a, 2),
                    INTUNE_NAME,
                    a % 2 == 0 ? "Reporting" : "Device configuration",
                    classification,
                    status,
                    !open,
                    start,
                    open ? null : start.plus(Duration.ofDays(2)),
                    a % 2 == 0
                            ? "Delays in Intune device compliance reports"
                            : "Configuration profile status may not update"));
        }
    }

    /** Other services' issues, which the collector must not count. */
    private void addOtherServicesIssues(List<Issue> out, Instant origin) {
        for (int s = 0; s < OTHER_SERVICES.length; s++) {
            int n = (int) Math.floorMod(Rng.hash(seed(), s, 9400), 4L);
            for (int k = 0; k < n; k++) {
                boolean open = Rng.unit(seed(), s * 10L + k, 9401) < 0.4;
                Instant start =
                        origin.minus(Duration.ofHours(2 + (long) (Rng.unit(seed(), s * 10L + k, 9402) * 20 * 24)));
                out.add(new Issue(
                        issueId(OTHER_SERVICES[s][2], s * 10L + k, 3),
                        OTHER_SERVICES[s][1],
                        "Service",
                        Rng.unit(seed(), s * 10L + k, 9403) < 0.3 ? "incident" : "advisory",
                        open ? "serviceDegradation" : "serviceRestored",
                        !open,
                        start,
                        open ? null : start.plus(Duration.ofHours(9)),
                        "Users may be unable to access some features"));
            }
        }
    }

    /** Open (not resolved) Intune issues. */
    public List<Issue> openIntuneIssues() {
        return issues().stream()
                .filter(i -> i.service().equals(INTUNE_NAME) && !i.resolved())
                .toList();
    }

    /** Every Message Center post published by now, for every service, in the order Graph lists them. */
    public List<Message> messages() {
        List<Message> out = new ArrayList<>();
        Instant origin = tenant.origin();
        Instant now = tenant.clock().instant();
        boolean odd = tenant.oddValues() > 0;
        int total = 180;
        for (int i = 0; i < total; i++) {
            // Most posts are from the last 200 days; the last few are published over the coming hours.
            Instant start = i < total - 6
                    ? origin.minus(Duration.ofMinutes((long) (Rng.unit(seed(), i, 9501) * 200 * 24 * 60)))
                    : origin.plus(Duration.ofHours(4L * (i - (total - 6)) + 1));
            if (start.isAfter(now)) {
                continue;
            }
            out.add(message(i, start, odd));
        }
        return out;
    }

    /** The services Message Center post {@code i} is about. */
    private List<String> messageServices(int i) {
        if (i % 17 == 0) {
            return List.of(INTUNE_NAME, "Microsoft Entra");
        } else if (i % 5 == 0) {
            return List.of(INTUNE_NAME);
        } else if (i % 7 == 0) {
            return List.of("Exchange Online", "Microsoft Teams");
        }
        return List.of(OTHER_SERVICES[(int) Math.floorMod(Rng.hash(seed(), i, 9502), (long) OTHER_SERVICES.length)][1]);
    }

    /** Message Center post {@code i}, published at {@code start}; odd values (case, unknown members) when {@code odd}. */
    private Message message(int i, Instant start, boolean odd) {
        List<String> services = messageServices(i);
        double c = Rng.unit(seed(), i, 9503);
        String category = c < 0.45 ? "planForChange" : c < 0.90 ? "stayInformed" : "preventOrFixIssue";
        if (odd && Rng.unit(seed(), i, 9504) < 0.5) {
            category = Character.toUpperCase(category.charAt(0)) + category.substring(1);
        }
        double v = Rng.unit(seed(), i, 9505);
        String severity = v < 0.85 ? "normal" : v < 0.97 ? "high" : "critical";
        if (odd && Rng.unit(seed(), i, 9506) < 0.3) {
            severity = Character.toUpperCase(severity.charAt(0)) + severity.substring(1);
        }
        if (odd && services.contains(INTUNE_NAME) && i % 3 == 0) {
            category = i % 2 == 0 ? "unknownFutureValue" : "retirementAnnouncement";
            severity = i % 2 == 0 ? "Critical" : "urgent";
        }
        Instant actionBy = null;
        double a = Rng.unit(seed(), i, 9507);
        if (category.equalsIgnoreCase("preventOrFixIssue")
                ? a < 0.7
                : category.equalsIgnoreCase("planForChange") && a < 0.4) {
            actionBy = start.plus(Duration.ofDays(20 + (long) (Rng.unit(seed(), i, 9508) * 100)))
                    .truncatedTo(ChronoUnit.DAYS);
        }
        Instant end = Rng.unit(seed(), i, 9509) < 0.1
                ? null
                : start.plus(Duration.ofDays(45 + (long) (Rng.unit(seed(), i, 9510) * 200)));
        return new Message(
                "MC" + (700000 + i * 37 + Math.floorMod(seed(), 31L)),
                services,
                category,
                severity,
                start,
                end,
                actionBy,
                Rng.unit(seed(), i, 9511) < 0.15,
                services.contains(INTUNE_NAME)
                        ? "Plan for change: Intune moving to support new OS versions"
                        : "Feature update for users");
    }

    private String issueId(String prefix, long a, long b) {
        return prefix + (100000 + Math.floorMod(Rng.hash(seed(), a, 9000 + b), 900000L));
    }
}
