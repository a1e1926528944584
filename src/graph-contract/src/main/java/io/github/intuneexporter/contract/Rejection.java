package io.github.intuneexporter.contract;

/** How Graph refuses a request: HTTP status, error code and message, as in its error body. */
public record Rejection(int status, String code, String message) {

    static Rejection notFound(String segment) {
        return new Rejection(404, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }

    static Rejection noProperty(String property, String type) {
        return new Rejection(
                400, "BadRequest", "Could not find a property named '" + property + "' on type '" + type + "'.");
    }

    static Rejection badRequest(String message) {
        return new Rejection(400, "BadRequest", message);
    }
}
