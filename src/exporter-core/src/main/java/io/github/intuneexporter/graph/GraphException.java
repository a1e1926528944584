package io.github.intuneexporter.graph;

/**
 * A failed Graph call, with a message an operator can act on: which endpoint, what status, and for 401/403
 * which application permission the endpoint needs.
 */
public final class GraphException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String endpoint;
    private final int status;
    private final String errorCode;
    private final String graphMessage;
    private final String requestId;

    public GraphException(String endpoint, int status, String errorCode, String message, Throwable cause) {
        this(endpoint, status, errorCode, message, "", cause);
    }

    /** {@code graphMessage} is Graph's own error message, kept apart from the explanation in {@code message}. */
    public GraphException(
            String endpoint, int status, String errorCode, String message, String graphMessage, Throwable cause) {
        this(endpoint, status, errorCode, message, graphMessage, "", cause);
    }

    /** {@code requestId} is Graph's request-id of the failed call, which Microsoft support asks for ("" when unknown). */
    public GraphException(
            String endpoint,
            int status,
            String errorCode,
            String message,
            String graphMessage,
            String requestId,
            Throwable cause) {
        super(message, cause);
        this.requestId = requestId == null ? "" : requestId;
        this.endpoint = endpoint;
        this.status = status;
        this.errorCode = errorCode;
        this.graphMessage = graphMessage == null ? "" : graphMessage;
    }

    /** Graph's own error message ("" when there was none). */
    public String graphMessage() {
        return graphMessage;
    }

    /** Graph's request-id of the failed call, "" when Graph sent none. */
    public String requestId() {
        return requestId;
    }

    /** Endpoint template, e.g. /deviceManagement/managedDevices. */
    public String endpoint() {
        return endpoint;
    }

    /** HTTP status, or 0 when no response arrived (timeout, connection reset, malformed body). */
    public int status() {
        return status;
    }

    /** Graph's error code (e.g. Forbidden, TooManyRequests), or "" when there was none. */
    public String errorCode() {
        return errorCode;
    }

    static String describe(String endpoint, int status, String errorCode, String graphMessage) {
        StringBuilder sb = new StringBuilder("Graph ").append(endpoint).append(": ");
        if (status > 0) {
            sb.append("HTTP ").append(status);
            if (!errorCode.isEmpty()) {
                sb.append(' ').append(errorCode);
            }
        }
        if (status == 401) {
            sb.append(": the access token was rejected (expired, revoked, or issued for another tenant or cloud); "
                    + "check the credential and intune.graph.cloud");
        } else if (status == 403) {
            sb.append(": the app registration needs the application permission ")
                    .append(Permissions.forEndpoint(endpoint))
                    .append(" with admin consent, and the tenant an active Intune licence");
        } else if (status == 429) {
            sb.append(": throttled by Graph after all retries");
        }
        if (graphMessage != null && !graphMessage.isBlank()) {
            sb.append(" (").append(graphMessage.strip()).append(')');
        }
        return sb.toString();
    }
}
