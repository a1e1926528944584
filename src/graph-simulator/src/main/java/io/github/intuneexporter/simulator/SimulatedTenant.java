package io.github.intuneexporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A generated Intune tenant: deterministic from a seed and a size, and slowly changing with time so that
 * dashboards move. Every device is computed from (seed, index, epoch) when asked for, so a million-device
 * tenant costs no memory; aggregates (the overview singletons) are computed once per epoch and cached.
 *
 * <p>Tests use the same methods as ground truth: whatever the exporter reports must equal what this class
 * computes directly, without HTTP, the SDK or the collectors in between.
 */
public final class SimulatedTenant {
    static final String[] OS = {"Windows", "iOS", "iPadOS", "Android", "macOS", "Linux"};
    private static final double[] OS_WEIGHTS = {0.55, 0.14, 0.05, 0.18, 0.06, 0.02};
    static final String[] COMPLIANCE = {
        "compliant", "noncompliant", "inGracePeriod", "error", "conflict", "unknown", "configManager"
    };
    // A well-run tenant: about 97 % of the evaluated devices are compliant (compliant / (compliant + noncompliant +
    // inGracePeriod + error + conflict) = 0.93 / 0.96); incidents come from scenarios, not from the baseline.
    private static final double[] COMPLIANCE_WEIGHTS = {0.93, 0.015, 0.01, 0.003, 0.002, 0.03, 0.01};

    private final long seed;
    private final int deviceCount;
    private final Clock clock;
    private final Duration evolveEvery;
    private final double oddValues;
    private final Instant origin;
    private final List<CompliancePolicy> policies;
    private final Map<Integer, Instant> pinnedEnrollment = new ConcurrentHashMap<>();
    private volatile CachedAggregates cached;
    private volatile ScenarioRun scenario;

    /** Aggregates are cached per epoch and scenario effects: a phase change must show at once. */
    private record CachedAggregates(Aggregates aggregates, ScenarioEffects effects) {}

    /** A generated compliance policy and the share of its platform's devices it is assigned to. */
    public record CompliancePolicy(
            String id, String displayName, String odataType, List<String> operatingSystems, double coverage) {}

    /** Counts of a policy's deviceStatusOverview (v1.0 fields). */
    public record PolicyOverview(long pending, long notApplicable, long success, long error, long failed) {}

    /** Everything the overview endpoints report, for one epoch. */
    public record Aggregates(
            long epoch,
            Map<String, Long> overview,
            Map<String, Long> operatingSystemSummary,
            Map<String, Long> exchangeSummary,
            Map<String, Long> complianceStateSummary,
            Map<String, PolicyOverview> policyOverviews) {}

    public SimulatedTenant(long seed, int deviceCount, Clock clock, Duration evolveEvery) {
        this(seed, deviceCount, clock, evolveEvery, 0);
    }

    /**
     * {@code oddValues} is the share of devices whose enum strings are odd in ways Graph really produces:
     * PascalCase instead of camelCase, values added after the exporter was built, unexpected OS names.
     */
    public SimulatedTenant(long seed, int deviceCount, Clock clock, Duration evolveEvery, double oddValues) {
        this.oddValues = oddValues;
        this.seed = seed;
        this.deviceCount = deviceCount;
        this.clock = clock;
        this.evolveEvery = evolveEvery;
        // A fixed point a little before "now" anchors enrollment dates and stale devices' last syncs.
        this.origin = clock.instant().truncatedTo(ChronoUnit.DAYS);
        this.policies = generatePolicies();
    }

    public long seed() {
        return seed;
    }

    public int deviceCount() {
        return deviceCount;
    }

    public Clock clock() {
        return clock;
    }

    /** Length of one evolution step ({@link #epoch()}). */
    public Duration evolveEvery() {
        return evolveEvery;
    }

    /** Share (0..1) of generated values that are odd the way Graph's can be (PascalCase, unknown members). */
    public double oddValues() {
        return oddValues;
    }

    /** The current evolution step; devices change state between steps. */
    public long epoch() {
        long ms = Math.max(0, clock.millis() - origin.toEpochMilli());
        return ms / Math.max(1, evolveEvery.toMillis());
    }

    /** Plays {@code run} on this tenant from now on (null: none); the data classes read its effects. */
    public void play(ScenarioRun run) {
        this.scenario = run;
    }

    /** The scenario being played, or null. */
    public ScenarioRun scenario() {
        return scenario;
    }

    /** What the scenario's current phase changes; {@link ScenarioEffects#NONE} without a scenario. */
    public ScenarioEffects effects() {
        ScenarioRun run = scenario;
        return run == null ? ScenarioEffects.NONE : run.effects();
    }

    public List<CompliancePolicy> compliancePolicies() {
        return policies;
    }

    /** Calls {@code action} for every device, in index order, as the devices are right now. */
    public void forEachDevice(Consumer<SimulatedDevice> action) {
        long epoch = epoch();
        Instant now = clock.instant();
        ScenarioEffects effects = effects();
        for (int i = 0; i < deviceCount; i++) {
            action.accept(device(i, epoch, now, effects));
        }
    }

    /** Device number {@code index} as it is right now. */
    public SimulatedDevice device(int index) {
        return device(index, epoch(), clock.instant(), effects());
    }

    SimulatedDevice device(int i, long epoch, Instant now) {
        return device(i, epoch, now, effects());
    }

    SimulatedDevice device(int i, long epoch, Instant now, ScenarioEffects effects) {
        int os = Rng.pick(Rng.unit(seed, i, 1), OS_WEIGHTS);
        String operatingSystem = OS[os];
        double u = Rng.unit(seed, i, 2);
        String owner = u < 0.01 ? "unknown" : u < ownerCompanyShare(os) ? "company" : "personal";
        String agent = agent(os, Rng.unit(seed, i, 3));
        String enrollment = enrollmentType(os, owner, Rng.unit(seed, i, 4));
        String compliance = complianceState(i, os, epoch, effects);
        double r = Rng.unit(seed, i, 6);
        String managementState =
                r < 0.98 ? "managed" : r < 0.99 ? "retirePending" : r < 0.995 ? "wipePending" : "unhealthy";
        Instant enrolled = enrolledAt(i);
        Instant lastSync = lastSync(i, now, enrolled);
        String[] hw = hardware(os, Rng.unit(seed, i, 10));
        int user = (int) (Rng.hash(seed, i, 12) & 0x7fffffff) % Math.max(1, deviceCount / 2 + 1);
        if (oddValues > 0 && Rng.unit(seed, i, 30) < oddValues) {
            switch ((int) Math.floorMod(Rng.hash(seed, i, 31), 5L)) {
                case 0 -> compliance = Character.toUpperCase(compliance.charAt(0)) + compliance.substring(1);
                case 1 -> compliance = "quarantinedByFutureFeature";
                case 2 -> operatingSystem = "HoloLensOS";
                case 3 -> agent = "someFutureAgent";
                default -> owner = Character.toUpperCase(owner.charAt(0)) + owner.substring(1);
            }
        }
        Grace grace = grace(i, compliance, now, effects);
        return new SimulatedDevice(
                i,
                uuid(i, 13),
                deviceName(i, os),
                "user" + user + "@contoso-sim.example",
                "Simulated User " + user,
                operatingSystem,
                osVersion(os, Rng.unit(seed, i, 14)),
                grace.compliance(),
                agent,
                owner,
                enrollment,
                managementState,
                enrolled,
                lastSync,
                encrypted(i, os),
                jailBroken(i, os),
                hw[0],
                hw[1],
                code(i, 10),
                exchangeAccessState(i, os),
                os == 3 ? androidPatchLevel(i) : null,
                certificateExpiry(i, os, enrolled, lastSync, now, effects),
                grace.end());
    }

    /** The complianceState of device {@code i} of OS number {@code os} at {@code epoch}, before odd values. */
    private String complianceState(int i, int os, long epoch, ScenarioEffects effects) {
        int state = Rng.pick(Rng.unit(seed, i, 5), COMPLIANCE_WEIGHTS);
        // Each step a few devices drift to another state for a while, so the compliance graphs move.
        if (Rng.unit(seed, i, 1000 + epoch) < 0.03) {
            state = Rng.pick(Rng.unit(seed, i, 2000 + epoch), COMPLIANCE_WEIGHTS);
        }
        if (COMPLIANCE[state].equals("configManager") && os != 0) {
            state = 0; // only co-managed Windows devices report configManager
        }
        String compliance = COMPLIANCE[state];
        if (state == 0 && Rng.unit(seed, i, 90) < effects.noncompliantShare()) {
            compliance = "noncompliant"; // scenario noncompliance-spike
        }
        return compliance;
    }

    /** A device's complianceState after any grace period, and the end of that grace period (null when none). */
    private record Grace(String compliance, Instant end) {}

    private Grace grace(int i, String compliance, Instant now, ScenarioEffects effects) {
        if (compliance.equals("compliant") && Rng.unit(seed, i, 91) < effects.gracePeriodEndingShare()) {
            // scenario grace-period-ending: a stricter policy put these devices in a grace period that ends within
            // hours
            return new Grace(
                    "inGracePeriod",
                    now.truncatedTo(ChronoUnit.HOURS)
                            .plus(Duration.ofMinutes(360 + (long) (Rng.unit(seed, i, 92) * 900))));
        } else if (compliance.equals("inGracePeriod")) {
            // a grace period of a few days, started when the device drifted into it
            return new Grace(
                    compliance, origin.plus(Duration.ofMinutes(2 * 1440 + (long) (Rng.unit(seed, i, 93) * 6 * 1440))));
        }
        return new Grace(compliance, null);
    }

    private boolean encrypted(int i, int os) {
        return Rng.unit(seed, i, 8)
                < switch (os) {
                    case 0 -> 0.90;
                    case 1, 2 -> 1.0;
                    case 3 -> 0.95;
                    case 4 -> 0.85;
                    default -> 0.60;
                };
    }

    private String jailBroken(int i, int os) {
        double jb = Rng.unit(seed, i, 9);
        return switch (os) {
            // Compliance policies block jailbroken devices, so a well-run tenant has almost none.
            case 1, 2 -> jb < 0.001 ? "True" : "False";
            case 3 -> jb < 0.001 ? "True" : jb < 0.05 ? "Unknown" : "False";
            default -> "Unknown";
        };
    }

    private String exchangeAccessState(int i, int os) {
        double ex = Rng.unit(seed, i, 11);
        return os == 5 || os == 4
                ? "none"
                : ex < 0.90
                        ? "allowed"
                        : ex < 0.94 ? "blocked" : ex < 0.96 ? "quarantined" : ex < 0.98 ? "unknown" : "none";
    }

    private String deviceName(int i, int os) {
        return switch (os) {
            case 0 -> "DESKTOP-" + code(i, 7);
            case 1 -> "iPhone-" + code(i, 5);
            case 2 -> "iPad-" + code(i, 5);
            case 3 -> "Android-" + code(i, 6);
            case 4 -> "MacBook-" + code(i, 5);
            default -> "linux-" + code(i, 6).toLowerCase(Locale.ROOT);
        };
    }

    /** Android security patch levels: most devices within a quarter, a tail of devices that stopped updating. */
    private String androidPatchLevel(int i) {
        double u = Rng.unit(seed, i, 94);
        int monthsBehind = u < 0.35
                ? 0
                : u < 0.65
                        ? 1
                        : u < 0.85
                                ? 2 + (int) (Rng.unit(seed, i, 95) * 2)
                                : u < 0.95
                                        ? 4 + (int) (Rng.unit(seed, i, 95) * 3)
                                        : u < 0.99
                                                ? 7 + (int) (Rng.unit(seed, i, 95) * 6)
                                                : 13 + (int) (Rng.unit(seed, i, 95) * 12);
        LocalDate month =
                origin.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).minusMonths(monthsBehind);
        return month.plusDays(Rng.unit(seed, i, 96) < 0.5 ? 0 : 4).toString();
    }

    /**
     * The MDM certificate lasts a year from enrollment and is renewed at check-in in its last 42 days, so a device that
     * syncs never gets closer than 42 days to expiry; one that stopped syncing keeps the expiry of its last renewal.
     * Scenario certificates-expiring: renewal fails on a share of the Apple devices, whose certificates expire in days.
     */
    private Instant certificateExpiry(
            int i, int os, Instant enrolled, Instant lastSync, Instant now, ScenarioEffects effects) {
        if ((os == 1 || os == 2 || os == 4) && Rng.unit(seed, i, 97) < effects.certificateRenewalFailureShare()) {
            return now.truncatedTo(ChronoUnit.HOURS)
                    .plus(Duration.ofMinutes(1440 + (long) (Rng.unit(seed, i, 98) * 4 * 1440)));
        }
        Instant renewedAt = lastSync == null ? enrolled : lastSync;
        long year = 365L * 86400;
        long age = Math.max(0, renewedAt.plus(Duration.ofDays(42)).getEpochSecond() - enrolled.getEpochSecond());
        return enrolled.plusSeconds((age / year + 1) * year);
    }

    /** The enrolledDateTime of device {@code index} (cheap: the simulator filters on it without building devices). */
    Instant enrolledAt(int i) {
        Instant pinned = pinnedEnrollment.isEmpty() ? null : pinnedEnrollment.get(i);
        return pinned != null
                ? pinned
                : origin.minus(Duration.ofMinutes(30 + (long) (Rng.unit(seed, i, 7) * 3 * 365 * 24 * 60)));
    }

    /**
     * Places device {@code index} at an exact enrolledDateTime (tests: devices on range boundaries, Graph's
     * 0001-01-01 "unknown", dates in the future). Everything else about the device stays as generated.
     */
    public void pinEnrollment(int index, Instant enrolled) {
        pinnedEnrollment.put(index, enrolled);
        cached = null;
    }

    private Instant lastSync(int i, Instant now, Instant enrolled) {
        double s = Rng.unit(seed, i, 15);
        if (s < 0.005) {
            return null; // enrolled, never checked in: Graph shows 0001-01-01T00:00:00Z
        }
        if (s < 0.035) {
            // A few stale devices (about 3 %: lost, replaced, in a drawer), as in a tenant with cleanup rules.
            // Stale: stopped syncing some days to months before the origin, so it keeps getting older.
            long days = 1 + (long) (Rng.unit(seed, i, 16) * 180);
            Instant t = origin.minus(Duration.ofDays(days)).minusSeconds((long) (Rng.unit(seed, i, 17) * 86400));
            return t.isBefore(enrolled) ? enrolled : t;
        }
        // Active: checks in every 8 hours at its own phase, so last-sync moves forward with time.
        long period = 8 * 3600;
        long phase = (long) (Rng.unit(seed, i, 18) * period);
        long nowS = now.getEpochSecond();
        long since = Math.floorMod(nowS + phase, period);
        Instant t = Instant.ofEpochSecond(nowS - since);
        return t.isBefore(enrolled) ? enrolled : t;
    }

    private static double ownerCompanyShare(int os) {
        return switch (os) {
            case 0 -> 0.88;
            case 1, 2 -> 0.60;
            case 3 -> 0.50;
            case 4 -> 0.80;
            default -> 0.70;
        };
    }

    private static String agent(int os, double u) {
        return switch (os) {
            case 0 ->
                u < 0.70
                        ? "mdm"
                        : u < 0.92
                                ? "configurationManagerClientMdm"
                                : u < 0.96 ? "easMdm" : u < 0.98 ? "msSense" : "intuneClient";
            case 1, 2 -> u < 0.95 ? "mdm" : "easMdm";
            case 3 -> u < 0.70 ? "mdm" : u < 0.97 ? "googleCloudDevicePolicyController" : "eas";
            case 4 -> u < 0.85 ? "mdm" : "jamf";
            default -> "mdm";
        };
    }

    private static String enrollmentType(int os, String owner, double u) {
        return switch (os) {
            case 0 ->
                u < 0.50
                        ? "windowsAzureADJoin"
                        : u < 0.75
                                ? "windowsAutoEnrollment"
                                : u < 0.88
                                        ? "windowsCoManagement"
                                        : u < 0.94 ? "windowsBulkUserless" : "userEnrollment";
            case 1, 2 ->
                owner.equals("personal")
                        ? (u < 0.6 ? "appleUserEnrollment" : "userEnrollment")
                        : (u < 0.8 ? "appleBulkWithUser" : "appleBulkWithoutUser");
            case 3 -> u < 0.75 ? "userEnrollment" : u < 0.90 ? "deviceEnrollmentManager" : "unknown";
            case 4 -> u < 0.7 ? "appleBulkWithUser" : "userEnrollment";
            default -> "userEnrollment";
        };
    }

    private static String osVersion(int os, double u) {
        return switch (os) {
            case 0 -> u < 0.7 ? "10.0.22631.4460" : u < 0.9 ? "10.0.26100.2314" : "10.0.19045.5131";
            case 1 -> u < 0.6 ? "18.1.1" : "17.7.2";
            case 2 -> u < 0.6 ? "18.1" : "17.6.1";
            case 3 -> u < 0.5 ? "15" : u < 0.85 ? "14" : "13";
            case 4 -> u < 0.6 ? "15.1.1" : "14.7.1";
            default -> u < 0.7 ? "24.04" : "22.04";
        };
    }

    private static String[] hardware(int os, double u) {
        return switch (os) {
            case 0 ->
                u < 0.4
                        ? new String[] {"Latitude 7440", "Dell Inc."}
                        : u < 0.7
                                ? new String[] {"ThinkPad T14 Gen 4", "LENOVO"}
                                : new String[] {"Surface Laptop 6", "Microsoft Corporation"};
            case 1 -> new String[] {u < 0.5 ? "iPhone 15" : "iPhone 14", "Apple"};
            case 2 -> new String[] {"iPad Air", "Apple"};
            case 3 -> u < 0.5 ? new String[] {"Pixel 8", "Google"} : new String[] {"Galaxy S23", "samsung"};
            case 4 -> new String[] {"MacBook Pro", "Apple"};
            default -> new String[] {"OptiPlex 7010", "Dell Inc."};
        };
    }

    private String code(int i, int length) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        long h = Rng.hash(seed, i, 19);
        StringBuilder sb = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            sb.append(alphabet.charAt((int) Math.floorMod(h, alphabet.length())));
            h = Rng.mix(h + k);
        }
        return sb.toString();
    }

    private String uuid(long i, long salt) {
        return Rng.uuid(seed, i, salt);
    }

    private List<CompliancePolicy> generatePolicies() {
        List<CompliancePolicy> list = new ArrayList<>();
        Object[][] defs = {
            {"Windows 11 - Baseline compliance", "#microsoft.graph.windows10CompliancePolicy", List.of("Windows"), 1.0},
            {"Windows - BitLocker required", "#microsoft.graph.windows10CompliancePolicy", List.of("Windows"), 0.9},
            {"Windows - Defender and firewall", "#microsoft.graph.windows10CompliancePolicy", List.of("Windows"), 0.75},
            {"iOS - Passcode and minimum OS", "#microsoft.graph.iosCompliancePolicy", List.of("iOS", "iPadOS"), 1.0},
            {"iOS - Jailbreak detection", "#microsoft.graph.iosCompliancePolicy", List.of("iOS", "iPadOS"), 0.8},
            {
                "Android Enterprise - Work profile",
                "#microsoft.graph.androidWorkProfileCompliancePolicy",
                List.of("Android"),
                0.7
            },
            {
                "Android - Device administrator (legacy)",
                "#microsoft.graph.androidCompliancePolicy",
                List.of("Android"),
                0.3
            },
            {"macOS - FileVault and minimum OS", "#microsoft.graph.macOSCompliancePolicy", List.of("macOS"), 1.0},
        };
        for (int p = 0; p < defs.length; p++) {
            @SuppressWarnings("unchecked")
            List<String> os = (List<String>) defs[p][2];
            list.add(new CompliancePolicy(
                    uuid(1_000_000_000L + p, 40), (String) defs[p][0], (String) defs[p][1], os, (double) defs[p][3]));
        }
        return List.copyOf(list);
    }

    /** Whether {@code policy} is assigned to the device with {@code index}. */
    public boolean assigned(CompliancePolicy policy, SimulatedDevice device) {
        return policy.operatingSystems().contains(device.operatingSystem())
                && Rng.unit(seed, device.index(), 50 + policies.indexOf(policy)) < policy.coverage();
    }

    /** The overview aggregates for the current epoch (cached). */
    public Aggregates aggregates() {
        long epoch = epoch();
        ScenarioEffects effects = effects();
        CachedAggregates c = cached;
        // Active devices' last syncs move continuously, but no aggregate depends on them, so per-epoch caching is
        // exact.
        if (c == null || c.aggregates().epoch() != epoch || !c.effects().equals(effects)) {
            c = new CachedAggregates(computeAggregates(epoch, effects), effects);
            cached = c;
        }
        return c.aggregates();
    }

    private Aggregates computeAggregates(long epoch, ScenarioEffects effects) {
        Map<String, Long> overview = Tally.zeros("enrolledDeviceCount", "mdmEnrolledCount", "dualEnrolledDeviceCount");
        Map<String, Long> os = Tally.zeros(
                "androidCount",
                "iosCount",
                "macOSCount",
                "windowsMobileCount",
                "windowsCount",
                "unknownCount",
                "androidCorporateWorkProfileCount",
                "androidDedicatedCount",
                "androidDeviceAdminCount",
                "androidFullyManagedCount",
                "androidWorkProfileCount",
                "configMgrDeviceCount");
        Map<String, Long> exchange = Tally.zeros(
                EXCHANGE_STATES.stream().map(SimulatedTenant::exchangeCounter).toArray(String[]::new));
        Map<String, Long> compliance = Tally.stateSummary("inGracePeriodCount", "configManagerCount");
        long[][] policy = new long[policies.size()][5];
        Instant now = clock.instant();
        for (int i = 0; i < deviceCount; i++) {
            SimulatedDevice d = device(i, epoch, now, effects);
            overview.merge("enrolledDeviceCount", 1L, Long::sum);
            if (d.managementAgent().toLowerCase(Locale.ROOT).contains("mdm")) {
                overview.merge("mdmEnrolledCount", 1L, Long::sum);
            }
            if (d.managementAgent().equals("easMdm")) {
                overview.merge("dualEnrolledDeviceCount", 1L, Long::sum);
            }
            countOperatingSystem(os, d);
            exchange.merge(exchangeCounter(d.exchangeAccessState()), 1L, Long::sum);
            compliance.merge(complianceKey(d.complianceState()), 1L, Long::sum);
            if (d.operatingSystem().equals("Linux")) {
                compliance.merge("notApplicableDeviceCount", 1L, Long::sum);
            }
            countPolicies(policy, i, d);
        }
        Map<String, PolicyOverview> policyOverviews = new LinkedHashMap<>();
        for (int p = 0; p < policies.size(); p++) {
            long[] c = policy[p];
            policyOverviews.put(policies.get(p).id(), new PolicyOverview(c[0], c[1], c[2], c[3], c[4]));
        }
        return new Aggregates(
                epoch,
                Tally.frozen(overview),
                Tally.frozen(os),
                Tally.frozen(exchange),
                Tally.frozen(compliance),
                Map.copyOf(policyOverviews));
    }

    /** Counts {@code d} in the managedDeviceOverview's deviceOperatingSystemSummary. */
    private static void countOperatingSystem(Map<String, Long> os, SimulatedDevice d) {
        String osKey = switch (d.operatingSystem()) {
            case "Windows" -> "windowsCount";
            case "iOS", "iPadOS" -> "iosCount";
            case "Android" -> "androidCount";
            case "macOS" -> "macOSCount";
            default -> "unknownCount";
        };
        os.merge(osKey, 1L, Long::sum);
        if (d.operatingSystem().equals("Android")) {
            String mode = d.managementAgent().equals("googleCloudDevicePolicyController")
                    ? (d.ownerType().equals("company") ? "androidFullyManagedCount" : "androidWorkProfileCount")
                    : d.enrollmentType().equals("deviceEnrollmentManager")
                            ? "androidDedicatedCount"
                            : "androidDeviceAdminCount";
            os.merge(mode, 1L, Long::sum);
        }
        if (d.managementAgent().startsWith("configurationManager")) {
            os.merge("configMgrDeviceCount", 1L, Long::sum);
        }
    }

    /**
     * The states deviceExchangeAccessStateSummary counts, in its order: each in {@code <state>DeviceCount}, any other
     * exchangeAccessState (none) as unavailable.
     */
    private static final List<String> EXCHANGE_STATES =
            List.of("allowed", "blocked", "quarantined", "unknown", "unavailable");

    /** The deviceExchangeAccessStateSummary counter of an exchangeAccessState. */
    private static String exchangeCounter(String exchangeAccessState) {
        return (EXCHANGE_STATES.contains(exchangeAccessState) ? exchangeAccessState : "unavailable") + "DeviceCount";
    }

    /** The deviceCompliancePolicyDeviceStateSummary counter of a complianceState. */
    private static String complianceKey(String complianceState) {
        return switch (complianceState) {
            case "compliant" -> "compliantDeviceCount";
            case "noncompliant" -> "nonCompliantDeviceCount";
            case "inGracePeriod" -> "inGracePeriodCount";
            case "error" -> "errorDeviceCount";
            case "conflict" -> "conflictDeviceCount";
            case "configManager" -> "configManagerCount";
            default -> "unknownDeviceCount";
        };
    }

    /** Counts device {@code i} in the deviceStatusOverview of each policy assigned to it. */
    private void countPolicies(long[][] policy, int i, SimulatedDevice d) {
        for (int p = 0; p < policies.size(); p++) {
            CompliancePolicy cp = policies.get(p);
            if (cp.operatingSystems().contains(d.operatingSystem())) {
                if (Rng.unit(seed, i, 50 + p) >= cp.coverage()) {
                    continue;
                }
                // v1.0 deviceStatusOverview has no conflictCount: conflicts are reported as errors.
                int slot = switch (d.complianceState()) {
                    case "compliant" -> 2;
                    case "noncompliant", "inGracePeriod" -> 4;
                    case "error", "conflict" -> 3;
                    case "configManager" -> 1;
                    default -> 0;
                };
                policy[p][slot]++;
            }
        }
    }

    /** The origin instant of the tenant's timeline (enrollment dates and stale syncs are relative to it). */
    public Instant origin() {
        return origin;
    }
}
