package io.github.intuneexporter.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {
    @Test
    void readsQuotedFieldsLineBreaksAndByteOrderMark() throws IOException {
        String csv = "\uFEFFOS,ManagementAgents_loc,LastContact\r\n"
                + "Windows,\"ConfigMgr, MDM\",2024-05-01 10:22:33.0000000\r\n"
                + "\r\n"
                + "iOS,\"MDM, \"\"EAS\"\"\",\n"
                + "Android,\"two\nlines\",x";
        try (CsvReader r = new CsvReader(new StringReader(csv))) {
            assertEquals(List.of("OS", "ManagementAgents_loc", "LastContact"), r.next());
            assertEquals(List.of("Windows", "ConfigMgr, MDM", "2024-05-01 10:22:33.0000000"), r.next());
            assertEquals(List.of("iOS", "MDM, \"EAS\"", ""), r.next());
            assertEquals(List.of("Android", "two\nlines", "x"), r.next());
            assertNull(r.next());
        }
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        CsvReader r = new CsvReader(new StringReader("a,\"b\n"));
        IOException e = assertThrows(IOException.class, r::next);
        assertEquals("CSV: unterminated quoted field at line 2", e.getMessage());
    }
}
