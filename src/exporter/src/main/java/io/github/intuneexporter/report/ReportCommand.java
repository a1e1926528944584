package io.github.intuneexporter.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code intune-exporter report}: reads what Prometheus recorded of the exporter and its alerts over a period and
 * writes one self-contained HTML file for stakeholders (inline CSS and SVG, no script, prints to PDF).
 *
 * <p>Exit codes: {@value #WRITTEN} the report was written; {@value #UNREACHABLE} Prometheus could not be reached (the
 * report is still written, so a scheduled job leaves a file that says why it is empty, and the job is marked failed);
 * {@value #USAGE} bad arguments, or the output file cannot be written.
 */
public final class ReportCommand {
    public static final int WRITTEN = 0;
    public static final int UNREACHABLE = 1;
    public static final int USAGE = 2;

    private ReportCommand() {}

    /** Entry point for the arguments after "report". */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        ReportOptions options;
        try {
            options = ReportOptions.parse(args, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        } catch (ReportOptions.UsageException e) {
            if (e.getMessage() == null) {
                out.println(ReportOptions.USAGE);
                return WRITTEN;
            }
            err.println("intune-exporter report: " + e.getMessage());
            err.println("Run 'report --help' for the options.");
            return USAGE;
        }
        return run(options, out, err, clock);
    }

    /** Runs with options built by another front end. */
    public static int run(ReportOptions options, PrintStream out, PrintStream err) {
        return run(options, out, err, Clock.systemUTC());
    }

    static int run(ReportOptions options, PrintStream out, PrintStream err, Clock clock) {
        PrometheusClient client;
        try {
            client = new PrometheusClient(options);
        } catch (IOException | GeneralSecurityException e) {
            err.println("intune-exporter report: cannot set up the connection to Prometheus: " + e.getMessage());
            return USAGE;
        }
        ReportBuilder builder = new ReportBuilder(options, client);
        Map<String, Object> model = builder.build(clock.instant());
        String html = render(model);
        boolean stdout = options.output().toString().equals("-");
        try {
            if (stdout) {
                out.print(html);
                out.flush();
            } else {
                Path file = options.output().toAbsolutePath();
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                // Written next to the target and renamed, so a reader never sees half a report; default permissions.
                Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.writeString(tmp, html, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            err.println("intune-exporter report: cannot write " + options.output() + ": " + e.getMessage());
            return USAGE;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> without = (List<Map<String, Object>>) model.get("sectionsWithoutData");
        PrintStream status = stdout ? err : out;
        if (builder.log().unreachable() != null) {
            err.println("intune-exporter report: " + builder.log().unreachable().getMessage());
            err.println(
                    "intune-exporter report: wrote " + (stdout ? "the report" : options.output()) + " without data");
            return UNREACHABLE;
        }
        if (model.get("unknownTenant") != null) {
            err.println("intune-exporter report: " + model.get("unknownTenant"));
        }
        status.println("Wrote " + (stdout ? "the report" : options.output()) + ": " + options.periodName() + ", "
                + builder.log().appendix().size() + " queries"
                + (without.isEmpty()
                        ? ""
                        : "; sections without data: "
                                + String.join(
                                        ", ",
                                        without.stream()
                                                .map(s -> (String) s.get("title"))
                                                .toList())));
        return WRITTEN;
    }

    private static final Mustache TEMPLATE =
            new DefaultMustacheFactory("io/github/intuneexporter/report").compile("report.mustache");

    static String render(Map<String, Object> model) {
        Writer w = new StringWriter();
        try {
            TEMPLATE.execute(w, model).flush();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }
}
