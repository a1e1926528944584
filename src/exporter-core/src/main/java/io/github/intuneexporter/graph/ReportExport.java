package io.github.intuneexporter.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The Intune reports export flow (https://learn.microsoft.com/mem/intune/fundamentals/reports-export-graph-apis): POST /deviceManagement/reports/exportJobs, poll the job with
 * back-off until it is completed or failed, then download its {@code url} (a time-limited Azure Blob SAS URL,
 * fetched without the Graph token) and open the CSV inside the zip as a stream. Nothing of the report is held in
 * memory. Creating a job needs a ReadWrite permission (Graph documents no Read-only scope for the POST).
 */
public final class ReportExport {
    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(60);

    private ReportExport() {}

    /**
     * Runs an export of {@code reportName} with the given columns and returns the CSV of the finished job; the
     * caller closes it. Polls start after {@code firstPoll} and back off by 1.5x up to a minute; a job not
     * completed within {@code timeout} fails.
     */
    public static InputStream csv(
            GraphApi graph, String reportName, List<String> select, Duration firstPoll, Duration timeout)
            throws GraphException, InterruptedException {
        JsonNode job = graph.post(graph.v1Root() + JOBS, jobBody(reportName, select));
        String id = job.path("id").asText("");
        String endpoint = "/deviceManagement/reports/exportJobs";
        if (id.isEmpty()) {
            throw new GraphException(endpoint, 0, "", "Graph " + endpoint + ": created export job has no id", null);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration delay = firstPoll;
        String status = job.path("status").asText("");
        while (!status.equalsIgnoreCase("completed")) {
            if (status.equalsIgnoreCase("failed")) {
                throw new GraphException(
                        endpoint, 0, "", "Graph " + endpoint + ": export job of " + reportName + " failed", null);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new GraphException(
                        endpoint,
                        0,
                        "",
                        "Graph " + endpoint + ": export job of " + reportName + " not completed after "
                                + timeout.toSeconds() + " s (status " + (status.isEmpty() ? "none" : status) + ")",
                        null);
            }
            Thread.sleep(Math.min(delay.toMillis(), Math.max(1, left / 1_000_000)));
            delay = min(Duration.ofMillis((long) (delay.toMillis() * 1.5)), MAX_POLL_DELAY);
            job = graph.get("/deviceManagement/reports/exportJobs('" + id.replace("'", "''") + "')");
            status = job.path("status").asText("");
        }
        String url = job.path("url").asText("");
        if (url.isEmpty()) {
            throw new GraphException(endpoint, 0, "", "Graph " + endpoint + ": completed export job has no url", null);
        }
        return firstCsvEntry(graph.download(url), endpoint);
    }

    public static final String JOBS = "/deviceManagement/reports/exportJobs";

    /** The body that creates an export job of {@code reportName} with these columns, as a CSV in a zip. */
    public static String jobBody(String reportName, List<String> select) {
        ObjectNode body = GraphApi.mapper().createObjectNode();
        body.put("reportName", reportName);
        ArrayNode columns = body.putArray("select");
        select.forEach(columns::add);
        body.put("format", "csv");
        body.put("localizationType", "localizedValuesAsAdditionalColumn");
        return body.toString();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Positions a zip stream at its first .csv entry. */
    private static InputStream firstCsvEntry(InputStream download, String endpoint) throws GraphException {
        ZipInputStream zip = new ZipInputStream(download);
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    return zip;
                }
            }
            zip.close();
            throw new GraphException(endpoint, 0, "", "export download: the zip holds no .csv file", null);
        } catch (IOException e) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new GraphException(endpoint, 0, "", "export download: not a readable zip: " + e.getMessage(), e);
        }
    }
}
