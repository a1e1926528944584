package io.github.intuneexporter.collector.kit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one platform vocabulary of every label that names an operating system or a target platform
 * ({@code operating_system} on device counts, {@code platform} on policies, profiles, apps and app registrations), so
 * that any two families can be joined on it. Graph spells platforms in five ways: managedDevice's free-text
 * {@code operatingSystem} ("Windows", "iPadOS", "Android 14"), report columns ("iOS/iPadOS"), OData types of
 * policies, profiles, apps and registrations ({@code #microsoft.graph.androidWorkProfileCompliancePolicy},
 * {@code win32LobApp}), the counters of managedDeviceOverview and enum members such as
 * {@code devicePlatformType}. Each maps here; anything else is {@link #UNKNOWN}. Documented in docs/metrics.md.
 */
public enum Platform {
    WINDOWS("windows"),
    WINDOWS_MOBILE("windows_mobile"),
    IOS("ios"),
    IPADOS("ipados"),
    MACOS("macos"),
    ANDROID("android"),
    LINUX("linux"),
    CHROMEOS("chromeos"),
    /** Web links (mobileApp {@code webApp}), which run on every platform. */
    WEB("web"),
    UNKNOWN("unknown");

    /** Every label value, in declaration order. */
    public static final List<String> LABELS =
            Arrays.stream(values()).map(Platform::label).toList();

    private final String label;

    Platform(String label) {
        this.label = label;
    }

    /** The label value. */
    public String label() {
        return label;
    }

    /** managedDevice's or a troubleshooting event's free-text {@code operatingSystem}, or a report's OS cell. */
    public static Platform ofOperatingSystem(String raw) {
        if (raw == null) {
            return UNKNOWN;
        }
        String s = raw.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.startsWith("windowsmobile") || s.startsWith("windowsphone") || s.startsWith("windows10mobile")) {
            return WINDOWS_MOBILE;
        }
        if (s.startsWith("windows")) {
            return WINDOWS;
        }
        if (s.startsWith("ipados")) {
            return IPADOS;
        }
        if (s.startsWith("ios")) {
            return IOS; // also the reports' "iOS/iPadOS": they have one platform for both
        }
        if (s.startsWith("macos") || s.startsWith("osx") || s.startsWith("mac")) {
            return MACOS;
        }
        if (s.startsWith("android") || s.startsWith("aosp")) {
            return ANDROID;
        }
        if (s.startsWith("linux") || s.equals("ubuntu") || s.equals("redhat") || s.startsWith("rhel")) {
            return LINUX;
        }
        if (s.startsWith("chrome")) {
            return CHROMEOS;
        }
        if (s.equals("web") || s.equals("webapp")) {
            return WEB;
        }
        return UNKNOWN;
    }

    /**
     * The platform an object of this OData type targets: compliance policies ({@code windows10CompliancePolicy},
     * {@code androidWorkProfileCompliancePolicy}), configuration profiles ({@code iosWiFiConfiguration},
     * {@code editionUpgradeConfiguration}), apps ({@code win32LobApp}, {@code managedIOSLobApp}, {@code macOSDmgApp},
     * {@code officeSuiteApp}, {@code webApp}) and app registrations ({@code androidManagedAppRegistration}).
     */
    public static Platform ofODataType(String odataType) {
        if (odataType == null) {
            return UNKNOWN;
        }
        String t = odataType.replace("#microsoft.graph.", "").toLowerCase(Locale.ROOT);
        if (t.startsWith("windowsphone") || t.startsWith("windows10mobile") || t.startsWith("windowsmobile")) {
            return WINDOWS_MOBILE;
        }
        if (t.contains("macos")) {
            return MACOS;
        }
        if (t.startsWith("android") || t.startsWith("aosp") || t.contains("android")) {
            return ANDROID;
        }
        if (t.startsWith("win")
                || t.startsWith("editionupgrade")
                || t.startsWith("sharedpc")
                || t.equals("officesuiteapp")
                || t.equals("microsoftstoreforbusinessapp")
                || t.startsWith("windows")) {
            return WINDOWS;
        }
        if (t.startsWith("ios") || t.contains("managedios") || t.startsWith("ipados")) {
            return t.startsWith("ipados") ? IPADOS : IOS;
        }
        if (t.startsWith("webapp")) {
            return WEB;
        }
        if (t.startsWith("chrome")) {
            return CHROMEOS;
        }
        if (t.startsWith("linux")) {
            return LINUX;
        }
        return UNKNOWN;
    }

    /** A report's Platform text ("Windows", "iOS/iPadOS", "Android", "macOS", "Web"). */
    public static Platform ofReport(String raw) {
        String s = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Platform> word : REPORT_WORDS) {
            if (s.contains(word.getKey())) {
                return word.getValue();
            }
        }
        return ofOperatingSystem(raw);
    }

    /** Words of a report's Platform text, first match wins: reports have one platform for iOS and iPadOS. */
    private static final List<Map.Entry<String, Platform>> REPORT_WORDS = List.of(
            Map.entry("windows", WINDOWS),
            Map.entry("ios", IOS),
            Map.entry("ipados", IOS),
            Map.entry("android", ANDROID),
            Map.entry("mac", MACOS),
            Map.entry("web", WEB));
}
