package io.github.intuneexporter.collector;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import io.github.intuneexporter.collector.kit.FamilySpec;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.CsvReader;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.graph.ReportExport;
import io.github.intuneexporter.metrics.GraphJson;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fleet by operating system, compliance, ownership, management agent, enrollment type, encryption,
 * jailbreak and sync age, and the risks of {@link DeviceRiskTally} (MDM certificate expiry, patch and OS-version
 * currency, compliance grace period), from one paged scan of managedDevices with $select of only these fields.
 * Devices are counted as they stream in ({@link DeviceTally}); no device is kept, and nothing is exported
 * unless every page was read.
 *
 * <p>For large tenants the scan can run as parallel enrolledDateTime ranges ({@link ScanPartitions}), merged
 * only when every range succeeded, or come from the Intune reports export API ({@code source = export-job}).
 */
public final class DeviceInventoryCollector implements IntuneCollector {
    public static final String NAME = "devices";

    /**
     * The only managedDevice properties the scan asks for: those {@link DeviceReader} reads (a partitioned scan adds
     * enrolledDateTime).
     */
    public static final List<String> FIELDS = DeviceReader.SELECTED;

    public static final List<String> COMPLIANCE_STATES = DeviceTally.COMPLIANCE;
    public static final Set<String> OWNER_TYPES = Set.copyOf(DeviceTally.OWNER);
    public static final Set<String> MANAGEMENT_AGENTS = Set.copyOf(DeviceTally.AGENT);
    public static final Set<String> ENROLLMENT_TYPES = Set.copyOf(DeviceTally.ENROLLMENT);
    public static final Set<String> MANAGEMENT_STATES = Set.copyOf(DeviceTally.MANAGEMENT);

    /** The export report and its columns the export-job source reads (docs/graph-contract.md; Microsoft: https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-available-reports). */
    static final String EXPORT_REPORT = "DeviceCompliance";

    static final List<String> EXPORT_COLUMNS =
            List.of("OS", "ComplianceState", "OwnerType", "ManagementAgents", "LastContact");

    /** Where the device data comes from. */
    private final GraphApi graph;

    private final Clock clock;
    private final CollectorSettings.Devices settings;
    /** Boundaries for the next partitioned scan, measured by the last complete one (aggregate, not per-device). */
    private volatile List<Instant> nextBoundaries;

    public DeviceInventoryCollector(GraphApi graph, Clock clock, Duration interval, List<Integer> staleDays) {
        this(graph, clock, CollectorSettings.Devices.defaults(interval, staleDays));
    }

    public DeviceInventoryCollector(GraphApi graph, Clock clock, CollectorSettings.Devices settings) {
        this.graph = graph;
        this.clock = clock;
        this.settings = settings;
    }

    static DeviceInventoryCollector create(
            CollectorSettings.Devices s, GraphApi graph, Clock clock, Duration interval) {
        return new DeviceInventoryCollector(
                graph,
                clock,
                new CollectorSettings.Devices(
                        interval,
                        s.staleDays(),
                        s.scanConcurrency(),
                        s.source(),
                        s.exportPollInterval(),
                        s.exportTimeout()));
    }

    @Override
    public List<FamilySpec> families() {
        return DeviceTally.FAMILIES.list();
    }

    @Override
    public List<GraphProbe> probes() {
        if (settings.source() == CollectorSettings.DeviceSource.EXPORT_JOB) {
            // The job a run creates: the only proof of the ReadWrite permission the export path needs.
            return List.of(
                    GraphProbe.post(ReportExport.JOBS, false, ReportExport.jobBody(EXPORT_REPORT, EXPORT_COLUMNS)));
        }
        return List.of(GraphProbe.get(scanQuery(null, false, 1)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration interval() {
        return settings.interval();
    }

    public CollectorSettings.Devices settings() {
        return settings;
    }

    /** The enrolledDateTime boundaries the next partitioned scan will use. */
    public List<Instant> nextBoundaries() {
        List<Instant> b = nextBoundaries;
        return b != null ? b : ScanPartitions.initial(clock.instant(), settings.scanConcurrency());
    }

    @Override
    public MetricSnapshots collect() throws Exception {
        Instant now = clock.instant();
        if (settings.source() == CollectorSettings.DeviceSource.EXPORT_JOB) {
            return collectFromExport(now);
        }
        int ranges = settings.scanConcurrency();
        if (ranges <= 1) {
            DeviceTally tally = new DeviceTally(settings.staleDays(), now.getEpochSecond());
            scan(null, tally, null);
            return tally.snapshot(EnumSet.allOf(DeviceTally.Family.class));
        }
        return collectPartitioned(now, nextBoundaries());
    }

    /** Streams one range of managedDevices ({@code filter} null = all) into {@code tally}. */
    private void scan(String filter, DeviceTally tally, ScanPartitions.Histogram enrolled) throws GraphException {
        DeviceReader reader = new DeviceReader(tally, enrolled);
        graph.forEach(scanQuery(filter, enrolled != null, graph.pageSize()), reader::read);
    }

    /** The managedDevices page request of a scan: only the tallied fields, {@code top} devices per page. */
    static String scanQuery(String filter, boolean withEnrolled, int top) {
        StringBuilder query = new StringBuilder("/deviceManagement/managedDevices?");
        if (filter != null) {
            query.append("$filter=").append(filter.replace(" ", "%20")).append('&');
        }
        query.append("$select=").append(String.join(",", FIELDS));
        if (withEnrolled) {
            query.append(",enrolledDateTime");
        }
        return query.append("&$top=").append(top).toString();
    }

    private MetricSnapshots collectPartitioned(Instant now, List<Instant> boundaries) throws Exception {
        List<String> filters = ScanPartitions.filters(boundaries);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(filters.size(), settings.scanConcurrency()), r -> {
            Thread t = new Thread(r, "intune-scan-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<DeviceTally>> parts = new ArrayList<>();
            List<ScanPartitions.Histogram> histograms = new ArrayList<>();
            for (String filter : filters) {
                ScanPartitions.Histogram h = new ScanPartitions.Histogram(now);
                histograms.add(h);
                parts.add(pool.submit(() -> {
                    DeviceTally t = new DeviceTally(settings.staleDays(), now.getEpochSecond());
                    scan(filter, t, h);
                    return t;
                }));
            }
            // Merge only when every range succeeded: a failed range fails the run, nothing partial is exported.
            DeviceTally total = new DeviceTally(settings.staleDays(), now.getEpochSecond());
            ScanPartitions.Histogram enrolled = new ScanPartitions.Histogram(now);
            for (int i = 0; i < parts.size(); i++) {
                try {
                    total.merge(parts.get(i).get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                enrolled.merge(histograms.get(i));
            }
            List<Instant> next = enrolled.boundaries(settings.scanConcurrency());
            nextBoundaries = next.isEmpty() ? null : next;
            return total.snapshot(EnumSet.allOf(DeviceTally.Family.class));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Reads one managedDevice item straight from the parser into the tally; nothing of the device outlives the call,
     * and a device allocates nothing: the scan reads millions of them, so every value is resolved on the parser's
     * own text buffer ({@code getTextCharacters}) instead of through a String: enum spellings by
     * {@link DeviceTally#labelIndex}, timestamps by {@link GraphJson#epochSecond(char[], int, int, long)}, the patch
     * level and osVersion by {@link DeviceRiskTally}. Field names are matched by prediction (see {@link #nextField}).
     */
    static final class DeviceReader {
        /** The properties the reader acts on; every other one is skipped. */
        private enum Field {
            OPERATING_SYSTEM("operatingSystem", DeviceTally.Dimension.OPERATING_SYSTEM),
            COMPLIANCE_STATE("complianceState", DeviceTally.Dimension.COMPLIANCE),
            OWNER_TYPE("managedDeviceOwnerType", DeviceTally.Dimension.OWNER),
            MANAGEMENT_AGENT("managementAgent", DeviceTally.Dimension.AGENT),
            ENROLLMENT_TYPE("deviceEnrollmentType", DeviceTally.Dimension.ENROLLMENT),
            MANAGEMENT_STATE("managementState", DeviceTally.Dimension.MANAGEMENT_STATE),
            LAST_SYNC("lastSyncDateTime"),
            IS_ENCRYPTED("isEncrypted"),
            JAIL_BROKEN("jailBroken", DeviceTally.Dimension.JAILBROKEN),
            OS_VERSION("osVersion"),
            PATCH_LEVEL("androidSecurityPatchLevel"),
            CERTIFICATE_EXPIRY("managementCertificateExpirationDate"),
            GRACE_EXPIRY("complianceGracePeriodExpirationDateTime"),
            ENROLLED("enrolledDateTime"),
            OTHER(null);

            private final String json;
            /** The tally dimension whose label the property holds; null for the other properties. */
            private final DeviceTally.Dimension dimension;

            Field(String json) {
                this(json, null);
            }

            Field(String json, DeviceTally.Dimension dimension) {
                this.json = json;
                this.dimension = dimension;
            }

            private static final Map<String, Field> BY_NAME = new HashMap<>();

            static {
                for (Field f : values()) {
                    if (f.json != null) {
                        BY_NAME.put(f.json, f);
                    }
                }
            }

            static Field of(String name) {
                return BY_NAME.getOrDefault(name, OTHER);
            }
        }

        /** The JSON names of every property the reader acts on but enrolledDateTime, in the order above. */
        static final List<String> SELECTED = Arrays.stream(Field.values())
                .filter(f -> f.json != null && f != Field.ENROLLED)
                .map(f -> f.json)
                .toList();

        /** Positions in an item whose property name is predicted; an item with more is read unpredicted after. */
        private static final int MAX_POSITIONS = 64;
        /** An osVersion longer than this is not a version: it counts as unreadable. */
        private static final int MAX_VERSION_CHARS = 256;

        private final DeviceTally tally;
        private final ScanPartitions.Histogram enrolled;
        // Per position in the item: the name seen there in the previous item and what it is.
        private final SerializedString[] predictedName = new SerializedString[MAX_POSITIONS];
        private final Field[] predictedField = new Field[MAX_POSITIONS];
        // The label index of an absent (or null) value, per dimension: resolved once, not per device.
        private final int[] absent = new int[DeviceTally.Dimension.values().length];
        private final char[] osVersion = new char[MAX_VERSION_CHARS];
        // The item being read: its label index per dimension and its other values (reset by startItem).
        private final int[] labels = new int[DeviceTally.Dimension.values().length];
        private boolean encrypted;
        private long lastSync;
        private long enrolledAt;
        private long certificateExpiry;
        private long graceExpiry;
        private long patchDay;
        private int versionLength;

        DeviceReader(DeviceTally tally, ScanPartitions.Histogram enrolled) {
            this.tally = tally;
            this.enrolled = enrolled;
            for (DeviceTally.Dimension d : DeviceTally.Dimension.values()) {
                absent[d.ordinal()] = tally.labelIndex(d, (String) null);
            }
        }

        void read(JsonParser p) throws IOException {
            startItem();
            Field field;
            for (int position = 0; (field = nextField(p, position)) != null; position++) {
                JsonToken token = p.nextToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (token != JsonToken.VALUE_NULL && field != Field.OTHER) {
                    readValue(field, token, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                }
            }
            countItem();
        }

        /** Every value of the item starts as absent. */
        private void startItem() {
            System.arraycopy(absent, 0, labels, 0, labels.length);
            encrypted = false;
            lastSync = DeviceTally.NEVER;
            enrolledAt = DeviceTally.NEVER;
            certificateExpiry = DeviceTally.NEVER;
            graceExpiry = DeviceTally.NEVER;
            patchDay = DeviceRiskTally.NO_PATCH_DAY;
            versionLength = -1;
        }

        /** Reads the value of {@code field}, a scalar in {@code text[at, +length)}, into the item. */
        private void readValue(Field field, JsonToken token, char[] text, int at, int length) {
            if (field.dimension != null) {
                labels[field.dimension.ordinal()] = tally.labelIndex(field.dimension, text, at, length);
                return;
            }
            switch (field) {
                case LAST_SYNC -> lastSync = GraphJson.epochSecond(text, at, length, DeviceTally.NEVER);
                case ENROLLED -> {
                    if (enrolled != null) { // only a partitioned scan selects it
                        enrolledAt = GraphJson.epochSecond(text, at, length, DeviceTally.NEVER);
                    }
                }
                case CERTIFICATE_EXPIRY ->
                    certificateExpiry = GraphJson.epochSecond(text, at, length, DeviceTally.NEVER);
                case GRACE_EXPIRY -> graceExpiry = GraphJson.epochSecond(text, at, length, DeviceTally.NEVER);
                case PATCH_LEVEL -> patchDay = DeviceRiskTally.patchDay(text, at, length);
                case OS_VERSION -> {
                    // Kept until the item ends: which parts make a release depends on the OS, maybe not read yet.
                    versionLength = length <= MAX_VERSION_CHARS ? length : -1;
                    if (versionLength >= 0) {
                        System.arraycopy(text, at, osVersion, 0, length);
                    }
                }
                case IS_ENCRYPTED -> encrypted = token == JsonToken.VALUE_TRUE || isTrue(text, at, length);
                default -> {
                    // the label properties are read above, OTHER is skipped by read
                }
            }
        }

        /** Counts the item read in the tally (and the enrolled-time histogram of a partitioned scan). */
        private void countItem() {
            int os = labels[DeviceTally.Dimension.OPERATING_SYSTEM.ordinal()];
            tally.addIndexed(
                    os,
                    labels[DeviceTally.Dimension.COMPLIANCE.ordinal()],
                    labels[DeviceTally.Dimension.OWNER.ordinal()],
                    labels[DeviceTally.Dimension.AGENT.ordinal()],
                    labels[DeviceTally.Dimension.ENROLLMENT.ordinal()],
                    labels[DeviceTally.Dimension.MANAGEMENT_STATE.ordinal()],
                    encrypted,
                    labels[DeviceTally.Dimension.JAILBROKEN.ordinal()],
                    lastSync);
            tally.risk().add(os, osVersion, 0, versionLength, patchDay, certificateExpiry, graceExpiry);
            if (enrolled != null) {
                enrolled.add(enrolledAt);
            }
        }

        /**
         * Moves to the next property name and says which it is; null at the end of the item. Graph writes the
         * properties of every item of a collection in the same order, so the name at this position in the previous
         * item is the likely one: {@code nextFieldName(SerializableString)} compares its bytes in place, which is much
         * cheaper than decoding, hashing and canonicalising the name. Another name is read the ordinary way and
         * becomes the prediction for the next item.
         */
        private Field nextField(JsonParser p, int position) throws IOException {
            boolean predictable = position < MAX_POSITIONS;
            SerializedString predicted = predictable ? predictedName[position] : null;
            if (predicted != null) {
                if (p.nextFieldName(predicted)) {
                    return predictedField[position];
                }
            } else {
                p.nextToken();
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                return null;
            }
            String name = p.currentName();
            Field field = Field.of(name);
            if (predictable) {
                predictedName[position] = new SerializedString(name);
                predictedField[position] = field;
            }
            return field;
        }

        /** The string "true" in any casing (a lenient reading of a boolean sent as text). */
        private static boolean isTrue(char[] text, int offset, int length) {
            return length == 4
                    && (text[offset] | 0x20) == 't'
                    && (text[offset + 1] | 0x20) == 'r'
                    && (text[offset + 2] | 0x20) == 'u'
                    && (text[offset + 3] | 0x20) == 'e';
        }
    }

    // ---- export-job source ----------------------------------------------------------------------------------

    /** Graph enum integers, as report exports may write them [UNVERIFIED: the docs show no sample values]. */
    private static final Map<String, String> COMPLIANCE_CODES = Map.of(
            "0",
            "unknown",
            "1",
            "compliant",
            "2",
            "noncompliant",
            "3",
            "conflict",
            "4",
            "error",
            "254",
            "inGracePeriod",
            "255",
            "configManager");

    private static final Map<String, String> OWNER_CODES = Map.of("0", "unknown", "1", "company", "2", "personal");
    /** managementAgentType member values (the export writes codes); a test holds them to the v1.0 CSDL. */
    static final Map<String, String> AGENT_CODES = agentCodes();

    private static Map<String, String> agentCodes() {
        Map<String, String> m = new HashMap<>();
        m.put("1", "eas");
        m.put("2", "mdm");
        m.put("3", "easMdm");
        m.put("4", "intuneClient");
        m.put("5", "easIntuneClient");
        m.put("8", "configurationManagerClient");
        m.put("10", "configurationManagerClientMdm");
        m.put("11", "configurationManagerClientMdmEas"); // v1.0 CSDL value (was 14: wrong), checked by a test
        m.put("16", "unknown");
        m.put("32", "jamf");
        m.put("64", "googleCloudDevicePolicyController");
        m.put("258", "microsoft365ManagedMdm");
        m.put("1024", "msSense");
        m.put("2048", "intuneAosp"); // beta only: beta publishes no values [UNVERIFIED]
        return Map.copyOf(m);
    }

    /**
     * The DeviceCompliance export has OS, compliance, ownership, management agents and last contact, so it fills
     * intune_managed_devices and intune_stale_devices. It has no encryption, jailbreak, enrollment type or
     * management state columns: those families are not exported from this source (rather than exported wrong).
     */
    private MetricSnapshots collectFromExport(Instant now) throws Exception {
        DeviceTally tally = new DeviceTally(settings.staleDays(), now.getEpochSecond());
        try (InputStream csv = ReportExport.csv(
                        graph, EXPORT_REPORT, EXPORT_COLUMNS, settings.exportPollInterval(), settings.exportTimeout());
                CsvReader reader = new CsvReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
            List<String> header = reader.next();
            if (header == null) {
                throw new IOException("export of " + EXPORT_REPORT + ": empty CSV (no header)");
            }
            int[] column = new int[EXPORT_COLUMNS.size()];
            for (int k = 0; k < column.length; k++) {
                column[k] = header.indexOf(EXPORT_COLUMNS.get(k));
                if (column[k] < 0) {
                    throw new IOException("export of " + EXPORT_REPORT + ": the CSV has no column "
                            + EXPORT_COLUMNS.get(k) + " (columns: " + String.join(", ", header) + ")");
                }
            }
            int osLoc = header.indexOf(EXPORT_COLUMNS.get(0) + "_loc");
            List<String> row;
            while ((row = reader.next()) != null) {
                if (row.size() != header.size()) {
                    throw new IOException("export of " + EXPORT_REPORT + ": line " + reader.line() + " has "
                            + row.size() + " fields, the header " + header.size());
                }
                tally.addManaged(
                        reportOs(row.get(column[0]), osLoc < 0 ? null : row.get(osLoc)),
                        decode(row.get(column[1]), COMPLIANCE_CODES),
                        decode(row.get(column[2]), OWNER_CODES),
                        decode(row.get(column[3]), AGENT_CODES),
                        reportTime(row.get(column[4])));
            }
        }
        return tally.snapshot(Set.of(DeviceTally.Family.MANAGED, DeviceTally.Family.STALE));
    }

    /**
     * The report's OS cell is the report's platform name ("Windows", "iOS/iPadOS", "Android", "macOS"), not
     * managedDevice's free-text operatingSystem; when it comes as a code, its localized column names the platform.
     * iOS and iPadOS are one platform in the reports, so both count as ios.
     */
    static String reportOs(String os, String localized) {
        String v = os == null ? "" : os.trim();
        if ((v.isEmpty() || v.chars().allMatch(Character::isDigit)) && localized != null && !localized.isBlank()) {
            v = localized.trim();
        }
        return v.isEmpty() ? null : v;
    }

    /** An enum cell: a Graph integer code becomes its wire name; names (any casing) pass through. */
    private static String decode(String raw, Map<String, String> codes) {
        String v = raw.trim();
        return codes.getOrDefault(v, v.isEmpty() ? null : v);
    }

    /** Report timestamps come as "2024-05-01 10:22:33.0000000" or ISO 8601, UTC when no offset is given. */
    static long reportTime(String raw) {
        String v = raw.trim();
        if (v.isEmpty()) {
            return DeviceTally.NEVER;
        }
        if (v.length() > 10 && v.charAt(10) == ' ') {
            v = v.substring(0, 10) + 'T' + v.substring(11);
        }
        String upper = v.toUpperCase(Locale.ROOT);
        boolean hasZone = upper.endsWith("Z") || v.lastIndexOf('+') > 10 || v.lastIndexOf('-') > 10;
        return GraphJson.epochSecond(hasZone ? v : v + "Z", DeviceTally.NEVER);
    }
}
