package io.github.intuneexporter.collector;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One Graph request that proves a collector can run: the same endpoint (and so the same permission) as a real run,
 * asking for as little as possible. {@code doctor} sends every enabled collector's probes.
 *
 * @param path below the version root, with a query if needed (e.g. {@code $top=1})
 * @param beta whether the path is below the beta root
 * @param postBody the JSON body of a report action, or null for a GET
 * @param absentIsNormal whether a 404 means "not configured" (a singleton such as the APNs certificate)
 */
public record GraphProbe(String path, boolean beta, String postBody, boolean absentIsNormal) {

    public static GraphProbe get(String path) {
        return new GraphProbe(path, false, null, false);
    }

    public static GraphProbe getBeta(String path) {
        return new GraphProbe(path, true, null, false);
    }

    /** A singleton that does not exist in tenants that never configured it. */
    public static GraphProbe getOptional(String path) {
        return new GraphProbe(path, false, null, true);
    }

    public static GraphProbe post(String path, boolean beta, String body) {
        return new GraphProbe(path, beta, body, false);
    }

    /** The path without its query, for tables and permission look-ups. */
    public String endpoint() {
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        return (beta ? "beta " : "") + URLDecoder.decode(p, StandardCharsets.UTF_8);
    }
}
