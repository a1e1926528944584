package io.github.intuneexporter.collector.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each way Graph spells a platform maps to the one vocabulary; anything else is unknown. */
class PlatformTest {

    @ParameterizedTest
    @CsvSource({
        "Windows, windows",
        "windows, windows",
        "Windows 11, windows",
        "iOS, ios",
        "iPadOS, ipados",
        "macOS, macos",
        "Mac OS X, macos",
        "Android, android",
        "AndroidForWork, android",
        "AndroidEnterprise, android",
        "Linux, linux",
        "Windows Mobile, windows_mobile",
        "ChromeOS, chromeos",
        "HoloLensOS, unknown",
        "'', unknown",
        "iOS/iPadOS, ios",
        "Android (personally-owned work profile), android",
    })
    void freeTextOperatingSystems(String raw, String expected) {
        assertEquals(expected, Platform.ofOperatingSystem(raw).label());
    }

    @ParameterizedTest
    @CsvSource({
        // compliance policies
        "#microsoft.graph.androidWorkProfileCompliancePolicy, android",
        "#microsoft.graph.macOSCompliancePolicy, macos",
        "#microsoft.graph.windows10CompliancePolicy, windows",
        "#microsoft.graph.windows81CompliancePolicy, windows",
        "#microsoft.graph.windowsPhone81CompliancePolicy, windows_mobile",
        "#microsoft.graph.windows10MobileCompliancePolicy, windows_mobile",
        "#microsoft.graph.aospDeviceOwnerCompliancePolicy, android",
        "#microsoft.graph.iosCompliancePolicy, ios",
        "#microsoft.graph.someFutureCompliancePolicy, unknown",
        // configuration profiles
        "#microsoft.graph.iosDeviceFeaturesConfiguration, ios",
        "#microsoft.graph.windows81SCEPCertificateProfile, windows",
        "#microsoft.graph.editionUpgradeConfiguration, windows",
        "#microsoft.graph.sharedPCConfiguration, windows",
        "#microsoft.graph.androidWorkProfileVpnConfiguration, android",
        "#microsoft.graph.visionOSDeviceFeaturesConfiguration, unknown",
        // apps
        "#microsoft.graph.officeSuiteApp, windows",
        "#microsoft.graph.win32LobApp, windows",
        "#microsoft.graph.macOsVppApp, macos",
        "#microsoft.graph.macOSDmgApp, macos",
        "#microsoft.graph.managedIOSStoreApp, ios",
        "#microsoft.graph.iosVppApp, ios",
        "#microsoft.graph.androidManagedStoreApp, android",
        "#microsoft.graph.managedAndroidLobApp, android",
        "#microsoft.graph.webApp, web",
        "#microsoft.graph.microsoftStoreForBusinessApp, windows",
        // app registrations
        "#microsoft.graph.iosManagedAppRegistration, ios",
        "#microsoft.graph.androidManagedAppRegistration, android",
        "#microsoft.graph.windowsManagedAppRegistration, windows",
        "#microsoft.graph.tizenManagedAppRegistration, unknown",
        "'', unknown",
    })
    void odataTypes(String type, String expected) {
        assertEquals(expected, Platform.ofODataType(type).label());
    }

    @ParameterizedTest
    @CsvSource({"Windows, windows", "iOS/iPadOS, ios", "Android, android", "macOS, macos", "Web, web", "'', unknown"})
    void reportColumns(String raw, String expected) {
        assertEquals(expected, Platform.ofReport(raw).label());
    }

    @org.junit.jupiter.api.Test
    void nullIsUnknown() {
        assertEquals(Platform.UNKNOWN, Platform.ofODataType(null));
        assertEquals(Platform.UNKNOWN, Platform.ofOperatingSystem(null));
        assertEquals(Platform.UNKNOWN, Platform.ofReport(null));
    }
}
