package io.github.intuneexporter.contract;

import java.util.regex.Pattern;

/**
 * Turns a request path into a bounded endpoint label: the version prefix goes, and every segment that is an
 * identifier becomes {id}, so {@code /v1.0/deviceManagement/deviceCompliancePolicies/3f2c.../deviceStatusOverview}
 * is counted as {@code /deviceManagement/deviceCompliancePolicies/{id}/deviceStatusOverview}.
 */
public final class EndpointTemplates {
    /** The version root, after at most one path segment of a base URL behind a prefix (a proxy, a shared simulator). */
    private static final Pattern VERSION = Pattern.compile("^(/[^/]+)?/(v1\\.0|beta)(?=/|$)");

    private static final Pattern NAME = Pattern.compile("[A-Za-z$][A-Za-z.$]*");

    private EndpointTemplates() {}

    public static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int q = path.indexOf('?');
        String p = q >= 0 ? path.substring(0, q) : path;
        p = VERSION.matcher(p).replaceFirst("");
        StringBuilder out = new StringBuilder();
        for (String segment : p.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            out.append('/');
            int paren = segment.indexOf('(');
            if (paren > 0) {
                // OData key syntax: exportJobs('Devices_123')
                out.append(segment, 0, paren).append("/{id}");
            } else if (NAME.matcher(segment).matches() && segment.length() < 80) {
                out.append(segment);
            } else {
                out.append("{id}");
            }
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
