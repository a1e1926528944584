package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.intuneexporter.metrics.GraphJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scan's allocation-free reader (text-buffer values, predicted property names) against the plain reading of the
 * same devices through the String API of {@link DeviceTally}: same counts for every shape Graph may send (any order,
 * missing, null, unknown or nested properties, odd values, page buffers cut anywhere), and no allocation per device.
 */
class DeviceReaderTest {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long NOW = Instant.parse("2026-12-06T12:00:00Z").getEpochSecond();
    private static final List<Integer> STALE_DAYS = List.of(1, 7, 30);

    private static final String[] OS = {"Windows", "iOS", "iPadOS", "Android", "macOS", "windows", "Linux", "", "Ω"};
    private static final String[] COMPLIANCE = {"compliant", "Noncompliant", "inGracePeriod", "unknown", "odd"};
    private static final String[] OWNER = {"company", "Personal", "unknown", "x"};
    private static final String[] AGENT = {"mdm", "easMdm", "intuneClient", "jamf", "somethingNew"};
    private static final String[] ENROLLMENT = {"userEnrollment", "windowsAzureADJoin", "appleBulkWithUser", "new"};
    private static final String[] STATE = {"managed", "retirePending", "wipeIssued", "zzz"};
    private static final String[] JAIL = {"False", "True", "Unknown", "false", "maybe"};
    private static final String[] VERSION = {
        "10.0.22631.4460",
        "10.0.26100.2314",
        "18.1.1",
        "17.7.2",
        "15",
        "14",
        " 15.1.1 ",
        "Os Version value",
        "",
        "10",
        "18.1beta",
        "10..0",
        "1234567.1"
    };
    private static final String[] PATCH = {
        "2026-11-01", "2026-06", "2019-01-01", "", "unknown", "2023-02-29", " 2025-12-05 "
    };
    private static final String[] TIME = {
        "2026-12-06T11:00:00Z",
        "2026-12-05T01:02:03.1234567Z",
        "2026-12-20T00:00:00.5Z",
        "2027-01-20T10:00:00+02:00",
        "2026-11-01T00:00:00-05:00",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.9999999Z",
        "2026-12-06T20:00:00Z",
        "2025-02-29T00:00:00Z",
        "not a time",
        ""
    };

    /** A random device: property name to JSON value (String, Boolean, null, Map for a nested object, List). */
    private static Map<String, Object> device(SplittableRandom r, boolean graphOrderComplete) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", "d" + r.nextInt());
        d.put("managedDeviceOwnerType", pick(r, OWNER));
        d.put("enrolledDateTime", pick(r, TIME));
        d.put("lastSyncDateTime", pick(r, TIME));
        d.put("operatingSystem", pick(r, OS));
        d.put("complianceState", pick(r, COMPLIANCE));
        d.put("jailBroken", pick(r, JAIL));
        d.put("managementAgent", pick(r, AGENT));
        d.put("osVersion", pick(r, VERSION));
        d.put("deviceEnrollmentType", pick(r, ENROLLMENT));
        d.put("isEncrypted", r.nextInt(10) == 0 ? (Object) (r.nextBoolean() ? "True" : "no") : r.nextBoolean());
        d.put("managementState", pick(r, STATE));
        d.put("androidSecurityPatchLevel", pick(r, PATCH));
        d.put("managementCertificateExpirationDate", pick(r, TIME));
        d.put("complianceGracePeriodExpirationDateTime", pick(r, TIME));
        int shape = graphOrderComplete ? -1 : r.nextInt(20);
        if (shape == 0) {
            // another order
            List<String> keys = new ArrayList<>(d.keySet());
            Collections.shuffle(keys, new java.util.Random(r.nextLong()));
            Map<String, Object> shuffled = new LinkedHashMap<>();
            keys.forEach(k -> shuffled.put(k, d.get(k)));
            return shuffled;
        } else if (shape == 1) {
            // a property missing, another null
            d.remove(pickKey(r, d));
            d.put(pickKey(r, d), null);
        } else if (shape == 2) {
            // a property Graph added, and a known one as an object (both ignored)
            d.put("hardwareInformation", Map.of("serialNumber", "X", "wiredIPv4Addresses", List.of("10.0.0.1")));
            d.put(pickKey(r, d), Map.of("nested", List.of(1, 2)));
        }
        return d;
    }

    private static String pick(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String pickKey(SplittableRandom r, Map<String, Object> d) {
        return new ArrayList<>(d.keySet()).get(r.nextInt(d.size()));
    }

    /** One Graph page of these devices, as UTF-8 bytes. */
    private static byte[] page(List<Map<String, Object>> devices) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField(
                    "@odata.context", "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices");
            g.writeArrayFieldStart("value");
            for (Map<String, Object> d : devices) {
                writeObject(g, d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void writeObject(JsonGenerator g, Map<?, ?> d) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : d.entrySet()) {
            g.writeFieldName((String) e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Number n) {
            g.writeNumber(n.intValue());
        } else if (v instanceof Map<?, ?> m) {
            writeObject(g, m);
        } else {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                writeValue(g, o);
            }
            g.writeEndArray();
        }
    }

    /** Reads a page as GraphApi does: every item of 'value' through the reader, which must consume it whole. */
    private static void readPage(InputStream in, DeviceInventoryCollector.DeviceReader reader) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (p.currentName().equals("value") && p.nextToken() == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        reader.read(p);
                        assertEquals(JsonToken.END_OBJECT, p.currentToken());
                    }
                } else {
                    p.nextToken();
                    p.skipChildren();
                }
            }
        }
    }

    /** Hands out a few bytes per read, so the parser's buffer ends at every possible place of a name or value. */
    private static InputStream trickle(byte[] bytes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(97)));
            }
        };
    }

    private static String text(Object v) {
        return v instanceof String s ? s : null;
    }

    /** The reference: every value read as a String and counted through DeviceTally's String API. */
    private static void addPlainly(DeviceTally t, ScanPartitions.Histogram enrolled, Map<String, Object> d) {
        Object encrypted = d.get("isEncrypted");
        t.add(
                text(d.get("operatingSystem")),
                text(d.get("complianceState")),
                text(d.get("managedDeviceOwnerType")),
                text(d.get("managementAgent")),
                text(d.get("deviceEnrollmentType")),
                text(d.get("managementState")),
                Boolean.TRUE.equals(encrypted) || "true".equalsIgnoreCase(text(encrypted)),
                text(d.get("jailBroken")),
                GraphJson.epochSecond(text(d.get("lastSyncDateTime")), DeviceTally.NEVER));
        t.addRisk(
                text(d.get("operatingSystem")),
                text(d.get("osVersion")),
                text(d.get("androidSecurityPatchLevel")),
                GraphJson.epochSecond(text(d.get("managementCertificateExpirationDate")), DeviceTally.NEVER),
                GraphJson.epochSecond(text(d.get("complianceGracePeriodExpirationDateTime")), DeviceTally.NEVER));
        enrolled.add(GraphJson.epochSecond(text(d.get("enrolledDateTime")), DeviceTally.NEVER));
    }

    @Test
    void countsWhatThePlainReadingCountsForEveryShapeAndBufferCut() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        for (int round = 0; round < 5; round++) {
            List<Map<String, Object>> devices = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                devices.add(device(r, false));
            }
            devices.add(Map.of()); // an empty item
            byte[] page = page(devices);

            DeviceTally expected = new DeviceTally(STALE_DAYS, NOW);
            ScanPartitions.Histogram expectedEnrolled = new ScanPartitions.Histogram(Instant.ofEpochSecond(NOW));
            for (int pass = 0; pass < 2; pass++) {
                for (Map<String, Object> d : devices) {
                    addPlainly(expected, expectedEnrolled, d);
                }
            }
            DeviceTally actual = new DeviceTally(STALE_DAYS, NOW);
            ScanPartitions.Histogram actualEnrolled = new ScanPartitions.Histogram(Instant.ofEpochSecond(NOW));
            DeviceInventoryCollector.DeviceReader reader =
                    new DeviceInventoryCollector.DeviceReader(actual, actualEnrolled);
            // The same reader (its predictions) over two pages: one read whole, one cut into small reads.
            readPage(new ByteArrayInputStream(page), reader);
            readPage(trickle(page, round), reader);

            var all = EnumSet.allOf(DeviceTally.Family.class);
            assertEquals(
                    DeviceScanPartitionTest.series(expected.snapshot(all)),
                    DeviceScanPartitionTest.series(actual.snapshot(all)));
            assertEquals(expectedEnrolled.boundaries(7), actualEnrolled.boundaries(7));
            assertEquals(2L * devices.size(), actual.count());
        }
    }

    @Test
    void aDeviceCostsNoAllocationOnceItsSpellingsAreKnown() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            // The common case: Graph's fixed order, every property present, timestamps in Graph's own format.
            Map<String, Object> d = device(r, true);
            for (String time : List.of(
                    "lastSyncDateTime",
                    "enrolledDateTime",
                    "managementCertificateExpirationDate",
                    "complianceGracePeriodExpirationDateTime")) {
                d.put(time, "2026-12-0" + (1 + r.nextInt(5)) + "T0" + r.nextInt(10) + ":12:34.1234567Z");
            }
            devices.add(d);
        }
        byte[] page = page(devices);
        DeviceTally tally = new DeviceTally(STALE_DAYS, NOW);
        DeviceInventoryCollector.DeviceReader reader = new DeviceInventoryCollector.DeviceReader(tally, null);
        readPage(new ByteArrayInputStream(page), reader); // learns the spellings and the order
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        readPage(new ByteArrayInputStream(page), reader);
        long perDevice = (threads.getCurrentThreadAllocatedBytes() - before) / devices.size();
        assertEquals(2L * devices.size(), tally.count());
        // Reading each value as a String would be hundreds of bytes per device; what remains is the parser's own
        // per-page buffers and the few values that take the slow path (offsets, odd text).
        assertTrue(perDevice < 64, perDevice + " bytes allocated per device");
    }
}
