package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The tenant's connectors and tokens as Graph reports them right now: the APNs certificate, VPP and DEP tokens,
 * the Exchange connector, Mobile Threat Defense connectors, device management partners and NDES connectors.
 * Deterministic from the tenant's seed and size, with syncs and heartbeats moving with the clock and a few
 * failures coming and going with {@link SimulatedTenant#epoch()}. Values are Graph's wire strings; tests use
 * these records as ground truth.
 *
 * <p>A tenant without devices has set up nothing: no APNs certificate (Graph answers 404), no tokens and no
 * connectors. With odd values switched on, some enum strings arrive in PascalCase or as members newer than
 * the exporter, and one DEP token is named with an Apple ID.
 */
public final class ConnectorData {
    /** Partner id of the Microsoft Defender for Endpoint Mobile Threat Defense connector. */
    public static final String DEFENDER_MTD_ID = "fc780465-2017-40d4-a0c5-307022471b92";

    public record ApplePushCertificate(String id, String appleIdentifier, String topicIdentifier, String serialNumber,
            Instant expiration, Instant lastModified) {}

    public record VppToken(String id, String organizationName, String accountType, String appleId, String state,
            String lastSyncStatus, Instant expiration, Instant lastSync, Instant lastModified) {}

    public record DepToken(String id, String tokenName, String tokenType, String appleIdentifier, Instant expiration,
            Instant lastSuccessfulSync, Instant lastSyncTriggered, long syncedDeviceCount, Instant lastModified) {}

    /** {@code lastSync} null means Graph sends no value. */
    public record ExchangeConnector(String id, String serverName, String connectorServerName, String status, String connectorType,
            String primarySmtpAddress, String version, Instant lastSync) {}

    public record MtdConnector(String id, String partnerState, Instant lastHeartbeat, int unresponsiveThresholdDays,
            boolean android, boolean ios, boolean windows, boolean mac) {}

    /** {@code lastHeartbeat} null means never (Graph sends 0001-01-01T00:00:00Z). */
    public record ManagementPartner(String id, String displayName, String partnerState, String appType, boolean configured,
            Instant lastHeartbeat) {}

    public record NdesConnector(String id, String displayName, String machineName, String state, Instant lastConnection,
            Instant enrolled, String version) {}

    private final SimulatedTenant tenant;

    public ConnectorData(SimulatedTenant tenant) {
        this.tenant = tenant;
    }

    private long seed() {
        return tenant.seed();
    }

    private Instant origin() {
        return tenant.origin();
    }

    private Instant now() {
        return tenant.clock().instant();
    }

    private boolean odd() {
        return tenant.oddValues() > 0;
    }

    /** Whether the tenant has set up Apple device management (APNs, VPP, DEP) and the other connectors. */
    public boolean configured() {
        return tenant.deviceCount() > 0;
    }

    /** The APNs MDM push certificate, or null when none is uploaded (Graph answers 404). */
    public ApplePushCertificate applePushCertificate() {
        if (!configured()) {
            return null;
        }
        Instant expiration = origin().plus(Duration.ofDays(40 + (long) (Rng.unit(seed(), 7000, 1) * 300))).plusSeconds(13 * 3600 + 17 * 60);
        Instant lastModified = expiration.minus(Duration.ofDays(365));
        ScenarioRun run = tenant.scenario();
        switch (tenant.effects().apnsCertificate()) {
            case EXPIRING -> expiration = run.incidentStart().plus(Duration.ofDays(ScenarioRun.APNS_DAYS_LEFT))
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            case RENEWED -> {
                // Renewed with the same Apple ID when the incident ended: a new certificate valid for a year.
                lastModified = run.incidentEnd().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                expiration = lastModified.plus(Duration.ofDays(365));
            }
            case GENERATED -> { }
        }
        return new ApplePushCertificate("", "mdm-push@contoso-sim.example", "com.apple.mgmt.External." + uuid(7000, 2),
                Long.toHexString(Rng.hash(seed(), 7000, 3)).toUpperCase(), expiration, lastModified);
    }

    public List<VppToken> vppTokens() {
        List<VppToken> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        int n = tenant.deviceCount() >= 2000 ? 3 : tenant.deviceCount() >= 200 ? 2 : 1;
        long epoch = tenant.epoch();
        Instant now = now();
        // 0: healthy business token, syncing every 12 h; now and then a sync is in progress.
        Instant exp0 = origin().plus(Duration.ofDays(45 + (long) (Rng.unit(seed(), 7100, 1) * 200)));
        String sync0 = Rng.unit(seed(), epoch, 7101) < 0.1 ? "inProgress" : "completed";
        out.add(new VppToken(uuid(7100, 2), "Contoso Sim Ltd", "business", "vpp-admin@contoso-sim.example",
                odd() ? "Valid" : "valid", odd() && sync0.equals("completed") ? "Completed" : sync0, exp0,
                periodic(now, Duration.ofHours(12), 7100), exp0.minus(Duration.ofDays(365))));
        if (n >= 2) {
            // 1: education token close to expiry, with an admin-typed name that is long and padded; syncs fail at times.
            Instant exp1 = origin().plus(Duration.ofDays(12 + (long) (Rng.unit(seed(), 7110, 1) * 10)));
            boolean failing = Rng.unit(seed(), epoch / 10, 7111) < 0.3;
            out.add(new VppToken(uuid(7110, 2),
                    "  Contoso Simulated Education Trust \u2014 Volume Purchase Program,   North America Region  ",
                    "education", "asm-admin@contoso-sim.example", "valid", failing ? "failed" : "completed", exp1,
                    failing ? origin().minus(Duration.ofDays(3)) : periodic(now, Duration.ofHours(12), 7110),
                    exp1.minus(Duration.ofDays(365))));
        }
        if (n >= 3) {
            // 2: a token nobody renewed.
            Instant exp2 = origin().minus(Duration.ofDays(20));
            out.add(new VppToken(uuid(7120, 2), "Contoso Sim Retail", "business", "retail-apple@contoso-sim.example",
                    odd() ? "revokedByApple" : "expired", "failed", exp2, exp2.minus(Duration.ofDays(1)), exp2.minus(Duration.ofDays(365))));
        }
        return out;
    }

    /** DEP / Automated Device Enrollment tokens (beta only). */
    public List<DepToken> depTokens() {
        List<DepToken> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        Instant now = now();
        Instant exp0 = origin().plus(Duration.ofDays(120 + (long) (Rng.unit(seed(), 7200, 1) * 200)));
        out.add(new DepToken(uuid(7200, 2), "Contoso ABM", "dep", "abm-admin@contoso-sim.example", exp0,
                periodic(now, Duration.ofHours(12), 7200), periodic(now, Duration.ofHours(12), 7200),
                tenant.deviceCount() / 8L, exp0.minus(Duration.ofDays(365))));
        if (tenant.deviceCount() >= 500) {
            Instant exp1 = origin().plus(Duration.ofDays(25 + (long) (Rng.unit(seed(), 7210, 1) * 20)));
            out.add(new DepToken(uuid(7210, 2), odd() ? "asm-admin@contoso-sim.example" : "Contoso ASM - Schools",
                    "appleSchoolManager", "asm-admin@contoso-sim.example", exp1, origin().minus(Duration.ofHours(30)),
                    periodic(now, Duration.ofHours(12), 7210), tenant.deviceCount() / 40L, exp1.minus(Duration.ofDays(365))));
        }
        return out;
    }

    public List<ExchangeConnector> exchangeConnectors() {
        List<ExchangeConnector> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        // Now and then the on-premises connector loses its Exchange server for a while; syncs stop at that moment.
        long window = tenant.epoch() / 10;
        boolean down = Rng.unit(seed(), window, 7301) < 0.15;
        Instant windowStart = origin().plus(tenant.evolveEvery().multipliedBy(window * 10));
        String status = down ? "disconnected" : "connected";
        if (odd()) {
            status = "unknownFutureValue";
        }
        Instant lastSync = down ? windowStart : periodic(now(), Duration.ofMinutes(15), 7300);
        out.add(new ExchangeConnector(uuid(7300, 2), "EXCH01.corp.contoso-sim.example", "INTUNE-EXC01", status, "onPremises",
                "intune-connector@contoso-sim.example", "19.1.2.6", lastSync));
        if (tenant.deviceCount() >= 2000) {
            // A second connector that was installed but never synced: Graph leaves lastSyncDateTime out.
            out.add(new ExchangeConnector(uuid(7310, 2), "EXCH02.corp.contoso-sim.example", "INTUNE-EXC02", "connectionPending",
                    "onPremises", "intune-connector2@contoso-sim.example", "19.1.2.6", null));
        }
        return out;
    }

    public List<MtdConnector> mtdConnectors() {
        List<MtdConnector> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        out.add(new MtdConnector(DEFENDER_MTD_ID, odd() ? "Enabled" : "enabled", periodic(now(), Duration.ofMinutes(15), 7400), 7,
                true, true, true, false));
        if (tenant.deviceCount() >= 200) {
            // A third-party partner whose service stops answering for a while now and then.
            boolean silent = Rng.unit(seed(), tenant.epoch() / 30, 7411) < 0.2;
            out.add(new MtdConnector(uuid(7410, 2), silent ? "unresponsive" : "enabled",
                    silent ? origin().minus(Duration.ofDays(8)) : periodic(now(), Duration.ofHours(1), 7410), 7,
                    true, true, false, false));
        }
        return out;
    }

    public List<ManagementPartner> managementPartners() {
        List<ManagementPartner> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        out.add(new ManagementPartner(uuid(7500, 2), "Jamf Pro", odd() ? "someFuturePartnerState" : "enabled", "multiTenantApp", true,
                periodic(now(), Duration.ofHours(4), 7500)));
        if (tenant.deviceCount() >= 2000) {
            out.add(new ManagementPartner(uuid(7510, 2), "Partner Device Management", "unavailable", "singleTenantApp", false, null));
        }
        return out;
    }

    /** NDES / certificate connectors (beta only). */
    public List<NdesConnector> ndesConnectors() {
        List<NdesConnector> out = new ArrayList<>();
        if (!configured()) {
            return out;
        }
        Instant enrolled = origin().minus(Duration.ofDays(400));
        out.add(new NdesConnector(uuid(7600, 2), "NDES-01", "ndes01.corp.contoso-sim.example", odd() ? "Active" : "active",
                periodic(now(), Duration.ofHours(1), 7600), enrolled, "6.2301.1.0"));
        if (tenant.deviceCount() >= 500) {
            boolean stopped = Rng.unit(seed(), tenant.epoch() / 20, 7611) < 0.25;
            out.add(new NdesConnector(uuid(7610, 2), "NDES-02", "ndes02.corp.contoso-sim.example", stopped ? "inactive" : "active",
                    stopped ? origin().minus(Duration.ofHours(50)) : periodic(now(), Duration.ofHours(1), 7610), enrolled,
                    "6.2301.1.0"));
        }
        return out;
    }

    /** The last moment of a job that runs every {@code period} at the object's own phase. */
    private Instant periodic(Instant now, Duration period, long salt) {
        long p = period.getSeconds();
        long phase = (long) (Rng.unit(seed(), salt, 99) * p);
        long t = now.getEpochSecond();
        return Instant.ofEpochSecond(t - Math.floorMod(t + phase, p));
    }

    private String uuid(long a, long b) {
        return new UUID(Rng.hash(seed(), a, b), Rng.hash(seed(), a, b + 1)).toString();
    }
}
