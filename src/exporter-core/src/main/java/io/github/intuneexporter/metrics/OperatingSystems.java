package io.github.intuneexporter.metrics;

import java.util.List;
import java.util.Locale;

/** Normalises Graph's free-text {@code operatingSystem} to a bounded set of label values. */
public final class OperatingSystems {
    public static final List<String> ALL =
            List.of("windows", "ios", "ipados", "macos", "android", "linux", "chromeos", "windows_mobile", "unknown");

    private OperatingSystems() {}

    public static String normalize(String raw) {
        if (raw == null) {
            return "unknown";
        }
        String s = raw.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (s.isEmpty()) {
            return "unknown";
        }
        if (s.startsWith("windowsmobile") || s.startsWith("windowsphone")) {
            return "windows_mobile";
        }
        if (s.startsWith("windows")) {
            return "windows";
        }
        if (s.startsWith("ipados")) {
            return "ipados";
        }
        if (s.startsWith("ios")) {
            return "ios";
        }
        if (s.startsWith("macos") || s.startsWith("osx") || s.startsWith("macosx")) {
            return "macos";
        }
        if (s.startsWith("android")) {
            return "android";
        }
        if (s.startsWith("linux") || s.equals("ubuntu") || s.equals("redhat") || s.startsWith("rhel")) {
            return "linux";
        }
        if (s.startsWith("chrome")) {
            return "chromeos";
        }
        return "unknown";
    }
}
