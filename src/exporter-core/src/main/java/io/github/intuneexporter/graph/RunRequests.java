package io.github.intuneexporter.graph;

import io.github.intuneexporter.contract.EndpointTemplates;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts the Graph requests of one collector run per Intune throttling bucket, so that the scheduler knows what each
 * collector costs against the tenant's throttling budget. A synchronous call runs its interceptors on the caller's
 * thread, so the run's thread carries its tally: {@link #begin()} on the run's thread, {@link #end()} after it.
 * Requests from helper threads a collector starts itself (parallel device-scan ranges) are not counted.
 */
public final class RunRequests implements Interceptor {
    /** The one interceptor every Graph connection adds (it has no state of its own). */
    public static final RunRequests INTERCEPTOR = new RunRequests();

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private RunRequests() {}

    /** Starts counting the requests this thread makes. */
    public static void begin() {
        CURRENT.set(new long[IntuneThrottleBucket.values().length]);
    }

    /** Stops counting; the requests this thread made since {@link #begin()} per bucket (empty if it never began). */
    public static Map<IntuneThrottleBucket, Long> end() {
        long[] counts = CURRENT.get();
        CURRENT.remove();
        Map<IntuneThrottleBucket, Long> out = new EnumMap<>(IntuneThrottleBucket.class);
        if (counts != null) {
            for (IntuneThrottleBucket b : IntuneThrottleBucket.values()) {
                if (counts[b.ordinal()] > 0) {
                    out.put(b, counts[b.ordinal()]);
                }
            }
        }
        return out;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        long[] counts = CURRENT.get();
        if (counts != null) {
            IntuneThrottleBucket bucket = IntuneThrottleBucket.of(
                    EndpointTemplates.of(chain.request().url().encodedPath()));
            if (bucket != null) {
                counts[bucket.ordinal()]++; // every attempt counts, retries too, as at Graph
            }
        }
        return chain.proceed(chain.request());
    }
}
