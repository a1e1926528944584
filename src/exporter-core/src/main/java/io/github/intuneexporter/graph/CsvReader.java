package io.github.intuneexporter.graph;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV record by record (quoted fields, doubled quotes, commas and line breaks inside quotes,
 * CRLF or LF), as Intune's report exports write it. A leading UTF-8 byte order mark is skipped. Streams: only
 * the current record is held.
 */
public final class CsvReader implements AutoCloseable {
    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private boolean first = true;
    private long line = 1;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** The next record's fields, or null at the end of the input. A blank line is skipped. */
    public List<String> next() throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean any = false;
        while (true) {
            int c = read();
            if (first) {
                first = false;
                if (c == '\uFEFF') {
                    continue;
                }
            }
            if (c < 0) {
                if (!any) {
                    return null;
                }
                fields.add(field.toString());
                return fields;
            }
            switch (c) {
                case '"' -> {
                    readQuoted(field);
                    any = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                }
                case '\r' -> {
                    // CRLF: the LF ends the record.
                }
                case '\n' -> {
                    line++;
                    if (!any) {
                        continue; // blank line
                    }
                    fields.add(field.toString());
                    return fields;
                }
                default -> {
                    field.append((char) c);
                    any = true;
                }
            }
        }
    }

    /** Appends the rest of a quoted field to {@code field}, up to its closing quote (a doubled quote is one quote). */
    private void readQuoted(StringBuilder field) throws IOException {
        while (true) {
            int c = read();
            if (c < 0) {
                throw new IOException("CSV: unterminated quoted field at line " + line);
            }
            if (c == '"') {
                if (peek() != '"') {
                    return;
                }
                read();
                field.append('"');
            } else {
                if (c == '\n') {
                    line++;
                }
                field.append((char) c);
            }
        }
    }

    /** The line the reader stands on (1-based), for error messages. */
    public long line() {
        return line;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++];
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
