package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every documented way to start the daemon makes out-of-memory fatal, and the probes of the TLS + basic auth component
 * use the right scheme and send credentials.
 */
class LaunchPathsTest {
    private static final String FLAG = "-XX:+ExitOnOutOfMemoryError";

    @Test
    void everyDocumentedDaemonCommandHasExitOnOutOfMemoryError() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> missing = new ArrayList<>();
        int daemons = 0;
        for (Path doc : docs) {
            for (String line : Files.readAllLines(doc)) {
                int jar = line.indexOf("intune-exporter.jar");
                if (!line.matches(".*\\bjava\\b.*-jar\\s+\\S*intune-exporter\\.jar.*")
                        || line.contains("intune-exporter-bench.jar")
                        || line.matches(
                                ".*intune-exporter\\.jar\\s+(doctor|report|--check-config|--config\\.check|--help|--version|--scenario list).*")) {
                    continue;
                }
                daemons++;
                if (!line.substring(0, jar).contains(FLAG)) {
                    missing.add(doc + ": " + line.strip());
                }
            }
        }
        assertTrue(daemons >= 3, "found the documented daemon commands: " + daemons);
        assertEquals(List.of(), missing);
    }

    @Test
    void theImageEntrypointHasItAndComposeAndKubernetesKeepTheEntrypoint() throws IOException {
        String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElse("");
        assertTrue(entrypoint.contains(FLAG), entrypoint);
        String compose = Files.readString(Path.of("docker-compose.yml"));
        assertFalse(compose.contains("entrypoint:"), "compose keeps the image's entrypoint (with " + FLAG + ")");
        String deployment = Files.readString(Path.of("deploy/kubernetes/base/deployment.yaml"));
        assertFalse(
                deployment.matches("(?s).*\\n\\s+command:.*"),
                "the Deployment keeps the image's entrypoint (with " + FLAG + ")");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWebSecurityComponentProbesWithHttpsAndAnAuthorizationHeader() throws IOException {
        Map<String, Object> component = new Yaml()
                .load(Files.readString(Path.of("deploy/kubernetes/components/web-security/kustomization.yaml")));
        List<Map<String, Object>> patches = (List<Map<String, Object>>) component.get("patches");
        List<Map<String, Object>> ops = new Yaml().load((String) patches.get(0).get("patch"));
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> op = ops.stream()
                    .filter(o -> o.get("path").equals("/spec/template/spec/containers/0/" + probe + "/httpGet"))
                    .findFirst()
                    .orElseThrow();
            Map<String, Object> get = (Map<String, Object>) op.get("value");
            assertEquals("HTTPS", get.get("scheme"), probe);
            List<Map<String, String>> headers = (List<Map<String, String>>) get.get("httpHeaders");
            assertEquals("Authorization", headers.get(0).get("name"));
            assertTrue(headers.get(0).get("value").startsWith("Basic "), probe);
        }
        assertTrue(ops.stream().anyMatch(o -> "--web.config.file".equals(o.get("value"))));
    }
}
