package io.github.intuneexporter.http;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An output stream into a list of byte chunks, for rendered text. Unlike {@link java.io.ByteArrayOutputStream} it never
 * copies what it holds to grow, and no chunk is larger than {@link #MAX_CHUNK}: the exporter's own metrics of 200
 * tenants are about 17 MB of text at every scrape, and one growing array made each scrape allocate several times that
 * in "humongous" objects, which G1 places straight into the old generation, making it commit the whole heap (RSS 1.2 GB
 * under -Xmx1g in the MSP benchmark). Chunks start small and double, so a small family costs a small array.
 */
final class ChunkedBytes extends OutputStream {
    /** Well under half of G1's smallest region (1 MB): never a humongous object. */
    static final int MAX_CHUNK = 64 * 1024;

    private static final int FIRST_CHUNK = 512;

    private final List<byte[]> full = new ArrayList<>();
    private byte[] current = new byte[FIRST_CHUNK];
    private int position;
    private long size;

    @Override
    public void write(int b) {
        if (position == current.length) {
            next();
        }
        current[position++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        while (len > 0) {
            if (position == current.length) {
                next();
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(b, off, current, position, n);
            position += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    private void next() {
        full.add(current);
        current = new byte[Math.min(MAX_CHUNK, current.length * 2)];
        position = 0;
    }

    long size() {
        return size;
    }

    /** The bytes written, as chunks to send in order (the last one trimmed); empty when nothing was written. */
    List<byte[]> chunks() {
        List<byte[]> out = new ArrayList<>(full);
        if (position > 0) {
            out.add(Arrays.copyOf(current, position));
        }
        return out;
    }

    /** The byte at {@code index} (less than {@link #size()}). */
    byte byteAt(long index) {
        for (byte[] chunk : full) {
            if (index < chunk.length) {
                return chunk[(int) index];
            }
            index -= chunk.length;
        }
        return current[(int) index];
    }

    /** A copy of the bytes from {@code from} (inclusive) to {@code to} (exclusive), as one array. */
    byte[] copy(long from, long to) {
        byte[] out = new byte[Math.toIntExact(to - from)];
        int written = 0;
        long chunkStart = 0;
        for (int i = 0; i <= full.size() && written < out.length; i++) {
            byte[] chunk = i < full.size() ? full.get(i) : current;
            int length = i < full.size() ? chunk.length : position;
            long chunkEnd = chunkStart + length;
            long start = Math.max(from, chunkStart);
            long end = Math.min(to, chunkEnd);
            if (start < end) {
                System.arraycopy(chunk, (int) (start - chunkStart), out, written, (int) (end - start));
                written += (int) (end - start);
            }
            chunkStart = chunkEnd;
        }
        return out;
    }
}
