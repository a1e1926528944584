package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Device counts of the {@code devices} collector, kept in small dense arrays indexed by bounded label values:
 * counting a device allocates nothing and keeps nothing of the device. Every label dimension is a fixed list
 * (known values plus {@code unknown}), so the arrays have a few thousand cells whatever the fleet size.
 * Tallies of the partitions of a scan add up with {@link #merge}. Not thread-safe: one tally per scanning thread.
 */
public final class DeviceTally {
    static final List<String> OS = Platform.LABELS;
    static final List<String> COMPLIANCE =
            List.of("compliant", "noncompliant", "in_grace_period", "error", "conflict", "config_manager", "unknown");
    static final List<String> OWNER = List.of("company", "personal", "unknown");
    static final List<String> AGENT = List.of(
            "eas",
            "mdm",
            "eas_mdm",
            "intune_client",
            "eas_intune_client",
            "configuration_manager_client",
            "configuration_manager_client_mdm",
            "configuration_manager_client_mdm_eas",
            "unknown",
            "jamf",
            "google_cloud_device_policy_controller",
            "microsoft365_managed_mdm",
            "ms_sense",
            "intune_aosp");
    static final List<String> ENROLLMENT = List.of(
            "unknown",
            "user_enrollment",
            "device_enrollment_manager",
            "apple_bulk_with_user",
            "apple_bulk_without_user",
            "windows_azure_ad_join",
            "windows_bulk_userless",
            "windows_auto_enrollment",
            "windows_bulk_azure_domain_join",
            "windows_co_management",
            "windows_azure_ad_join_using_device_auth",
            "apple_user_enrollment",
            "apple_user_enrollment_with_service_account",
            "azure_ad_join_using_azure_vm_extension",
            "android_enterprise_dedicated_device",
            "android_enterprise_fully_managed",
            "android_enterprise_corporate_work_profile");
    static final List<String> MANAGEMENT = List.of(
            "managed",
            "retire_pending",
            "retire_failed",
            "wipe_pending",
            "wipe_failed",
            "unhealthy",
            "delete_pending",
            "retire_issued",
            "wipe_issued",
            "wipe_canceled",
            "retire_canceled",
            "discovered",
            "unknown");
    static final List<String> JAILBROKEN = List.of("true", "false", "unknown");

    /** A lastSync value meaning "never checked in" (or unreadable): stale in every bucket. */
    public static final long NEVER = Long.MIN_VALUE;

    /** The metric families a tally can export; a source that lacks a field leaves its family out. */
    public enum Family {
        MANAGED,
        STALE,
        ENCRYPTED,
        JAILBROKEN,
        ENROLLMENT,
        MANAGEMENT_STATE,
        RISK
    }

    private final List<Integer> staleDays;
    private final long[] staleCutoffs;
    private final long[] devices = new long[OS.size() * COMPLIANCE.size() * OWNER.size() * AGENT.size()];
    private final long[] stale;
    private final long[] encrypted = new long[OS.size() * 2];
    private final long[] jailbroken = new long[OS.size() * JAILBROKEN.size()];
    private final long[] enrollment = new long[OS.size() * ENROLLMENT.size()];
    private final long[] management = new long[MANAGEMENT.size()];
    private long count;
    /** Certificate expiry, patch age, OS-version currency and grace period, from the same scan. */
    private final DeviceRiskTally risk;

    // Raw Graph strings to label indexes, memoised: a fleet has a handful of distinct spellings per field.
    private final Index os = new Index(raw -> Platform.ofOperatingSystem(raw).label(), OS);
    private final Index compliance = new Index(v -> EnumLabels.bounded(v, Set.copyOf(COMPLIANCE)), COMPLIANCE);
    private final Index owner = new Index(v -> EnumLabels.bounded(v, Set.copyOf(OWNER)), OWNER);
    private final Index agent = new Index(v -> EnumLabels.bounded(v, Set.copyOf(AGENT)), AGENT);
    private final Index enroll = new Index(v -> EnumLabels.bounded(v, Set.copyOf(ENROLLMENT)), ENROLLMENT);
    private final Index state = new Index(v -> EnumLabels.bounded(v, Set.copyOf(MANAGEMENT)), MANAGEMENT);
    private final Index jail = new Index(v -> EnumLabels.bounded(v, Set.of("true", "false")), JAILBROKEN);

    /**
     * {@code staleDays} are the sync-age thresholds, ascending; {@code nowEpochSecond} is the collection time
     * that ages are measured from.
     */
    public DeviceTally(List<Integer> staleDays, long nowEpochSecond) {
        this.staleDays = List.copyOf(staleDays);
        this.staleCutoffs = new long[staleDays.size()];
        for (int k = 0; k < staleCutoffs.length; k++) {
            staleCutoffs[k] = nowEpochSecond - staleDays.get(k) * 86400L;
        }
        this.stale = new long[OS.size() * staleDays.size()];
        this.risk = new DeviceRiskTally(nowEpochSecond);
    }

    /** Maps a raw value to its label's index; unknown spellings land on the list's "unknown". */
    private static final class Index {
        /** Distinct spellings remembered; a fleet has a handful per field, more is odd data (resolved uncached). */
        private static final int MAX_SPELLINGS = 64;

        private final Map<String, Integer> memo = new HashMap<>();
        private final Function<String, String> normalise;
        private final List<String> labels;
        // The spellings seen, as chars: the scan compares the parser's text buffer with them, building no String.
        private final char[][] spellings = new char[MAX_SPELLINGS][];
        private final int[] spellingIndex = new int[MAX_SPELLINGS];
        private int spellingCount;

        Index(Function<String, String> normalise, List<String> labels) {
            this.normalise = normalise;
            this.labels = labels;
        }

        int of(String raw) {
            String key = raw == null ? "" : raw;
            Integer i = memo.get(key);
            if (i == null) {
                i = labels.indexOf(normalise.apply(raw));
                if (i < 0) {
                    i = labels.indexOf(EnumLabels.UNKNOWN);
                }
                if (memo.size() < 10_000) {
                    memo.put(key, i);
                }
            }
            return i;
        }

        /** {@link #of(String)} of {@code text[offset, +length)}, allocation-free once the spelling has been seen. */
        int of(char[] text, int offset, int length) {
            for (int k = 0; k < spellingCount; k++) {
                char[] s = spellings[k];
                if (s.length == length && Arrays.equals(s, 0, length, text, offset, offset + length)) {
                    return spellingIndex[k];
                }
            }
            String raw = new String(text, offset, length);
            int i = of(raw);
            if (spellingCount < MAX_SPELLINGS) {
                spellings[spellingCount] = raw.toCharArray();
                spellingIndex[spellingCount++] = i;
            }
            return i;
        }
    }

    /** The label dimensions the scan resolves from Graph text ({@link #labelIndex}). */
    enum Dimension {
        OPERATING_SYSTEM,
        COMPLIANCE,
        OWNER,
        AGENT,
        ENROLLMENT,
        MANAGEMENT_STATE,
        JAILBROKEN
    }

    private Index index(Dimension d) {
        return switch (d) {
            case OPERATING_SYSTEM -> os;
            case COMPLIANCE -> compliance;
            case OWNER -> owner;
            case AGENT -> agent;
            case ENROLLMENT -> enroll;
            case MANAGEMENT_STATE -> state;
            case JAILBROKEN -> jail;
        };
    }

    /** The label index of a raw value ({@code null}: absent) for {@link #addIndexed}. */
    int labelIndex(Dimension d, String raw) {
        return index(d).of(raw);
    }

    /** The label index of the raw value in a parser's text buffer, without building a String once seen. */
    int labelIndex(Dimension d, char[] text, int offset, int length) {
        return index(d).of(text, offset, length);
    }

    /**
     * Counts one device from its raw Graph values (enum wire strings in any casing, free-text OS).
     * {@code lastSyncEpochSecond} is {@link #NEVER} for a device that never checked in.
     */
    public void add(
            String operatingSystem,
            String complianceState,
            String ownerType,
            String managementAgent,
            String enrollmentType,
            String managementState,
            boolean isEncrypted,
            String jailBroken,
            long lastSyncEpochSecond) {
        addIndexed(
                os.of(operatingSystem),
                compliance.of(complianceState),
                owner.of(ownerType),
                agent.of(managementAgent),
                enroll.of(enrollmentType),
                state.of(managementState),
                isEncrypted,
                jail.of(jailBroken),
                lastSyncEpochSecond);
    }

    /** {@link #add} with every label already resolved by {@link #labelIndex}. */
    void addIndexed(
            int o,
            int complianceIndex,
            int ownerIndex,
            int agentIndex,
            int enrollmentIndex,
            int stateIndex,
            boolean isEncrypted,
            int jailIndex,
            long lastSyncEpochSecond) {
        addManagedIndexed(o, complianceIndex, ownerIndex, agentIndex, lastSyncEpochSecond);
        encrypted[o * 2 + (isEncrypted ? 0 : 1)]++;
        jailbroken[o * JAILBROKEN.size() + jailIndex]++;
        enrollment[o * ENROLLMENT.size() + enrollmentIndex]++;
        management[stateIndex]++;
    }

    /** The risk half of the tally, for the scan to feed from the parser's buffer ({@link DeviceRiskTally#add}). */
    DeviceRiskTally risk() {
        return risk;
    }

    /**
     * Counts the risk fields of a device already counted with {@link #add}: osVersion, androidSecurityPatchLevel and the
     * MDM certificate and grace period expiries (Unix seconds, {@link #NEVER} when absent).
     */
    public void addRisk(
            String operatingSystem,
            String osVersion,
            String androidSecurityPatchLevel,
            long certificateExpiry,
            long graceExpiry) {
        risk.add(os.of(operatingSystem), osVersion, androidSecurityPatchLevel, certificateExpiry, graceExpiry);
    }

    /** Counts a device of a source that has only OS, compliance, ownership, agent and last contact (export reports). */
    public void addManaged(
            String operatingSystem,
            String complianceState,
            String ownerType,
            String managementAgent,
            long lastSyncEpochSecond) {
        addManagedIndexed(
                os.of(operatingSystem),
                compliance.of(complianceState),
                owner.of(ownerType),
                agent.of(managementAgent),
                lastSyncEpochSecond);
    }

    private void addManagedIndexed(int o, int complianceIndex, int ownerIndex, int agentIndex, long lastSync) {
        int cell = ((o * COMPLIANCE.size() + complianceIndex) * OWNER.size() + ownerIndex) * AGENT.size() + agentIndex;
        devices[cell]++;
        for (int k = 0; k < staleCutoffs.length; k++) {
            if (lastSync < staleCutoffs[k]) {
                stale[o * staleCutoffs.length + k]++;
            }
        }
        count++;
    }

    /** Devices counted so far. */
    public long count() {
        return count;
    }

    /** Adds another tally's counts (same thresholds and collection time) to this one. */
    public DeviceTally merge(DeviceTally other) {
        if (!other.staleDays.equals(staleDays) || other.staleCutoffs[0] != staleCutoffs[0]) {
            throw new IllegalArgumentException("tallies of different collections cannot be merged");
        }
        addAll(counts(), other.counts());
        risk.merge(other.risk);
        count += other.count;
        return this;
    }

    /** Every count array, in one fixed order (what {@link #merge} adds up). */
    private List<long[]> counts() {
        return List.of(devices, stale, encrypted, jailbroken, enrollment, management);
    }

    /** Adds each array of {@code from} to the array of the same size at the same place in {@code into}. */
    static void addAll(List<long[]> into, List<long[]> from) {
        for (int a = 0; a < into.size(); a++) {
            long[] target = into.get(a);
            long[] source = from.get(a);
            for (int i = 0; i < target.length; i++) {
                target[i] += source[i];
            }
        }
    }

    /** Every family a tally can export, the risk families included (the export-job source fills only the first two). */
    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_managed_devices{operating_system,compliance_state,owner_type,management_agent}
                Managed devices by operating system, compliance state, ownership and management agent (full
                managedDevices scan).
            gauge intune_stale_devices{operating_system,days}
                Managed devices whose last check-in (lastSyncDateTime) is more than `days` days ago; never-synced
                devices count in every bucket.
            gauge intune_devices_encrypted{operating_system,encrypted}
                Managed devices by operating system and whether storage is encrypted (isEncrypted).
            gauge intune_devices_jailbroken{operating_system,jailbroken}
                Managed devices by operating system and jailbreak/root detection (jailBroken: true, false, unknown).
            gauge intune_enrollment_type_devices{operating_system,enrollment_type}
                Managed devices by operating system and enrollment type (deviceEnrollmentType).
            gauge intune_management_state_devices{state}
                Managed devices by management state (managed, retire_pending, wipe_pending, ...).
            """).and(DeviceRiskTally.FAMILIES);

    /** The metric families of the devices collector. */
    public MetricSnapshots snapshot(Set<Family> families) {
        EnumSet<Family> wanted = families.isEmpty() ? EnumSet.noneOf(Family.class) : EnumSet.copyOf(families);
        SnapshotBuilder out = new SnapshotBuilder();
        boolean[] seenOs = new boolean[OS.size()];
        int perOs = COMPLIANCE.size() * OWNER.size() * AGENT.size();
        for (int i = 0; i < devices.length; i++) {
            if (devices[i] > 0) {
                seenOs[i / perOs] = true;
            }
        }
        if (wanted.contains(Family.MANAGED)) {
            out.add(managed());
        }
        if (wanted.contains(Family.STALE)) {
            GaugeFamily f = FAMILIES.gauge("intune_stale_devices");
            perOs(seenOs, staleDays.size(), stale, f, k -> Integer.toString(staleDays.get(k)), false);
            out.add(f);
        }
        if (wanted.contains(Family.ENCRYPTED)) {
            GaugeFamily f = FAMILIES.gauge("intune_devices_encrypted");
            perOs(seenOs, 2, encrypted, f, k -> k == 0 ? "true" : "false", false);
            out.add(f);
        }
        if (wanted.contains(Family.JAILBROKEN)) {
            GaugeFamily f = FAMILIES.gauge("intune_devices_jailbroken");
            perOs(seenOs, JAILBROKEN.size(), jailbroken, f, JAILBROKEN::get, false);
            out.add(f);
        }
        if (wanted.contains(Family.ENROLLMENT)) {
            GaugeFamily f = FAMILIES.gauge("intune_enrollment_type_devices");
            perOs(seenOs, ENROLLMENT.size(), enrollment, f, ENROLLMENT::get, true);
            out.add(f);
        }
        if (wanted.contains(Family.MANAGEMENT_STATE)) {
            GaugeFamily f = FAMILIES.gauge("intune_management_state_devices");
            for (int s = 0; s < MANAGEMENT.size(); s++) {
                if (management[s] > 0 || MANAGEMENT.get(s).equals("managed")) {
                    f.set(management[s], MANAGEMENT.get(s));
                }
            }
            out.add(f);
        }
        if (wanted.contains(Family.RISK)) {
            risk.addTo(out, seenOs);
        }
        return out.build();
    }

    /** intune_managed_devices: every compliance state of an OS/owner/agent combination present, 0 included. */
    private GaugeFamily managed() {
        GaugeFamily f = FAMILIES.gauge("intune_managed_devices");
        // Every compliance state of an OS/owner/agent combination present is exported, 0 included, so ratios never lose
        // series.
        for (int o = 0; o < OS.size(); o++) {
            for (int w = 0; w < OWNER.size(); w++) {
                for (int a = 0; a < AGENT.size(); a++) {
                    long total = 0;
                    for (int c = 0; c < COMPLIANCE.size(); c++) {
                        total += devices[((o * COMPLIANCE.size() + c) * OWNER.size() + w) * AGENT.size() + a];
                    }
                    if (total == 0) {
                        continue;
                    }
                    for (int c = 0; c < COMPLIANCE.size(); c++) {
                        f.set(
                                devices[((o * COMPLIANCE.size() + c) * OWNER.size() + w) * AGENT.size() + a],
                                OS.get(o),
                                COMPLIANCE.get(c),
                                OWNER.get(w),
                                AGENT.get(a));
                    }
                }
            }
        }
        return f;
    }

    /** One series per OS present and value; {@code onlyNonZero} drops the zeros of families without a fixed value set. */
    private static void perOs(
            boolean[] seenOs, int width, long[] counts, GaugeFamily f, IntFunction<String> label, boolean onlyNonZero) {
        for (int o = 0; o < OS.size(); o++) {
            if (!seenOs[o]) {
                continue;
            }
            for (int k = 0; k < width; k++) {
                long v = counts[o * width + k];
                if (v > 0 || !onlyNonZero) {
                    f.set(v, OS.get(o), label.apply(k));
                }
            }
        }
    }
}
