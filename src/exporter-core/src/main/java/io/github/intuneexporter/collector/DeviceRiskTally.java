package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpec;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slow-burning device risks counted in the same single managedDevices scan as {@link DeviceTally}: MDM certificate
 * expiry, Android security-patch age, OS-version currency and the compliance grace period. Fed one device at a time
 * by DeviceTally (which owns the OS index); keeps only counters, plus per OS a small map of release to device count
 * from which "releases behind the newest seen" is derived once the scan is complete.
 * Not thread-safe: one per scanning thread, merged like DeviceTally.
 */
final class DeviceRiskTally {
    /**
     * The operating_system values: the kit's {@link Platform} vocabulary, the same list DeviceTally indexes (read from
     * Platform, not DeviceTally, whose static families include these: no class-initialisation cycle).
     */
    private static final List<String> OS = Platform.LABELS;
    /** Thresholds of intune_management_certificate_expiring_devices (cumulative: expires within that many days). */
    static final List<Integer> CERTIFICATE_DAYS = List.of(7, 30, 90);
    /** Android security-patch age buckets, upper bounds in days (exclusive buckets); older ones fall in the last label. */
    private static final int[] PATCH_BOUNDS = {30, 90, 180, 365};

    static final List<String> PATCH_AGES = List.of("0-30", "31-90", "91-180", "181-365", "366+", "unknown");
    /** Operating systems whose osVersion is ranked by release (Android is covered by its patch level instead). */
    static final List<String> VERSIONED = java.util.stream.Stream.of(
                    Platform.WINDOWS, Platform.IOS, Platform.IPADOS, Platform.MACOS)
            .map(Platform::label)
            .toList();

    static final List<String> RELEASES_BEHIND = List.of("0", "1", "2+", "unknown");
    /** Distinct releases remembered per OS; a device on a further release counts as "unknown" (bounded memory). */
    static final int MAX_RELEASES = 64;
    /** A grace period further away than this is Graph's "not in grace" (9999-12-31), not a real deadline. */
    private static final long MAX_GRACE_SECONDS = 366L * 86400;

    private static final long DAY = 86400;

    private final long now;
    private final long[] certificateCutoffs = new long[CERTIFICATE_DAYS.size()];
    private final long[] certificateExpiring = new long[OS.size() * CERTIFICATE_DAYS.size()];
    private final long[] certificateExpired = new long[OS.size()];
    private final long[] inGrace = new long[OS.size()];
    private final long[] graceEnding = new long[OS.size()];
    private final long[] patchAge = new long[PATCH_AGES.size()];
    private final int[] versionedIndex = new int[OS.size()];

    @SuppressWarnings("unchecked")
    private final Map<Long, long[]>[] releases = new Map[VERSIONED.size()];

    private final long[] unparsedVersions = new long[VERSIONED.size()];
    private final int androidIndex = OS.indexOf(Platform.ANDROID.label());
    private final Map<String, Long> memo = new HashMap<>();

    DeviceRiskTally(long nowEpochSecond) {
        this.now = nowEpochSecond;
        for (int k = 0; k < certificateCutoffs.length; k++) {
            certificateCutoffs[k] = now + CERTIFICATE_DAYS.get(k) * DAY;
        }
        for (int o = 0; o < OS.size(); o++) {
            versionedIndex[o] = VERSIONED.indexOf(OS.get(o));
        }
        for (int v = 0; v < releases.length; v++) {
            releases[v] = new HashMap<>();
        }
    }

    /**
     * Counts one device. Times are Unix seconds, {@link DeviceTally#NEVER} when Graph sent none (or 0001-01-01);
     * {@code osVersion} and {@code patchLevel} are the raw strings.
     */
    void add(int os, String osVersion, String patchLevel, long certificateExpiry, long graceExpiry) {
        if (certificateExpiry != DeviceTally.NEVER) {
            if (certificateExpiry <= now) {
                certificateExpired[os]++;
            } else {
                for (int k = 0; k < certificateCutoffs.length; k++) {
                    if (certificateExpiry <= certificateCutoffs[k]) {
                        certificateExpiring[os * certificateCutoffs.length + k]++;
                    }
                }
            }
        }
        if (graceExpiry != DeviceTally.NEVER && graceExpiry > now && graceExpiry - now <= MAX_GRACE_SECONDS) {
            inGrace[os]++;
            if (graceExpiry - now <= DAY) {
                graceEnding[os]++;
            }
        }
        if (os == androidIndex) {
            patchAge[patchBucket(patchLevel)]++;
        }
        int v = versionedIndex[os];
        if (v >= 0) {
            long release = release(OS.get(os), osVersion);
            Map<Long, long[]> seen = releases[v];
            long[] count = release < 0 ? null : seen.get(release);
            if (count == null && release >= 0 && seen.size() < MAX_RELEASES) {
                count = new long[1];
                seen.put(release, count);
            }
            if (count == null) {
                unparsedVersions[v]++;
            } else {
                count[0]++;
            }
        }
    }

    private int patchBucket(String patchLevel) {
        long day = patchDay(patchLevel);
        if (day == Long.MIN_VALUE) {
            return PATCH_AGES.size() - 1;
        }
        long ageDays = Math.max(0, (now - day * DAY) / DAY);
        for (int b = 0; b < PATCH_BOUNDS.length; b++) {
            if (ageDays <= PATCH_BOUNDS[b]) {
                return b;
            }
        }
        return PATCH_BOUNDS.length;
    }

    /** The epoch day of an androidSecurityPatchLevel ("2024-10-01" or "2024-10"); MIN_VALUE when unreadable. */
    private long patchDay(String raw) {
        if (raw == null || raw.isBlank()) {
            return Long.MIN_VALUE;
        }
        Long cached = memo.get(raw);
        if (cached != null) {
            return cached;
        }
        long day;
        try {
            String v = raw.trim();
            day = java.time.LocalDate.parse(v.length() == 7 ? v + "-01" : v).toEpochDay();
        } catch (java.time.DateTimeException e) {
            day = Long.MIN_VALUE;
        }
        if (memo.size() < 1000) {
            memo.put(raw, day);
        }
        return day;
    }

    /**
     * The release a version belongs to, as a sortable number; -1 when unreadable. Windows: the feature build
     * ({@code 10.0.22631.4460} is release 10.0.22631; the fourth part is the monthly update). Apple: major.minor
     * ({@code 18.1.1} is release 18.1).
     */
    static long release(String os, String version) {
        if (version == null) {
            return -1;
        }
        int parts = os.equals(Platform.WINDOWS.label()) ? 3 : 2;
        long key = 0;
        int read = 0;
        int i = 0;
        String v = version.trim();
        while (read < parts) {
            int start = i;
            long n = 0;
            while (i < v.length() && Character.isDigit(v.charAt(i)) && i - start < 6) {
                n = n * 10 + (v.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                if (read == 0 || i < v.length()) {
                    return -1; // no leading number, or letters inside the compared parts
                }
                n = 0; // "18" is 18.0
            }
            key = key * 1_000_000L + n;
            read++;
            if (i < v.length()) {
                if (v.charAt(i) != '.' && read < parts) {
                    return -1;
                }
                i++;
            }
        }
        return key;
    }

    void merge(DeviceRiskTally other) {
        if (other.now != now) {
            throw new IllegalArgumentException("tallies of different collections cannot be merged");
        }
        add(certificateExpiring, other.certificateExpiring);
        add(certificateExpired, other.certificateExpired);
        add(inGrace, other.inGrace);
        add(graceEnding, other.graceEnding);
        add(patchAge, other.patchAge);
        add(unparsedVersions, other.unparsedVersions);
        for (int v = 0; v < releases.length; v++) {
            for (Map.Entry<Long, long[]> e : other.releases[v].entrySet()) {
                long[] mine = releases[v].get(e.getKey());
                if (mine == null && releases[v].size() < MAX_RELEASES) {
                    releases[v].put(e.getKey(), new long[] {e.getValue()[0]});
                } else if (mine == null) {
                    unparsedVersions[v] += e.getValue()[0];
                } else {
                    mine[0] += e.getValue()[0];
                }
            }
        }
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    /** Devices by release distance: [0 behind, 1 behind, 2 or more behind, unknown] for versioned OS {@code v}. */
    long[] releasesBehind(int v) {
        Long[] keys = releases[v].keySet().toArray(new Long[0]);
        Arrays.sort(keys, java.util.Comparator.reverseOrder());
        long[] out = new long[RELEASES_BEHIND.size()];
        for (int rank = 0; rank < keys.length; rank++) {
            out[Math.min(rank, 2)] += releases[v].get(keys[rank])[0];
        }
        out[3] = unparsedVersions[v];
        return out;
    }

    static final FamilySpec CERTIFICATE_EXPIRING = FamilySpec.gauge(
            "intune_management_certificate_expiring_devices",
            "Managed devices whose MDM management certificate (managementCertificateExpirationDate) expires within `days` "
                    + "days (7, 30, 90; cumulative), not yet expired.",
            "operating_system",
            "days");
    static final FamilySpec CERTIFICATE_EXPIRED = FamilySpec.gauge(
            "intune_management_certificate_expired_devices",
            "Managed devices whose MDM management certificate (managementCertificateExpirationDate) has expired.",
            "operating_system");
    static final FamilySpec GRACE_PERIOD = FamilySpec.gauge(
            "intune_compliance_grace_period_devices",
            "Managed devices in their compliance grace period (complianceGracePeriodExpirationDateTime in the future).",
            "operating_system");
    static final FamilySpec GRACE_PERIOD_ENDING = FamilySpec.gauge(
            "intune_compliance_grace_period_ending_devices",
            "Managed devices whose compliance grace period ends within 24 hours: they turn noncompliant unless fixed.",
            "operating_system");
    static final FamilySpec OS_VERSION_CURRENCY = FamilySpec.gauge(
            "intune_os_version_currency_devices",
            "Windows, iOS, iPadOS and macOS devices by how many releases (Windows feature build, Apple major.minor) their "
                    + "osVersion is behind the newest release seen in the tenant for that OS: 0, 1, 2+ or unknown.",
            "operating_system",
            "releases_behind");
    static final FamilySpec PATCH_AGE = FamilySpec.gauge(
            "intune_android_security_patch_age_devices",
            "Android devices by the age in days of their security patch level (androidSecurityPatchLevel): 0-30, 31-90, "
                    + "91-180, 181-365, 366+, or unknown when the device reports none.",
            "age_days");
    /** Every family of the risk tally, in export order. */
    static final List<FamilySpec> FAMILIES = List.of(
            CERTIFICATE_EXPIRING,
            CERTIFICATE_EXPIRED,
            GRACE_PERIOD,
            GRACE_PERIOD_ENDING,
            OS_VERSION_CURRENCY,
            PATCH_AGE);

    /** Adds the families, one series set per OS present ({@code seenOs}), zeros included so ratios never lose series. */
    void addTo(SnapshotBuilder out, boolean[] seenOs) {
        GaugeFamily expiring = CERTIFICATE_EXPIRING.gauge();
        GaugeFamily expired = CERTIFICATE_EXPIRED.gauge();
        GaugeFamily grace = GRACE_PERIOD.gauge();
        GaugeFamily ending = GRACE_PERIOD_ENDING.gauge();
        GaugeFamily currency = OS_VERSION_CURRENCY.gauge();
        for (int o = 0; o < OS.size(); o++) {
            if (!seenOs[o]) {
                continue;
            }
            String os = OS.get(o);
            for (int k = 0; k < CERTIFICATE_DAYS.size(); k++) {
                expiring.set(
                        certificateExpiring[o * CERTIFICATE_DAYS.size() + k],
                        os,
                        Integer.toString(CERTIFICATE_DAYS.get(k)));
            }
            expired.set(certificateExpired[o], os);
            grace.set(inGrace[o], os);
            ending.set(graceEnding[o], os);
            int v = versionedIndex[o];
            if (v >= 0) {
                long[] behind = releasesBehind(v);
                for (int b = 0; b < behind.length; b++) {
                    currency.set(behind[b], os, RELEASES_BEHIND.get(b));
                }
            }
        }
        out.add(expiring);
        out.add(expired);
        out.add(grace);
        out.add(ending);
        out.add(currency);
        GaugeFamily patch = PATCH_AGE.gauge();
        if (seenOs[androidIndex]) {
            for (int b = 0; b < PATCH_AGES.size(); b++) {
                patch.set(patchAge[b], PATCH_AGES.get(b));
            }
        }
        out.add(patch);
    }
}
