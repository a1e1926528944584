package io.github.intuneexporter.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A table of the simulator's data (catalogues, weights, documented limits) kept as a tab-separated resource under
 * {@code /simulator/}: one row a line, in order, {@code #} lines and blank lines ignored. Tables are data, so they
 * read as one and are edited without touching code.
 */
final class DataTable {
    private DataTable() {}

    /** The rows of {@code /simulator/NAME}, each with exactly {@code columns} cells. */
    static List<String[]> rows(String name, int columns) {
        String resource = "/simulator/" + name;
        InputStream in = DataTable.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing simulator resource " + resource);
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != columns) {
                    throw new IllegalStateException(resource + ":" + number + ": " + cells.length + " cells, expected "
                            + columns + " (tab-separated)");
                }
                rows.add(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simulator resource " + resource, e);
        }
        return List.copyOf(rows);
    }
}
