package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages. Credentials from the test machine's environment are not used here. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A demo of 10 devices a tenant (enough for every check here, quick to start) with {@code args} added. */
    private int demo(String... args) {
        List<String> all = new ArrayList<>(List.of("--demo", "--demo-devices", "10"));
        all.addAll(List.of(args));
        return run(all.toArray(new String[0]));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(0, run("--help"));
        assertTrue(stdout().contains("--demo"));
        assertEquals(0, run("--version"));
        assertTrue(stdout().contains("intune-exporter "));
    }

    @Test
    void unknownOptionIsUsageError() {
        assertEquals(2, run("--bogus"));
        assertTrue(stderr().contains("unknown option '--bogus'"), stderr());
        assertEquals(1, stderr().lines().count(), "one line per error: " + stderr());
        err.reset();
        assertEquals(2, run("--demo-devices", "many"));
        assertTrue(stderr().contains("'--demo-devices'") && stderr().contains("'many'"), stderr());
        assertEquals(1, stderr().lines().count(), "one line per error: " + stderr());
    }

    @Test
    void checkConfigInDemoModeSucceeds() {
        assertEquals(0, demo("--config.check"));
        assertTrue(stdout().contains("Configuration OK."), stdout());
        assertTrue(stdout().contains("collectors: compliance, devices"), stdout());
    }

    /** The summary shows what this replica will do: its shard, and per tenant it reads its Graph, collectors, state. */
    @Test
    void checkConfigShowsTheShardAndEveryTenantItReads() {
        assertEquals(0, demo("--set", "intune.demo.tenants=4", "--shard=1/2", "--config.check"), stderr());
        String shown = stdout();
        assertTrue(
                shown.contains("demo: 4 simulated tenants (10 devices each, seed 42), collector interval 1m"), shown);
        java.util.regex.Matcher shard = java.util.regex.Pattern.compile(
                        "shard 1/2 \\(intune.shard\\): reads (\\d) of the 4 configured tenants \\(([a-z, ]+)\\)")
                .matcher(shown);
        assertTrue(shard.find(), shown);
        for (String tenant : shard.group(2).split(", ")) {
            assertTrue(
                    shown.contains("  tenant " + tenant + " (Simulated " + tenant + "): simulated, demo token"), shown);
        }
        assertEquals(
                Integer.parseInt(shard.group(1)),
                shown.lines()
                        .filter(l -> l.startsWith("    collectors: compliance, devices"))
                        .count(),
                shown);
        assertTrue(shown.contains("    state files: enrollment memory only"), shown);
    }

    /** Several demo tenants and a state file set once: each tenant writes its own, as configured tenants do. */
    @Test
    void demoTenantsKeepTheirOwnStateFiles(@TempDir Path dir) {
        Path file = dir.resolve("enrollment.json");
        assertEquals(
                0,
                demo(
                        "--set",
                        "intune.demo.tenants=3",
                        "--set",
                        "intune.collectors.enrollment.state-file=\"" + file + "\"",
                        "--config.check"),
                stderr());
        for (String tenant : List.of("contoso", "fabrikam", "northwind")) {
            assertTrue(
                    stdout().contains("    state files: enrollment "
                            + dir.resolve(tenant).resolve("enrollment.json")),
                    stdout());
        }
        assertFalse(stdout().contains("enrollment " + file + ","), stdout());
    }

    /** A replica whose shard holds none of the tenants is a valid configuration: check and doctor say so, exit 0. */
    @Test
    void aShardWithoutTenantsIsCheckedWithoutCrashing() {
        // One demo tenant: shards 1/3 and 2/3 hold none (the demo tenant's id is fixed by the seed).
        String empty = null;
        for (String shard : new String[] {"0/3", "1/3", "2/3"}) {
            out.reset();
            assertEquals(0, demo("--shard=" + shard, "--config.check"), stderr());
            if (stdout().contains("reads none")) {
                empty = shard;
            }
        }
        assertTrue(empty != null, "one of three shards of one tenant is empty");
        assertTrue(
                stdout().contains("shard " + empty + " (intune.shard): reads none of the 1 configured tenant;"),
                stdout());
        assertFalse(stderr().contains("Exception"), stderr());
        out.reset();
        assertEquals(0, demo("--shard=" + empty, "doctor"), stderr());
        assertTrue(
                stdout().contains(
                                "reads none of the 1 configured tenant; the other shards read them; nothing to check"),
                stdout());
    }

    @Test
    void scenariosAreListedAndCheckedByName() {
        assertEquals(0, run("--scenario", "list"));
        for (var scenario : io.github.intuneexporter.simulator.Scenarios.ALL) {
            assertTrue(stdout().contains(scenario.name() + " "), stdout());
        }
        assertEquals(2, run("--scenario", "nope"));
        assertTrue(stderr().contains("unknown scenario 'nope'"), stderr());
        assertEquals(0, run("--scenario", "apns-expiring", "--demo-devices", "10", "--config.check"), stderr());
        assertEquals(2, run("--demo", "--set", "intune.demo.scenario.name=nope", "--config.check"));
        assertTrue(stderr().contains("intune.demo.scenario.name: unknown scenario 'nope'"), stderr());
    }

    @Test
    void badValueExitsTwoNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("x.conf"), "intune.collectors.devices.interval = sometimes\n");
        assertEquals(2, run("--demo", "--config.file", file.toString(), "--config.check"));
        assertTrue(stderr().contains("intune.collectors.devices.interval"), stderr());
        assertFalse(stderr().contains("\tat "), "no stack trace: " + stderr());
    }

    @Test
    void setOverridesAreValidatedToo() {
        assertEquals(2, run("--demo", "--set", "intune.graph.page-size=0", "--config.check"));
        assertTrue(stderr().contains("intune.graph.page-size"), stderr());
        assertEquals(2, run("--set", "intune.nope=1", "--config.check"));
        assertTrue(stderr().contains("intune.nope: unknown key"), stderr());
    }

    @Test
    void firstRunWithoutCredentialsExplainsWhatToSet() {
        // The overrides blank out credentials the machine's environment might hold, so the test sees a fresh machine.
        int code = run(
                "--config.check",
                "--set",
                "intune.auth.tenant-id=\"\"",
                "--set",
                "intune.auth.client-id=\"\"",
                "--set",
                "intune.auth.client-secret=\"\"",
                "--set",
                "intune.auth.client-secret-file=\"\"",
                "--set",
                "intune.auth.client-certificate-path=\"\"",
                "--set",
                "intune.auth.federated-token-file=\"\"");
        assertEquals(2, code);
        for (String hint : new String[] {
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PATH",
            "managed-identity",
            "README.md",
            "Graph permissions",
            "--demo"
        }) {
            assertTrue(stderr().contains(hint), hint + " in: " + stderr());
        }
        assertFalse(stderr().contains("\tat "), "no stack trace");
    }

    @Test
    void checkConfigNeverPrintsTheSecret(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("x.conf"),
                "intune.auth { tenant-id = tenant-1, client-id = client-1, client-secret = \"do-not-print-me\" }\n");
        assertEquals(0, run("--config.file", file.toString(), "--config.check"));
        assertTrue(stdout().contains("client-secret"), stdout());
        assertFalse(stdout().contains("do-not-print-me") || stderr().contains("do-not-print-me"));
    }
}
