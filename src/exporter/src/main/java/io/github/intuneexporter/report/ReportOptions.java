package io.github.intuneexporter.report;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the {@code report} command needs, free of any argument-parsing library: {@link #parse(String[], Instant)} reads
 * the command line, another front end (picocli) can build the record itself.
 *
 * @param prometheusUrl base URL of Prometheus (http or https)
 * @param tenant only this tenant ({@code tenant} label), or null for every tenant (one table row per tenant)
 * @param job regular expression of the exporter's scrape job (as IntuneExporterDown matches it)
 * @param from start of the reported period (inclusive)
 * @param to end of the reported period; every "now" figure is evaluated at this instant
 * @param output the HTML file to write; "-" is standard output
 * @param resolveTargets how soon an alert of each severity should be resolved (procedures section)
 */
public record ReportOptions(
        String prometheusUrl,
        String basicAuthUser,
        Path basicAuthPasswordFile,
        Path bearerTokenFile,
        Path caFile,
        boolean insecure,
        String tenant,
        String job,
        Instant from,
        Instant to,
        String periodName,
        Path output,
        Duration timeout,
        Map<String, Duration> resolveTargets) {

    static final Map<String, Duration> DEFAULT_TARGETS =
            Map.of("critical", Duration.ofHours(1), "warning", Duration.ofHours(8), "info", Duration.ofHours(24));

    public static final String USAGE = String.join(
            "\n",
            "Usage: java -jar intune-exporter.jar report --prometheus URL [options]",
            "Writes a self-contained HTML report (print it to PDF from a browser) from what Prometheus recorded.",
            "",
            "  --prometheus URL             Prometheus base URL (default http://localhost:9090)",
            "  --month YYYY-MM              report this calendar month (UTC); 'previous' = last month, 'current' = so far",
            "  --from TIME --to TIME        or this period: ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z)",
            "                               (default: the last 30 days until now)",
            "  --tenant NAME                only this tenant (the exporter's tenant label; 'default' for a single tenant)",
            "  --job REGEX                  scrape job of the exporter (default .*intune.*)",
            "  --output FILE|DIR/           the HTML file, or a directory for the default name",
            "                               intune-report-<period>[-<tenant>].html (the default, in the current directory); - = stdout",
            "  --basic-auth-user USER       basic auth user; the password is read from --basic-auth-password-file FILE",
            "  --bearer-token-file FILE     send the token in this file as Authorization: Bearer (never printed)",
            "  --ca-file FILE               PEM CA certificate(s) to trust for https",
            "  --insecure                   do not verify the TLS certificate of Prometheus",
            "  --resolve-target SEV=DUR     target time to resolve alerts of a severity (default critical=1h, warning=8h, info=24h)",
            "  --timeout DUR                per-query timeout (default 30s)",
            "",
            "Exit codes: 0 report written; 1 Prometheus unreachable (the report is still written and names the sections",
            "without data); 2 bad arguments.");

    /** Bad arguments; the message is one line. A null message means --help was printed. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments after "report"; {@code now} is the default end of the period. */
    public static ReportOptions parse(String[] args, Instant now) throws UsageException {
        Flags f = new Flags();
        f.read(args);
        f.check();
        Period p = period(f.month, f.from, f.to, now);
        Path file = outputFile(f.output, f.outputText, p.name(), f.tenant);
        return new ReportOptions(
                f.url,
                f.user,
                f.passwordFile,
                f.tokenFile,
                f.ca,
                f.insecure,
                f.tenant,
                f.job,
                p.from(),
                p.to(),
                p.name(),
                file,
                f.timeout,
                Map.copyOf(f.targets));
    }

    /** The flags as given, before the period and output file are worked out from them. */
    private static final class Flags {
        String url = "http://localhost:9090";
        String user = null;
        Path passwordFile = null;
        Path tokenFile = null;
        Path ca = null;
        boolean insecure = false;
        String tenant = null;
        String job = ".*intune.*";
        String month = null;
        Instant from = null;
        Instant to = null;
        Path output = null;
        String outputText = "";
        Duration timeout = Duration.ofSeconds(30);
        Map<String, Duration> targets = new LinkedHashMap<>(DEFAULT_TARGETS);

        void read(String[] args) throws UsageException {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String inline = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    inline = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--help", "-h" -> throw new UsageException(null);
                    case "--insecure" -> insecure = true;
                    case "--prometheus" -> url = inline != null ? inline : value(args, ++i, arg);
                    case "--basic-auth-user" -> user = inline != null ? inline : value(args, ++i, arg);
                    case "--basic-auth-password-file" ->
                        passwordFile = readable(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--bearer-token-file" ->
                        tokenFile = readable(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--ca-file" -> ca = readable(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--tenant" -> tenant = inline != null ? inline : value(args, ++i, arg);
                    case "--job" -> job = inline != null ? inline : value(args, ++i, arg);
                    case "--month" -> month = inline != null ? inline : value(args, ++i, arg);
                    case "--from" -> from = time(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--to" -> to = time(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--output", "-o" -> {
                        outputText = inline != null ? inline : value(args, ++i, arg);
                        output = Path.of(outputText);
                    }
                    case "--timeout" -> timeout = duration(inline != null ? inline : value(args, ++i, arg), arg);
                    case "--resolve-target" -> resolveTarget(inline != null ? inline : value(args, ++i, arg), arg);
                    default -> throw new UsageException("unknown report option '" + args[i] + "'");
                }
            }
        }

        /** SEVERITY=DURATION: the target time to resolve alerts of that severity. */
        private void resolveTarget(String v, String arg) throws UsageException {
            int e = v.indexOf('=');
            if (e <= 0) {
                throw new UsageException(
                        "--resolve-target expects SEVERITY=DURATION (e.g. critical=30m), got '" + v + "'");
            }
            targets.put(v.substring(0, e).trim(), duration(v.substring(e + 1).trim(), arg));
        }

        void check() throws UsageException {
            if (!url.matches("(?i)https?://[^\\s]+")) {
                throw new UsageException("--prometheus expects an http:// or https:// URL, got '" + url + "'");
            }
            if (url.matches("(?i)https?://[^/?#]*@.*")) { // not echoed: it holds a password
                throw new UsageException("--prometheus must not hold credentials; use --basic-auth-user and"
                        + " --basic-auth-password-file (or --bearer-token-file)");
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new UsageException("--prometheus is not a valid URL (" + e.getReason() + "), got '" + url + "'");
            }
            if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new UsageException(
                        "--prometheus expects a base URL such as http://host:9090 or https://host/prometheus (a host,"
                                + " no query or fragment), got '" + url + "'");
            }
            if (user == null && passwordFile != null) {
                throw new UsageException("--basic-auth-password-file needs --basic-auth-user");
            }
            if (user != null && tokenFile != null) {
                throw new UsageException("use either basic auth or --bearer-token-file, not both");
            }
            if (tenant != null && !tenant.matches("[A-Za-z0-9_.:-]+")) {
                throw new UsageException(
                        "--tenant expects a tenant name (letters, digits, _ . : -), got '" + tenant + "'");
            }
            try {
                Pattern.compile(job);
            } catch (PatternSyntaxException e) {
                throw new UsageException("--job is not a regular expression: " + e.getDescription());
            }
        }
    }

    /** The report's period: a calendar month, or from/to (default: the 30 days up to now); ends at now at the latest. */
    private record Period(Instant from, Instant to, String name) {}

    private static Period period(String month, Instant from, Instant to, Instant now) throws UsageException {
        String name;
        if (month != null) {
            if (from != null || to != null) {
                throw new UsageException("use either --month or --from/--to");
            }
            YearMonth m;
            YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
            try {
                // "previous" is what a monthly schedule (CronJob on the 1st) wants; "current" is the month so far.
                m = month.equals("previous")
                        ? current.minusMonths(1)
                        : month.equals("current") ? current : YearMonth.parse(month);
            } catch (DateTimeParseException e) {
                throw new UsageException("--month expects YYYY-MM, previous or current, got '" + month + "'");
            }
            from = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            to = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            name = m.toString();
        } else {
            to = to != null ? to : now;
            from = from != null ? from : to.minus(Duration.ofDays(30));
            name = LocalDate.ofInstant(from, ZoneOffset.UTC) + "_" + LocalDate.ofInstant(to, ZoneOffset.UTC);
        }
        if (from.isAfter(now)) { // before the check below, whose --to would be "now", which nobody typed
            throw new UsageException("the period starts in the future (" + from + ")");
        }
        if (!from.isBefore(to)) {
            throw new UsageException("the period is empty: --from " + from + " is not before --to " + to);
        }
        return new Period(from, to.isAfter(now) ? now : to, name); // the current month so far
    }

    /** --output as given, or the default file name (inside it when it is a directory, e.g. a volume). */
    private static Path outputFile(Path output, String outputText, String period, String tenant) {
        String fileName = "intune-report-" + period + (tenant == null ? "" : "-" + tenant) + ".html";
        if (output == null) {
            return Path.of(fileName);
        }
        if (outputText.endsWith("/") || outputText.endsWith(File.separator) || Files.isDirectory(output)) {
            return output.resolve(fileName);
        }
        return output;
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || (args[i].startsWith("--") && args[i].length() > 2)) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static Path readable(String file, String option) throws UsageException {
        Path p = Path.of(file);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new UsageException(option + ": cannot read file " + file);
        }
        return p;
    }

    static Instant time(String v, String option) throws UsageException {
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    option + " expects a date (2026-11-01) or an instant (2026-11-01T00:00:00Z), got '" + v + "'");
        }
    }

    /** Prometheus-style durations: 90s, 30m, 8h, 2d, 1w (one unit). */
    static Duration duration(String v, String option) throws UsageException {
        Matcher m = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException(option + " expects a duration such as 30s, 15m, 8h or 2d, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
