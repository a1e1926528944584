package io.github.intuneexporter.graph;

import io.github.intuneexporter.contract.EndpointTemplates;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps the exporter's own request rate under a share of Intune's documented limits, so that it is not the
 * reason a tenant gets throttled. One token bucket per {@link IntuneThrottleBucket} (and one for its writes):
 * the budget is {@code share x limit} requests per window, and a bucket holds at most 1/21 of it, refilling at
 * the rest over the window, so no window ever sees more than the budget. Every HTTP attempt takes a token (it runs
 * as a network interceptor, below the SDK's RetryHandler, so retries count too, as they do at Graph).
 *
 * <p>A 429 with Retry-After pauses its whole bucket until then: the SDK already waits before retrying that one
 * request, and the other requests of the bucket (parallel ranges, other collectors) wait with it instead of
 * running into the same wall.
 */
public final class ThrottleBudget implements Interceptor {
    /** Told how long a request waited for its bucket. */
    @FunctionalInterface
    public interface WaitListener {
        void waited(IntuneThrottleBucket bucket, double seconds);
    }

    private final double share;
    private final Map<IntuneThrottleBucket, TokenBucket> any = new EnumMap<>(IntuneThrottleBucket.class);
    private final Map<IntuneThrottleBucket, TokenBucket> writes = new EnumMap<>(IntuneThrottleBucket.class);
    private final WaitListener listener;

    /**
     * {@code share} of the documented limits (0 disables the budget); {@code limitsScale} and {@code window} replace
     * the documented numbers for tests and for a simulator with scaled limits (1 and null = documented).
     */
    public ThrottleBudget(double share, double limitsScale, Duration window, WaitListener listener) {
        this.share = share;
        this.listener = listener;
        if (share > 0) {
            for (IntuneThrottleBucket b : IntuneThrottleBucket.values()) {
                Duration w = window != null ? window : b.window();
                any.put(b, new TokenBucket(share * b.anyRequests() * limitsScale, w));
                writes.put(b, new TokenBucket(share * b.writeRequests() * limitsScale, w));
            }
        }
    }

    /** The budget for Intune's documented limits. */
    public static ThrottleBudget documented(double share, WaitListener listener) {
        return new ThrottleBudget(share, 1.0, null, listener);
    }

    public boolean enabled() {
        return share > 0;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String endpoint = share > 0 ? EndpointTemplates.of(chain.request().url().encodedPath()) : null;
        IntuneThrottleBucket bucket = endpoint == null ? null : IntuneThrottleBucket.of(endpoint);
        if (bucket == null) {
            return chain.proceed(chain.request());
        }
        long waited = any.get(bucket).acquire();
        if (IntuneThrottleBucket.isWrite(chain.request().method(), endpoint)) {
            waited += writes.get(bucket).acquire();
        }
        if (waited > 0 && listener != null) {
            listener.waited(bucket, waited / 1e9);
        }
        Response response = chain.proceed(chain.request());
        if (response.code() == 429) {
            double retryAfter = retryAfterSeconds(response.header("Retry-After"));
            if (retryAfter > 0) {
                any.get(bucket).pauseFor((long) (retryAfter * 1e9));
            }
        }
        return response;
    }

    /** Delta-seconds (fractional allowed) of a Retry-After header; 0 when absent or an HTTP date. */
    static double retryAfterSeconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.min(180, Math.max(0, Double.parseDouble(header.split(",")[0].trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A token bucket with reservations: a request takes a token now, or reserves the next one and sleeps until it
     * is due, so requests queue in order and never burst past the budget.
     */
    static final class TokenBucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long updated;
        private long pausedUntil;

        TokenBucket(double requestedBudget, Duration window) {
            double budget =
                    Math.max(2, requestedBudget); // a bucket must refill; tiny shares of small limits round up to 2
            // capacity + rate x window = budget: the most any window can see.
            this.capacity = Math.max(1, budget / 21);
            this.perNano = (budget - capacity) / window.toNanos();
            this.tokens = capacity;
            this.updated = System.nanoTime();
        }

        /** Takes a token, sleeping until it is due; returns the nanoseconds waited. */
        long acquire() throws IOException {
            long wait = reserve(System.nanoTime());
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the Graph throttle budget");
                }
            }
            return wait;
        }

        /** Reserves a token at time {@code now}; returns how long to wait before using it. */
        synchronized long reserve(long now) {
            long from = Math.max(now, pausedUntil);
            if (from > updated) {
                tokens = Math.min(capacity, tokens + (from - updated) * perNano);
                updated = from;
            }
            tokens -= 1;
            long due = tokens >= 0 ? from : updated + (long) Math.ceil(-tokens / perNano);
            return Math.max(0, due - now);
        }

        synchronized void pauseFor(long nanos) {
            long until = System.nanoTime() + nanos;
            if (until > pausedUntil) {
                pausedUntil = until;
            }
        }
    }
}
