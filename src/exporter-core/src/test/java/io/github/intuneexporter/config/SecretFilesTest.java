package io.github.intuneexporter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret file that is a FIFO, a directory or a device is refused at start; before, a FIFO hung start-up forever. */
class SecretFilesTest {
    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("secret.fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return null;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo worked");
        return fifo;
    }

    @Test
    void aFifoAsClientSecretFileIsRefusedInsteadOfHanging() throws Exception {
        Path fifo = fifo();
        ConfigException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(
                        ConfigException.class,
                        () -> SettingsLoader.load(ConfigFactory.parseString(
                                "intune.auth { tenant-id = t, client-id = c, client-secret-file = \"" + fifo
                                        + "\" }"))));
        assertEquals("intune.auth.client-secret-file: " + fifo + " is not a regular file", e.getMessage());
    }

    @Test
    void aFifoAsCertificateOrWebConfigIsRefused() throws Exception {
        Path fifo = fifo();
        ConfigException cert = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(
                        ConfigException.class,
                        () -> SettingsLoader.load(ConfigFactory.parseString(
                                "intune.auth { tenant-id = t, client-id = c, client-certificate-path = \"" + fifo
                                        + "\" }"))));
        assertEquals("intune.auth.client-certificate-path: " + fifo + " is not a regular file", cert.getMessage());
        ConfigException web = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(
                        ConfigException.class,
                        () -> SettingsLoader.load(
                                ConfigFactory.parseString("intune.web.config-file = \"" + fifo + "\""))));
        assertEquals("intune.web.config-file (" + fifo + "): not a regular file", web.getMessage());
    }

    @Test
    void aDirectoryAsSecretFileIsRefused() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SettingsLoader.load(ConfigFactory.parseString(
                        "intune.auth { tenant-id = t, client-id = c, client-secret-file = \"" + dir + "\" }")));
        assertEquals("intune.auth.client-secret-file: " + dir + " is not a regular file (a directory)", e.getMessage());
    }
}
