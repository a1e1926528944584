package io.github.intuneexporter.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.collector.CollectorFactory;
import io.github.intuneexporter.collector.IntuneCollector;
import io.github.intuneexporter.collector.kit.FamilySpec;
import io.github.intuneexporter.config.SettingsLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metric families each collector declares up front ({@link IntuneCollector#families()}) are the ones it exports,
 * documented and used: each is in docs/metrics.md and, with exactly its declared labels and type, in the golden demo
 * exposition; every collector family of the golden file and every metric of a dashboard or rule is a declared one
 * (or an exporter self-metric). MetricsExistTest checks dashboards and rules against a live demo exporter; this test
 * holds the declarations to everything else.
 */
class DeclaredFamiliesTest {
    private static final Path GOLDEN = Bundle.ROOT.resolve("src/exporter/src/test/resources/golden/demo-metrics.txt");
    /** Families the exporter itself exports (scheduler, shared pool, shard, Graph client, reload, tenants, build); not a collector's. */
    private static final Pattern SELF = Pattern.compile(
            "intune_(collector|graph|exporter_config|exporter_build|tenant|build|collection_pool|shard)_.*");

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^(intune_[a-z0-9_]+)(?:\\{([^}]*)\\})? ", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"(?:[^\"\\\\]|\\\\.)*\"");

    private static Map<String, FamilySpec> declared;
    private static Map<String, String> goldenTypes;
    private static Map<String, Set<String>> goldenLabels;

    @BeforeAll
    static void read() throws Exception {
        declared = new LinkedHashMap<>();
        var settings = SettingsLoader.load(Optional.empty(), ConfigFactory.empty(), true);
        for (IntuneCollector c : CollectorFactory.create(settings, null, SimulatedGraph.fixedClock(), null)) {
            assertFalse(c.families().isEmpty(), c.name() + " declares no metric family");
            for (FamilySpec f : c.families()) {
                FamilySpec before = declared.put(f.exposedName(), f);
                assertTrue(before == null, f.exposedName() + " is declared twice");
            }
        }
        String golden = Files.readString(GOLDEN);
        goldenTypes = new TreeMap<>();
        Matcher t = TYPE.matcher(golden);
        while (t.find()) {
            goldenTypes.put(t.group(1), t.group(2));
        }
        goldenLabels = new TreeMap<>();
        Matcher s = SAMPLE.matcher(golden);
        while (s.find()) {
            Set<String> names = new TreeSet<>();
            Matcher l = LABEL.matcher(s.group(2) == null ? "" : s.group(2));
            while (l.find()) {
                names.add(l.group(1));
            }
            names.remove("tenant");
            goldenLabels.computeIfAbsent(s.group(1), k -> new TreeSet<>()).addAll(names);
        }
    }

    @Test
    void everyDeclaredFamilyIsDocumented() throws Exception {
        String docs = Files.readString(Bundle.ROOT.resolve("docs/metrics.md"));
        List<String> undocumented = declared.keySet().stream()
                .filter(n -> !docs.contains("`" + n + "`") && !docs.contains("`" + n + "{"))
                .toList();
        assertTrue(undocumented.isEmpty(), "declared but not in docs/metrics.md: " + undocumented);
    }

    @Test
    void everyDeclaredFamilyIsInTheGoldenFileWithItsLabelsAndType() {
        List<String> problems = new ArrayList<>();
        declared.forEach((name, f) -> {
            String type = goldenTypes.get(name);
            if (type == null) {
                problems.add(name + ": not in the golden demo exposition");
            } else if (!type.equals(f.type() == FamilySpec.Type.COUNTER ? "counter" : "gauge")) {
                problems.add(name + ": declared " + f.type() + ", exported as " + type);
            } else if (goldenLabels.containsKey(name) && !goldenLabels.get(name).equals(new TreeSet<>(f.labels()))) {
                problems.add(name + ": declared labels " + new TreeSet<>(f.labels()) + ", exported "
                        + goldenLabels.get(name));
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyCollectorFamilyOfTheGoldenFileIsDeclared() {
        List<String> undeclared = goldenTypes.keySet().stream()
                .filter(n -> !declared.containsKey(n) && !SELF.matcher(n).matches())
                .toList();
        assertTrue(
                undeclared.isEmpty(),
                "exported by a collector without a declaration (collector kit FamilySpec): " + undeclared);
    }

    @Test
    void dashboardsAndRulesUseDeclaredFamilies() {
        Set<String> used = new TreeSet<>();
        Bundle.rules().forEach(r -> used.addAll(PromQl.metricNames(r.expr())));
        Bundle.dashboardExpressions()
                .values()
                .forEach(e -> used.addAll(PromQl.metricNames(Bundle.withoutGrafanaVariables(e))));
        List<String> unknown = used.stream()
                .filter(n -> n.startsWith("intune_") && !n.contains(":"))
                .filter(n -> !declared.containsKey(n) && !SELF.matcher(n).matches())
                .toList();
        assertTrue(unknown.isEmpty(), "used by dashboards/rules but declared by no collector: " + unknown);
        assertTrue(used.stream().anyMatch(declared::containsKey), "the bundle uses collector families");
    }

    @Test
    void specsNameTheirUnit() {
        assertEquals(
                "seconds",
                declared.get("intune_connector_expiration_timestamp_seconds").unit());
        assertEquals("", declared.get("intune_managed_devices").unit());
        assertEquals(
                "intune_enrollment_failures_total",
                declared.get("intune_enrollment_failures_total").exposedName());
    }
}
