package io.github.intuneexporter.collector.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FamilySpecsTest {

    @Test
    void readsTypeNameLabelsAndTheHelpLinesJoined() {
        FamilySpecs specs = FamilySpecs.parse("""
                gauge intune_overview_devices{operating_system}
                    Enrolled devices by operating system,
                    from managedDeviceOverview.

                counter intune_audit_events{category,operation_type,result}
                    Audit events (persisted).
                gauge intune_compliance_policies
                    Compliance policies in the tenant.
                """);

        assertEquals(
                List.of("intune_overview_devices", "intune_audit_events", "intune_compliance_policies"),
                specs.list().stream().map(FamilySpec::name).toList());
        FamilySpec devices = specs.get("intune_overview_devices");
        assertEquals(FamilySpec.Type.GAUGE, devices.type());
        assertEquals("Enrolled devices by operating system, from managedDeviceOverview.", devices.help());
        assertEquals(List.of("operating_system"), devices.labels());
        FamilySpec events = specs.get("intune_audit_events");
        assertEquals(FamilySpec.Type.COUNTER, events.type());
        assertEquals("intune_audit_events_total", events.exposedName());
        assertEquals(List.of("category", "operation_type", "result"), events.labels());
        assertEquals(List.of(), specs.get("intune_compliance_policies").labels());
    }

    @Test
    void malformedDeclarationsFailWithTheLineOrName() {
        assertFails("line 1", "histogram intune_x\n    Help.\n");
        assertFails("line 1", "gauge intune_x{}\n    Help.\n");
        assertFails("line 3", "gauge intune_x\n    Help.\ngauge intune_y {a}\n    Help.\n");
        assertFails("intune_x: no help text", "gauge intune_x\ngauge intune_y\n    Help.\n");
        assertFails("intune_x is declared twice", "gauge intune_x\n    One.\ncounter intune_x\n    Two.\n");
        assertFails("not an intune_ metric name", "gauge node_x\n    Help.\n");
        FamilySpecs one = FamilySpecs.parse("gauge intune_x\n    Help.\n");
        assertFails("intune_y is not declared here", () -> one.get("intune_y"));
        assertFails("intune_x is declared twice", () -> one.and(one));
    }

    /**
     * Collectors fill families by name; a name a collector fills must be one its own {@code FAMILIES} declares, or the
     * run fails only when that line is reached (some are reached only on rare Graph answers). Read from the sources, so
     * every fill site counts, reached by a test or not.
     */
    @Test
    void everyFamilyACollectorFillsIsDeclaredInItsOwnFile() throws Exception {
        Path dir = Path.of("src/exporter-core/src/main/java/io/github/intuneexporter/collector");
        Pattern fill = Pattern.compile("FAMILIES\\.(?:get|gauge)\\(\"([^\"]+)\"\\)");
        List<String> undeclared = new ArrayList<>();
        int files = 0;
        for (Path source : javaFiles(dir)) {
            String text = Files.readString(source);
            Matcher m = fill.matcher(text);
            if (!m.find()) {
                continue;
            }
            files++;
            String className = source.getFileName().toString().replace(".java", "");
            List<String> declared = declared("io.github.intuneexporter.collector." + className);
            do {
                if (!declared.contains(m.group(1))) {
                    undeclared.add(className + " fills " + m.group(1));
                }
            } while (m.find());
        }
        assertTrue(files >= 17, "collector sources found: " + files);
        assertEquals(List.of(), undeclared);
    }

    private static List<String> declared(String className) throws ReflectiveOperationException {
        Field field = Class.forName(className).getDeclaredField("FAMILIES");
        field.setAccessible(true);
        return ((FamilySpecs) field.get(null))
                .list().stream().map(FamilySpec::name).toList();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static void assertFails(String message, String declarations) {
        assertFails(message, () -> FamilySpecs.parse(declarations));
    }

    private static void assertFails(String message, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
