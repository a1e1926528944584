package io.github.intuneexporter.scheduler;

import io.github.intuneexporter.graph.GraphException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why a collection run failed, as a small fixed set for log lines ({@code reason=...}): what an operator does about a
 * failure depends on its class, not on its exact message.
 */
public enum FailureReason {
    /** Sign-in failed or the token was refused (401): credential, tenant id or cloud. */
    AUTH,
    /** 403: a Graph application permission or admin consent is missing. */
    PERMISSION,
    /** 429 after all retries. */
    THROTTLED,
    /** The run or a Graph call took too long. */
    TIMEOUT,
    /** Graph answered something unusable: malformed JSON, unexpected shape, paging that does not end. */
    BAD_RESPONSE,
    /** Graph unavailable (5xx) or the connection failed. */
    UNAVAILABLE,
    /** Anything else (a bug, a bad setting found at run time). */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Classifies a failure by the first Graph error in its cause chain, else by the kind of exception. */
    public static FailureReason of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GraphException g) {
                return ofGraph(g);
            }
        }
        return byType(failure, ERROR);
    }

    private static FailureReason ofGraph(GraphException g) {
        int status = g.status();
        if (status == 401) {
            return AUTH;
        }
        if (status == 403) {
            return PERMISSION;
        }
        if (status == 429) {
            return THROTTLED;
        }
        if (status == 408 || status == 504) {
            return TIMEOUT;
        }
        if (status >= 500) {
            return UNAVAILABLE;
        }
        if (status >= 400) {
            return BAD_RESPONSE; // 400/404/405...: the request or the tenant does not fit what the collector expects
        }
        String message = String.valueOf(g.getMessage());
        if (message.contains("sign-in")) {
            return AUTH;
        }
        return byType(
                g, message.contains("request failed") || message.contains("download") ? UNAVAILABLE : BAD_RESPONSE);
    }

    private static FailureReason byType(Throwable failure, FailureReason otherwise) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedIOException || t instanceof TimeoutException) {
                return TIMEOUT; // SocketTimeoutException is an InterruptedIOException
            }
            if (t instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return BAD_RESPONSE;
            }
            if (t instanceof IOException) {
                return UNAVAILABLE;
            }
        }
        return otherwise;
    }

    /** Graph's request-id of the first Graph error in the chain, "" when none. */
    public static String requestId(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof GraphException g && !g.requestId().isEmpty()) {
                return g.requestId();
            }
        }
        return "";
    }
}
