package io.github.intuneexporter.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * App protection (MAM) of a simulated tenant: managed app registrations of Microsoft 365 apps (and one line-of-
 * business app) on the tenant's iOS/iPadOS and Android devices, 1 to 4 apps per device, a small share flagged
 * (rooted / jailbroken, unlocked bootloader, modified ROM), and app protection policies whose deploymentSummary
 * counts are computed from exactly these registrations. Deterministic from the tenant seed.
 */
public final class AppProtectionData {
    private static final Map<SimulatedTenant, AppProtectionData> BY_TENANT =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Registrations per device are numbered 0..MAX_PER_DEVICE-1 (the simulator's paging cursor relies on it). */
    static final int MAX_PER_DEVICE = 8;
    /** A flagged reason the exporter cannot know, for odd-value tenants. */
    public static final String FUTURE_REASON = "androidPlayIntegrityFailedFutureReason";

    /** A MAM-enabled app on one platform ("ios" or "android"); {@code weight} is the share of devices using it. */
    public record App(String platform, String appId, String displayName, String version, double weight) {}

    /**
     * One managedAppRegistration. {@code flaggedReasons} are the strings as sent (sometimes PascalCase or unknown);
     * {@code lastSyncDateTime} is null for "never" (0001-01-01 on the wire).
     */
    public record Registration(
            String id,
            int deviceIndex,
            String platform,
            App app,
            List<String> flaggedReasons,
            Instant createdDateTime,
            Instant lastSyncDateTime,
            String userId,
            String deviceName,
            String deviceType,
            String platformVersion) {}

    /** An app protection policy; {@code assigned} false means no user gets it. */
    public record Policy(String id, String platform, String displayName, List<String> appIds, boolean assigned) {}

    /** A policy's deploymentSummary: distinct users with a targeted app, and per app. */
    public record DeploymentSummary(long deployedUsers, Map<String, Long> appliedUsersPerApp) {}

    private static final List<App> APPS = List.of(
            new App("ios", "com.microsoft.Office.Outlook", "Microsoft Outlook", "4.2446.0", 0.80),
            new App("ios", "com.microsoft.skype.teams", "Microsoft Teams", "6.24.1", 0.70),
            new App("ios", "com.microsoft.skydrive", "Microsoft OneDrive", "15.43.1", 0.45),
            new App("ios", "com.microsoft.msedge", "Microsoft Edge", "131.2903.68", 0.35),
            new App("ios", "com.microsoft.Office.Word", "Microsoft Word", "2.91", 0.25),
            new App("ios", "com.microsoft.Office.Excel", "Microsoft Excel", "2.91", 0.20),
            new App("ios", "com.microsoft.officemobile", "Microsoft 365 Copilot", "2.91", 0.15),
            new App("ios", "com.microsoft.Office.Powerpoint", "Microsoft PowerPoint", "2.91", 0.12),
            new App("ios", "com.microsoft.onenote", "Microsoft OneNote", "16.91", 0.08),
            new App("ios", "com.microsoft.sharepoint", "Microsoft SharePoint", "4.24.37", 0.06),
            new App("ios", "com.microsoft.powerbimobile", "Microsoft Power BI", "30.0.1", 0.03),
            new App("ios", "com.contoso.expenses", "Contoso Expenses", "3.2.0", 0.02),
            new App("android", "com.microsoft.office.outlook", "Microsoft Outlook", "4.2446.1", 0.80),
            new App("android", "com.microsoft.teams", "Microsoft Teams", "1416/1.0.0.2024223303", 0.70),
            new App("android", "com.microsoft.skydrive", "Microsoft OneDrive", "7.12", 0.45),
            new App("android", "com.microsoft.emmx", "Microsoft Edge", "131.0.2903.70", 0.35),
            new App("android", "com.microsoft.office.word", "Microsoft Word", "16.0.18129.20116", 0.25),
            new App("android", "com.microsoft.office.excel", "Microsoft Excel", "16.0.18129.20116", 0.20),
            new App("android", "com.microsoft.office.officehubrow", "Microsoft 365 Copilot", "16.0.18129.20116", 0.15),
            new App("android", "com.microsoft.office.powerpoint", "Microsoft PowerPoint", "16.0.18129.20116", 0.12),
            new App("android", "com.microsoft.office.onenote", "Microsoft OneNote", "16.0.18129.20066", 0.08),
            new App("android", "com.microsoft.sharepoint", "Microsoft SharePoint", "4.24.37", 0.06),
            new App("android", "com.microsoft.powerbim", "Microsoft Power BI", "30.0.1", 0.03),
            new App("android", "com.contoso.expenses", "Contoso Expenses", "3.2.0", 0.02));
    private static final double[] APP_COUNT_WEIGHTS = {0.35, 0.30, 0.20, 0.15};

    private final SimulatedTenant tenant;
    private final long seed;
    private final List<Policy> policies;
    private volatile Map<String, DeploymentSummary> summaries;

    private AppProtectionData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed();
        this.policies = generatePolicies();
    }

    /** The app protection data of {@code tenant} (one instance per tenant, shared by its simulator and tests). */
    public static AppProtectionData of(SimulatedTenant tenant) {
        synchronized (BY_TENANT) {
            return BY_TENANT.computeIfAbsent(tenant, AppProtectionData::new);
        }
    }

    public static List<App> apps() {
        return APPS;
    }

    public List<Policy> policies() {
        return policies;
    }

    /** Calls {@code action} for every registration of the tenant, device by device, as they are right now. */
    public void forEachRegistration(Consumer<Registration> action) {
        tenant.forEachDevice(d -> registrations(d).forEach(action));
    }

    /** The registrations on one device (none for devices other than iOS, iPadOS and Android). */
    public List<Registration> registrations(SimulatedDevice d) {
        String platform = switch (d.operatingSystem()) {
            case "iOS", "iPadOS" -> "ios";
            case "Android" -> "android";
            default -> null;
        };
        int i = d.index();
        if (platform == null || Rng.unit(seed, i, 300) < 0.15) {
            return List.of();
        }
        List<App> chosen = chooseApps(i, platform);
        // Flags belong to the device: MAM sees the same root/jailbreak in every app on it.
        boolean odd = tenant.oddValues() > 0;
        List<String> deviceFlags = deviceFlags(d, platform, odd);
        String user = UUID.nameUUIDFromBytes(d.userPrincipalName().getBytes(StandardCharsets.UTF_8))
                .toString();
        Instant now = tenant.clock().instant();
        List<Registration> out = new ArrayList<>(chosen.size());
        for (int slot = 0; slot < chosen.size(); slot++) {
            long r = (long) i * MAX_PER_DEVICE + slot;
            List<String> reasons = new ArrayList<>();
            for (String f : deviceFlags) {
                reasons.add(
                        odd && Rng.unit(seed, r, 324) < 0.10 ? Character.toUpperCase(f.charAt(0)) + f.substring(1) : f);
            }
            if (reasons.isEmpty() && Rng.unit(seed, r, 325) < 0.03) {
                reasons.add("none");
            }
            if (tenant.oddValues() > 0 && Rng.unit(seed, r, 323) < tenant.oddValues()) {
                reasons.remove("none");
                reasons.add(FUTURE_REASON);
            }
            Instant created =
                    d.enrolledDateTime().plus(Duration.ofMinutes(5 + (long) (Rng.unit(seed, r, 326) * 60 * 24 * 30)));
            out.add(new Registration(
                    new UUID(Rng.hash(seed, r, 340), Rng.hash(seed, r, 341)).toString(),
                    i,
                    platform,
                    chosen.get(slot),
                    List.copyOf(reasons),
                    created,
                    lastSync(r, now, created),
                    user,
                    d.deviceName(),
                    platform.equals("android") ? "Android" : d.operatingSystem().equals("iPadOS") ? "iPad" : "iPhone",
                    d.osVersion()));
        }
        return out;
    }

    /** The apps with a registration on device {@code i}: one or more of the platform's apps, by their weights. */
    private List<App> chooseApps(int i, String platform) {
        List<App> candidates = new ArrayList<>();
        for (App a : APPS) {
            if (a.platform().equals(platform)) {
                candidates.add(a);
            }
        }
        int count = 1 + Rng.pick(Rng.unit(seed, i, 301), APP_COUNT_WEIGHTS);
        List<App> chosen = new ArrayList<>();
        for (int k = 0; k < count && !candidates.isEmpty(); k++) {
            double[] weights = candidates.stream().mapToDouble(App::weight).toArray();
            chosen.add(candidates.remove(Rng.pick(Rng.unit(seed, i, 302 + k), weights)));
        }
        return chosen;
    }

    /** The flagged reasons MAM sees on device {@code d}, whichever app reports them. */
    private List<String> deviceFlags(SimulatedDevice d, String platform, boolean odd) {
        int i = d.index();
        List<String> deviceFlags = new ArrayList<>();
        if (d.jailBroken().equals("True") || Rng.unit(seed, i, 322) < 0.005) {
            deviceFlags.add("rootedDevice");
        }
        // v1.0's managedAppFlaggedReason has only none and rootedDevice; the beta members come with odd values only.
        if (odd && platform.equals("android") && Rng.unit(seed, i, 320) < 0.006) {
            deviceFlags.add("androidBootloaderUnlocked");
        }
        if (odd && platform.equals("android") && Rng.unit(seed, i, 321) < 0.004) {
            deviceFlags.add("androidFactoryRomModified");
        }
        return deviceFlags;
    }

    private Instant lastSync(long r, Instant now, Instant created) {
        double s = Rng.unit(seed, r, 330);
        if (s < 0.01) {
            return null; // registered, never checked in with the MAM service
        }
        if (s < 0.10) {
            // Stale: the app has not been opened for days to months before the origin, so it keeps getting older.
            Instant t = tenant.origin().minus(Duration.ofDays(1 + (long) (Rng.unit(seed, r, 331) * 200)));
            return t.isBefore(created) ? created : t;
        }
        // Active: checks in about every 12 hours at its own phase.
        long period = 12 * 3600;
        long nowS = now.getEpochSecond();
        Instant t =
                Instant.ofEpochSecond(nowS - Math.floorMod(nowS + (long) (Rng.unit(seed, r, 332) * period), period));
        return t.isBefore(created) ? created : t;
    }

    private List<Policy> generatePolicies() {
        List<String> iosMicrosoft = new ArrayList<>();
        List<String> androidMicrosoft = new ArrayList<>();
        for (App a : APPS) {
            if (a.appId().startsWith("com.microsoft.")) {
                (a.platform().equals("ios") ? iosMicrosoft : androidMicrosoft).add(a.appId());
            }
        }
        Object[][] defs = {
            {"ios", "iOS - Microsoft 365 apps data protection (Level 2)", iosMicrosoft, true},
            {
                "ios",
                "iOS - Outlook and Edge conditional launch",
                List.of("com.microsoft.Office.Outlook", "com.microsoft.msedge"),
                true
            },
            {"ios", "iOS - Contoso Expenses (LOB)", List.of("com.contoso.expenses"), true},
            {"ios", "iOS - Pilot personal devices (unassigned)", List.of("com.microsoft.Office.Word"), false},
            {"android", "Android - Microsoft 365 apps data protection (Level 2)", androidMicrosoft, true},
            {"android", "Android - Teams frontline workers", List.of("com.microsoft.teams"), true},
            {"android", "Android - Contoso Expenses (LOB)", List.of("com.contoso.expenses"), true},
        };
        List<Policy> list = new ArrayList<>();
        for (int p = 0; p < defs.length; p++) {
            @SuppressWarnings("unchecked")
            List<String> apps = List.copyOf((List<String>) defs[p][2]);
            list.add(new Policy(
                    "T_" + new UUID(Rng.hash(seed, 2_000_000_000L + p, 350), Rng.hash(seed, 2_000_000_000L + p, 351)),
                    (String) defs[p][0],
                    (String) defs[p][1],
                    apps,
                    (Boolean) defs[p][3]));
        }
        return List.copyOf(list);
    }

    /**
     * The deploymentSummary of {@code policy}: distinct users with a registration of a targeted app on the policy's
     * platform. Registrations do not change over time (only their sync times do), so this is computed once.
     */
    public DeploymentSummary deploymentSummary(Policy policy) {
        Map<String, DeploymentSummary> map = summaries;
        if (map == null) {
            map = computeSummaries();
            summaries = map;
        }
        return map.get(policy.id());
    }

    private Map<String, DeploymentSummary> computeSummaries() {
        Map<String, Set<String>> users = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> perApp = new LinkedHashMap<>();
        for (Policy p : policies) {
            users.put(p.id(), new HashSet<>());
            Map<String, Set<String>> apps = new LinkedHashMap<>();
            for (String a : p.appIds()) {
                apps.put(a, new HashSet<>());
            }
            perApp.put(p.id(), apps);
        }
        forEachRegistration(r -> {
            for (Policy p : policies) {
                if (p.assigned()
                        && p.platform().equals(r.platform())
                        && p.appIds().contains(r.app().appId())) {
                    users.get(p.id()).add(r.userId());
                    perApp.get(p.id()).get(r.app().appId()).add(r.userId());
                }
            }
        });
        Map<String, DeploymentSummary> out = new LinkedHashMap<>();
        for (Policy p : policies) {
            Map<String, Long> counts = new LinkedHashMap<>();
            perApp.get(p.id()).forEach((app, set) -> counts.put(app, (long) set.size()));
            out.put(p.id(), new DeploymentSummary(users.get(p.id()).size(), Collections.unmodifiableMap(counts)));
        }
        return Collections.unmodifiableMap(out);
    }
}
