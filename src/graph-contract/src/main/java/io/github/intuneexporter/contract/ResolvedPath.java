package io.github.intuneexporter.contract;

/**
 * What a URL path below the version root addresses: an entity set, a singleton, one entity, a navigation, a
 * structural property, a bound function or action, or {@code $count}. When {@link #found()} is false,
 * {@link #failedSegment()} is the first segment the metadata does not know (Graph answers 404 for it).
 *
 * @param type qualified element type ({@code microsoft.graph.mobileApp}, {@code Edm.Stream}); null when not found
 *             or when beta publishes only the name
 * @param collection whether the path addresses a collection of {@code type}
 * @param operation the bound function or action, when the last segment is one
 */
public record ResolvedPath(
        boolean found,
        String failedSegment,
        String type,
        boolean collection,
        Kind kind,
        GraphContract.Operation operation) {

    /** What the last segment is. */
    public enum Kind {
        ENTITY_SET,
        SINGLETON,
        ENTITY,
        NAVIGATION,
        PROPERTY,
        OPERATION,
        COUNT
    }

    /** A path the metadata knows, addressing no bound operation. */
    static ResolvedPath found(String type, boolean collection, Kind kind) {
        return new ResolvedPath(true, null, type, collection, kind, null);
    }

    /** One entity of a collection, addressed by its key. */
    static ResolvedPath entity(String type) {
        return found(type, false, Kind.ENTITY);
    }

    static ResolvedPath notFound(String segment) {
        return new ResolvedPath(false, segment, null, false, null, null);
    }

    /** True for an action (POST) rather than a function or a read. */
    public boolean isAction() {
        return kind == Kind.OPERATION && operation != null && !operation.function();
    }

    /** True when the response is a structured type (entity or complex), so its properties can be checked. */
    public boolean structured(GraphContract contract) {
        return type != null && contract.type(type).isPresent();
    }
}
