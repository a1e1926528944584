package io.github.intuneexporter.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.LongFunction;

/**
 * Defender / Endpoint Protection of a simulated tenant: the windowsProtectionState of each Windows device,
 * a small catalogue of real-looking malware with per-device detections, and the deviceProtectionOverview
 * and windowsMalwareOverview aggregates computed from exactly these. Deterministic from the tenant seed;
 * transient states (pending reboots, overdue scans, threat states) drift with the tenant's epoch.
 *
 * <p>Tests read the per-device records as ground truth; the aggregates are what the endpoints serve.
 */
public final class ProtectionData {
    private static final Map<SimulatedTenant, ProtectionData> BY_TENANT =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** windowsDeviceHealthState flags (wire names). */
    public static final List<String> HEALTH_FLAGS = List.of(
            "clean", "fullScanPending", "rebootPending", "manualStepsPending", "offlineScanPending", "critical");
    /** windowsMalwareThreatState (wire names). */
    public static final List<String> THREAT_STATES = List.of(
            "active",
            "actionFailed",
            "manualStepsRequired",
            "fullScanRequired",
            "rebootRequired",
            "remediatedWithNonCriticalFailures",
            "quarantined",
            "removed",
            "cleaned",
            "allowed",
            "noStatusCleared");
    // Healthy baseline: Defender remediated every detection (no unresolved state); active malware comes from scenarios.
    private static final double[] THREAT_WEIGHTS = {0, 0, 0, 0, 0, 0.01, 0.45, 0.30, 0.20, 0.02, 0.02};
    /** Scenario malware-outbreak: how the unresolved detections are spread over the unresolved states. */
    private static final double[] UNRESOLVED_WEIGHTS = {0.40, 0.15, 0.15, 0.15, 0.15, 0, 0, 0, 0, 0, 0};
    /** Threat states that still need attention: the detection is not remediated. */
    public static final Set<String> UNRESOLVED_THREAT_STATES =
            Set.of("active", "actionFailed", "manualStepsRequired", "fullScanRequired", "rebootRequired");
    /** A health flag the exporter cannot know, for odd-value tenants. */
    public static final String FUTURE_HEALTH_FLAG = "quarantinePendingFutureFlag";

    /** One entry of windowsMalwareInformation. {@code rate} is the share of Windows devices with a detection. */
    public record Malware(String id, String displayName, String severity, String category, double rate) {}

    /**
     * The windowsProtectionState of one Windows device. {@code healthFlags} are the flags the device has (wire
     * names, empty when deviceState is null); {@code deviceState} and {@code productStatus} are the strings as
     * sent, with ", " or "," separators and sometimes PascalCase. Null booleans are not reported by the device.
     */
    public record DeviceProtection(
            String deviceId,
            int deviceIndex,
            List<String> healthFlags,
            String deviceState,
            List<String> productFlags,
            String productStatus,
            Boolean malwareProtectionEnabled,
            Boolean realTimeProtectionEnabled,
            Boolean networkInspectionSystemEnabled,
            Boolean tamperProtectionEnabled,
            boolean quickScanOverdue,
            boolean fullScanOverdue,
            boolean signatureUpdateOverdue,
            boolean rebootRequired,
            boolean fullScanRequired,
            boolean isVirtualMachine,
            String engineVersion,
            String signatureVersion,
            String antiMalwareVersion,
            Instant lastQuickScanDateTime,
            Instant lastFullScanDateTime,
            Instant lastReportedDateTime) {}

    /** One malwareStateForWindowsDevice: a malware detected on a device. {@code threatState} is the wire string. */
    public record Detection(
            Malware malware,
            String deviceId,
            String deviceName,
            String osVersion,
            String threatState,
            String executionState,
            int detectionCount,
            Instant initialDetectionDateTime,
            Instant lastStateChangeDateTime) {}

    /** What the aggregate endpoints serve for one epoch. */
    record Aggregates(
            long epoch,
            ScenarioEffects effects,
            Map<String, Long> protectionOverview,
            Map<String, List<Detection>> detections,
            ObjectNode malwareOverview) {}

    private final SimulatedTenant tenant;
    private final long seed;
    private final List<Malware> malware;
    private volatile boolean overviewReported = true;
    private volatile Map<String, Integer> indexById;
    private volatile Aggregates cached;

    private ProtectionData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed();
        this.malware = catalogue(tenant.oddValues() > 0);
    }

    /** The protection data of {@code tenant} (one instance per tenant, shared by its simulator and tests). */
    public static ProtectionData of(SimulatedTenant tenant) {
        synchronized (BY_TENANT) {
            return BY_TENANT.computeIfAbsent(tenant, ProtectionData::new);
        }
    }

    /**
     * Whether GET /deviceManagement returns a deviceProtectionOverview. Tests turn it off to model a tenant
     * where Graph sends null for it.
     */
    public void setOverviewReported(boolean reported) {
        this.overviewReported = reported;
    }

    public boolean overviewReported() {
        return overviewReported;
    }

    public List<Malware> malware() {
        return malware;
    }

    private static List<Malware> catalogue(boolean withFutureValues) {
        List<Malware> list = new ArrayList<>(List.of(
                new Malware("2147735505", "Trojan:Win32/Wacatac.B!ml", "severe", "trojan", 0.02),
                new Malware("2147725085", "PUA:Win32/Presenoker", "low", "potentialUnwantedSoftware", 0.12),
                new Malware("2147685180", "HackTool:Win32/AutoKMS", "high", "tool", 0.015),
                new Malware("2147814523", "Trojan:Script/Wacatac.H!ml", "severe", "trojan", 0.01),
                new Malware("2147780203", "Ransom:Win32/Babuk.SIB!MTB", "severe", "ransom", 0.0015),
                new Malware("2147725349", "Backdoor:Win32/Bladabindi!ml", "severe", "backdoor", 0.002),
                new Malware("2147763128", "TrojanDownloader:O97M/Obfuse.PA", "severe", "trojanDownloader", 0.004),
                new Malware("2147594473", "Adware:Win32/Hotbar", "moderate", "adware", 0.006),
                new Malware("2147729892", "PUA:Win32/CoinMiner", "low", "potentialUnwantedSoftware", 0.008),
                new Malware("2147772015", "Exploit:O97M/CVE-2017-11882.RV!MTB", "severe", "exploit", 0.003),
                // Graph's windowsMalwareCategory really has both remoteControlSoftware and remote_Control_Software.
                new Malware("2147780811", "RemoteAccess:Win32/AnyDesk", "low", "remote_Control_Software", 0.02),
                new Malware("2147776302", "Behavior:Win32/Persistence.A!ml", "high", "behavior", 0.003),
                new Malware("2147630208", "Virus:Win32/Neshta.A", "severe", "virus", 0.001)));
        if (withFutureValues) {
            list.add(new Malware("2147899001", "Trojan:Win32/FutureThreat.A", "extreme", "aiGeneratedThreat", 0.01));
        }
        return List.copyOf(list);
    }

    /** The windowsProtectionState of {@code device} right now, or null when it has none (not Windows, or never reported). */
    public DeviceProtection protection(SimulatedDevice device) {
        return protection(device, tenant.epoch(), tenant.clock().instant(), tenant.effects());
    }

    private boolean isWindows(SimulatedDevice d) {
        return d.operatingSystem().equals("Windows");
    }

    private double u(int i, long salt) {
        return Rng.unit(seed, i, salt);
    }

    DeviceProtection protection(SimulatedDevice d, long epoch, Instant now, ScenarioEffects effects) {
        int i = d.index();
        if (!isWindows(d) || u(i, 200) < 0.02) {
            return null;
        }
        // Transient states are re-drawn every 10 epochs, each device at its own phase, so a few change every epoch.
        long bucket = (epoch + Math.floorMod(Rng.hash(seed, i, 201), 10L)) / 10;
        LongFunction<Double> t = salt -> Rng.unit(seed, i, salt * 1_000_003L + bucket);
        Switches s = switches(i, t, effects);
        List<String> flags = healthFlags(i, t);
        boolean pascal = tenant.oddValues() > 0 && u(i, 227) < 0.10; // PascalCase is off the contract: odd values only
        String separator = u(i, 228) < 0.6 ? ", " : ",";
        String deviceState = flags.isEmpty() ? null : wire(flags, separator, pascal);
        List<String> product = productFlags(i, s, flags);

        double v = u(i, 232);
        String engine = v < 0.85 ? "1.1.24090.11" : "1.1.24080.9";
        String antiMalware = v < 0.85 ? "4.18.24090.11" : "4.18.24080.9";
        String signature = "1.421." + (s.signatureOverdue() ? 1100 : 1400 + Math.floorMod(bucket, 90L)) + ".0";
        Instant reported = now.minusSeconds((long) (u(i, 233) * 8 * 3600));
        Instant quick = now.minus(
                s.quickOverdue()
                        ? Duration.ofDays(8 + (long) (u(i, 234) * 22))
                        : Duration.ofHours((long) (u(i, 234) * 40)));
        Instant full = now.minus(
                s.fullOverdue()
                        ? Duration.ofDays(35 + (long) (u(i, 235) * 55))
                        : Duration.ofDays((long) (u(i, 235) * 13)));
        return new DeviceProtection(
                d.id(),
                i,
                List.copyOf(flags),
                deviceState,
                List.copyOf(product),
                String.join(", ", product),
                s.malwareProtection(),
                s.realTime(),
                s.network(),
                s.tamper(),
                s.quickOverdue(),
                s.fullOverdue(),
                s.signatureOverdue(),
                flags.contains("rebootPending"),
                flags.contains("fullScanPending"),
                u(i, 229) < 0.05,
                engine,
                signature,
                antiMalware,
                quick,
                full,
                reported);
    }

    /** A device's protection switches and overdue updates and scans. Null booleans are not reported by the device. */
    private record Switches(
            boolean malwareProtection,
            Boolean realTime,
            Boolean tamper,
            Boolean network,
            boolean signatureOverdue,
            boolean quickOverdue,
            boolean fullOverdue) {}

    /** The switches of device {@code i}; the overdue ones are transient, drawn with {@code t}. */
    private Switches switches(int i, LongFunction<Double> t, ScenarioEffects effects) {
        // A well-run fleet: protection off on well under 1 % of the devices (mid-onboarding, a test box).
        boolean malwareProtection = u(i, 210) >= 0.002;
        Boolean realTime = !malwareProtection ? Boolean.FALSE : u(i, 211) >= 0.004;
        double tp = u(i, 212);
        Boolean tamper = tp < 0.005 ? null : tp >= 0.01;
        Boolean network = u(i, 213) >= 0.04;
        boolean signatureOverdue = t.apply(214) < 0.04;
        boolean quickOverdue = t.apply(215) < 0.05;
        boolean fullOverdue = t.apply(216) < 0.06;
        if (u(i, 240) < effects.defenderOutageShare()) {
            // Scenario defender-outage: protection is switched off and signature updates stopped.
            realTime = Boolean.FALSE;
            signatureOverdue = true;
        }
        return new Switches(malwareProtection, realTime, tamper, network, signatureOverdue, quickOverdue, fullOverdue);
    }

    /**
     * The windowsDeviceHealthState flags of device {@code i} (transient, drawn with {@code t}): "clean" when none,
     * empty when the device reports no state, an unknown flag on odd-value tenants.
     */
    private List<String> healthFlags(int i, LongFunction<Double> t) {
        List<String> flags = new ArrayList<>();
        if (t.apply(222) < 0.02) {
            flags.add("fullScanPending");
        }
        if (t.apply(221) < 0.03) {
            flags.add("rebootPending");
        }
        if (t.apply(223) < 0.005) {
            flags.add("manualStepsPending");
        }
        if (t.apply(224) < 0.003) {
            flags.add("offlineScanPending");
        }
        if (t.apply(220) < 0.002) {
            flags.add("critical");
        }
        if (flags.isEmpty()) {
            flags.add("clean");
        }
        boolean noState = u(i, 225) < 0.005;
        if (tenant.oddValues() > 0 && u(i, 226) < tenant.oddValues()) {
            if (flags.equals(List.of("clean"))) {
                flags.clear();
            }
            flags.add(FUTURE_HEALTH_FLAG);
            noState = false;
        }
        if (noState) {
            flags.clear();
        }
        return flags;
    }

    /** The productStatus flags of device {@code i} following from its switches and health flags; "noStatus" when none. */
    private List<String> productFlags(int i, Switches s, List<String> flags) {
        List<String> product = new ArrayList<>();
        if (!s.malwareProtection()) {
            product.add("serviceNotRunning");
        }
        if (flags.contains("fullScanPending")) {
            product.add("pendingFullScanDueToThreatAction");
        }
        if (flags.contains("rebootPending")) {
            product.add("pendingRebootDueToThreatAction");
        }
        if (flags.contains("manualStepsPending")) {
            product.add("pendingManualStepsDueToThreatAction");
        }
        if (s.signatureOverdue()) {
            product.add("avSignaturesOutOfDate");
        }
        if (s.quickOverdue()) {
            product.add("noQuickScanHappenedForSpecifiedPeriod");
        }
        if (s.fullOverdue()) {
            product.add("noFullScanHappenedForSpecifiedPeriod");
        }
        if (flags.contains("offlineScanPending")) {
            product.add("offlineScanRequired");
        }
        if (flags.contains("critical")) {
            product.add("threatRemediationFailedCritically");
        }
        if (u(i, 230) < 0.03) {
            product.add("platformOutOfDate");
        }
        if (u(i, 231) < 0.002) {
            product.add("productExpired");
        }
        if (product.isEmpty()) {
            product.add("noStatus");
        }
        return product;
    }

    private static String wire(List<String> flags, String separator, boolean pascal) {
        List<String> out = new ArrayList<>();
        for (String f : flags) {
            out.add(pascal ? Character.toUpperCase(f.charAt(0)) + f.substring(1) : f);
        }
        return String.join(separator, out);
    }

    /** The detections of every malware on every Windows device right now, in malware order, then device order. */
    public List<Detection> detections() {
        List<Detection> all = new ArrayList<>();
        for (Malware m : malware) {
            all.addAll(aggregates().detections().get(m.id()));
        }
        return all;
    }

    /** Detections of one malware (null for an unknown id). */
    List<Detection> detections(String malwareId) {
        return aggregates().detections().get(malwareId);
    }

    private Detection detection(SimulatedDevice d, int m, long epoch, Instant now) {
        int i = d.index();
        Malware mw = malware.get(m);
        if (Rng.unit(seed, i, 7000 + m) >= mw.rate()) {
            return null;
        }
        long bucket = (epoch + Math.floorMod(Rng.hash(seed, i, 7200 + m), 20L)) / 20;
        String state = THREAT_STATES.get(Rng.pick(Rng.unit(seed, i * 131L + m, 7300 + bucket), THREAT_WEIGHTS));
        if (Rng.unit(seed, i * 131L + m, 7350) < tenant.effects().unresolvedMalwareShare()) {
            // Scenario malware-outbreak: Defender could not remediate this detection.
            state = THREAT_STATES.get(Rng.pick(Rng.unit(seed, i * 131L + m, 7360), UNRESOLVED_WEIGHTS));
        }
        double odd = Rng.unit(seed, i * 131L + m, 7400);
        if (tenant.oddValues() > 0 && odd < tenant.oddValues()) {
            state = "contained"; // a threat state newer than the exporter
        } else if (tenant.oddValues() > 0 && odd > 0.95) {
            state = Character.toUpperCase(state.charAt(0)) + state.substring(1);
        }
        double e = Rng.unit(seed, i * 131L + m, 7500);
        String execution = state.equalsIgnoreCase("active")
                ? (e < 0.5 ? "running" : "notRunning")
                : e < 0.6 ? "blocked" : e < 0.9 ? "notRunning" : "unknown";
        Instant initial = tenant.origin()
                .minus(Duration.ofMinutes(30 + (long) (Rng.unit(seed, i * 131L + m, 7600) * 60 * 24 * 60)));
        Instant changed =
                now.minus(Duration.ofMinutes((long) (Rng.unit(seed, i * 131L + m, 7700 + bucket) * 60 * 24 * 3)));
        return new Detection(
                mw,
                d.id(),
                d.deviceName(),
                d.osVersion(),
                state,
                execution,
                1 + (int) (Rng.unit(seed, i * 131L + m, 7800) * 5),
                initial,
                changed.isBefore(initial) ? initial : changed);
    }

    /** Index of the device with this id, or -1. The ids never change, so the map is built once. */
    int indexOf(String deviceId) {
        Map<String, Integer> map = indexById;
        if (map == null) {
            Map<String, Integer> built = new HashMap<>();
            tenant.forEachDevice(d -> built.put(d.id(), d.index()));
            indexById = map = built;
        }
        Integer i = map.get(deviceId);
        return i == null ? -1 : i;
    }

    /** The aggregates for the current epoch (cached). */
    Aggregates aggregates() {
        long epoch = tenant.epoch();
        ScenarioEffects effects = tenant.effects();
        Aggregates a = cached;
        if (a == null || a.epoch() != epoch || !a.effects().equals(effects)) {
            a = compute(epoch, effects);
            cached = a;
        }
        return a;
    }

    private Aggregates compute(long epoch, ScenarioEffects effects) {
        Instant now = tenant.clock().instant();
        Map<String, Long> overview = Tally.zeros(
                "totalReportedDeviceCount",
                "inactiveThreatAgentDeviceCount",
                "unknownStateThreatAgentDeviceCount",
                "pendingSignatureUpdateDeviceCount",
                "cleanDeviceCount",
                "pendingFullScanDeviceCount",
                "pendingRestartDeviceCount",
                "pendingManualStepsDeviceCount",
                "pendingOfflineScanDeviceCount",
                "criticalFailuresDeviceCount",
                "pendingQuickScanDeviceCount");
        Map<String, List<Detection>> detections = new LinkedHashMap<>();
        for (Malware m : malware) {
            detections.put(m.id(), new ArrayList<>());
        }
        tenant.forEachDevice(d -> {
            if (!isWindows(d)) {
                return;
            }
            DeviceProtection p = protection(d, epoch, now, effects);
            if (p != null) {
                count(overview, p);
            }
            for (int m = 0; m < malware.size(); m++) {
                Detection det = detection(d, m, epoch, now);
                if (det != null) {
                    detections.get(malware.get(m).id()).add(det);
                }
            }
        });
        Map<String, List<Detection>> frozen = new LinkedHashMap<>();
        detections.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Aggregates(
                epoch,
                effects,
                Tally.frozen(overview),
                Collections.unmodifiableMap(frozen),
                malwareOverview(frozen, now));
    }

    /** The overview counter each health flag counts in. */
    private static final Map<String, String> FLAG_COUNTERS = Map.of(
            "clean", "cleanDeviceCount",
            "critical", "criticalFailuresDeviceCount",
            "rebootPending", "pendingRestartDeviceCount",
            "fullScanPending", "pendingFullScanDeviceCount",
            "manualStepsPending", "pendingManualStepsDeviceCount",
            "offlineScanPending", "pendingOfflineScanDeviceCount");

    private static void count(Map<String, Long> o, DeviceProtection p) {
        o.merge("totalReportedDeviceCount", 1L, Long::sum);
        List<String> f = p.healthFlags();
        if (f.isEmpty() || f.stream().anyMatch(x -> !HEALTH_FLAGS.contains(x))) {
            o.merge("unknownStateThreatAgentDeviceCount", 1L, Long::sum);
        }
        FLAG_COUNTERS.forEach((flag, counter) -> {
            if (f.contains(flag)) {
                o.merge(counter, 1L, Long::sum);
            }
        });
        if (p.quickScanOverdue()) {
            o.merge("pendingQuickScanDeviceCount", 1L, Long::sum);
        }
        if (p.signatureUpdateOverdue()) {
            o.merge("pendingSignatureUpdateDeviceCount", 1L, Long::sum);
        }
        if (Boolean.FALSE.equals(p.malwareProtectionEnabled())) {
            o.merge("inactiveThreatAgentDeviceCount", 1L, Long::sum);
        }
    }

    /** The threat state as Graph's canonical camelCase (PascalCase variants folded), for the summaries. */
    private static String canonical(String state) {
        return Character.toLowerCase(state.charAt(0)) + state.substring(1);
    }

    private static ObjectNode malwareOverview(Map<String, List<Detection>> detections, Instant now) {
        MalwareTally tally = new MalwareTally(now.toString());
        for (List<Detection> list : detections.values()) {
            if (!list.isEmpty()) {
                tally.add(list);
            }
        }
        return tally.overview();
    }

    /** The windowsMalwareOverview's counts, gathered malware by malware. */
    private static final class MalwareTally {
        private final String updated;
        private final Set<String> devices = new HashSet<>();
        private long total;
        private long distinct;
        private final Map<String, Set<String>> stateDevices = new TreeMap<>();
        private final Map<String, long[]> stateCounts = new TreeMap<>(); // detections, distinct malware
        private final Map<String, long[]> severity = new TreeMap<>();
        private final Map<String, Set<String>> executionDevices = new TreeMap<>();
        private final Map<String, Set<String>> categoryDevices = new TreeMap<>();
        // active detections, distinct active malware
        private final Map<String, long[]> categoryActive = new TreeMap<>();
        private final Map<String, Set<String>> osDevices = new TreeMap<>();
        private final ArrayNode names = TenantSimulator.MAPPER.createArrayNode();

        MalwareTally(String updated) {
            this.updated = updated;
        }

        /** Counts the detections of one malware ({@code list} is not empty). */
        void add(List<Detection> list) {
            Malware m = list.get(0).malware();
            distinct++;
            total += list.size();
            Set<String> statesOfThis = new HashSet<>();
            boolean activeSeen = false;
            Set<String> nameDevices = new HashSet<>();
            for (Detection d : list) {
                String state = canonical(d.threatState());
                devices.add(d.deviceId());
                nameDevices.add(d.deviceId());
                stateDevices.computeIfAbsent(state, k -> new HashSet<>()).add(d.deviceId());
                long[] sc = stateCounts.computeIfAbsent(state, k -> new long[2]);
                sc[0]++;
                if (statesOfThis.add(state)) {
                    sc[1]++;
                }
                executionDevices
                        .computeIfAbsent(d.executionState(), k -> new HashSet<>())
                        .add(d.deviceId());
                categoryDevices
                        .computeIfAbsent(m.category(), k -> new HashSet<>())
                        .add(d.deviceId());
                osDevices.computeIfAbsent(d.osVersion(), k -> new HashSet<>()).add(d.deviceId());
                if (UNRESOLVED_THREAT_STATES.contains(state)) {
                    long[] ca = categoryActive.computeIfAbsent(m.category(), k -> new long[2]);
                    ca[0]++;
                    if (!activeSeen) {
                        ca[1]++;
                        activeSeen = true;
                    }
                }
            }
            long[] sv = severity.computeIfAbsent(m.severity(), k -> new long[2]);
            sv[0] += list.size();
            sv[1]++;
            row(names, "malwareIdentifier", m.id(), updated)
                    .put("name", m.displayName())
                    .put("deviceCount", nameDevices.size());
        }

        /** The windowsMalwareOverview of everything added. */
        ObjectNode overview() {
            ObjectNode o = TenantSimulator.MAPPER.createObjectNode();
            o.put("malwareDetectedDeviceCount", devices.size());
            ArrayNode states = o.putArray("malwareStateSummary");
            stateCounts.forEach((state, c) -> row(states, "state", state, updated)
                    .put("deviceCount", stateDevices.get(state).size())
                    .put("malwareDetectionCount", c[0])
                    .put("distinctMalwareCount", c[1]));
            ArrayNode executions = o.putArray("malwareExecutionStateSummary");
            executionDevices.forEach((state, set) ->
                    row(executions, "executionState", state, updated).put("deviceCount", set.size()));
            ArrayNode categories = o.putArray("malwareCategorySummary");
            categoryDevices.forEach((category, set) -> {
                long[] ca = categoryActive.getOrDefault(category, new long[2]);
                row(categories, "category", category, updated)
                        .put("deviceCount", set.size())
                        .put("activeMalwareDetectionCount", ca[0])
                        .put("distinctActiveMalwareCount", ca[1]);
            });
            o.set("malwareNameSummary", names);
            ArrayNode severities = o.putArray("malwareSeveritySummary");
            severity.forEach((sev, c) -> row(severities, "severity", sev, updated)
                    .put("malwareDetectionCount", c[0])
                    .put("distinctMalwareCount", c[1]));
            o.put("totalMalwareCount", total);
            o.put("totalDistinctMalwareCount", distinct);
            ArrayNode os = o.putArray("osVersionsSummary");
            osDevices.forEach(
                    (version, set) -> row(os, "osVersion", version, updated).put("deviceCount", set.size()));
            return o;
        }
    }

    /** A new row of one of the overview's summaries: its key and the overview's time; the caller adds the counts. */
    private static ObjectNode row(ArrayNode summary, String keyField, String key, String updated) {
        ObjectNode row = summary.addObject();
        row.put(keyField, key);
        row.put("lastUpdateDateTime", updated);
        return row;
    }
}
