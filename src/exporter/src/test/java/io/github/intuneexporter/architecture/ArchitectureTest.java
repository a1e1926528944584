package io.github.intuneexporter.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module and package picture of docs/architecture.md, checked on the sources: every module imports only the
 * modules below it, no production module names the simulator, and no two packages import each other (directly or
 * round a loop). A new import that breaks the picture fails here with the file that made it.
 */
class ArchitectureTest {
    private static final String BASE = "io.github.intuneexporter";
    /** Module -> the modules its production code may import (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "graph-contract", Set.of(),
            "graph-simulator", Set.of("graph-contract"),
            "exporter-core", Set.of("graph-contract"),
            "exporter", Set.of("graph-contract", "exporter-core"),
            "bench", Set.of("graph-contract", "graph-simulator", "exporter-core", "exporter"));

    private static final Set<String> PRODUCTION = Set.of("graph-contract", "exporter-core", "exporter");
    private static final Pattern REFERENCE =
            Pattern.compile("\\b" + Pattern.quote(BASE) + "((?:\\.[a-z][a-z0-9]*)*)\\.([A-Z]\\w*)");

    private static final Pattern READS_CONFIG_VALUES = Pattern.compile("\\bConfigValues\\b");

    /** One production source file: module, package and the packages of the project's types it names. */
    private record Source(Path file, String module, String pkg, Set<String> uses) {}

    @Test
    void modulesImportOnlyTheModulesBelowThem() throws IOException {
        List<Source> sources = sources();
        Map<String, String> moduleOf = new HashMap<>();
        Map<String, Set<String>> modulesOfPackage = new TreeMap<>();
        for (Source s : sources) {
            modulesOfPackage.computeIfAbsent(s.pkg(), k -> new TreeSet<>()).add(s.module());
        }
        modulesOfPackage.forEach(
                (pkg, modules) -> moduleOf.put(pkg, modules.iterator().next()));
        // A package lives in one module; split packages would let a module reach another's internals unseen.
        modulesOfPackage.forEach(
                (pkg, modules) -> assertEquals(1, modules.size(), "package " + pkg + " is split over " + modules));
        assertEquals(
                ALLOWED.keySet(),
                new TreeSet<>(sources.stream().map(Source::module).toList()),
                "modules");
        List<String> wrong = new ArrayList<>();
        for (Source s : sources) {
            for (String used : s.uses()) {
                String target = moduleOf.get(used);
                if (target != null
                        && !target.equals(s.module())
                        && !ALLOWED.get(s.module()).contains(target)) {
                    wrong.add(s.file() + " (" + s.module() + ") uses " + used + " (" + target + ")");
                }
            }
        }
        assertTrue(wrong.isEmpty(), "imports against the module picture:\n" + String.join("\n", wrong));
    }

    @Test
    void productionNeverNamesTheSimulator() throws IOException {
        List<String> wrong = sources().stream()
                .filter(s -> PRODUCTION.contains(s.module()) && s.uses().contains(BASE + ".simulator"))
                .map(s -> s.file().toString())
                .toList();
        assertTrue(wrong.isEmpty(), "production code naming the simulator (use the GraphStandIn service): " + wrong);
        // The build agrees: the simulator is a test dependency of exporter-core and a runtime one of the exporter.
        assertTrue(
                Pattern.compile("<artifactId>graph-simulator</artifactId>\\s*<scope>test</scope>")
                        .matcher(Files.readString(Path.of("src/exporter-core/pom.xml")))
                        .find(),
                "exporter-core: simulator test scope");
        assertTrue(
                Pattern.compile("<artifactId>graph-simulator</artifactId>\\s*<scope>runtime</scope>")
                        .matcher(Files.readString(Path.of("src/exporter/pom.xml")))
                        .find(),
                "exporter: simulator runtime scope");
    }

    /**
     * Typed configuration is bound once: in the production modules only the {@code config} package reads HOCON
     * (Typesafe Config, {@code ConfigValues}); collectors, scheduler, Graph client and the rest get typed records.
     * The exceptions hand raw configuration back to the loader or past it: the command line turns flags into
     * overrides before binding, {@code Main} reloads and applies collector flags to the merged configuration,
     * {@code TenantFingerprint} compares a tenant's whole configuration on reload, and {@code standin} is the
     * simulator's door (it reads its own {@code intune.simulator} block).
     */
    @Test
    void onlyTheConfigBindingReadsHocon() throws IOException {
        Set<String> allowedPackages = Set.of(BASE + ".config", BASE + ".cli", BASE + ".standin");
        Set<String> allowedFiles = Set.of("Main.java", "TenantFingerprint.java");
        List<String> wrong = new ArrayList<>();
        for (Source s : sources()) {
            String text = Files.readString(s.file());
            boolean readsHocon = text.contains("com.typesafe.config")
                    || READS_CONFIG_VALUES.matcher(text).find();
            if (PRODUCTION.contains(s.module())
                    && readsHocon
                    && !allowedPackages.contains(s.pkg())
                    && !allowedFiles.contains(s.file().getFileName().toString())) {
                wrong.add(s.file().toString());
            }
        }
        assertTrue(wrong.isEmpty(), "reads HOCON outside the config binding (bind a typed record in config): " + wrong);
    }

    @Test
    void noPackageCycles() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        for (Source s : sources()) {
            Set<String> out = edges.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            s.uses().stream().filter(u -> !u.equals(s.pkg())).forEach(out::add);
        }
        List<Set<String>> cycles =
                stronglyConnected(edges).stream().filter(c -> c.size() > 1).toList();
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles);
    }

    @Test
    void theScanSeesCyclesAndForbiddenImports() {
        Map<String, Set<String>> edges = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(
                List.of(new TreeSet<>(Set.of("a", "b", "c"))),
                stronglyConnected(edges).stream().filter(c -> c.size() > 1).toList());
        assertEquals(
                Set.of(BASE + ".simulator", BASE),
                uses("import " + BASE + ".simulator.TenantSimulator;\nclass X { " + BASE + ".Main m; }"));
    }

    private static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Path.of("src"))) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java"))
                            .sorted()
                            .toList()) {
                        String pkg = main.relativize(f.getParent()).toString().replace('/', '.');
                        out.add(new Source(f, module.getFileName().toString(), pkg, uses(Files.readString(f))));
                    }
                }
            }
        }
        return out;
    }

    /** The project packages whose types a source names, by import or fully qualified. */
    static Set<String> uses(String source) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(source);
        while (m.find()) {
            out.add(BASE + m.group(1));
        }
        return out;
    }

    /** Tarjan's strongly connected components. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : new TreeSet<>(edges.keySet())) {
            if (!index.containsKey(v)) {
                connect(v, edges, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(
            String v,
            Map<String, Set<String>> edges,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, edges, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
