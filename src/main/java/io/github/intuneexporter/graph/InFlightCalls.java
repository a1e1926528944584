package io.github.intuneexporter.graph;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Remembers the calls in progress so that shutdown can cancel them instead of waiting for Graph. */
final class InFlightCalls implements Interceptor {
    private final Set<Call> calls = ConcurrentHashMap.newKeySet();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Call call = chain.call();
        calls.add(call);
        try {
            return chain.proceed(chain.request());
        } finally {
            calls.remove(call);
        }
    }

    void cancelAll() {
        for (Call call : calls) {
            call.cancel();
        }
    }
}
