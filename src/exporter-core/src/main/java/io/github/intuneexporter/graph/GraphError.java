package io.github.intuneexporter.graph;

import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParseNode;
import com.microsoft.kiota.serialization.SerializationWriter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Graph's error body, {@code {"error":{"code":…,"message":…,"innerError":{"request-id":…}}}}, as the request adapter
 * maps a failed response. Written here because the SDK's generated {@code ODataError} comes with the whole model
 * library (tens of MB) that the exporter does not otherwise need.
 */
final class GraphError extends ApiException implements Parsable {
    private static final long serialVersionUID = 1L;

    private String code = "";
    private String detail;
    private String requestId = "";

    static GraphError create(ParseNode ignored) {
        return new GraphError();
    }

    String code() {
        return code;
    }

    /** Graph's message, or null when the body had none. */
    String detail() {
        return detail;
    }

    String requestId() {
        return requestId;
    }

    @Override
    public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
        return Map.of("error", node -> node.getObjectValue(ignored -> new Body()));
    }

    @Override
    public void serialize(SerializationWriter writer) {
        throw new UnsupportedOperationException("Graph errors are only read");
    }

    /** A part of the body: only read, never written. */
    private abstract static class ReadOnly implements Parsable {
        @Override
        public final void serialize(SerializationWriter writer) {
            throw new UnsupportedOperationException("Graph errors are only read");
        }
    }

    /** The {@code error} object. */
    private final class Body extends ReadOnly {
        @Override
        public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
            return Map.of(
                    "code", node -> code = orEmpty(node.getStringValue()),
                    "message", node -> detail = node.getStringValue(),
                    "innerError", node -> node.getObjectValue(ignored -> new Inner()));
        }
    }

    /** The {@code innerError} object: the request id support asks for. */
    private final class Inner extends ReadOnly {
        @Override
        public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
            return Map.of("request-id", node -> requestId = orEmpty(node.getStringValue()));
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
