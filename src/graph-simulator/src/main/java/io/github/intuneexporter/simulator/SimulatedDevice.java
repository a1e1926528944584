package io.github.intuneexporter.simulator;

import java.time.Instant;

/**
 * One generated managed device, as Graph's managedDevice would show it (wire strings for every enum).
 * Devices are computed from (seed, index, time) on demand; the simulator never holds the fleet in memory.
 */
public record SimulatedDevice(
        int index,
        String id,
        String deviceName,
        String userPrincipalName,
        String userDisplayName,
        String operatingSystem,
        String osVersion,
        String complianceState,
        String managementAgent,
        String ownerType,
        String enrollmentType,
        String managementState,
        Instant enrolledDateTime,
        Instant lastSyncDateTime,
        boolean encrypted,
        String jailBroken,
        String model,
        String manufacturer,
        String serialNumber,
        String exchangeAccessState,
        String androidSecurityPatchLevel,
        Instant managementCertificateExpiration,
        /** End of the compliance grace period; null when the device is not in one (Graph then writes 9999-12-31). */
        Instant complianceGraceExpiration) {}
