package io.github.intuneexporter.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tenant's device configuration profiles (deviceConfigurations) and their per-device states, from which
 * both each profile's deviceStatusOverview and the tenant-wide deviceConfigurationDeviceStateSummaries are
 * aggregated, so the two always agree. 10 to 30 profiles depending on the seed; a few of them have errors or
 * conflicts that grow epoch after epoch for six hours, then reset. Tests read {@link #profiles()}, {@link #aggregates()} as
 * ground truth.
 */
public final class ConfigurationData {
    private static final List<String> WINDOWS = List.of("Windows");

    /** Which kind of trouble a profile develops over time. */
    public enum Trouble {
        NONE,
        ERRORS,
        CONFLICTS
    }

    /** A generated profile: its platform devices, the share of them it is assigned to, and its trouble. */
    public record Profile(
            String id,
            String displayName,
            String odataType,
            List<String> operatingSystems,
            double coverage,
            Trouble trouble,
            boolean dropsPendingCount) {}

    /** Device counts of one profile's deviceStatusOverview, conflicts apart (v1.0 adds them to errors). */
    public record Overview(long success, long error, long conflict, long failed, long pending, long notApplicable) {}

    /** Everything the configuration endpoints report, for one epoch. */
    public record Aggregates(long epoch, Map<String, Overview> overviews, Map<String, Long> stateSummary) {}

    /** {@code type}: a v1.0 subtype of deviceConfiguration. */
    private record Def(String name, String type, List<String> os, double coverage, Trouble trouble) {}

    /** The catalogue, from {@code /simulator/configuration-profiles.tsv}; a row's index seeds its profile's id. */
    private static final Def[] CATALOGUE = DataTable.rows("configuration-profiles.tsv", 5).stream()
            .map(row -> new Def(
                    row[0],
                    row[1],
                    ReportPlatform.named(row[2]).operatingSystems(),
                    Double.parseDouble(row[3]),
                    Trouble.valueOf(row[4])))
            .toArray(Def[]::new);

    private final SimulatedTenant tenant;
    private final long seed;
    private final List<Profile> profiles;
    private volatile Aggregates cached;

    public ConfigurationData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed() ^ 0x636f6e666967L;
        this.profiles = generate();
    }

    private List<Profile> generate() {
        int n = 10 + (int) Math.floorMod(Rng.hash(seed, 0, 300), 21L);
        List<Integer> chosen = Rng.choose(seed, 301, CATALOGUE.length, n, d -> CATALOGUE[d].trouble() != Trouble.NONE);
        List<Profile> out = new ArrayList<>();
        for (int d : chosen) {
            Def def = CATALOGUE[d];
            out.add(new Profile(uuid(d, 302), def.name(), def.type(), def.os(), def.coverage(), def.trouble(), false));
        }
        if (tenant.oddValues() > 0) {
            // What a tenant can also hold: a profile type newer than the exporter, a profile without a display name,
            // and an overview that leaves a count out.
            out.add(new Profile(
                    uuid(900, 302),
                    "visionOS - Device features",
                    "#microsoft.graph.visionOSDeviceFeaturesConfiguration",
                    List.of(),
                    0,
                    Trouble.NONE,
                    false));
            out.add(new Profile(
                    uuid(901, 302),
                    null,
                    "#microsoft.graph.windows10CustomConfiguration",
                    WINDOWS,
                    0.2,
                    Trouble.NONE,
                    false));
            out.add(new Profile(
                    uuid(902, 302),
                    "Windows - OMA-URI settings",
                    "#microsoft.graph.windows10CustomConfiguration",
                    WINDOWS,
                    0.4,
                    Trouble.NONE,
                    true));
        }
        return List.copyOf(out);
    }

    public List<Profile> profiles() {
        return profiles;
    }

    public Profile profile(String id) {
        return profiles.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
    }

    /** Aggregates for the current epoch (cached per epoch). */
    public Aggregates aggregates() {
        long epoch = tenant.epoch();
        Aggregates a = cached;
        if (a == null || a.epoch() != epoch) {
            a = compute(epoch);
            cached = a;
        }
        return a;
    }

    private static final int SUCCESS = 0,
            ERROR = 1,
            CONFLICT = 2,
            FAILED = 3,
            PENDING = 4,
            NOT_APPLICABLE = 5,
            NONE = -1;

    /** The state of profile {@code p} on device {@code i}, or NONE when the profile does not reach the device. */
    private int state(int p, Profile profile, int i, String os, long epoch) {
        double assign = Rng.unit(seed, i, 400 + p);
        if (!profile.operatingSystems().contains(os)) {
            // Assigned groups hold devices of other platforms too; Intune reports them as not applicable.
            return assign < profile.coverage() * 0.15 ? NOT_APPLICABLE : NONE;
        }
        if (assign >= profile.coverage()) {
            return NONE;
        }
        double error = 0.01;
        double conflict = 0.003;
        // Trouble builds up over six hours of epochs, then is fixed and starts again, so the demo always moves; in this
        // healthy tenant it stays under 5 % of the targeted devices (the spike alert's ratio), as on a normal day.
        double build = Math.floorMod(epoch, 360L) / 360.0;
        if (profile.trouble() == Trouble.ERRORS) {
            error = 0.02 + 0.025 * build;
        } else if (profile.trouble() == Trouble.CONFLICTS) {
            conflict = 0.01 + 0.03 * build;
        }
        double u = Rng.unit(seed, i, 500 + p);
        double[] bounds = {error, conflict, 0.005, 0.03, 0.01};
        int[] states = {ERROR, CONFLICT, FAILED, PENDING, NOT_APPLICABLE};
        for (int k = 0; k < bounds.length; k++) {
            if (u < bounds[k]) {
                return states[k];
            }
            u -= bounds[k];
        }
        return SUCCESS;
    }

    private Aggregates compute(long epoch) {
        long[][] counts = new long[profiles.size()][6];
        Map<String, Long> summary = Tally.stateSummary();
        tenant.forEachDevice(d -> {
            boolean[] any = new boolean[6];
            for (int p = 0; p < profiles.size(); p++) {
                int s = state(p, profiles.get(p), d.index(), d.operatingSystem(), epoch);
                if (s != NONE) {
                    counts[p][s]++;
                    any[s] = true;
                }
            }
            // A device's overall state is its worst profile state.
            String key = any[ERROR]
                    ? "errorDeviceCount"
                    : any[CONFLICT]
                            ? "conflictDeviceCount"
                            : any[FAILED]
                                    ? "nonCompliantDeviceCount"
                                    : any[PENDING]
                                            ? "unknownDeviceCount"
                                            : any[SUCCESS]
                                                    ? (Rng.unit(seed, d.index(), 600) < 0.02
                                                            ? "remediatedDeviceCount"
                                                            : "compliantDeviceCount")
                                                    : "notApplicableDeviceCount";
            summary.merge(key, 1L, Long::sum);
        });
        Map<String, Overview> overviews = new LinkedHashMap<>();
        for (int p = 0; p < profiles.size(); p++) {
            long[] c = counts[p];
            overviews.put(
                    profiles.get(p).id(),
                    new Overview(c[SUCCESS], c[ERROR], c[CONFLICT], c[FAILED], c[PENDING], c[NOT_APPLICABLE]));
        }
        return new Aggregates(epoch, Map.copyOf(overviews), Tally.frozen(summary));
    }

    private String uuid(long key, long salt) {
        return Rng.uuid(seed, key, salt);
    }
}
