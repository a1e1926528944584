package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The slow-moving tenant facts behind the change-awareness signals: Windows Autopilot device identities,
 * compliance management partners, remote assistance partners, compliance setting summaries, the software update
 * status summary and app-install troubleshooting events. Deterministic from the tenant's seed and size, with
 * heartbeats and new troubleshooting events moving with the clock. The healthy tenant is calm: partners report on
 * schedule and the counts hold still; a partner's stale heartbeat comes from scenario {@code partner-heartbeat-stale}.
 * Values are Graph's v1.0 wire strings; tests use these records as ground truth.
 */
public final class AwarenessData extends TenantData {
    /** How long the simulated Intune lists an app troubleshooting event. */
    public static final Duration APP_EVENT_RETENTION = Duration.ofDays(7);
    /** When the stale-heartbeat scenario's partner last reported: this long before the incident started. */
    public static final Duration STALE_HEARTBEAT_BEFORE_INCIDENT = Duration.ofHours(26);

    public record AutopilotIdentity(
            String id,
            String serialNumber,
            String model,
            String manufacturer,
            String groupTag,
            String enrollmentState,
            Instant lastContacted) {}

    /** {@code lastHeartbeat} null means never (Graph sends 0001-01-01T00:00:00Z). */
    public record CompliancePartner(
            String id,
            String displayName,
            String partnerState,
            Instant lastHeartbeat,
            boolean macOs,
            boolean ios,
            boolean android) {}

    /** {@code lastConnection} null means never. */
    public record RemoteAssistancePartner(
            String id, String displayName, String onboardingStatus, Instant lastConnection, String onboardingUrl) {}

    public record SettingSummary(
            String id,
            String setting,
            String settingName,
            String platformType,
            long compliant,
            long nonCompliant,
            long error,
            long conflict,
            long remediated,
            long notApplicable,
            long unknown) {}

    public record SoftwareUpdateSummary(String id, String displayName, long[] devices, long[] users) {
        /** The order of {@link #devices} and {@link #users}. */
        public static final List<String> STATES =
                List.of("compliant", "nonCompliant", "remediated", "error", "unknown", "conflict", "notApplicable");
    }

    private record Setting(String policyType, String name, String platform, double failShare) {}

    /** Compliance settings with the share of assigned devices failing, from {@code /simulator/compliance-settings.tsv}. */
    private static final Setting[] SETTINGS = DataTable.rows("compliance-settings.tsv", 4).stream()
            .map(row -> new Setting(row[0], row[1], row[2], Double.parseDouble(row[3])))
            .toArray(Setting[]::new);

    public AwarenessData(SimulatedTenant tenant) {
        super(tenant);
    }

    /** The identities of one tenant size and origin, kept for the next page of the listing. */
    private record Identities(int count, Instant origin, List<AutopilotIdentity> rows) {}

    // 300,000 identities at 1,000,000 devices: every page of 500 would otherwise build all of them again.
    private volatile Identities identities;

    /** About a third of the devices were registered for Autopilot; most of them are enrolled. */
    public List<AutopilotIdentity> autopilotIdentities() {
        int n = tenant.deviceCount() * 3 / 10;
        Instant origin = tenant.origin();
        Identities held = identities;
        if (held != null && held.count() == n && held.origin().equals(origin)) {
            return held.rows();
        }
        List<AutopilotIdentity> rows = List.copyOf(generateIdentities(n, origin));
        identities = new Identities(n, origin, rows);
        return rows;
    }

    private List<AutopilotIdentity> generateIdentities(int n, Instant origin) {
        List<AutopilotIdentity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double u = Rng.unit(seed(), 8100, i);
            // Registered by the reseller but never switched on (notContacted), a few failed or waiting for a reset.
            String state = u < 0.08 ? "notContacted" : u < 0.09 ? "failed" : u < 0.095 ? "pendingReset" : "enrolled";
            Instant contacted = state.equals("notContacted")
                    ? null
                    : origin.minus(Duration.ofMinutes((long) (Rng.unit(seed(), 8101, i) * 60 * 24 * 30)));
            out.add(new AutopilotIdentity(
                    uuid(8102, i),
                    String.format("SIM%08d", i),
                    i % 3 == 0 ? "Surface Laptop 5" : "Latitude 7440",
                    i % 3 == 0 ? "Microsoft Corporation" : "Dell Inc.",
                    i % 5 == 0 ? "Kiosk" : "Standard",
                    state,
                    contacted));
        }
        return out;
    }

    public List<CompliancePartner> compliancePartners() {
        return whenConfigured(out -> {
            Instant heartbeat = periodic(now(), Duration.ofMinutes(15), 8200);
            if (tenant.effects().partnerHeartbeatStopped()) {
                heartbeat = tenant.scenario()
                        .incidentStart()
                        .minus(STALE_HEARTBEAT_BEFORE_INCIDENT)
                        .truncatedTo(ChronoUnit.SECONDS);
            }
            out.add(new CompliancePartner(uuid(8200, 1), "Jamf Pro", "enabled", heartbeat, true, true, false));
            if (tenant.deviceCount() >= 2000) {
                // Set up once and never connected: no heartbeat, and no alert (only enabled partners are expected to
                // report).
                out.add(new CompliancePartner(
                        uuid(8210, 1), "Contoso Legacy MDM", "unavailable", null, false, false, true));
            }
        });
    }

    public List<RemoteAssistancePartner> remoteAssistancePartners() {
        return whenConfigured(out -> {
            out.add(new RemoteAssistancePartner(
                    uuid(8300, 1),
                    "TeamViewer",
                    "onboarded",
                    periodic(now(), Duration.ofHours(1), 8300),
                    "https://login.teamviewer.com/integrations/intune/onboarding"));
            if (tenant.deviceCount() >= 2000) {
                out.add(new RemoteAssistancePartner(
                        uuid(8310, 1),
                        "Contoso Remote Help Pilot",
                        "notOnboarded",
                        null,
                        "https://remote.contoso-sim.example/onboarding"));
            }
        });
    }

    /** One summary per setting and platform, its counts a share of the devices the platform's policy covers. */
    public List<SettingSummary> settingSummaries() {
        return whenConfigured(out -> {
            for (int i = 0; i < SETTINGS.length; i++) {
                Setting s = SETTINGS[i];
                long assigned = Math.max(1, Math.round(tenant.deviceCount() * share(s.platform())));
                long nonCompliant = Math.round(assigned * s.failShare());
                long error = Math.round(assigned * 0.004);
                long conflict = i % 4 == 0 ? Math.round(assigned * 0.002) : 0;
                long remediated = Math.round(assigned * 0.01);
                long unknown = Math.round(assigned * 0.015);
                long compliant = Math.max(0, assigned - nonCompliant - error - conflict - remediated - unknown);
                out.add(new SettingSummary(
                        uuid(8400, i),
                        s.policyType() + "." + s.name(),
                        s.name(),
                        s.platform(),
                        compliant,
                        nonCompliant,
                        error,
                        conflict,
                        remediated,
                        0,
                        unknown));
            }
        });
    }

    private static double share(String platform) {
        return switch (platform) {
            case "windows10AndLater" -> 0.55;
            case "iOS" -> 0.2;
            case "macOS" -> 0.08;
            case "androidForWork" -> 0.12;
            default -> 0.05;
        };
    }

    /** Windows devices by update ring compliance; users are about nine in ten of the devices. */
    public SoftwareUpdateSummary softwareUpdateSummary() {
        long windows = Math.round(tenant.deviceCount() * 0.55);
        double[] shares = {0.86, 0.05, 0.02, 0.01, 0.03, 0.005, 0};
        long[] devices = new long[shares.length];
        long rest = windows;
        for (int i = 0; i < shares.length - 1; i++) {
            devices[i] = Math.round(windows * shares[i]);
            rest -= devices[i];
        }
        devices[shares.length - 1] = Math.max(0, rest);
        long[] users = new long[shares.length];
        for (int i = 0; i < shares.length; i++) {
            users[i] = devices[i] * 9 / 10;
        }
        return new SoftwareUpdateSummary(uuid(8500, 1), "Software update status summary", devices, users);
    }

    /**
     * The app-install troubleshooting event ids Graph lists now: a steady stream (one per 500 devices per hour, at least
     * one a day), each event listed for {@link #APP_EVENT_RETENTION} after it happened. v1.0 gives nothing but the id.
     */
    public List<String> appTroubleshootingEventIds() {
        if (!configured()) {
            return List.of();
        }
        long spacing = Math.max(1, Math.min(86_400L, 3600L * 500 / tenant.deviceCount()));
        long now = now().getEpochSecond();
        EventIds held = eventIds;
        if (held != null && held.now() == now && held.spacing() == spacing) {
            return held.ids();
        }
        List<String> ids = List.copyOf(generateEventIds(now, spacing));
        eventIds = new EventIds(now, spacing, ids);
        return ids;
    }

    /** The event ids listed at one second, kept for the next page of a listing read within that second. */
    private record EventIds(long now, long spacing, List<String> ids) {}

    // About 600,000 ids at 1,000,000 devices: every page of 1000 would otherwise build all of them again.
    private volatile EventIds eventIds;

    private List<String> generateEventIds(long now, long spacing) {
        List<String> out = new ArrayList<>();
        long last = Math.floorDiv(now, spacing);
        long first = Math.floorDiv(now - APP_EVENT_RETENTION.getSeconds(), spacing) + 1;
        for (long k = first; k <= last; k++) {
            out.add(uuid(8600, k));
        }
        return out;
    }

    /** The last moment of a job that runs every {@code period} at the object's own phase. */
    private String uuid(long a, long b) {
        return new UUID(Rng.hash(seed(), a, b), Rng.hash(seed(), a, b + 1_000_003L)).toString();
    }
}
