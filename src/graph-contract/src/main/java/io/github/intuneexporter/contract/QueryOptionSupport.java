package io.github.intuneexporter.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which OData query options an endpoint accepts, as its Microsoft Graph API reference page says ("Optional query
 * parameters"). The most specific matching path prefix wins. Options an endpoint does not support are refused with
 * 400, as Graph does; add a row when a collector needs a new endpoint.
 */
public final class QueryOptionSupport {
    /** Every system query option OData defines; anything else starting with '$' is unknown. */
    public static final Set<String> SYSTEM_OPTIONS = Set.of("$select", "$expand", "$filter", "$orderby", "$top", "$skip",
            "$skiptoken", "$count", "$search", "$format", "$deltatoken", "$levels", "$apply");

    /** Intune list pages: "This method supports the OData query parameters"; $count and $search are not supported. */
    private static final Set<String> INTUNE = Set.of("$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$skiptoken");

    private static final Map<String, Set<String>> BY_PREFIX = new LinkedHashMap<>();

    static {
        BY_PREFIX.put("/deviceManagement", INTUNE);
        BY_PREFIX.put("/deviceAppManagement", INTUNE);
        // serviceannouncement-list-healthoverviews.md: $filter, $select, $expand; no paging options documented
        BY_PREFIX.put("/admin/serviceAnnouncement/healthOverviews", Set.of("$select", "$filter", "$expand", "$top", "$skiptoken"));
        // serviceannouncement-list-issues.md / -messages.md: $count, $filter, $orderby, $select, $skip, $top
        BY_PREFIX.put("/admin/serviceAnnouncement/issues", Set.of("$count", "$filter", "$orderby", "$select", "$skip", "$top", "$skiptoken"));
        BY_PREFIX.put("/admin/serviceAnnouncement/messages", Set.of("$count", "$filter", "$orderby", "$select", "$skip", "$top", "$skiptoken"));
        // application-get.md: $select
        BY_PREFIX.put("/applications", Set.of("$select", "$expand", "$filter", "$orderby", "$top", "$count", "$search", "$skiptoken"));
    }

    private QueryOptionSupport() {}

    /** The options {@code path} (below the version root, no query) accepts; every system option when no row matches. */
    public static Set<String> supported(String path) {
        String best = null;
        for (String prefix : BY_PREFIX.keySet()) {
            if ((path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + "("))
                    && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? SYSTEM_OPTIONS : BY_PREFIX.get(best);
    }
}
