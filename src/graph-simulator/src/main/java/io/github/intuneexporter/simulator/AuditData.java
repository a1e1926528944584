package io.github.intuneexporter.simulator;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The tenant's Intune audit log (deviceManagement/auditEvents): administrators change policies, apps and devices
 * in office hours (Monday to Friday, 08:00-18:00 UTC), and an automation account makes a rare change at night.
 * Scenarios add changes (see {@link #burst}).
 * Generated per hour from the seed, never stored. Scenario admin-change-burst adds changes at a fixed rate while its
 * incident lasts (at whatever hour that is); they stay in the log afterwards like any past event.
 */
public final class AuditData {
    /** How long Intune keeps audit events (the admin center shows one year). */
    public static final Duration RETENTION = Duration.ofDays(365);

    private static final long HOUR = 3600;

    /** One audit event, with Graph's wire strings (PascalCase, as the Intune audit log writes them). */
    public record AuditEvent(
            String id,
            Instant activityDateTime,
            String category,
            String activity,
            String activityType,
            String operationType,
            String result,
            String componentName,
            String resourceType,
            String actorUpn,
            String applicationName,
            String resourceName) {}

    /** The kinds of change the simulated admins make, from {@code /simulator/admin-changes.tsv}. */
    private static final List<String[]> CHANGES = DataTable.rows("admin-changes.tsv", 6);

    private static final double[] CHANGE_WEIGHTS =
            CHANGES.stream().mapToDouble(c -> Double.parseDouble(c[5])).toArray();
    /** What scenario admin-change-burst's changes are: compliance and configuration policies edited and deleted in a hurry. */
    private static final int[] BURST_CHANGES = {3, 0, 9};

    private final SimulatedTenant tenant;
    private final long seed;

    public AuditData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.seed = tenant.seed() ^ 0x6175646974L;
    }

    /** Changes per office hour: one per 1000 devices, at least two. */
    public double officeHourRate() {
        return Math.max(2, tenant.deviceCount() / 1000.0);
    }

    /** Office hours of the simulated admins: Monday to Friday, 08:00-18:00 UTC. */
    public static boolean officeHour(long hour) {
        ZonedDateTime t = Instant.ofEpochSecond(hour * HOUR).atZone(ZoneOffset.UTC);
        return t.getDayOfWeek() != DayOfWeek.SATURDAY
                && t.getDayOfWeek() != DayOfWeek.SUNDAY
                && t.getHour() >= 8
                && t.getHour() < 18;
    }

    /** Every audit event with {@code from <= activityDateTime <= now} (and within retention), oldest first. */
    public List<AuditEvent> events(Instant from, Instant now) {
        Instant oldest = now.minus(RETENTION);
        Instant start = from == null || from.isBefore(oldest) ? oldest : from;
        List<AuditEvent> out = new ArrayList<>();
        long first = Math.floorDiv(start.getEpochSecond(), HOUR);
        long last = Math.floorDiv(now.getEpochSecond(), HOUR);
        for (long h = first; h <= last; h++) {
            for (AuditEvent e : hour(h)) {
                if (!e.activityDateTime().isBefore(start)
                        && !e.activityDateTime().isAfter(now)) {
                    out.add(e);
                }
            }
        }
        out.addAll(burst(start, now));
        out.sort(Comparator.comparing(AuditEvent::activityDateTime).thenComparing(AuditEvent::id));
        return out;
    }

    /** The generated events of one hour, oldest first. */
    private List<AuditEvent> hour(long hour) {
        // Office hours: about the office rate; nights and weekends: a rare change by the automation account.
        double rate = officeHour(hour) ? officeHourRate() * (0.5 + Rng.unit(seed, hour, 1)) : 0.15;
        int n = (int) Math.floor(rate + Rng.unit(seed, hour, 2));
        List<AuditEvent> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long key = hour * 4096 + k;
            Instant time = Instant.ofEpochSecond(hour * HOUR + (long) (Rng.unit(seed, key, 3) * HOUR));
            double r = Rng.unit(seed, key, 5);
            String result = r < 0.97 ? "Success" : "Failure";
            int change = Rng.pick(Rng.unit(seed, key, 4), CHANGE_WEIGHTS);
            out.add(event(key, time, change, result, !officeHour(hour)));
        }
        out.sort(Comparator.comparing(AuditEvent::activityDateTime));
        return out;
    }

    /**
     * Changes of a scenario with adminChangesPerHour: one at the incident's start, then one every 3600 / adminChangesPerHour
     * seconds until it ends (admin-change-burst; noncompliance-spike's policy change and its follow-up edits).
     */
    private List<AuditEvent> burst(Instant from, Instant now) {
        ScenarioRun.Burst burst = ScenarioRun.burst(tenant.scenario(), ScenarioEffects::adminChangesPerHour, now)
                .orElse(null);
        if (burst == null) {
            return List.of();
        }
        List<AuditEvent> out = new ArrayList<>();
        // The change that starts the incident is logged at its start (k = 0), the rest at the scenario's rate.
        for (long k = 0; k <= burst.last(); k++) {
            Instant time = burst.time(k);
            if (time.isBefore(from)) {
                continue;
            }
            out.add(event(burst.key(k), time, BURST_CHANGES[(int) (k % BURST_CHANGES.length)], "Success", false));
        }
        return out;
    }

    private AuditEvent event(long key, Instant time, int change, String result, boolean automation) {
        String[] c = CHANGES.get(change);
        int admin = (int) Math.floorMod(Rng.hash(seed, key, 6), 4L);
        String upn = automation ? null : "admin" + admin + "@contoso-sim.example";
        String app = automation ? "Contoso provisioning automation" : "Microsoft Intune portal extension";
        return new AuditEvent(
                uuid(key, 7),
                time,
                c[0],
                c[1],
                c[1],
                c[2],
                result,
                c[3],
                c[4],
                upn,
                app,
                c[4] + " " + Math.floorMod(Rng.hash(seed, key, 8), 40L));
    }

    private String uuid(long key, long salt) {
        return Rng.uuid(seed, key, salt);
    }
}
