package io.github.intuneexporter.bench;

import com.typesafe.config.ConfigFactory;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What every bench command shares: reading its options, and how it answers bad options, --help and failures. */
final class BenchArgs {
    private BenchArgs() {}

    /** Parses the arguments into options; null means --help. Throws IllegalArgumentException on a bad option. */
    interface Parser<O> {
        O parse(String[] args);
    }

    /** Runs the command with its options and returns the exit code. */
    interface Command<O> {
        int execute(O options) throws Exception;
    }

    /**
     * Exit code 2 with the usage for a bad option, 0 with the usage for --help, 1 with the error when the command
     * fails, else the command's own.
     */
    static <O> int run(
            String name,
            String usage,
            String[] args,
            PrintStream out,
            PrintStream err,
            Parser<O> parser,
            Command<O> command) {
        O options;
        try {
            options = parser.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.println(usage);
            return 2;
        }
        if (options == null) {
            out.println(usage);
            return 0;
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
}
