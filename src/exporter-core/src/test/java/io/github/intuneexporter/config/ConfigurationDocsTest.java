package io.github.intuneexporter.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * reference.conf is the single list of keys, and docs/configuration.md documents exactly those: every key of
 * reference.conf has a row in the document, and every key the document names exists in reference.conf.
 */
class ConfigurationDocsTest {
    private static final Path DOC = Path.of("docs/configuration.md");
    /** A documented key: the first cell of a table row. */
    private static final Pattern ROW = Pattern.compile("^\\| `(intune\\.[a-z0-9_.\\-]+)`", Pattern.MULTILINE);
    /** Any key named anywhere in the document, e.g. in prose. */
    private static final Pattern MENTION = Pattern.compile("`(intune\\.[a-z0-9_\\-]+(?:\\.[a-z0-9_\\-]+)+)`");

    private static Set<String> referenceKeys() {
        Config reference = ConfigFactory.parseResources("reference.conf").resolve();
        Set<String> keys = new TreeSet<>();
        reference.entrySet().forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    @Test
    void everyReferenceKeyIsDocumented() throws Exception {
        Set<String> documented = matches(ROW, Files.readString(DOC));
        List<String> missing =
                referenceKeys().stream().filter(k -> !documented.contains(k)).toList();
        assertTrue(missing.isEmpty(), "keys of reference.conf without a row in docs/configuration.md: " + missing);
    }

    @Test
    void everyDocumentedKeyExists() throws Exception {
        Config reference = ConfigFactory.parseResources("reference.conf").resolve();
        List<String> unknown = matches(MENTION, Files.readString(DOC)).stream()
                .filter(k -> !reference.hasPathOrNull(k))
                .toList();
        assertTrue(
                unknown.isEmpty(), "keys named in docs/configuration.md that reference.conf does not have: " + unknown);
    }

    @Test
    void theReferenceHasKeys() {
        assertTrue(
                referenceKeys().size() > 50,
                "reference.conf read: " + referenceKeys().size());
        assertTrue(referenceKeys().contains("intune.collectors.compliance.max-policies"));
    }

    private static Set<String> matches(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** A row of the key tables: key, default, environment variable, meaning. */
    private static final Pattern FOUR_CELLS = Pattern.compile(
            "^\\| `(intune\\.[a-z0-9_.\\-]+)` \\| `([^`]*)` \\| ([^|]*)\\| [^|]*\\|$", Pattern.MULTILINE);

    /**
     * Each row shows reference.conf's default and the environment variable reference.conf reads for the key: a row
     * that drifts from the file misleads exactly the reader who looks a setting up.
     */
    @Test
    void everyRowShowsTheDefaultAndTheEnvironmentVariable() throws Exception {
        Config reference = ConfigFactory.parseResources("reference.conf")
                .resolve(com.typesafe.config.ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
        List<String> wrong = new java.util.ArrayList<>();
        Matcher m = FOUR_CELLS.matcher(Files.readString(DOC));
        int rows = 0;
        while (m.find()) {
            rows++;
            String key = m.group(1);
            String shipped = reference.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise());
            String documented = m.group(2);
            boolean same = shipped.equals(documented)
                    || shipped.equals("\"" + documented + "\"")
                    || shipped.replace(",", ", ").equals(documented)
                    || (reference.getValue(key).valueType() == com.typesafe.config.ConfigValueType.NUMBER
                            && reference.getDouble(key) == Double.parseDouble(documented));
            if (!same) {
                wrong.add(key + ": default " + documented + ", reference.conf " + shipped);
            }
            String env = ConfigValues.environmentVariable(key);
            String documentedEnv = m.group(3).replace("`", "").trim();
            if (!documentedEnv.equals(env == null ? "" : env)) {
                wrong.add(key + ": environment '" + documentedEnv + "', reference.conf reads '" + env + "'");
            }
        }
        assertTrue(rows > 90, "rows read: " + rows);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
