package io.github.intuneexporter.collector;

import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.Platform;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

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
    static final List<String> VERSIONED = Stream.of(Platform.WINDOWS, Platform.IOS, Platform.IPADOS, Platform.MACOS)
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

    /** Per versioned OS: devices by release (the OS-version histogram, at most MAX_RELEASES releases). */
    private final ReleaseCounts[] releases = new ReleaseCounts[VERSIONED.size()];

    private final long[] unparsedVersions = new long[VERSIONED.size()];
    private final int androidIndex = OS.indexOf(Platform.ANDROID.label());
    private final int windowsIndex = OS.indexOf(Platform.WINDOWS.label());

    DeviceRiskTally(long nowEpochSecond) {
        this.now = nowEpochSecond;
        for (int k = 0; k < certificateCutoffs.length; k++) {
            certificateCutoffs[k] = now + CERTIFICATE_DAYS.get(k) * DAY;
        }
        for (int o = 0; o < OS.size(); o++) {
            versionedIndex[o] = VERSIONED.indexOf(OS.get(o));
        }
        for (int v = 0; v < releases.length; v++) {
            releases[v] = new ReleaseCounts();
        }
    }

    /**
     * Counts one device. Times are Unix seconds, {@link DeviceTally#NEVER} when Graph sent none (or 0001-01-01);
     * {@code osVersion} and {@code patchLevel} are the raw strings (null when absent).
     */
    void add(int os, String osVersion, String patchLevel, long certificateExpiry, long graceExpiry) {
        char[] version = osVersion == null ? null : osVersion.toCharArray();
        add(
                os,
                version,
                0,
                version == null ? -1 : version.length,
                patchLevel == null ? NO_PATCH_DAY : patchDay(patchLevel.toCharArray(), 0, patchLevel.length()),
                certificateExpiry,
                graceExpiry);
    }

    /**
     * Counts one device as the scan reads it: {@code osVersion[versionOffset, +versionLength)} ({@code versionLength}
     * -1 when absent) and the patch level already read with {@link #patchDay}; allocates nothing.
     */
    void add(
            int os,
            char[] osVersion,
            int versionOffset,
            int versionLength,
            long patchDay,
            long certificateExpiry,
            long graceExpiry) {
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
            patchAge[patchBucket(patchDay)]++;
        }
        int v = versionedIndex[os];
        if (v >= 0) {
            long release =
                    versionLength < 0 ? -1 : release(os == windowsIndex, osVersion, versionOffset, versionLength);
            if (release < 0 || !releases[v].add(release, 1)) {
                unparsedVersions[v]++;
            }
        }
    }

    private int patchBucket(long day) {
        if (day == NO_PATCH_DAY) {
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

    /** {@link #patchDay}'s "no readable patch level". */
    static final long NO_PATCH_DAY = Long.MIN_VALUE;

    /**
     * The epoch day of an androidSecurityPatchLevel in {@code text[offset, +length)}: "2024-10-01" or "2024-10" (the
     * 1st), surrounding blanks ignored; {@link #NO_PATCH_DAY} for anything else (blank, "unknown", 2024-02-30).
     * Read from the digits in place: no String, no LocalDate.
     */
    static long patchDay(char[] text, int offset, int length) {
        int from = skipLeadingBlanks(text, offset, offset + length);
        int to = trimTrailingBlanks(text, from, offset + length);
        int n = to - from;
        if ((n != 10 && n != 7) || text[from + 4] != '-' || (n == 10 && text[from + 7] != '-')) {
            return NO_PATCH_DAY;
        }
        int year = GraphJson.digits(text, from, 4);
        int month = GraphJson.digits(text, from + 5, 2);
        int day = n == 10 ? GraphJson.digits(text, from + 8, 2) : 1;
        if (year < 0 || month < 0 || day < 0) {
            return NO_PATCH_DAY;
        }
        long epochDay = GraphJson.epochDay(year, month, day);
        return epochDay == Long.MIN_VALUE ? NO_PATCH_DAY : epochDay;
    }

    /** The first index of {@code text[from, to)} that is not a blank (or {@code to}). */
    private static int skipLeadingBlanks(char[] text, int from, int to) {
        while (from < to && text[from] <= ' ') {
            from++;
        }
        return from;
    }

    /** The end of {@code text[from, to)} without its trailing blanks. */
    private static int trimTrailingBlanks(char[] text, int from, int to) {
        while (to > from && text[to - 1] <= ' ') {
            to--;
        }
        return to;
    }

    /**
     * The release a version belongs to, as a sortable number; -1 when unreadable. Windows: the feature build
     * ({@code 10.0.22631.4460} is release 10.0.22631; the fourth part is the monthly update). Apple: major.minor
     * ({@code 18.1.1} is release 18.1).
     */
    static long release(String os, String version) {
        return version == null
                ? -1
                : release(os.equals(Platform.WINDOWS.label()), version.toCharArray(), 0, version.length());
    }

    /** {@link #release(String, String)} on {@code text[offset, +length)}, in place (surrounding blanks ignored). */
    static long release(boolean windows, char[] text, int offset, int length) {
        int parts = windows ? 3 : 2;
        int i = skipLeadingBlanks(text, offset, offset + length);
        int end = trimTrailingBlanks(text, i, offset + length);
        long key = 0;
        int read = 0;
        while (read < parts) {
            int start = i;
            long n = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9' && i - start < 6) {
                n = n * 10 + (text[i] - '0');
                i++;
            }
            if (i == start) {
                if (read == 0 || i < end) {
                    return -1; // no leading number, or letters inside the compared parts
                }
                n = 0; // "18" is 18.0
            }
            key = key * 1_000_000L + n;
            read++;
            if (i < end) {
                if (text[i] != '.' && read < parts) {
                    return -1;
                }
                i++;
            }
        }
        return key;
    }

    /**
     * Devices per release of one OS: a few parallel arrays searched linearly (a tenant runs a handful of releases),
     * so counting a device neither boxes nor allocates; bounded to {@link #MAX_RELEASES}.
     */
    private static final class ReleaseCounts {
        private final long[] releases = new long[MAX_RELEASES];
        private final long[] devices = new long[MAX_RELEASES];
        private int size;

        /** Adds {@code n} devices on {@code release}; false when it is a new release and the table is full. */
        boolean add(long release, long n) {
            for (int k = 0; k < size; k++) {
                if (releases[k] == release) {
                    devices[k] += n;
                    return true;
                }
            }
            if (size == MAX_RELEASES) {
                return false;
            }
            releases[size] = release;
            devices[size++] = n;
            return true;
        }
    }

    void merge(DeviceRiskTally other) {
        if (other.now != now) {
            throw new IllegalArgumentException("tallies of different collections cannot be merged");
        }
        DeviceTally.addAll(counts(), other.counts());
        for (int v = 0; v < releases.length; v++) {
            ReleaseCounts theirs = other.releases[v];
            for (int k = 0; k < theirs.size; k++) {
                if (!releases[v].add(theirs.releases[k], theirs.devices[k])) {
                    unparsedVersions[v] += theirs.devices[k];
                }
            }
        }
    }

    /** Every count array, in one fixed order (what {@link #merge} adds up). */
    private List<long[]> counts() {
        return List.of(certificateExpiring, certificateExpired, inGrace, graceEnding, patchAge, unparsedVersions);
    }

    /** Devices by release distance: [0 behind, 1 behind, 2 or more behind, unknown] for versioned OS {@code v}. */
    long[] releasesBehind(int v) {
        ReleaseCounts seen = releases[v];
        long[] ascending = Arrays.copyOf(seen.releases, seen.size);
        Arrays.sort(ascending); // distinct releases: rank 0 is the newest
        long[] out = new long[RELEASES_BEHIND.size()];
        for (int k = 0; k < seen.size; k++) {
            int rank = seen.size - 1 - Arrays.binarySearch(ascending, seen.releases[k]);
            out[Math.min(rank, 2)] += seen.devices[k];
        }
        out[3] = unparsedVersions[v];
        return out;
    }

    /** Every family of the risk tally, in export order. */
    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_management_certificate_expiring_devices{operating_system,days}
                Managed devices whose MDM management certificate (managementCertificateExpirationDate) expires within
                `days` days (7, 30, 90; cumulative), not yet expired.
            gauge intune_management_certificate_expired_devices{operating_system}
                Managed devices whose MDM management certificate (managementCertificateExpirationDate) has expired.
            gauge intune_compliance_grace_period_devices{operating_system}
                Managed devices in their compliance grace period (complianceGracePeriodExpirationDateTime in the
                future).
            gauge intune_compliance_grace_period_ending_devices{operating_system}
                Managed devices whose compliance grace period ends within 24 hours: they turn noncompliant unless fixed.
            gauge intune_os_version_currency_devices{operating_system,releases_behind}
                Windows, iOS, iPadOS and macOS devices by how many releases (Windows feature build, Apple major.minor)
                their osVersion is behind the newest release seen in the tenant for that OS: 0, 1, 2+ or unknown.
            gauge intune_android_security_patch_age_devices{age_days}
                Android devices by the age in days of their security patch level (androidSecurityPatchLevel): 0-30,
                31-90, 91-180, 181-365, 366+, or unknown when the device reports none.
            """);

    /** Adds the families, one series set per OS present ({@code seenOs}), zeros included so ratios never lose series. */
    void addTo(SnapshotBuilder out, boolean[] seenOs) {
        GaugeFamily expiring = FAMILIES.gauge("intune_management_certificate_expiring_devices");
        GaugeFamily expired = FAMILIES.gauge("intune_management_certificate_expired_devices");
        GaugeFamily grace = FAMILIES.gauge("intune_compliance_grace_period_devices");
        GaugeFamily ending = FAMILIES.gauge("intune_compliance_grace_period_ending_devices");
        GaugeFamily currency = FAMILIES.gauge("intune_os_version_currency_devices");
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
        GaugeFamily patch = FAMILIES.gauge("intune_android_security_patch_age_devices");
        if (seenOs[androidIndex]) {
            for (int b = 0; b < PATCH_AGES.size(); b++) {
                patch.set(patchAge[b], PATCH_AGES.get(b));
            }
        }
        out.add(patch);
    }
}
