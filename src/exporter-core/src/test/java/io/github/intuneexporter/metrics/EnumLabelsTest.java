package io.github.intuneexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.intuneexporter.contract.EndpointTemplates;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnumLabelsTest {

    @ParameterizedTest
    @CsvSource({
        "inGracePeriod, in_grace_period",
        "InGracePeriod, in_grace_period",
        "in_grace_period, in_grace_period",
        "in grace period, in_grace_period",
        "noncompliant, noncompliant",
        "ServiceOperational, service_operational",
        "configurationManagerClientMdmEas, configuration_manager_client_mdm_eas",
        "microsoft365ManagedMdm, microsoft365_managed_mdm",
        "windowsAzureADJoin, windows_azure_ad_join",
        "windowsAzureADJoinUsingDeviceAuth, windows_azure_ad_join_using_device_auth",
        "iOS, ios",
        "macOS, macos",
        "appleUserEnrollmentWithServiceAccount, apple_user_enrollment_with_service_account",
    })
    void snakeCase(String raw, String expected) {
        assertEquals(expected, EnumLabels.snake(raw));
    }

    @Test
    void unknownValuesAreBounded() {
        Set<String> known = Set.of("compliant", "noncompliant");
        assertEquals("compliant", EnumLabels.bounded("Compliant", known));
        assertEquals("unknown", EnumLabels.bounded("brandNewState", known));
        assertEquals("unknown", EnumLabels.bounded(null, known));
        assertEquals("unknown", EnumLabels.bounded("", known));
    }

    @Test
    void flagEnumsKeepEveryFlag() {
        Set<String> known = Set.of("clean", "reboot_pending", "full_scan_pending");
        assertEquals(
                List.of("reboot_pending", "full_scan_pending"),
                EnumLabels.flags("rebootPending, fullScanPending", known));
        assertEquals(
                List.of("reboot_pending", "full_scan_pending"),
                EnumLabels.flags("rebootPending,fullScanPending", known));
        assertEquals(List.of("reboot_pending", "unknown"), EnumLabels.flags("RebootPending, somethingNew", known));
        assertEquals(List.of(), EnumLabels.flags(" ", known));
    }

    @ParameterizedTest
    @CsvSource({
        "/v1.0/deviceManagement/managedDevices, /deviceManagement/managedDevices",
        "/beta/deviceManagement/autopilotEvents, /deviceManagement/autopilotEvents",
        "/v1.0/deviceManagement/deviceCompliancePolicies/3f2c1a8e-9b1f-4e54-8d7c-2a6f0c1d9e11/deviceStatusOverview, /deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview",
        "/v1.0/deviceManagement/managedDevices/abc123/windowsProtectionState, /deviceManagement/managedDevices/{id}/windowsProtectionState",
        "/v1.0/admin/serviceAnnouncement/issues/IT123456, /admin/serviceAnnouncement/issues/{id}",
        "/v1.0/applications(appId='7c1f'), /applications/{id}",
        "/t17/v1.0/deviceManagement/managedDevices, /deviceManagement/managedDevices",
        "/graph-proxy/beta/deviceManagement/autopilotEvents, /deviceManagement/autopilotEvents",
        "'', /",
    })
    void endpointTemplatesHaveNoIds(String path, String expected) {
        assertEquals(expected, EndpointTemplates.of(path));
    }

    @Test
    void graphJsonLeniency() {
        assertEquals(null, GraphJson.instant("0001-01-01T00:00:00Z"));
        assertEquals(null, GraphJson.instant("yesterday"));
        assertEquals(1700000000L, GraphJson.instant("2023-11-14T22:13:20Z").getEpochSecond());
        assertEquals(
                1700000000L,
                GraphJson.instant("2023-11-14T22:13:20.0000000+00:00").getEpochSecond());
    }
}
