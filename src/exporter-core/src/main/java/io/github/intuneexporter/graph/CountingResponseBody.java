package io.github.intuneexporter.graph;

import java.io.IOException;
import java.util.function.LongConsumer;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/** A response body that reports the bytes read from it, so streamed bodies are counted as they are consumed. */
final class CountingResponseBody extends ResponseBody {
    private final ResponseBody delegate;
    private final BufferedSource source;

    CountingResponseBody(ResponseBody delegate, LongConsumer onBytes) {
        this.delegate = delegate;
        this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                long n = super.read(sink, byteCount);
                if (n > 0) {
                    onBytes.accept(n);
                }
                return n;
            }
        });
    }

    @Override
    public MediaType contentType() {
        return delegate.contentType();
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public BufferedSource source() {
        return source;
    }
}
