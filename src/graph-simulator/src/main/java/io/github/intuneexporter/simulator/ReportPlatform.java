package io.github.intuneexporter.simulator;

import java.util.List;
import java.util.Optional;

/**
 * The platforms as Intune's reports name them (the Platform and OS columns; the platform column of the simulator's
 * tables): the managedDevice operatingSystem values each one covers, and the number an odd-valued
 * getAppsInstallSummaryReport sends in place of the name.
 */
enum ReportPlatform {
    WINDOWS("Windows", 1, "Windows"),
    IOS("iOS/iPadOS", 2, "iOS", "iPadOS"),
    ANDROID("Android", 3, "Android"),
    MACOS("macOS", 4, "macOS"),
    /** A web app runs on no device's operating system. */
    WEB("Web", 5);

    private final String text;
    private final int code;
    private final List<String> operatingSystems;

    ReportPlatform(String text, int code, String... operatingSystems) {
        this.text = text;
        this.code = code;
        this.operatingSystems = List.of(operatingSystems);
    }

    /** The platform a simulator table names; an unknown name is a mistake in the table. */
    static ReportPlatform named(String text) {
        for (ReportPlatform p : values()) {
            if (p.text.equals(text)) {
                return p;
            }
        }
        throw new IllegalStateException("unknown platform " + text + " in a simulator table");
    }

    /** The platform that covers a managedDevice operatingSystem, if a report names one for it. */
    static Optional<ReportPlatform> covering(String operatingSystem) {
        for (ReportPlatform p : values()) {
            if (p.operatingSystems.contains(operatingSystem)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The name the reports use, e.g. iOS/iPadOS. */
    String text() {
        return text;
    }

    /** The number sent in place of the name by a report whose Platform column is typed Int32. */
    int code() {
        return code;
    }

    /** The managedDevice operatingSystem values the platform covers (none for the web). */
    List<String> operatingSystems() {
        return operatingSystems;
    }
}
