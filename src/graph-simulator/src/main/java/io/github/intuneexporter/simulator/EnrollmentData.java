package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongFunction;

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

    /** Failure categories and reasons by platform family, from {@code /simulator/enrollment-failure-reasons.tsv}. */
    private static final Map<String, Reason[]> REASONS = reasons();

    private static Map<String, Reason[]> reasons() {
        Map<String, List<Reason>> byFamily = new LinkedHashMap<>();
        for (String[] row : DataTable.rows("enrollment-failure-reasons.tsv", 4)) {
            byFamily.computeIfAbsent(row[0], f -> new ArrayList<>())
                    .add(new Reason(row[1], Double.parseDouble(row[2]), row[3]));
        }
        if (!byFamily.keySet().equals(Set.of("Windows", "Apple", "Android"))) {
            throw new IllegalStateException(
                    "enrollment-failure-reasons.tsv: families must be Windows, Apple and Android: "
                            + byFamily.keySet());
        }
        Map<String, Reason[]> out = new HashMap<>();
        byFamily.forEach((family, reasons) -> out.put(family, reasons.toArray(Reason[]::new)));
        return Map.copyOf(out);
    }

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
        List<TroubleshootingEvent> events =
                List.copyOf(held(now, failureSlots, this::generateFailures, TroubleshootingEvent::eventDateTime));
        lastListing = new Listing(now, events);
        return events;
    }

    /** The category and reason of scenario enrollment-failure-burst's failures (a licensing change). */
    public static final String BURST_CATEGORY = "userValidation";

    private static final String BURST_REASON = "The user does not have an Intune license assigned.";

    /**
     * The failures of scenario enrollment-failure-burst: one every 3600 / enrollmentFailuresPerHour seconds after
     * the incident's start until it ends (or now), all of {@link #BURST_CATEGORY}, newest first. They stay in
     * the list after recovery, like any past event, until they fall out of the retention window.
     */
    public List<TroubleshootingEvent> burst(Instant now) {
        ScenarioRun.Burst burst = ScenarioRun.burst(tenant.scenario(), ScenarioEffects::enrollmentFailuresPerHour, now)
                .orElse(null);
        if (burst == null) {
            return List.of();
        }
        Instant oldest = now.minus(RETENTION);
        List<TroubleshootingEvent> out = new ArrayList<>();
        for (long k = burst.last(); k >= 1; k--) {
            Instant time = burst.time(k);
            if (!time.isAfter(oldest)) {
                break;
            }
            long key = burst.key(k);
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
        for (AutopilotEvent e : held(now, autopilotSlots, this::generateAutopilot, AutopilotEvent::eventDateTime)) {
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
        return out;
    }

    /**
     * The events of the hourly {@code slots} (generated on first use) that Graph holds at {@code now}: within
     * {@link #RETENTION} and not in the future, newest hour first. Slots older than the window are dropped.
     */
    private static <E> List<E> held(
            Instant now, Map<Long, List<E>> slots, LongFunction<List<E>> generate, Function<E, Instant> time) {
        List<E> out = new ArrayList<>();
        Instant oldest = now.minus(RETENTION);
        long last = Math.floorDiv(now.getEpochSecond(), HOUR);
        long first = Math.floorDiv(oldest.getEpochSecond(), HOUR);
        for (long h = last; h >= first; h--) {
            for (E e : slots.computeIfAbsent(h, generate::apply)) {
                if (!time.apply(e).isAfter(now) && time.apply(e).isAfter(oldest)) {
                    out.add(e);
                }
            }
        }
        slots.keySet().removeIf(h -> h < first - 1);
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
            out.add(failure(key, id, time, correlation, spike ? spikeCategory : null));
        }
        return List.copyOf(out);
    }

    /**
     * The enrollment failure with this key: on a device like one of the tenant's, for one of its platform's reasons
     * (most of them in {@code spikeCategory} during a spike, else null), with off-contract or null values sometimes.
     */
    private TroubleshootingEvent failure(long key, String id, Instant time, String correlation, String spikeCategory) {
        SimulatedDevice like =
                tenant.device((int) Math.floorMod(Rng.hash(seed, key, 116), (long) Math.max(1, tenant.deviceCount())));
        Reason[] reasons = REASONS.get(
                switch (like.operatingSystem()) {
                    case "Windows" -> "Windows";
                    case "iOS", "iPadOS", "macOS" -> "Apple";
                    default -> "Android";
                });
        double[] weights = new double[reasons.length];
        for (int r = 0; r < reasons.length; r++) {
            weights[r] = reasons[r].weight();
        }
        Reason reason = reasons[Rng.pick(Rng.unit(seed, key, 117), weights)];
        String category = reason.category();
        if (spikeCategory != null && Rng.unit(seed, key, 118) < 0.7) {
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
        return new TroubleshootingEvent(
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
                reason.text());
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
        return Rng.uuid(seed, key, salt);
    }
}
