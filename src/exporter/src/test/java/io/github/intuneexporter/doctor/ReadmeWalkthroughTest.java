package io.github.intuneexporter.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Connect your tenant" rehearsal commands, run as written against the simulator. */
class ReadmeWalkthroughTest {
    private static final String PREFIX = "java -jar target/intune-exporter.jar ";

    @Test
    void theDoctorCommandsOfTheReadmeWorkAsDescribed() throws Exception {
        List<String> commands = Files.readString(Path.of("README.md"))
                .lines()
                .map(String::strip)
                .filter(l -> l.startsWith(PREFIX + "doctor --demo"))
                .toList();
        assertEquals(2, commands.size(), "the README shows two rehearsal commands: " + commands);

        String withheld = run(commands.get(0), 1);
        assertTrue(withheld.contains("missing permission DeviceManagementApps.Read.All"), withheld);
        assertTrue(withheld.contains("Grant these and give admin consent: DeviceManagementApps.Read.All"), withheld);
        String granted = run(commands.get(1), 0);
        assertTrue(granted.contains("Every enabled collector can run."), granted);
    }

    private static String run(String command, int expectedExit) {
        List<String> args = split(command.substring(PREFIX.length()));
        args.addAll(List.of("--demo-devices", "100"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = MainAccess.run(
                args.toArray(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, command + "\n" + text);
        return text;
    }

    /** Splits a shell command line on spaces, honouring single quotes (all the README uses). */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }
}
