package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.AdminNamedObjects;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.metrics.AdminNames;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiry, sync and heartbeat of the tenant's connectors and tokens: the APNs certificate, Apple VPP tokens,
 * DEP/ADE tokens (beta, opt-in), Exchange connectors, Mobile Threat Defense connectors, device management
 * partners and NDES connectors (beta, opt-in). One request per source.
 *
 * <p>A source that fails (403 because its permission is missing, throttling, bad JSON) fails the whole run,
 * with a message naming the source, its config switch and the permission: exporting the other sources would
 * make a missing token look like "no token". The one normal 404 is the APNs certificate of a tenant that never
 * uploaded one: that gives no series.
 */
public final class ConnectorsCollector extends AbstractCollector<CollectorSettings.Connectors> {
    public static final String NAME = "connectors";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorsCollector.class);

    public static final List<String> VPP_STATES =
            List.of("valid", "expired", "invalid", "assigned_to_external_mdm", "unknown");
    public static final List<String> VPP_SYNC_STATUSES =
            List.of("none", "in_progress", "completed", "failed", "unknown");
    public static final List<String> EXCHANGE_STATES =
            List.of("connected", "disconnected", "connection_pending", "none", "unknown");
    public static final List<String> MTD_STATES =
            List.of("available", "enabled", "unavailable", "unresponsive", "unknown");
    public static final List<String> PARTNER_STATES =
            List.of("enabled", "unavailable", "terminated", "rejected", "unresponsive", "unknown");
    public static final List<String> NDES_STATES = List.of("active", "inactive", "none", "unknown");

    public ConnectorsCollector(GraphApi graph, Duration interval, CollectorSettings.Connectors settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    /** The request of each source; doctor sends the same ones (with $top=1 on lists). */
    static final String APNS = "/deviceManagement/applePushNotificationCertificate?$select=expirationDateTime";

    static final String VPP =
            "/deviceAppManagement/vppTokens?$select=id,organizationName,expirationDateTime,lastSyncDateTime,lastSyncStatus,state";
    static final String DEP =
            "/deviceManagement/depOnboardingSettings?$select=id,tokenName,tokenExpirationDateTime,lastSuccessfulSyncDateTime";
    static final String EXCHANGE = "/deviceManagement/exchangeConnectors?$select=id,serverName,status,lastSyncDateTime";
    static final String MTD =
            "/deviceManagement/mobileThreatDefenseConnectors?$select=id,partnerState,lastHeartbeatDateTime";
    static final String PARTNERS =
            "/deviceManagement/deviceManagementPartners?$select=id,displayName,partnerState,lastHeartbeatDateTime";
    static final String NDES = "/deviceManagement/ndesConnectors?$select=id,displayName,state,lastConnectionDateTime";

    /**
     * The connector lists, one request each, in export order; the key ({@code vpp-tokens}) is the constant's name in
     * lower case with hyphens, both the source's switch under intune.collectors.connectors and its name in errors. An
     * item's one-hot state is {@code stateField} over {@code states} (DEP tokens have none); its times are in
     * {@link #timestamps}.
     */
    private enum Source {
        VPP_TOKENS("vpp_token", "organizationName", VPP, "state", VPP_STATES),
        DEP_TOKENS("dep_token", "tokenName", DEP, null, List.of()),
        EXCHANGE_CONNECTORS("exchange_connector", "serverName", EXCHANGE, "status", EXCHANGE_STATES),
        MTD_CONNECTORS("mtd_connector", "id", MTD, "partnerState", MTD_STATES),
        MANAGEMENT_PARTNERS("management_partner", "displayName", PARTNERS, "partnerState", PARTNER_STATES),
        NDES_CONNECTORS("ndes_connector", "displayName", NDES, "state", NDES_STATES);

        final String connectorType;
        final String nameField;
        final String request;
        final String stateField;
        final List<String> states;

        Source(String connectorType, String nameField, String request, String stateField, List<String> states) {
            this.connectorType = connectorType;
            this.nameField = nameField;
            this.request = request;
            this.stateField = stateField;
            this.states = states;
        }

        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** DEP tokens and NDES connectors are beta-only, and opt-in. */
        boolean beta() {
            return this == DEP_TOKENS || this == NDES_CONNECTORS;
        }

        boolean enabledIn(CollectorSettings.ConnectorSources on) {
            return switch (this) {
                case VPP_TOKENS -> on.vppTokens();
                case DEP_TOKENS -> on.depTokens();
                case EXCHANGE_CONNECTORS -> on.exchangeConnectors();
                case MTD_CONNECTORS -> on.mtdConnectors();
                case MANAGEMENT_PARTNERS -> on.managementPartners();
                case NDES_CONNECTORS -> on.ndesConnectors();
            };
        }
    }

    @Override
    public List<GraphProbe> probes() {
        List<GraphProbe> out = new ArrayList<>();
        if (settings.sources().applePushCertificate()) {
            out.add(GraphProbe.getOptional(APNS));
        }
        for (Source source : Source.values()) {
            if (source.enabledIn(settings.sources())) {
                String firstItem = source.request + "&$top=1";
                out.add(source.beta() ? GraphProbe.getBeta(firstItem) : GraphProbe.get(firstItem));
            }
        }
        return out;
    }

    @Override
    public List<String> betaSourcesOff() {
        List<String> off = new ArrayList<>();
        for (Source source : Source.values()) {
            if (source.beta() && !source.enabledIn(settings.sources())) {
                off.add("intune.collectors.connectors." + source.key());
            }
        }
        return off;
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_connector_expiration_timestamp_seconds{connector_type,name}
                When a certificate or token expires (Unix seconds): APNs certificate expirationDateTime, VPP token
                expirationDateTime, DEP token tokenExpirationDateTime (beta); name="_other": the earliest beyond
                max-per-type.
            gauge intune_connector_last_sync_timestamp_seconds{connector_type,name}
                Last successful sync (Unix seconds): VPP token lastSyncDateTime, DEP token lastSuccessfulSyncDateTime
                (beta), Exchange connector lastSyncDateTime. Absent when Graph reports none; _other: the oldest beyond
                max-per-type.
            gauge intune_connector_last_heartbeat_timestamp_seconds{connector_type,name}
                Last heartbeat (Unix seconds): Mobile Threat Defense connector and device management partner
                lastHeartbeatDateTime, NDES connector lastConnectionDateTime (beta). Absent when never; _other: the
                oldest.
            gauge intune_connector_state{connector_type,name,state}
                1 for the connector's current state, 0 for its other known states: VPP token state, Exchange connector
                status, MTD connector and partner partnerState, NDES connector state (beta); _other: connectors per
                state.
            gauge intune_connector_sync_status{connector_type,name,status}
                1 for the VPP token's lastSyncStatus, 0 for the other known values; _other: tokens per status.
            """);

    /** Per-run families. */
    private static final class Run {
        final GaugeFamily expiration = FAMILIES.gauge("intune_connector_expiration_timestamp_seconds");
        final GaugeFamily lastSync = FAMILIES.gauge("intune_connector_last_sync_timestamp_seconds");
        final GaugeFamily heartbeat = FAMILIES.gauge("intune_connector_last_heartbeat_timestamp_seconds");
        final GaugeFamily state = FAMILIES.gauge("intune_connector_state");
        final GaugeFamily syncStatus = FAMILIES.gauge("intune_connector_sync_status");

        MetricSnapshots build() {
            return new SnapshotBuilder()
                    .add(expiration)
                    .add(lastSync)
                    .add(heartbeat)
                    .add(state)
                    .add(syncStatus)
                    .build();
        }
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Run run = new Run();
        if (settings.sources().applePushCertificate()) {
            applePush(run);
        }
        for (Source source : Source.values()) {
            if (source.enabledIn(settings.sources())) {
                for (Named item : named(source, read(source.key(), () -> list(source)))) {
                    timestamps(run, source, item);
                    if (source.stateField != null) {
                        state(run.state, item, source.stateField, source.states);
                    }
                    if (source == Source.VPP_TOKENS) {
                        state(run.syncStatus, item, "lastSyncStatus", VPP_SYNC_STATUSES);
                    }
                }
            }
        }
        return run.build();
    }

    private void applePush(Run run) throws GraphException {
        JsonNode cert;
        try {
            cert = graph.get(APNS);
        } catch (GraphException e) {
            if (e.status() == 404) {
                LOG.debug("no Apple push notification certificate is uploaded (404): no series");
                return;
            }
            throw sourceFailed("apple-push-certificate", e);
        }
        Instant expiration = GraphJson.instant(cert, "expirationDateTime");
        if (expiration != null) {
            run.expiration.set(expiration.getEpochSecond(), "apple_push_certificate", "apns");
        }
    }

    private List<JsonNode> list(Source source) throws GraphException {
        return source.beta() ? graph.listBeta(source.request) : graph.list(source.request);
    }

    /** Which family each time of an item of {@code source} goes to. */
    private static void timestamps(Run run, Source source, Named item) {
        switch (source) {
            case VPP_TOKENS -> {
                timestamp(run.expiration, item, "expirationDateTime");
                timestamp(run.lastSync, item, "lastSyncDateTime");
            }
            case DEP_TOKENS -> {
                timestamp(run.expiration, item, "tokenExpirationDateTime");
                timestamp(run.lastSync, item, "lastSuccessfulSyncDateTime");
            }
            case EXCHANGE_CONNECTORS -> timestamp(run.lastSync, item, "lastSyncDateTime");
            case MTD_CONNECTORS, MANAGEMENT_PARTNERS -> timestamp(run.heartbeat, item, "lastHeartbeatDateTime");
            case NDES_CONNECTORS -> timestamp(run.heartbeat, item, "lastConnectionDateTime");
        }
    }

    /** One Graph object with its bounded, unique label name. */
    private record Named(String connectorType, String name, JsonNode item) {}

    /** A connector's time; the objects beyond max-per-type share {@code _other}, which keeps the earliest. */
    private static void timestamp(GaugeFamily family, Named n, String field) {
        Instant t = GraphJson.instant(n.item(), field);
        if (t != null) {
            family.min(t.getEpochSecond(), n.connectorType(), n.name());
        }
    }

    /** 1 for the current state, 0 for the others; {@code _other} counts its objects per state. */
    private static void state(GaugeFamily family, Named n, String field, List<String> known) {
        StateCounts.oneHot(family, GraphJson.text(n.item(), field), known, n.connectorType(), n.name());
    }

    /** The objects of one source, labelled by its name field ({@link AdminNamedObjects}, {@link #boundedName}). */
    private List<Named> named(Source source, List<JsonNode> items) {
        return AdminNamedObjects.label(
                        items,
                        item -> boundedName(
                                GraphJson.text(item, source.nameField),
                                GraphJson.text(item, "id"),
                                settings.nameMaxLength()),
                        new AdminNames.TopN(
                                source.key(), "intune.collectors.connectors.max-per-type", settings.maxPerType()),
                        settings.nameMaxLength())
                .stream()
                .map(l -> new Named(source.connectorType, l.label(), l.item()))
                .toList();
    }

    /**
     * The label value for an admin-named object ({@link AdminNames#label}: personal data hashed, whitespace
     * collapsed, cut at {@code maxLength}); a blank name becomes "id-" and the first 8 characters of the object's id.
     */
    static String boundedName(String raw, String id, int maxLength) {
        if (raw == null || raw.isBlank()) {
            String compact = id == null ? "" : id.replaceAll("[^A-Za-z0-9-]", "");
            return compact.isEmpty() ? AdminNames.UNNAMED : "id-" + compact.substring(0, Math.min(8, compact.length()));
        }
        return AdminNames.label("connector", raw, maxLength).strip();
    }

    @FunctionalInterface
    private interface GraphCall<T> {
        T call() throws GraphException;
    }

    private static <T> T read(String source, GraphCall<T> call) throws GraphException {
        try {
            return call.call();
        } catch (GraphException e) {
            throw sourceFailed(source, e);
        }
    }

    /** The same failure, with the source and its off switch named so the operator can act on it. */
    private static GraphException sourceFailed(String source, GraphException e) {
        return new GraphException(
                e.endpoint(),
                e.status(),
                e.errorCode(),
                "connectors source " + source + ": " + e.getMessage()
                        + " (to skip this source set intune.collectors.connectors." + source + " = false)",
                e);
    }
}
