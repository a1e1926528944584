package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What ships: the packaged jar stays small and carries only what production runs (issue 13). The simulator is in it,
 * on purpose, for --demo; the Graph SDK's generated models, netty, JNA and BouncyCastle's post-quantum classes are not.
 */
class PackagedJarContentsIT {
    private static final long MAX_BYTES = 30L * 1024 * 1024;

    @Test
    void theJarIsUnder30MbWithoutTheLibrariesProductionDoesNotUse() throws IOException {
        Path jar = Path.of(System.getProperty("packaged.jar", "target/intune-exporter.jar"));
        assertTrue(Files.isRegularFile(jar), "packaged jar " + jar + " exists (run mvn verify, not mvn test)");
        long size = Files.size(jar);
        assertTrue(size < MAX_BYTES, jar + " is " + size / 1024 / 1024 + " MB, the limit is 30 MB");
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String absent : List.of(
                    "com/microsoft/graph/models/",
                    "com/microsoft/graph/serviceclient/",
                    "io/netty/",
                    "com/sun/jna/",
                    "org/bouncycastle/pqc/",
                    "io/github/intuneexporter/bench/",
                    "com/google/common/")) {
                assertTrue(
                        file.stream().noneMatch(e -> e.getName().startsWith(absent)),
                        jar + " must not contain " + absent);
            }
            for (String present : List.of(
                    "io/github/intuneexporter/Main.class",
                    "io/github/intuneexporter/simulator/SimulatorStandIn.class",
                    "META-INF/services/io.github.intuneexporter.standin.GraphStandIn",
                    "com/azure/core/http/okhttp/OkHttpAsyncClientProvider.class",
                    "graph-contract/v1.0-cleanMetadata.xml.gz",
                    "reference.conf")) {
                assertNotNull(file.getEntry(present), jar + " must contain " + present);
            }
        }
    }
}
