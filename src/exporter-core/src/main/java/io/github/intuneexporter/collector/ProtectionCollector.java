package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.collector.kit.StateCounts;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defender antivirus health and malware of Windows devices. Three sources:
 * <ol>
 *   <li>{@code GET /deviceManagement?$select=deviceProtectionOverview,windowsMalwareOverview}: tenant-wide
 *       counts in one request (Graph returns these properties only when $select-ed);</li>
 *   <li>{@code windowsMalwareInformation} and each malware's {@code deviceMalwareStates}: detections by
 *       severity, category and threat state;</li>
 *   <li>a bounded per-device fallback: each Windows device's {@code windowsProtectionState}, but only when the
 *       tenant has at most {@code per-device-budget} Windows devices. A partial sample would look like the
 *       whole fleet, so a larger tenant gets the aggregate metrics only.</li>
 * </ol>
 */
public final class ProtectionCollector extends AbstractCollector<CollectorSettings.Protection> {
    public static final String NAME = "protection";
    private static final Logger LOG = LoggerFactory.getLogger(ProtectionCollector.class);

    /** deviceProtectionOverview count fields and their state label. */
    static final Map<String, String> OVERVIEW_STATES = StateCounts.fields(
            "cleanDeviceCount", "clean",
            "criticalFailuresDeviceCount", "critical",
            "pendingRestartDeviceCount", "reboot_pending",
            "pendingFullScanDeviceCount", "full_scan_pending",
            "pendingManualStepsDeviceCount", "manual_steps_pending",
            "pendingOfflineScanDeviceCount", "offline_scan_pending",
            "pendingQuickScanDeviceCount", "quick_scan_pending",
            "pendingSignatureUpdateDeviceCount", "signature_update_pending",
            "inactiveThreatAgentDeviceCount", "inactive_agent",
            "unknownStateThreatAgentDeviceCount", "unknown_state");
    /** windowsDeviceHealthState flags (snake_case) and the state label the per-device fallback gives them. */
    static final Map<String, String> HEALTH_FLAGS = StateCounts.fields(
            "clean", "clean",
            "critical", "critical",
            "reboot_pending", "reboot_pending",
            "full_scan_pending", "full_scan_pending",
            "manual_steps_pending", "manual_steps_pending",
            "offline_scan_pending", "offline_scan_pending");
    /** Checks of the per-device fallback and the windowsProtectionState field each reads. */
    static final Map<String, String> CHECKS = StateCounts.fields(
            "real_time_protection", "realTimeProtectionEnabled",
            "malware_protection", "malwareProtectionEnabled",
            "tamper_protection", "tamperProtectionEnabled",
            "network_inspection", "networkInspectionSystemEnabled",
            "signature_update", "signatureUpdateOverdue",
            "quick_scan", "quickScanOverdue",
            "full_scan", "fullScanOverdue");
    /** Checks whose field says "overdue": true is the problem, unlike the "enabled" fields. */
    static final Set<String> OVERDUE_CHECKS = Set.of("signature_update", "quick_scan", "full_scan");

    static final List<String> CHECK_STATUSES = List.of("ok", "problem", "unknown");
    /** windowsDefenderProductStatus flags (wire names); snake_case versions become label values. */
    static final List<String> PRODUCT_STATUS_WIRE = List.of(
            "noStatus",
            "serviceNotRunning",
            "serviceStartedWithoutMalwareProtection",
            "pendingFullScanDueToThreatAction",
            "pendingRebootDueToThreatAction",
            "pendingManualStepsDueToThreatAction",
            "avSignaturesOutOfDate",
            "asSignaturesOutOfDate",
            "noQuickScanHappenedForSpecifiedPeriod",
            "noFullScanHappenedForSpecifiedPeriod",
            "systemInitiatedScanInProgress",
            "systemInitiatedCleanInProgress",
            "samplesPendingSubmission",
            "productRunningInEvaluationMode",
            "productRunningInNonGenuineMode",
            "productExpired",
            "offlineScanRequired",
            "serviceShutdownAsPartOfSystemShutdown",
            "threatRemediationFailedCritically",
            "threatRemediationFailedNonCritically",
            "noStatusFlagsSet",
            "platformOutOfDate",
            "platformUpdateInProgress",
            "platformAboutToBeOutdated",
            "signatureOrPlatformEndOfLifeIsPastOrIsImpending",
            "windowsSModeSignaturesInUseOnNonWin10SInstall");
    /** The product status label values: every flag in snake_case, then unknown. */
    static final List<String> PRODUCT_STATUS_LABELS = Stream.concat(
                    PRODUCT_STATUS_WIRE.stream().map(EnumLabels::snake), Stream.of(EnumLabels.UNKNOWN))
            .toList();

    static final Set<String> PRODUCT_STATUSES =
            Set.copyOf(PRODUCT_STATUS_LABELS.subList(0, PRODUCT_STATUS_WIRE.size()));
    static final List<String> SEVERITIES = List.of("unknown", "low", "moderate", "high", "severe");
    private static final Set<String> SEVERITY_SET = Set.copyOf(SEVERITIES);
    static final List<String> THREAT_STATES = List.of(
            "active",
            "action_failed",
            "manual_steps_required",
            "full_scan_required",
            "reboot_required",
            "remediated_with_non_critical_failures",
            "quarantined",
            "removed",
            "cleaned",
            "allowed",
            "no_status_cleared",
            "unknown");
    /** Threat states of a detection that still needs attention (intune_malware_active_devices). */
    static final Set<String> UNRESOLVED =
            Set.of("active", "action_failed", "manual_steps_required", "full_scan_required", "reboot_required");
    /** windowsMalwareCategory in snake_case; Graph's odd member remote_Control_Software folds into remote_control_software. */
    static final Set<String> CATEGORIES = Set.of(
            "invalid",
            "adware",
            "spyware",
            "password_stealer",
            "trojan_downloader",
            "worm",
            "backdoor",
            "remote_access_trojan",
            "trojan",
            "email_flooder",
            "keylogger",
            "dialer",
            "monitoring_software",
            "browser_modifier",
            "cookie",
            "browser_plugin",
            "aol_exploit",
            "nuker",
            "security_disabler",
            "joke_program",
            "hostile_active_x_control",
            "software_bundler",
            "stealth_notifier",
            "settings_modifier",
            "tool_bar",
            "remote_control_software",
            "trojan_ftp",
            "potential_unwanted_software",
            "icq_exploit",
            "trojan_telnet",
            "exploit",
            "filesharing_program",
            "malware_creation_tool",
            "tool",
            "trojan_denial_of_service",
            "trojan_dropper",
            "trojan_mass_mailer",
            "trojan_monitoring_software",
            "trojan_proxy_server",
            "virus",
            "known",
            "unknown",
            "spp",
            "behavior",
            "vulnerability",
            "policy",
            "enterprise_unwanted_software",
            "ransom",
            "hips_rule");

    private final AtomicBoolean warnedTooLarge = new AtomicBoolean();

    private volatile boolean deferredDeviceScan;
    private volatile boolean firstRunDone;

    /**
     * {@code perDeviceBudget}: most windowsProtectionState requests per run; 0 disables the per-device fallback.
     * {@code aggregatesFirst}: the first run reads only the tenant-wide overviews (a few requests), so the exporter is
     * ready within seconds; the per-device fallback (one request per Windows device, paced by the throttle budget)
     * runs right after it instead of one interval later.
     */
    public ProtectionCollector(GraphApi graph, Duration interval, CollectorSettings.Protection settings) {
        super(NAME, FAMILIES, graph, interval, settings);
    }

    @Override
    public Duration nextDelay() {
        return deferredDeviceScan ? Duration.ZERO : interval();
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(
                GraphProbe.get(OVERVIEWS), GraphProbe.get(MALWARE + "?$top=1"), GraphProbe.get(windowsDevices(1)));
    }

    static final String OVERVIEWS = "/deviceManagement?$select=deviceProtectionOverview,windowsMalwareOverview";
    static final String MALWARE = "/deviceManagement/windowsMalwareInformation";

    /** Ids of the Windows devices, {@code top} per page. */
    static String windowsDevices(int top) {
        return "/deviceManagement/managedDevices?$filter=operatingSystem%20eq%20%27Windows%27&$select=id&$top=" + top;
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_defender_reported_devices
                Windows devices reporting Defender state (deviceProtectionOverview.totalReportedDeviceCount; from the
                per-device fallback when Graph sends no overview).
            gauge intune_defender_devices{state}
                Windows devices by Defender agent state, from deviceProtectionOverview (a device may count in several
                pending states). Without an overview, the per-device fallback counts each flag of
                windowsProtectionState.deviceState.
            gauge intune_defender_protection_checked_devices
                Windows devices whose windowsProtectionState was requested in the last run (per-device fallback; devices
                without one count as status unknown).
            gauge intune_malware_detected_devices
                Devices with malware detected (windowsMalwareOverview.malwareDetectedDeviceCount).
            gauge intune_malware_severity_detections{severity}
                Malware detections by malware severity (windowsMalwareOverview.malwareSeveritySummary).
            gauge intune_malware_category_devices{category}
                Devices with malware of a category (windowsMalwareOverview.malwareCategorySummary.deviceCount).
            gauge intune_malware_active_devices
                Distinct devices with at least one malware detection in threat state active, action_failed,
                manual_steps_required, full_scan_required or reboot_required
                (windowsMalwareInformation/deviceMalwareStates).
            gauge intune_malware_detections{severity,category,state}
                Malware detections on devices by malware severity, malware category and the device's threat state
                (windowsMalwareInformation/deviceMalwareStates).
            gauge intune_defender_protection_devices{check,status}
                Windows devices by Defender protection check and status, from each device's windowsProtectionState
                (per-device fallback, only when every Windows device fits the per-device budget). problem = protection
                off or overdue; unknown = not reported.
            gauge intune_defender_product_status_devices{status}
                Windows devices by Defender product status flag (windowsProtectionState.productStatus; a device counts
                once per flag; per-device fallback).
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode deviceManagement = graph.get(OVERVIEWS);
        JsonNode protection = objectOrNull(deviceManagement.get("deviceProtectionOverview"));
        JsonNode malwareOverview = objectOrNull(deviceManagement.get("windowsMalwareOverview"));
        MalwareScan malware = scanMalware();
        boolean defer = settings.aggregatesFirst() && !firstRunDone && settings.perDeviceBudget() > 0;
        DeviceScan devices = settings.perDeviceBudget() > 0 && !defer ? scanDevices() : null;
        firstRunDone = true;
        deferredDeviceScan = defer;

        SnapshotBuilder out = new SnapshotBuilder();
        GaugeFamily reported = FAMILIES.gauge("intune_defender_reported_devices");
        GaugeFamily states = FAMILIES.gauge("intune_defender_devices");
        if (protection != null) {
            GraphJson.count(protection, "totalReportedDeviceCount").ifPresent(reported::set);
            for (Map.Entry<String, String> e : OVERVIEW_STATES.entrySet()) {
                OptionalLong v = GraphJson.count(protection, e.getKey());
                states.set(v.orElse(0), e.getValue());
            }
        } else if (devices != null) {
            reported.set(devices.reported);
            Set<String> healthStates = new LinkedHashSet<>(HEALTH_FLAGS.values());
            healthStates.add("unknown_state");
            StateCounts.zeroFill(states, List.copyOf(healthStates));
            devices.healthStates.forEach((state, n) -> states.add(n, state));
        }
        out.add(reported).add(states);

        if (devices != null) {
            out.add(devices.checks).add(devices.productStatus);
            out.add(FAMILIES.gauge("intune_defender_protection_checked_devices").set(devices.checked));
        }

        GaugeFamily detected = FAMILIES.gauge("intune_malware_detected_devices");
        GaugeFamily severity = FAMILIES.gauge("intune_malware_severity_detections");
        GaugeFamily category = FAMILIES.gauge("intune_malware_category_devices");
        if (malwareOverview != null) {
            GraphJson.count(malwareOverview, "malwareDetectedDeviceCount").ifPresent(detected::set);
            for (String s : SEVERITIES) {
                severity.ensure(s);
            }
            for (JsonNode item : malwareOverview.path("malwareSeveritySummary")) {
                severity.add(
                        GraphJson.count(item, "malwareDetectionCount").orElse(0),
                        EnumLabels.bounded(GraphJson.text(item, "severity"), SEVERITY_SET));
            }
            for (JsonNode item : malwareOverview.path("malwareCategorySummary")) {
                category.add(
                        GraphJson.count(item, "deviceCount").orElse(0),
                        EnumLabels.bounded(GraphJson.text(item, "category"), CATEGORIES));
            }
        }
        out.add(detected).add(severity).add(category);
        out.add(malware.detections)
                .add(FAMILIES.gauge("intune_malware_active_devices").set(malware.activeDevices));
        return out.build();
    }

    private static JsonNode objectOrNull(JsonNode node) {
        return node != null && node.isObject() ? node : null;
    }

    private record MalwareScan(GaugeFamily detections, long activeDevices) {}

    /** Every malware of the tenant and every device it was detected on. */
    private MalwareScan scanMalware() throws GraphException {
        GaugeFamily detections = FAMILIES.gauge("intune_malware_detections");
        Set<String> threatStates = Set.copyOf(THREAT_STATES);
        // Device ids only live for this run, to count distinct devices; they are never exported or logged.
        Set<String> activeDevices = new HashSet<>();
        Map<String, String> item = new HashMap<>();
        for (JsonNode malware : graph.list(MALWARE + "?$top=" + graph.pageSize())) {
            String id = GraphJson.text(malware, "id");
            if (id == null || id.isBlank()) {
                continue;
            }
            String sev = EnumLabels.bounded(GraphJson.text(malware, "severity"), SEVERITY_SET);
            String cat = EnumLabels.bounded(GraphJson.text(malware, "category"), CATEGORIES);
            for (String state : THREAT_STATES) {
                detections.ensure(sev, cat, state);
            }
            graph.forEach(
                    "/deviceManagement/windowsMalwareInformation/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                            + "/deviceMalwareStates?$top=" + graph.pageSize(),
                    parser -> {
                        GraphApi.readFlat(parser, item);
                        String state = EnumLabels.bounded(item.get("threatState"), threatStates);
                        detections.add(1, sev, cat, state);
                        String device = item.get("id");
                        if (UNRESOLVED.contains(state) && device != null) {
                            activeDevices.add(device);
                        }
                    });
        }
        return new MalwareScan(detections, activeDevices.size());
    }

    /** What the per-device fallback read: complete, or not returned at all. */
    private record DeviceScan(
            long checked,
            long reported,
            GaugeFamily checks,
            GaugeFamily productStatus,
            Map<String, Long> healthStates) {}

    /** Thrown by the id listing as soon as the tenant has more Windows devices than the budget. */
    private static final class OverBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverBudget() {
            super(null, null, false, false);
        }
    }

    /**
     * The per-device fallback, or null when the tenant has more Windows devices than the budget. The id listing
     * stops at budget + 1 ids, so an oversized tenant costs one or two requests, not a full scan.
     */
    private DeviceScan scanDevices() throws GraphException {
        List<String> ids = windowsDeviceIds();
        return ids == null ? null : readStates(ids);
    }

    /** The Windows device ids, or null (warned once) when there are more than the per-device budget. */
    private List<String> windowsDeviceIds() throws GraphException {
        List<String> ids = new ArrayList<>();
        Map<String, String> item = new HashMap<>();
        int top = Math.min(graph.pageSize(), settings.perDeviceBudget() + 1);
        try {
            graph.forEach(windowsDevices(top), parser -> {
                GraphApi.readFlat(parser, item);
                String id = item.get("id");
                if (id != null && !id.isBlank()) {
                    if (ids.size() >= settings.perDeviceBudget()) {
                        throw new OverBudget();
                    }
                    ids.add(id);
                }
            });
        } catch (OverBudget e) {
            if (warnedTooLarge.compareAndSet(false, true)) {
                LOG.warn(
                        "More than {} Windows devices: too many for the per-device windowsProtectionState fallback "
                                + "(intune.collectors.protection.per-device-budget); exporting the Defender aggregates only, without "
                                + "intune_defender_protection_devices",
                        settings.perDeviceBudget());
            }
            return null;
        }
        warnedTooLarge.set(false);
        return ids;
    }

    /** Reads each device's windowsProtectionState (at most the budget: {@code ids} never holds more). */
    private DeviceScan readStates(List<String> ids) throws GraphException {
        GaugeFamily checks = StateCounts.zeroFill(
                FAMILIES.gauge("intune_defender_protection_devices"), List.copyOf(CHECKS.keySet()), CHECK_STATUSES);
        GaugeFamily product =
                StateCounts.zeroFill(FAMILIES.gauge("intune_defender_product_status_devices"), PRODUCT_STATUS_LABELS);
        Map<String, Long> health = new LinkedHashMap<>();
        Set<String> healthKnown = HEALTH_FLAGS.keySet();
        long reported = 0;
        int requests = 0;
        for (String id : ids) {
            if (++requests > settings.perDeviceBudget()) {
                throw new IllegalStateException(
                        "per-device requests exceeded the budget"); // cannot happen: ids <= budget
            }
            JsonNode state = protectionState(id);
            if (state == null) {
                for (String check : CHECKS.keySet()) {
                    checks.add(1, check, "unknown");
                }
                continue;
            }
            reported++;
            for (Map.Entry<String, String> c : CHECKS.entrySet()) {
                checks.add(1, c.getKey(), checkStatus(state.get(c.getValue()), OVERDUE_CHECKS.contains(c.getKey())));
            }
            List<String> flags = EnumLabels.flags(GraphJson.text(state, "deviceState"), healthKnown);
            if (flags.isEmpty()) {
                health.merge("unknown_state", 1L, Long::sum);
            }
            for (String flag : flags) {
                health.merge(HEALTH_FLAGS.getOrDefault(flag, "unknown_state"), 1L, Long::sum);
            }
            for (String flag : EnumLabels.flags(GraphJson.text(state, "productStatus"), PRODUCT_STATUSES)) {
                product.add(1, flag);
            }
        }
        LOG.debug(
                "protection: read windowsProtectionState of {} Windows devices ({} of budget {})",
                ids.size(),
                requests,
                settings.perDeviceBudget());
        return new DeviceScan(ids.size(), reported, checks, product, health);
    }

    /** A device's windowsProtectionState, or null when Graph has none for it (404: not reported yet). */
    private JsonNode protectionState(String deviceId) throws GraphException {
        try {
            return graph.get("/deviceManagement/managedDevices/" + URLEncoder.encode(deviceId, StandardCharsets.UTF_8)
                    + "/windowsProtectionState");
        } catch (GraphException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** ok / problem / unknown from an "...Enabled" field, or from an "...Overdue" field when {@code overdue}. */
    static String checkStatus(JsonNode value, boolean overdue) {
        Boolean b = null;
        if (value != null && value.isBoolean()) {
            b = value.booleanValue();
        } else if (value != null && value.isTextual()) {
            String s = value.textValue().trim();
            b = s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }
        if (b == null) {
            return "unknown";
        }
        return b != overdue ? "ok" : "problem";
    }
}
