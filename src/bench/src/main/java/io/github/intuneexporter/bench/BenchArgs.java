package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** What every bench command shares: reading its options, and how it answers bad options, --help and failures. */
final class BenchArgs {
    private BenchArgs() {}

    /** Parses the arguments (--help is answered before) into options. Throws IllegalArgumentException on a bad option. */
    interface Parser<O> {
        O parse(String[] args);
    }

    /** Runs the command with its options and returns the exit code. */
    interface Command<O> {
        int execute(O options) throws Exception;
    }

    /**
     * Exit code 0 with the usage for --help (wherever it stands), 2 with the usage for a bad option, 1 with the error
     * when the command fails, else the command's own.
     */
    static <O> int run(
            String name,
            String usage,
            String[] args,
            PrintStream out,
            PrintStream err,
            Parser<O> parser,
            Command<O> command) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(usage);
            return 0;
        }
        O options;
        try {
            options = parser.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.println(usage);
            return 2;
        }
        try {
            return command.execute(options);
        } catch (Exception e) {
            err.println(name + ": failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int positive(String s, String option) {
        try {
            int v = Integer.parseInt(s.trim().replace("_", ""));
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects positive whole numbers, got '" + s + "'");
        }
    }

    /** A comma-separated list of positive whole numbers. */
    static List<Integer> positives(String list, String option) {
        List<Integer> out = new ArrayList<>();
        for (String s : list.split(",")) {
            out.add(positive(s, option));
        }
        return List.copyOf(out);
    }

    static Duration duration(String s, String option) {
        try {
            return ConfigFactory.parseString("d = " + s).getDuration("d");
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(option + " expects a duration such as 90s or 5m, got '" + s + "'");
        }
    }

    /** Walks a command line option by option; the value-reading methods take the option's value and check it. */
    static final class Cursor {
        private final String[] args;
        private int next;
        private String option;

        Cursor(String[] args) {
            this.args = args;
        }

        /** Moves to the next option; false when none is left. */
        boolean next() {
            if (next >= args.length) {
                return false;
            }
            option = args[next++];
            return true;
        }

        String option() {
            return option;
        }

        String value() {
            return BenchArgs.value(args, next++, option);
        }

        int positive() {
            return BenchArgs.positive(value(), option);
        }

        List<Integer> positives() {
            return BenchArgs.positives(value(), option);
        }

        Duration duration() {
            return BenchArgs.duration(value(), option);
        }

        IllegalArgumentException unknown() {
            return new IllegalArgumentException("unknown option '" + option + "'");
        }
    }

    /**
     * Prints the report and writes it to {@code dir/PREFIX-yyyyMMdd-HHmmss.md}, with {@code csv} (when not null) beside
     * it as {@code .csv}; names the files written.
     */
    static void publish(PrintStream out, String report, Path dir, String prefix, String csv) throws IOException {
        out.println();
        out.println(report);
        Files.createDirectories(dir);
        String stem = prefix + "-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now());
        Path md = dir.resolve(stem + ".md");
        Files.writeString(md, report, StandardCharsets.UTF_8);
        if (csv == null) {
            out.println("written: " + md);
            return;
        }
        Path csvFile = dir.resolve(stem + ".csv");
        Files.writeString(csvFile, csv, StandardCharsets.UTF_8);
        out.println("written: " + md + ", " + csvFile);
    }
}
