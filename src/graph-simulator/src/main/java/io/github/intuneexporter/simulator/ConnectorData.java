package io.github.intuneexporter.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The tenant's connectors and tokens as Graph reports them right now: the APNs certificate, VPP and DEP tokens,
 * the Exchange connector, Mobile Threat Defense connectors, device management partners and NDES connectors.
 * Deterministic from the tenant's seed and size, with syncs and heartbeats moving with the clock. The tenant is
 * healthy (every token and certificate valid for months, every connector answering); incidents come from scenarios. Values are Graph's wire strings; tests use
 * these records as ground truth.
 *
 * <p>A tenant without devices has set up nothing: no APNs certificate (Graph answers 404), no tokens and no
 * connectors. With odd values switched on, some enum strings arrive in PascalCase or as members newer than
 * the exporter, and one DEP token is named with an Apple ID.
 */
public final class ConnectorData extends TenantData {
    /** Partner id of the Microsoft Defender for Endpoint Mobile Threat Defense connector. */
    public static final String DEFENDER_MTD_ID = "fc780465-2017-40d4-a0c5-307022471b92";

    public record ApplePushCertificate(
            String id,
            String appleIdentifier,
            String topicIdentifier,
            String serialNumber,
            Instant expiration,
            Instant lastModified) {}

    public record VppToken(
            String id,
            String organizationName,
            String accountType,
            String appleId,
            String state,
            String lastSyncStatus,
            Instant expiration,
            Instant lastSync,
            Instant lastModified) {}

    public record DepToken(
            String id,
            String tokenName,
            String tokenType,
            String appleIdentifier,
            Instant expiration,
            Instant lastSuccessfulSync,
            Instant lastSyncTriggered,
            long syncedDeviceCount,
            Instant lastModified) {}

    /** {@code lastSync} null means Graph sends no value. */
    public record ExchangeConnector(
            String id,
            String serverName,
            String connectorServerName,
            String status,
            String connectorType,
            String primarySmtpAddress,
            String version,
            Instant lastSync) {}

    public record MtdConnector(
            String id,
            String partnerState,
            Instant lastHeartbeat,
            int unresponsiveThresholdDays,
            boolean android,
            boolean ios,
            boolean windows,
            boolean mac) {}

    /** {@code lastHeartbeat} null means never (Graph sends 0001-01-01T00:00:00Z). */
    public record ManagementPartner(
            String id,
            String displayName,
            String partnerState,
            String appType,
            boolean configured,
            Instant lastHeartbeat) {}

    public record NdesConnector(
            String id,
            String displayName,
            String machineName,
            String state,
            Instant lastConnection,
            Instant enrolled,
            String version) {}

    public ConnectorData(SimulatedTenant tenant) {
        super(tenant);
    }

    /** Apple's tokens sync with Intune every 12 hours. */
    private static final Duration TOKEN_SYNC = Duration.ofHours(12);

    /** A yearly certificate or token's expiry: {@code minDays} plus up to {@code spreadDays} after the origin. */
    private Instant expiresAfter(int minDays, int spreadDays, long salt) {
        return origin().plus(Duration.ofDays(minDays + (long) (Rng.unit(seed(), salt, 1) * spreadDays)));
    }

    /** Apple's certificates and tokens are valid for a year: uploaded or renewed a year before they expire. */
    private static Instant yearBefore(Instant expiration) {
        return expiration.minus(Duration.ofDays(365));
    }

    /** Days between the start of an apns-expiring incident and the certificate's expiry. */
    public static final int APNS_DAYS_LEFT = 5;

    /** The APNs MDM push certificate, or null when none is uploaded (Graph answers 404). */
    public ApplePushCertificate applePushCertificate() {
        if (!configured()) {
            return null;
        }
        // Renewed every year: months of validity left (scenario apns-expiring plays the lapse).
        Instant expiration = expiresAfter(120, 220, 7000).plusSeconds(13 * 3600 + 17 * 60);
        Instant lastModified = yearBefore(expiration);
        ScenarioRun run = tenant.scenario();
        switch (tenant.effects().apnsCertificate()) {
            case EXPIRING ->
                expiration = run.incidentStart()
                        .plus(Duration.ofDays(APNS_DAYS_LEFT))
                        .truncatedTo(ChronoUnit.SECONDS);
            case RENEWED -> {
                // Renewed with the same Apple ID when the incident ended: a new certificate valid for a year.
                lastModified = run.incidentEnd().truncatedTo(ChronoUnit.SECONDS);
                expiration = lastModified.plus(Duration.ofDays(365));
            }
            case GENERATED -> {}
        }
        return new ApplePushCertificate(
                "",
                "mdm-push@contoso-sim.example",
                "com.apple.mgmt.External." + uuid(7000, 2),
                Long.toHexString(Rng.hash(seed(), 7000, 3)).toUpperCase(),
                expiration,
                lastModified);
    }

    public List<VppToken> vppTokens() {
        return whenConfigured(out -> {
            int n = tenant.deviceCount() >= 2000 ? 3 : tenant.deviceCount() >= 200 ? 2 : 1;
            long epoch = tenant.epoch();
            // 0: healthy business token, syncing every 12 h; now and then a sync is in progress.
            // Every token of this healthy tenant is valid for months and syncs on schedule; incidents come from
            // scenarios.
            String sync0 = Rng.unit(seed(), epoch, 7101) < 0.1 ? "inProgress" : "completed";
            out.add(vppToken(
                    7100,
                    "Contoso Sim Ltd",
                    "business",
                    "vpp-admin@contoso-sim.example",
                    odd() ? "Valid" : "valid",
                    odd() && sync0.equals("completed") ? "Completed" : sync0,
                    expiresAfter(120, 200, 7100)));
            if (n >= 2) {
                // 1: education token with an admin-typed name that is long and padded; now and then a sync is in
                // progress.
                String sync1 = Rng.unit(seed(), epoch / 10, 7111) < 0.1 ? "inProgress" : "completed";
                out.add(vppToken(
                        7110,
                        "  Contoso Simulated Education Trust \u2014 Volume Purchase Program,   North America Region  ",
                        "education",
                        "asm-admin@contoso-sim.example",
                        "valid",
                        sync1,
                        expiresAfter(90, 120, 7110)));
            }
            if (n >= 3) {
                // 2: a token renewed a month ago; odd-value tenants send a state newer than the exporter.
                out.add(vppToken(
                        7120,
                        "Contoso Sim Retail",
                        "business",
                        "retail-apple@contoso-sim.example",
                        odd() ? "revokedByApple" : "valid",
                        "completed",
                        origin().plus(Duration.ofDays(335))));
            }
        });
    }

    /**
     * A VPP token numbered {@code salt}: its id and 12-hourly sync phase come from the salt, and it was uploaded a
     * year before it expires.
     */
    private VppToken vppToken(
            long salt,
            String organizationName,
            String accountType,
            String appleId,
            String state,
            String lastSyncStatus,
            Instant expiration) {
        return new VppToken(
                uuid(salt, 2),
                organizationName,
                accountType,
                appleId,
                state,
                lastSyncStatus,
                expiration,
                periodic(now(), TOKEN_SYNC, salt),
                yearBefore(expiration));
    }

    /** DEP / Automated Device Enrollment tokens (beta only). */
    public List<DepToken> depTokens() {
        return whenConfigured(out -> {
            out.add(depToken(
                    7200,
                    "Contoso ABM",
                    "dep",
                    "abm-admin@contoso-sim.example",
                    expiresAfter(120, 200, 7200),
                    periodic(now(), TOKEN_SYNC, 7200),
                    tenant.deviceCount() / 8L));
            if (tenant.deviceCount() >= 500) {
                // Its last successful sync keeps a phase of its own, apart from its triggered syncs.
                out.add(depToken(
                        7210,
                        odd() ? "asm-admin@contoso-sim.example" : "Contoso ASM - Schools",
                        "appleSchoolManager",
                        "asm-admin@contoso-sim.example",
                        expiresAfter(90, 120, 7210),
                        periodic(now(), TOKEN_SYNC, 7211),
                        tenant.deviceCount() / 40L));
            }
        });
    }

    /**
     * A DEP token numbered {@code salt}: its id and the 12-hourly phase of its triggered syncs come from the salt, and
     * it was uploaded a year before it expires.
     */
    private DepToken depToken(
            long salt,
            String tokenName,
            String tokenType,
            String appleIdentifier,
            Instant expiration,
            Instant lastSuccessfulSync,
            long syncedDeviceCount) {
        return new DepToken(
                uuid(salt, 2),
                tokenName,
                tokenType,
                appleIdentifier,
                expiration,
                lastSuccessfulSync,
                periodic(now(), TOKEN_SYNC, salt),
                syncedDeviceCount,
                yearBefore(expiration));
    }

    public List<ExchangeConnector> exchangeConnectors() {
        return whenConfigured(out -> {
            // The on-premises connector of a healthy tenant: connected, syncing every 15 minutes.
            String status = odd() ? "unknownFutureValue" : "connected";
            Instant lastSync = periodic(now(), Duration.ofMinutes(15), 7300);
            out.add(new ExchangeConnector(
                    uuid(7300, 2),
                    "EXCH01.corp.contoso-sim.example",
                    "INTUNE-EXC01",
                    status,
                    "onPremises",
                    "intune-connector@contoso-sim.example",
                    "19.1.2.6",
                    lastSync));
            if (tenant.deviceCount() >= 2000) {
                // A second connector that was installed but never synced: Graph leaves lastSyncDateTime out.
                out.add(new ExchangeConnector(
                        uuid(7310, 2),
                        "EXCH02.corp.contoso-sim.example",
                        "INTUNE-EXC02",
                        "connectionPending",
                        "onPremises",
                        "intune-connector2@contoso-sim.example",
                        "19.1.2.6",
                        null));
            }
        });
    }

    public List<MtdConnector> mtdConnectors() {
        return whenConfigured(out -> {
            out.add(new MtdConnector(
                    DEFENDER_MTD_ID,
                    odd() ? "Enabled" : "enabled",
                    periodic(now(), Duration.ofMinutes(15), 7400),
                    7,
                    true,
                    true,
                    true,
                    false));
            if (tenant.deviceCount() >= 200) {
                // A third-party partner, answering every hour.
                out.add(new MtdConnector(
                        uuid(7410, 2),
                        "enabled",
                        periodic(now(), Duration.ofHours(1), 7410),
                        7,
                        true,
                        true,
                        false,
                        false));
            }
        });
    }

    public List<ManagementPartner> managementPartners() {
        return whenConfigured(out -> {
            out.add(new ManagementPartner(
                    uuid(7500, 2),
                    "Jamf Pro",
                    odd() ? "someFuturePartnerState" : "enabled",
                    "multiTenantApp",
                    true,
                    periodic(now(), Duration.ofHours(4), 7500)));
            if (tenant.deviceCount() >= 2000) {
                out.add(new ManagementPartner(
                        uuid(7510, 2), "Partner Device Management", "unavailable", "singleTenantApp", false, null));
            }
        });
    }

    /** NDES / certificate connectors (beta only). */
    public List<NdesConnector> ndesConnectors() {
        return whenConfigured(out -> {
            Instant enrolled = origin().minus(Duration.ofDays(400));
            out.add(new NdesConnector(
                    uuid(7600, 2),
                    "NDES-01",
                    "ndes01.corp.contoso-sim.example",
                    odd() ? "Active" : "active",
                    periodic(now(), Duration.ofHours(1), 7600),
                    enrolled,
                    "6.2301.1.0"));
            if (tenant.deviceCount() >= 500) {
                out.add(new NdesConnector(
                        uuid(7610, 2),
                        "NDES-02",
                        "ndes02.corp.contoso-sim.example",
                        "active",
                        periodic(now(), Duration.ofHours(1), 7610),
                        enrolled,
                        "6.2301.1.0"));
            }
        });
    }

    /** The last moment of a job that runs every {@code period} at the object's own phase. */
    private String uuid(long a, long b) {
        return Rng.uuid(seed(), a, b);
    }
}
