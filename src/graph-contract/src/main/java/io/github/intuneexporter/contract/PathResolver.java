package io.github.intuneexporter.contract;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Walks a Graph URL path segment by segment through the metadata (OData URL conventions, part 2). */
final class PathResolver {
    private PathResolver() {}

    static ResolvedPath resolve(GraphContract c, String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.isEmpty()) {
            return ResolvedPath.notFound("");
        }
        String[] segments = path.split("/", -1);
        ResolvedPath at = null;
        for (String rawSegment : segments) {
            String segment = URLDecoder.decode(rawSegment, StandardCharsets.UTF_8);
            if (segment.isEmpty()) {
                return ResolvedPath.notFound(segment);
            }
            String name = segment;
            String args = null;
            int paren = segment.indexOf('(');
            if (paren > 0 && segment.endsWith(")")) {
                name = segment.substring(0, paren);
                args = segment.substring(paren + 1, segment.length() - 1);
            }
            ResolvedPath next = at == null ? first(c, name, args) : step(c, at, name, args, segment);
            if (!next.found()) {
                return next;
            }
            at = next;
        }
        return at;
    }

    private static ResolvedPath first(GraphContract c, String name, String args) {
        Optional<GraphContract.RootTarget> root = c.root(name);
        if (root.isEmpty()) {
            return ResolvedPath.notFound(name);
        }
        GraphContract.RootTarget r = root.get();
        if (args != null) {
            return r.collection() && !args.isBlank()
                    ? ResolvedPath.entity(r.type())
                    : ResolvedPath.notFound(name + "(" + args + ")");
        }
        return ResolvedPath.found(
                r.type(), r.collection(), r.collection() ? ResolvedPath.Kind.ENTITY_SET : ResolvedPath.Kind.SINGLETON);
    }

    private static ResolvedPath step(GraphContract c, ResolvedPath at, String name, String args, String segment) {
        if (at.type() == null
                || at.kind() == ResolvedPath.Kind.COUNT
                || (at.type().startsWith("Edm.") && !at.collection())) {
            return ResolvedPath.notFound(segment); // nothing can follow a stream, a primitive or $count
        }
        if (name.contains(".")) { // a type cast, e.g. microsoft.graph.windowsManagedDevice
            String cast = GraphContract.qualify(name);
            if (args == null && c.type(cast).isPresent() && c.isA(cast, at.type())) {
                return ResolvedPath.found(cast, at.collection(), at.kind());
            }
            return ResolvedPath.notFound(segment);
        }
        if (at.collection()) {
            if (name.equals("$count") && args == null) {
                return ResolvedPath.found("Edm.Int32", false, ResolvedPath.Kind.COUNT);
            }
            Optional<GraphContract.Operation> op = c.operation(at.type(), true, name);
            if (op.isPresent()) {
                return operation(op.get());
            }
            if (at.type().startsWith("Edm.")
                    || c.type(at.type()).map(t -> !t.entity()).orElse(true)) {
                return ResolvedPath.notFound(segment); // only entity collections have keys
            }
            // Anything else below an entity collection is a key: /managedDevices/{id}
            return args == null ? ResolvedPath.entity(at.type()) : ResolvedPath.notFound(segment);
        }
        Optional<GraphContract.Property> p = c.property(at.type(), name);
        if (p.isPresent()) {
            GraphContract.Property prop = p.get();
            if (args != null) { // navigation with a key in parentheses: exportJobs('id')
                return prop.navigation() && prop.collection() && !args.isBlank()
                        ? ResolvedPath.entity(prop.type())
                        : ResolvedPath.notFound(segment);
            }
            return ResolvedPath.found(
                    prop.type(),
                    prop.collection(),
                    prop.navigation() ? ResolvedPath.Kind.NAVIGATION : ResolvedPath.Kind.PROPERTY);
        }
        Optional<GraphContract.Operation> op = c.operation(at.type(), false, name);
        if (op.isPresent()) {
            return operation(op.get());
        }
        return ResolvedPath.notFound(name);
    }

    private static ResolvedPath operation(GraphContract.Operation op) {
        return new ResolvedPath(true, null, op.returnType(), op.returnsCollection(), ResolvedPath.Kind.OPERATION, op);
    }
}
