package io.github.intuneexporter.graph;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Remembers the calls in progress and the thread that made each (a synchronous call runs its interceptors on the
 * caller's thread), so that shutdown can cancel them all and a timed-out collection can cancel its own, instead of
 * waiting for Graph.
 */
final class InFlightCalls implements Interceptor {
    private final Map<Call, Thread> calls = new ConcurrentHashMap<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Call call = chain.call();
        calls.put(call, Thread.currentThread());
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException | RuntimeException | Error e) {
            calls.remove(call);
            throw e;
        }
        if (response.body() == null) {
            calls.remove(call);
            return response;
        }
        // Bodies are streamed after this returns: the call stays cancellable until its body is closed.
        return response.newBuilder()
                .body(new ClosingBody(response.body(), () -> calls.remove(call)))
                .build();
    }

    /** A response body that runs {@code onClose} once when closed. */
    private static final class ClosingBody extends okhttp3.ResponseBody {
        private final okhttp3.ResponseBody delegate;
        private final okio.BufferedSource source;

        ClosingBody(okhttp3.ResponseBody delegate, Runnable onClose) {
            this.delegate = delegate;
            this.source = okio.Okio.buffer(new okio.ForwardingSource(delegate.source()) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        if (!closed) {
                            closed = true;
                            onClose.run();
                        }
                    }
                }
            });
        }

        @Override
        public okhttp3.MediaType contentType() {
            return delegate.contentType();
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public okio.BufferedSource source() {
            return source;
        }
    }

    void cancelAll() {
        for (Call call : calls.keySet()) {
            call.cancel();
        }
    }

    /** Cancels the calls {@code thread} has in flight; returns how many. */
    int cancelCallsOf(Thread thread) {
        int n = 0;
        for (Map.Entry<Call, Thread> e : calls.entrySet()) {
            if (e.getValue() == thread) {
                e.getKey().cancel();
                n++;
            }
        }
        return n;
    }
}
