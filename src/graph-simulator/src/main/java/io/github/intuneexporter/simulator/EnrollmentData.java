package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant's enrollment troubleshooting events and Autopilot deployment events: a deterministic stream in
 * hourly slots, its rate proportional to the tenant's size, with new events appearing as the clock advances
 * and events older than {@link #RETENTION} dropped, as Intune does. Events are fixed by (seed, hour, index),
 * so ids are stable; only an Autopilot deployment's state changes (inProgress until it ends).
 *
 * <p>Wire strings are Graph's, including the odd ones Graph sends: some enum values PascalCase, evolvable
 * enums' {@code unknownFutureValue}, missing properties, and troubleshooting events of the base type that are
 * not enrollment failures. Tests read {@link #troubleshootingEvents} and {@link #autopilotEvents} as ground truth.
 */
public final class EnrollmentData {
    /** How long the simulated Intune keeps events. */
    public static final Duration RETENTION = Duration.ofDays(30);

    public static final String ENROLLMENT_TYPE = "#microsoft.graph.enrollmentTroubleshootingEvent";
    public static final String BASE_TYPE = "#microsoft.graph.deviceManagementTroubleshootingEvent";
    private static final long HOUR = 3600;

    /** One troubleshooting event as Graph sends it; null fields are left out of the JSON. */
    public record TroubleshootingEvent(
            String odataType,
            String id,
            Instant eventDateTime,
            String correlationId,
            String managedDeviceIdentifier,
            String operatingSystem,
            String osVersion,
            String userId,
            String deviceId,
            String enrollmentType,
            String failureCategory,
            String failureReason) {}

    /** One Autopilot event (beta) at a given moment; deploymentState is the state at that moment. */
    public record AutopilotEvent(
            String id,
            Instant eventDateTime,
            Duration duration,
            String deploymentState,
            String finalState,
            String deviceSerialNumber,
            String managedDeviceName,
            String userPrincipalName,
            String osVersion,
            String enrollmentType) {
        public boolean inProgressAt(Instant now) {
            return now.isBefore(eventDateTime.plus(duration));
        }
    }

    private record Reason(String category, double weight, String text) {}

    // Failure categories and reasons by platform, weighted the way enrollment failures are usually distributed.
    private static final Reason[] WINDOWS = {
        new Reason(
                "enrollmentRestrictionsEnforced",
                0.22,
                "Device limit reached: the user has already enrolled the maximum number of devices."),
        new Reason("userValidation", 0.15, "The user does not have an Intune license assigned."),
        new Reason("authentication", 0.11, "The user's credentials could not be verified (AADSTS50126)."),
        new Reason("userAbandonment", 0.10, "The user did not complete the enrollment."),
        new Reason("clientDisconnected", 0.08, "The device lost connectivity during enrollment (0x80180014)."),
        new Reason(
                "authorization", 0.07, "The user is not allowed to join devices to Microsoft Entra ID (0x801c03ed)."),
        new Reason("accountValidation", 0.05, "The account could not be validated for this tenant."),
        new Reason("deviceNotSupported", 0.05, "This Windows edition does not support MDM enrollment."),
        new Reason("featureNotSupported", 0.04, "Self-deploying mode requires TPM 2.0 attestation (0x800705b4)."),
        new Reason("badRequest", 0.04, "The enrollment request was malformed (0x80180005)."),
        new Reason("inMaintenance", 0.01, "The enrollment service is in maintenance."),
        new Reason("unknown", 0.08, "An unexpected error occurred (0x80180026)."),
    };
    private static final Reason[] APPLE = {
        new Reason("userAbandonment", 0.24, "The user cancelled the installation of the management profile."),
        new Reason(
                "enrollmentRestrictionsEnforced",
                0.22,
                "Personally owned devices of this platform are blocked by an enrollment restriction."),
        new Reason("deviceNotSupported", 0.12, "The OS version is below the minimum allowed for enrollment."),
        new Reason("authentication", 0.10, "The user's credentials could not be verified."),
        new Reason("userValidation", 0.10, "The user does not have an Intune license assigned."),
        new Reason("clientDisconnected", 0.07, "The device stopped responding during enrollment."),
        new Reason("featureNotSupported", 0.05, "Automated device enrollment profile not assigned to this device."),
        new Reason("accountValidation", 0.04, "The Apple ID could not be validated."),
        new Reason("unknown", 0.06, "An unexpected error occurred."),
    };
    private static final Reason[] ANDROID = {
        new Reason("enrollmentRestrictionsEnforced", 0.26, "Android device administrator enrollment is blocked."),
        new Reason("deviceNotSupported", 0.16, "The Android version is below the minimum allowed for enrollment."),
        new Reason("userAbandonment", 0.16, "The user did not complete the work profile setup."),
        new Reason("authentication", 0.10, "The user's credentials could not be verified."),
        new Reason("userValidation", 0.10, "The user does not have an Intune license assigned."),
        new Reason("clientDisconnected", 0.08, "Company Portal lost connectivity during enrollment."),
        new Reason("badRequest", 0.04, "The enrollment token is invalid or expired."),
        new Reason("unknown", 0.10, "An unexpected error occurred."),
    };
    private static final String[] SPIKE_CATEGORIES = {
        "authentication", "enrollmentRestrictionsEnforced", "userValidation"
    };

    private static final String[] DEPLOYMENT_STATES = {
        "success", "failure", "successWithTimeout", "successOnRetry", "notAttempted", "disabled", "unknown"
    };
    private static final double[] DEPLOYMENT_WEIGHTS = {0.86, 0.06, 0.02, 0.03, 0.015, 0.005, 0.01};
    private static final String[] AUTOPILOT_ENROLLMENT = {
        "azureADJoinedWithAutopilotProfile",
        "azureADJoinedWithWhiteGlove",
        "offlineDomainJoined",
        "azureADJoinedUsingDeviceAuthWithAutopilotProfile"
    };
    private static final double[] AUTOPILOT_ENROLLMENT_WEIGHTS = {0.70, 0.12, 0.08, 0.10};

    private final SimulatedTenant tenant;
    private final long seed;
    private final Map<Long, List<TroubleshootingEvent>> failureSlots = new ConcurrentHashMap<>();
    private final Map<Long, List<AutopilotEvent>> autopilotSlots = new ConcurrentHashMap<>();

    public EnrollmentData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed() ^ 0x656e726f6cL;
    }

    /** Enrollment failures per hour: about one per 500 devices. */
    public double failuresPerHour() {
        return tenant.deviceCount() / 500.0;
    }

    /** Autopilot deployments per hour: about one per 1500 devices. */
    public double deploymentsPerHour() {
        return tenant.deviceCount() / 1500.0;
    }

    /**
     * Every troubleshooting event Graph holds at {@code now}, newest hour first, events within an hour unordered: the
     * scenario's burst, then the ordinary events (a read-only view of both, not a copy).
     */
    public List<TroubleshootingEvent> troubleshootingEvents(Instant now) {
        List<TroubleshootingEvent> burst = burst(now);
        List<TroubleshootingEvent> ordinary = ordinaryEvents(now);
        return new AbstractList<>() {
            @Override
            public TroubleshootingEvent get(int i) {
                return i < burst.size() ? burst.get(i) : ordinary.get(i - burst.size());
            }

            @Override
            public int size() {
                return burst.size() + ordinary.size();
            }
        };
    }

    /** The ordinary events held at one instant; kept for the next page of a listing read at the same instant. */
    private record Listing(Instant now, List<TroubleshootingEvent> events) {}

    // A 1,000,000-device tenant holds about 1.4 million events: every page of a listing would otherwise rebuild them
    // all (a first enrollment run of 14,000 pages never ended). Under a fixed or slow clock, pages hit this.
    private volatile Listing lastListing;

    private List<TroubleshootingEvent> ordinaryEvents(Instant now) {
        Listing last = lastListing;
        if (last != null && last.now().equals(now)) {
            return last.events();
        }
        List<TroubleshootingEvent> out = new ArrayList<>();
        Instant oldest = now.minus(RETENTION);
        long lastHour = Math.floorDiv(now.getEpochSecond(), HOUR);
        long first = Math.floorDiv(oldest.getEpochSecond(), HOUR);
        for (long h = lastHour; h >= first; h--) {
            for (TroubleshootingEvent e : failureSlot(h)) {
                if (!e.eventDateTime().isAfter(now) && e.eventDateTime().isAfter(oldest)) {
                    out.add(e);
                }
            }
        }
        failureSlots.keySet().removeIf(h -> h < first - 1);
        List<TroubleshootingEvent> events = List.copyOf(out);
        lastListing = new Listing(now, events);
        return events;
    }

    /** The category and reason of scenario enrollment-failure-burst's failures (a licensing change). */
    public static final String BURST_CATEGORY = "userValidation";

    private static final String BURST_REASON = "The user does not have an Intune license assigned.";
    /** At most this many burst events are kept, so a burst left running for days stays bounded. */
    private static final int BURST_MAX = 20_000;

    /**
     * The failures of scenario enrollment-failure-burst: one every 3600 / enrollmentFailuresPerHour seconds after
     * the incident's start until it ends (or now), all of {@link #BURST_CATEGORY}, newest first. They stay in
     * the list after recovery, like any past event, until they fall out of the retention window.
     */
    public List<TroubleshootingEvent> burst(Instant now) {
        ScenarioRun run = tenant.scenario();
        double perHour = run == null ? 0 : run.scenario().incident().enrollmentFailuresPerHour();
        if (perHour <= 0 || !now.isAfter(run.incidentStart())) {
            return List.of();
        }
        Instant start = run.incidentStart();
        Instant end = now.isBefore(run.incidentEnd()) ? now : run.incidentEnd();
        long every = Math.max(1, (long) (3_600_000 / perHour));
        long n = Math.min(BURST_MAX, Duration.between(start, end).toMillis() / every);
        Instant oldest = now.minus(RETENTION);
        List<TroubleshootingEvent> out = new ArrayList<>();
        for (long k = n; k >= 1; k--) {
            Instant time = start.plusMillis(k * every).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            if (!time.isAfter(oldest)) {
                break;
            }
            long key = start.getEpochSecond() * 100_003L + k;
            SimulatedDevice like = tenant.device(
                    (int) Math.floorMod(Rng.hash(seed, key, 130), (long) Math.max(1, tenant.deviceCount())));
            out.add(new TroubleshootingEvent(
                    ENROLLMENT_TYPE,
                    uuid(key, 131),
                    time,
                    uuid(key, 133),
                    "00000000-0000-0000-0000-000000000000",
                    like.operatingSystem(),
                    like.osVersion(),
                    uuid(key, 135),
                    "",
                    like.enrollmentType(),
                    BURST_CATEGORY,
                    BURST_REASON));
        }
        return out;
    }

    /** Every Autopilot event Graph holds at {@code now}, with its state at {@code now}. */
    public List<AutopilotEvent> autopilotEvents(Instant now) {
        List<AutopilotEvent> out = new ArrayList<>();
        Instant oldest = now.minus(RETENTION);
        long last = Math.floorDiv(now.getEpochSecond(), HOUR);
        long first = Math.floorDiv(oldest.getEpochSecond(), HOUR);
        for (long h = last; h >= first; h--) {
            for (AutopilotEvent e : autopilotSlot(h)) {
                if (!e.eventDateTime().isAfter(now) && e.eventDateTime().isAfter(oldest)) {
                    String state = e.inProgressAt(now) ? "inProgress" : e.finalState();
                    out.add(new AutopilotEvent(
                            e.id(),
                            e.eventDateTime(),
                            e.duration(),
                            pascalSometimes(state, e.id()),
                            e.finalState(),
                            e.deviceSerialNumber(),
                            e.managedDeviceName(),
                            e.userPrincipalName(),
                            e.osVersion(),
                            e.enrollmentType()));
                }
            }
        }
        autopilotSlots.keySet().removeIf(h -> h < first - 1);
        return out;
    }

    private int eventsIn(long hour, double perHour, long salt) {
        if (perHour <= 0) {
            return 0;
        }
        // An ordinary hour: between half and one and a half times the usual rate. Bursts come from scenarios only.
        double factor = 0.5 + Rng.unit(seed, hour, salt);
        double expected = perHour * factor;
        int n = (int) Math.floor(expected + Rng.unit(seed, hour, salt + 2));
        return Math.min(n, 4000);
    }

    private List<TroubleshootingEvent> failureSlot(long hour) {
        return failureSlots.computeIfAbsent(hour, this::generateFailures);
    }

    private List<TroubleshootingEvent> generateFailures(long hour) {
        int n = eventsIn(hour, failuresPerHour(), 100);
        boolean spike = Rng.unit(seed, hour, 101) < 0.03;
        String spikeCategory =
                SPIKE_CATEGORIES[(int) Math.floorMod(Rng.hash(seed, hour, 103), (long) SPIKE_CATEGORIES.length)];
        List<TroubleshootingEvent> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long key = hour * 4096 + k;
            Instant time = Instant.ofEpochSecond(hour * HOUR + (long) (Rng.unit(seed, key, 110) * HOUR));
            String id = uuid(key, 111);
            String correlation = uuid(key, 113);
            double kind = Rng.unit(seed, key, 115);
            if (kind < 0.08) {
                // Not an enrollment failure: the base type (with or without @odata.type) must not be counted.
                out.add(new TroubleshootingEvent(
                        kind < 0.04 ? BASE_TYPE : null,
                        id,
                        time,
                        correlation,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
                continue;
            }
            SimulatedDevice like = tenant.device(
                    (int) Math.floorMod(Rng.hash(seed, key, 116), (long) Math.max(1, tenant.deviceCount())));
            Reason[] reasons = switch (like.operatingSystem()) {
                case "Windows" -> WINDOWS;
                case "iOS", "iPadOS", "macOS" -> APPLE;
                default -> ANDROID;
            };
            double[] weights = new double[reasons.length];
            for (int r = 0; r < reasons.length; r++) {
                weights[r] = reasons[r].weight();
            }
            Reason reason = reasons[Rng.pick(Rng.unit(seed, key, 117), weights)];
            String category = reason.category();
            if (spike && Rng.unit(seed, key, 118) < 0.7) {
                category = spikeCategory;
            }
            String enrollmentType = like.enrollmentType();
            String os = like.operatingSystem();
            // Off the published contract (PascalCase, a member the v1.0 enum lacks) only with odd values on;
            // nulls (the properties are nullable) always.
            boolean offContract = tenant.oddValues() > 0;
            double odd = Rng.unit(seed, key, 119);
            if (offContract && odd < 0.06) {
                category = pascal(category);
            } else if (offContract && odd < 0.07) {
                category = "unknownFutureValue";
            } else if (offContract && odd < 0.10) {
                enrollmentType = pascal(enrollmentType);
            } else if (odd < 0.12) {
                os = null;
            } else if (odd < 0.14) {
                enrollmentType = null;
            } else if (odd < 0.15) {
                category = null;
            }
            out.add(new TroubleshootingEvent(
                    ENROLLMENT_TYPE,
                    id,
                    time,
                    correlation,
                    "00000000-0000-0000-0000-000000000000",
                    os,
                    like.osVersion(),
                    uuid(key, 121),
                    "",
                    enrollmentType,
                    category,
                    reason.text()));
        }
        return List.copyOf(out);
    }

    private List<AutopilotEvent> autopilotSlot(long hour) {
        return autopilotSlots.computeIfAbsent(hour, this::generateAutopilot);
    }

    private List<AutopilotEvent> generateAutopilot(long hour) {
        int n = eventsIn(hour, deploymentsPerHour(), 200);
        List<AutopilotEvent> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long key = hour * 4096 + k;
            Instant time = Instant.ofEpochSecond(hour * HOUR + (long) (Rng.unit(seed, key, 210) * HOUR));
            Duration duration = Duration.ofSeconds(15 * 60 + (long) (Rng.unit(seed, key, 211) * 60 * 60));
            String state = DEPLOYMENT_STATES[Rng.pick(Rng.unit(seed, key, 212), DEPLOYMENT_WEIGHTS)];
            String serial = Long.toString(Math.floorMod(Rng.hash(seed, key, 213), 9_000_000_000L) + 1_000_000_000L);
            int user = (int) Math.floorMod(Rng.hash(seed, key, 214), (long) Math.max(1, tenant.deviceCount() / 2 + 1));
            String enrollment = AUTOPILOT_ENROLLMENT[Rng.pick(Rng.unit(seed, key, 215), AUTOPILOT_ENROLLMENT_WEIGHTS)];
            out.add(new AutopilotEvent(
                    uuid(key, 216),
                    time,
                    duration,
                    state,
                    state,
                    serial,
                    "DESKTOP-" + serial.substring(0, 7),
                    "user" + user + "@contoso-sim.example",
                    Rng.unit(seed, key, 217) < 0.7 ? "10.0.22631.4460" : "10.0.26100.2314",
                    enrollment));
        }
        return List.copyOf(out);
    }

    /** With odd values on, about one in twenty deployment states comes PascalCase (not a member of the beta enum). */
    private String pascalSometimes(String state, String id) {
        return tenant.oddValues() > 0 && Math.floorMod(id.hashCode(), 20) == 0 ? pascal(state) : state;
    }

    private static String pascal(String s) {
        return s == null || s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private String uuid(long key, long salt) {
        return new UUID(Rng.hash(seed, key, salt), Rng.hash(seed, key, salt + 1)).toString();
    }
}
