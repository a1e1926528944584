package io.github.intuneexporter.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The tenant's apps (mobileApps) and each app's install state on each device it reaches, from which both
 * the per-device v1.0 report (retrieveDeviceAppInstallationStatusReport) and the per-app beta summary
 * (getAppsInstallSummaryReport) are served, so the two always agree. 20 to 60 apps depending on the seed;
 * a few of them fail more and more, epoch after epoch for six hours, then reset. Tests read {@link #apps()} and {@link #aggregates()}.
 */
public final class AppData {
    /** Install states, in the order of {@link Counts}. */
    public static final List<String> STATES =
            List.of("installed", "failed", "pendingInstall", "notInstalled", "notApplicable");

    static final int INSTALLED = 0, FAILED = 1, PENDING = 2, NOT_INSTALLED = 3, NOT_APPLICABLE = 4, NONE = -1;

    /** A generated app; {@code reportPlatform} is the Platform text the reports use. */
    public record App(
            String id,
            String displayName,
            String publisher,
            String odataType,
            String reportPlatform,
            String version,
            List<String> operatingSystems,
            double coverage,
            boolean troubled,
            boolean assigned) {}

    /** Devices per install state of one app. */
    public record Counts(long installed, long failed, long pending, long notInstalled, long notApplicable) {
        public long targeted() {
            return installed + failed + pending + notInstalled + notApplicable;
        }
    }

    public record Aggregates(long epoch, Map<String, Counts> byApp) {}

    private record Def(
            String name,
            String publisher,
            String type,
            String platform,
            List<String> os,
            double coverage,
            boolean troubled,
            boolean assigned) {}

    /** The catalogue, from {@code /simulator/apps.tsv}; a row's index seeds its app's id and version. */
    private static final Def[] CATALOGUE =
            DataTable.rows("apps.tsv", 6).stream().map(AppData::def).toArray(Def[]::new);

    private static Def def(String[] row) {
        String flag = row[5];
        if (!List.of("troubled", "unassigned", "-").contains(flag)) {
            throw new IllegalStateException("apps.tsv: unknown flag " + flag + " of " + row[0]);
        }
        return new Def(
                row[0],
                row[1],
                row[2],
                row[3],
                ReportPlatform.named(row[3]).operatingSystems(),
                Double.parseDouble(row[4]),
                flag.equals("troubled"),
                !flag.equals("unassigned"));
    }

    private final SimulatedTenant tenant;
    private final long seed;
    private final List<App> apps;
    private final List<String> summaryColumns;
    private volatile String[] osByDevice;
    private volatile Aggregates cached;

    public AppData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed() ^ 0x61707073L;
        this.apps = generate();
        this.summaryColumns = shuffledColumns();
    }

    private List<App> generate() {
        int n = 20 + (int) Math.floorMod(Rng.hash(seed, 0, 700), 41L);
        List<Integer> chosen = Rng.choose(seed, 701, CATALOGUE.length, n, d -> CATALOGUE[d].troubled());
        List<App> out = new ArrayList<>();
        for (int d : chosen) {
            Def def = CATALOGUE[d];
            String version = (1 + Math.floorMod(Rng.hash(seed, d, 702), 30L)) + "."
                    + Math.floorMod(Rng.hash(seed, d, 703), 10L) + "." + Math.floorMod(Rng.hash(seed, d, 704), 5000L);
            out.add(new App(
                    uuid(d, 705),
                    def.name(),
                    def.publisher(),
                    def.type(),
                    def.platform(),
                    version,
                    def.os(),
                    def.coverage(),
                    def.troubled(),
                    def.assigned()));
        }
        return List.copyOf(out);
    }

    public List<App> apps() {
        return apps;
    }

    public App app(String id) {
        return apps.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
    }

    /** All columns of getAppsInstallSummaryReport, in this tenant's order (it differs between seeds). */
    public List<String> summaryColumns() {
        return summaryColumns;
    }

    private List<String> shuffledColumns() {
        List<String> cols = new ArrayList<>(List.of(
                "ApplicationId",
                "DisplayName",
                "Publisher",
                "Platform",
                "AppVersion",
                "InstalledDeviceCount",
                "InstalledUserCount",
                "FailedDeviceCount",
                "FailedUserCount",
                "PendingInstallDeviceCount",
                "PendingInstallUserCount",
                "NotApplicableDeviceCount",
                "NotApplicableUserCount",
                "NotInstalledDeviceCount",
                "NotInstalledUserCount",
                "FailedDevicePercentage"));
        List<String> keys = List.copyOf(cols);
        cols.sort((a, b) -> Double.compare(Rng.unit(seed, keys.indexOf(a), 706), Rng.unit(seed, keys.indexOf(b), 706)));
        return List.copyOf(cols);
    }

    /** The operating system of every device (fixed per device), computed once. */
    String[] operatingSystems() {
        String[] os = osByDevice;
        if (os == null) {
            os = new String[tenant.deviceCount()];
            for (int i = 0; i < os.length; i++) {
                os[i] = tenant.device(i).operatingSystem();
            }
            osByDevice = os;
        }
        return os;
    }

    /** The install state of app number {@code a} on device {@code i}, or NONE when the app does not reach it. */
    int state(int a, int i, String os, long epoch) {
        App app = apps.get(a);
        double assign = Rng.unit(seed, i, 800 + a);
        if (!app.operatingSystems().contains(os)) {
            // Assignment groups hold devices of other platforms too; Intune reports them as not applicable.
            return app.coverage() > 0 && assign < app.coverage() * 0.1 ? NOT_APPLICABLE : NONE;
        }
        if (assign >= app.coverage()) {
            return NONE;
        }
        // Failures build up over six hours of epochs, then the package is fixed and it starts again; in this healthy
        // tenant they stay under 5 % of the targeted devices (the spike alert's ratio), as on a normal day.
        double failed = app.troubled() ? 0.02 + 0.025 * (Math.floorMod(epoch, 360L) / 360.0) : 0.015;
        double u = Rng.unit(seed, i, 900 + a);
        double[] bounds = {failed, 0.04, 0.03, 0.02};
        int[] states = {FAILED, PENDING, NOT_INSTALLED, NOT_APPLICABLE};
        for (int k = 0; k < bounds.length; k++) {
            if (u < bounds[k]) {
                return states[k];
            }
            u -= bounds[k];
        }
        return INSTALLED;
    }

    /** Per-app counts for the current epoch (cached per epoch). */
    public Aggregates aggregates() {
        long epoch = tenant.epoch();
        Aggregates c = cached;
        if (c == null || c.epoch() != epoch) {
            String[] os = operatingSystems();
            long[][] n = new long[apps.size()][5];
            for (int i = 0; i < os.length; i++) {
                for (int a = 0; a < apps.size(); a++) {
                    int s = state(a, i, os[i], epoch);
                    if (s != NONE) {
                        n[a][s]++;
                    }
                }
            }
            Map<String, Counts> byApp = new LinkedHashMap<>();
            for (int a = 0; a < apps.size(); a++) {
                byApp.put(
                        apps.get(a).id(),
                        new Counts(
                                n[a][INSTALLED],
                                n[a][FAILED],
                                n[a][PENDING],
                                n[a][NOT_INSTALLED],
                                n[a][NOT_APPLICABLE]));
            }
            c = new Aggregates(epoch, Map.copyOf(byApp));
            cached = c;
        }
        return c;
    }

    /** Calls {@code action} with the index of every device app {@code a} reaches, in device order. */
    void forEachTargetedDevice(int a, IntConsumer action) {
        String[] os = operatingSystems();
        long epoch = tenant.epoch();
        for (int i = 0; i < os.length; i++) {
            if (state(a, i, os[i], epoch) != NONE) {
                action.accept(i);
            }
        }
    }

    int index(App app) {
        return apps.indexOf(app);
    }

    private String uuid(long key, long salt) {
        return Rng.uuid(seed, key, salt);
    }
}
