package io.github.intuneexporter.collector;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.intuneexporter.graph.GraphApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps named {@link EventLedger}s in one JSON file so that event counters survive restarts without counting
 * an event twice. Writes go to a temporary file in the same directory that then replaces the old file, so a
 * crash mid-write never leaves a torn file. A missing file means "first start"; an unreadable or corrupt file
 * is set aside (renamed to {@code *.corrupt}) with a warning, and counting starts fresh; an unwritable
 * location is reported once and the ledgers live on in memory.
 */
public final class EventLedgerFile {
    private static final Logger LOG = LoggerFactory.getLogger(EventLedgerFile.class);
    private static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = GraphApi.mapper();

    private final Path path;
    private final String configKey;
    private boolean writeFailing;

    /** {@code path} null keeps the ledgers in memory only. {@code configKey} names the setting in messages. */
    public EventLedgerFile(Path path, String configKey) {
        this.path = path;
        this.configKey = configKey;
    }

    public Path path() {
        return path;
    }

    /**
     * The stored ledgers, one per requested name with the given label names; a name that is missing, or stored
     * with other label names, starts empty.
     */
    public Map<String, EventLedger> load(Map<String, List<String>> wanted) {
        Map<String, EventLedger> out = new LinkedHashMap<>();
        wanted.forEach((name, labels) -> out.put(name, EventLedger.empty(labels)));
        if (path == null) {
            return out;
        }
        removeLeftoverTemporaryFiles();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            LOG.info(
                    "No event state at {} yet ({}); event counters start from what Graph still holds", path, configKey);
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            setAside("is not valid JSON: " + e.getOriginalMessage());
            return out;
        } catch (IOException e) {
            setAside("cannot be read: " + e);
            return out;
        }
        try {
            if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT) {
                throw new IllegalArgumentException("not an intune-exporter state file of format " + FORMAT);
            }
            JsonNode ledgers = root.path("ledgers");
            for (Map.Entry<String, List<String>> want : wanted.entrySet()) {
                JsonNode node = ledgers.get(want.getKey());
                if (node == null) {
                    continue;
                }
                List<String> storedLabels = strings(node.path("labelNames"));
                if (!storedLabels.equals(want.getValue())) {
                    LOG.warn(
                            "Event state {} in {} has labels {} instead of {}; that counter starts fresh",
                            want.getKey(),
                            path,
                            storedLabels,
                            want.getValue());
                    continue;
                }
                out.put(want.getKey(), parseLedger(node, want.getValue()));
            }
            return out;
        } catch (RuntimeException e) {
            setAside("is not valid: " + e.getMessage());
            wanted.forEach((name, labels) -> out.put(name, EventLedger.empty(labels)));
            return out;
        }
    }

    /**
     * A crash between writing the temporary file and moving it into place leaves {@code <name>*.tmp} behind; the
     * real file is still the previous good one, so the leftovers are deleted at start.
     */
    private void removeLeftoverTemporaryFiles() {
        Path dir = path.toAbsolutePath().getParent();
        String prefix = path.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, entry -> {
            String name = entry.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".tmp") && name.length() > prefix.length() + 4;
        })) {
            for (Path leftover : files) {
                if (Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(leftover);
                    LOG.info("Removed {} left by an interrupted write of {}", leftover.getFileName(), path);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            LOG.debug("cannot clean temporary files next to {}: {}", path, e.toString());
        }
    }

    private static EventLedger parseLedger(JsonNode node, List<String> labelNames) {
        Instant watermark = null;
        JsonNode w = node.get("watermark");
        if (w != null && !w.isNull()) {
            try {
                watermark = Instant.parse(w.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("bad watermark " + w.asText());
            }
        }
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        for (JsonNode c : array(node.get("counts"), "counts")) {
            List<String> labels = strings(c.path("labels"));
            JsonNode value = c.get("value");
            if (labels.size() != labelNames.size()
                    || value == null
                    || !value.canConvertToLong()
                    || value.asLong() < 0) {
                throw new IllegalArgumentException("bad counter entry " + c);
            }
            counts.put(labels, value.asLong());
        }
        Map<String, Long> seen = new HashMap<>();
        JsonNode s = node.get("seen");
        if (s == null || !s.isObject()) {
            throw new IllegalArgumentException("'seen' is not an object");
        }
        for (Map.Entry<String, JsonNode> e : s.properties()) {
            if (!e.getValue().canConvertToLong()) {
                throw new IllegalArgumentException("bad time for seen event " + e.getKey());
            }
            seen.put(e.getKey(), e.getValue().asLong());
        }
        return new EventLedger(labelNames, watermark, counts, seen);
    }

    private static Iterable<JsonNode> array(JsonNode node, String what) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("'" + what + "' is not an array");
        }
        return node;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(node, "labels")) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("label value " + n + " is not a string");
            }
            out.add(n.asText());
        }
        return out;
    }

    private void setAside(String problem) {
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt");
        String where = "left in place";
        if (Files.isRegularFile(path)) {
            try {
                Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
                where = "moved to " + aside;
            } catch (IOException | RuntimeException e) {
                // keep it where it is; the next successful save replaces it
            }
        }
        LOG.warn(
                "Event state file {} ({}) {}; it was {} and event counters start fresh, so they may count the "
                        + "events Graph still holds once more",
                path,
                configKey,
                problem,
                where);
    }

    /**
     * Replaces the file with {@code ledgers}; returns false (warning once until it works again) when the location
     * is not writable, in which case the caller keeps the ledgers in memory only.
     */
    public synchronized boolean save(Map<String, EventLedger> ledgers) {
        if (path == null) {
            return true;
        }
        Path tmp = null;
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp);
                    JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
                write(g, ledgers);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            if (writeFailing) {
                LOG.info("Event state file {} is writable again", path);
                writeFailing = false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            if (!writeFailing) {
                LOG.warn(
                        "Cannot write the event state file {} ({}): {}. Counting continues in memory; after a restart "
                                + "the event counters start fresh",
                        path,
                        configKey,
                        e.toString());
                writeFailing = true;
            }
            return false;
        }
    }

    private static void write(JsonGenerator g, Map<String, EventLedger> ledgers) throws IOException {
        g.writeStartObject();
        g.writeNumberField("format", FORMAT);
        g.writeStringField("written", Instant.now().toString());
        g.writeObjectFieldStart("ledgers");
        for (Map.Entry<String, EventLedger> e : ledgers.entrySet()) {
            EventLedger l = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeArrayFieldStart("labelNames");
            for (String n : l.labelNames()) {
                g.writeString(n);
            }
            g.writeEndArray();
            if (l.watermark() == null) {
                g.writeNullField("watermark");
            } else {
                g.writeStringField("watermark", l.watermark().toString());
            }
            g.writeArrayFieldStart("counts");
            for (Map.Entry<List<String>, Long> c : l.counts().entrySet()) {
                g.writeStartObject();
                g.writeArrayFieldStart("labels");
                for (String v : c.getKey()) {
                    g.writeString(v);
                }
                g.writeEndArray();
                g.writeNumberField("value", c.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("seen");
            writeSeen(g, l);
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeSeen(JsonGenerator g, EventLedger l) throws IOException {
        try {
            l.forEachSeen((key, time) -> {
                try {
                    g.writeNumberField(key, time);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
