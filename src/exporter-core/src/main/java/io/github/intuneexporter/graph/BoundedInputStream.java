package io.github.intuneexporter.graph;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A response body that fails once more than {@code limit} bytes were read: no Graph answer may take unbounded memory. */
final class BoundedInputStream extends FilterInputStream {
    /** Thrown when the body is longer than the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("response larger than " + limit + " bytes");
        }
    }

    private final long limit;
    private long read;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, (int) Math.min(length, limit - read + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - read + 1));
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLargeException {
        read += n;
        if (read > limit) {
            throw new TooLargeException(limit);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
