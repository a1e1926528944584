package io.github.intuneexporter.collector;

import io.github.intuneexporter.config.ConfigValues;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.EnumLabels;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.OperatingSystems;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fleet by operating system, compliance, ownership, management agent, enrollment type, encryption,
 * jailbreak and sync age, from one paged scan of managedDevices with $select of only these fields.
 * Devices are counted as they stream in; no device is kept, and nothing is exported unless every page
 * was read.
 */
public final class DeviceInventoryCollector implements IntuneCollector {
    public static final String NAME = "devices";

    /** The only managedDevice properties the scan asks for. */
    public static final List<String> FIELDS = List.of("operatingSystem", "complianceState", "managedDeviceOwnerType",
            "managementAgent", "deviceEnrollmentType", "managementState", "lastSyncDateTime", "isEncrypted", "jailBroken");

    public static final List<String> COMPLIANCE_STATES =
            List.of("compliant", "noncompliant", "in_grace_period", "error", "conflict", "config_manager", "unknown");
    public static final Set<String> OWNER_TYPES = Set.of("company", "personal", "unknown");
    public static final Set<String> MANAGEMENT_AGENTS = Set.of("eas", "mdm", "eas_mdm", "intune_client", "eas_intune_client",
            "configuration_manager_client", "configuration_manager_client_mdm", "configuration_manager_client_mdm_eas", "unknown",
            "jamf", "google_cloud_device_policy_controller", "microsoft365_managed_mdm", "ms_sense", "intune_aosp");
    public static final Set<String> ENROLLMENT_TYPES = Set.of("unknown", "user_enrollment", "device_enrollment_manager",
            "apple_bulk_with_user", "apple_bulk_without_user", "windows_azure_ad_join", "windows_bulk_userless",
            "windows_auto_enrollment", "windows_bulk_azure_domain_join", "windows_co_management",
            "windows_azure_ad_join_using_device_auth", "apple_user_enrollment", "apple_user_enrollment_with_service_account",
            "azure_ad_join_using_azure_vm_extension", "android_enterprise_dedicated_device", "android_enterprise_fully_managed",
            "android_enterprise_corporate_work_profile");
    public static final Set<String> MANAGEMENT_STATES = Set.of("managed", "retire_pending", "retire_failed", "wipe_pending",
            "wipe_failed", "unhealthy", "delete_pending", "retire_issued", "wipe_issued", "wipe_canceled", "retire_canceled",
            "discovered", "unknown");

    private final GraphApi graph;
    private final Clock clock;
    private final Duration interval;
    private final List<Integer> staleDays;

    public DeviceInventoryCollector(GraphApi graph, Clock clock, Duration interval, List<Integer> staleDays) {
        this.graph = graph;
        this.clock = clock;
        this.interval = interval;
        this.staleDays = List.copyOf(staleDays);
    }

    static DeviceInventoryCollector create(ConfigValues block, GraphApi graph, Clock clock, Duration intervalOverride) {
        Duration interval = intervalOverride != null ? intervalOverride : block.interval("interval", Duration.ofSeconds(5));
        List<Integer> days = block.integers("stale-days", 1, 3650);
        if (days.isEmpty()) {
            throw new io.github.intuneexporter.config.ConfigException(block.key("stale-days") + ": needs at least one threshold");
        }
        return new DeviceInventoryCollector(graph, clock, interval, days.stream().distinct().sorted().toList());
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get("/deviceManagement/managedDevices?$select=id&$top=1"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    /** Label values are memoised per raw string: a fleet has a handful of distinct values per field. */
    private static final class Memo {
        private final Map<String, String> values = new HashMap<>();
        private final Function<String, String> normalise;

        Memo(Function<String, String> normalise) {
            this.normalise = normalise;
        }

        String get(String raw) {
            String key = raw == null ? "" : raw;
            String v = values.get(key);
            if (v == null) {
                v = normalise.apply(raw);
                if (values.size() < 10_000) {
                    values.put(key, v);
                }
            }
            return v;
        }
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        GaugeFamily devices = GaugeFamily.of("intune_managed_devices",
                "Managed devices by operating system, compliance state, ownership and management agent (full managedDevices scan).",
                "operating_system", "compliance_state", "owner_type", "management_agent");
        GaugeFamily stale = GaugeFamily.of("intune_stale_devices",
                "Managed devices whose last check-in (lastSyncDateTime) is more than `days` days ago; never-synced devices count "
                        + "in every bucket.", "operating_system", "days");
        GaugeFamily encrypted = GaugeFamily.of("intune_devices_encrypted",
                "Managed devices by operating system and whether storage is encrypted (isEncrypted).", "operating_system", "encrypted");
        GaugeFamily jailbroken = GaugeFamily.of("intune_devices_jailbroken",
                "Managed devices by operating system and jailbreak/root detection (jailBroken: true, false, unknown).",
                "operating_system", "jailbroken");
        GaugeFamily enrollment = GaugeFamily.of("intune_enrollment_type_devices",
                "Managed devices by operating system and enrollment type (deviceEnrollmentType).", "operating_system", "enrollment_type");
        GaugeFamily management = GaugeFamily.of("intune_management_state_devices",
                "Managed devices by management state (managed, retire_pending, wipe_pending, ...).", "state");

        Memo os = new Memo(OperatingSystems::normalize);
        Memo compliance = new Memo(v -> EnumLabels.bounded(v, Set.copyOf(COMPLIANCE_STATES)));
        Memo owner = new Memo(v -> EnumLabels.bounded(v, OWNER_TYPES));
        Memo agent = new Memo(v -> EnumLabels.bounded(v, MANAGEMENT_AGENTS));
        Memo enroll = new Memo(v -> EnumLabels.bounded(v, ENROLLMENT_TYPES));
        Memo state = new Memo(v -> EnumLabels.bounded(v, MANAGEMENT_STATES));
        Memo jail = new Memo(v -> {
            String s = EnumLabels.snake(v);
            return s.equals("true") || s.equals("false") ? s : "unknown";
        });
        long[] thresholdsSeconds = staleDays.stream().mapToLong(d -> d * 86400L).toArray();
        Set<String> seenOs = new LinkedHashSet<>();
        Set<List<String>> seenTuples = new LinkedHashSet<>();
        Map<String, String> item = new HashMap<>();

        String query = "/deviceManagement/managedDevices?$select=" + String.join(",", FIELDS) + "&$top=" + graph.pageSize();
        graph.forEach(query, parser -> {
            GraphApi.readFlat(parser, item);
            String o = os.get(item.get("operatingSystem"));
            String ow = owner.get(item.get("managedDeviceOwnerType"));
            String ag = agent.get(item.get("managementAgent"));
            seenOs.add(o);
            seenTuples.add(List.of(o, ow, ag));
            devices.add(1, o, compliance.get(item.get("complianceState")), ow, ag);
            encrypted.add(1, o, Boolean.toString("true".equalsIgnoreCase(item.get("isEncrypted"))));
            jailbroken.add(1, o, jail.get(item.get("jailBroken")));
            enrollment.add(1, o, enroll.get(item.get("deviceEnrollmentType")));
            management.add(1, state.get(item.get("managementState")));
            Instant lastSync = GraphJson.instant(item.get("lastSyncDateTime"));
            long age = lastSync == null ? Long.MAX_VALUE : now.getEpochSecond() - lastSync.getEpochSecond();
            for (int k = 0; k < thresholdsSeconds.length; k++) {
                if (age > thresholdsSeconds[k]) {
                    stale.add(1, o, Integer.toString(staleDays.get(k)));
                }
            }
        });

        // Every known value of a state dimension is exported, 0 included, so that rates and ratios never lose a series.
        for (List<String> t : seenTuples) {
            for (String c : COMPLIANCE_STATES) {
                devices.ensure(t.get(0), c, t.get(1), t.get(2));
            }
        }
        for (String o : seenOs) {
            for (int d : staleDays) {
                stale.ensure(o, Integer.toString(d));
            }
            encrypted.ensure(o, "true").ensure(o, "false");
            jailbroken.ensure(o, "true").ensure(o, "false").ensure(o, "unknown");
        }
        management.ensure("managed");
        return new SnapshotBuilder().add(devices).add(stale).add(encrypted).add(jailbroken).add(enrollment).add(management).build();
    }
}
