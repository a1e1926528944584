package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkedBytesTest {
    @Test
    void holdsExactlyWhatWasWrittenInBoundedChunks() {
        Random random = new Random(3);
        ChunkedBytes chunked = new ChunkedBytes();
        ByteArrayOutputStream reference = new ByteArrayOutputStream();
        while (reference.size() < 1_000_000) {
            byte[] piece = new byte[random.nextInt(3) == 0 ? 1 : random.nextInt(100_000)];
            random.nextBytes(piece);
            if (piece.length == 1) {
                chunked.write(piece[0]);
                reference.write(piece[0]);
            } else {
                chunked.write(piece, 0, piece.length);
                reference.write(piece, 0, piece.length);
            }
        }
        byte[] expected = reference.toByteArray();
        assertEquals(expected.length, chunked.size());
        List<byte[]> chunks = chunked.chunks();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            assertTrue(c.length <= ChunkedBytes.MAX_CHUNK, "chunk of " + c.length);
            joined.write(c, 0, c.length);
        }
        assertArrayEquals(expected, joined.toByteArray());
        for (long at : new long[] {0, 511, 512, 513, 70_000, expected.length - 1}) {
            assertEquals(expected[(int) at], chunked.byteAt(at), "byte " + at);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 100, 300_000), chunked.copy(100, 300_000));
        assertArrayEquals(new byte[0], chunked.copy(5, 5));
    }

    @Test
    void nothingWrittenIsNoChunk() {
        assertEquals(List.of(), new ChunkedBytes().chunks());
        assertEquals(0, new ChunkedBytes().size());
    }
}
