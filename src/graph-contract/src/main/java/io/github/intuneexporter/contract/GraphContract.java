package io.github.intuneexporter.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Microsoft's published Graph contract for one API version, read from the vendored metadata in
 * {@code /graph-contract/}: which URL paths exist, which properties a type (or a derived type) has, enum members and
 * their values, what a bound function or action returns. v1.0 is the full CSDL; beta is the v1.0 structure overlaid
 * with Microsoft's beta name lists (which carry names, not types) and {@code beta-extra.properties}.
 *
 * <p>Type names are fully qualified ({@code microsoft.graph.mobileApp}); primitive types keep their {@code Edm.} name.
 */
public final class GraphContract {
    private static final String DIR = "/graph-contract/";
    private static volatile GraphContract v1;
    private static volatile GraphContract beta;

    /** One property or navigation property; {@code type} is null when only the name is published (beta-only). */
    public record Property(String name, String type, boolean collection, boolean nullable, boolean navigation) {}

    /** An entity or complex type with its own (not inherited) members. */
    public record StructuredType(
            String name, String baseType, boolean entity, boolean openType, Map<String, Property> own) {}

    /** A bound function or action; {@code returnType} null for an action without a result. */
    public record Operation(
            String name,
            boolean function,
            String bindingType,
            boolean boundToCollection,
            String returnType,
            boolean returnsCollection,
            List<String> parameters) {
        /** An operation whose parameters are not published (beta extras): its request body cannot be checked. */
        public Operation(
                String name,
                boolean function,
                String bindingType,
                boolean boundToCollection,
                String returnType,
                boolean returnsCollection) {
            this(name, function, bindingType, boundToCollection, returnType, returnsCollection, null);
        }
    }

    /** An entity set or singleton of the service root. */
    public record RootTarget(String name, String type, boolean collection) {}

    private final String version;
    private final Map<String, StructuredType> types;
    private final Map<String, LinkedHashMap<String, Long>> enums;
    private final Map<String, Boolean> flagEnums;
    private final Map<String, RootTarget> roots;
    private final Map<String, List<Operation>> operationsByName;
    /** beta-only types: the name lists do not say what they derive from. */
    private final Set<String> unknownBase;

    private GraphContract(
            String version,
            Map<String, StructuredType> types,
            Map<String, LinkedHashMap<String, Long>> enums,
            Map<String, Boolean> flagEnums,
            Map<String, RootTarget> roots,
            Map<String, List<Operation>> operationsByName,
            Set<String> unknownBase) {
        this.unknownBase = unknownBase;
        this.version = version;
        this.types = types;
        this.enums = enums;
        this.flagEnums = flagEnums;
        this.roots = roots;
        this.operationsByName = operationsByName;
    }

    /** The contract of {@code v1.0} or {@code beta}. */
    public static GraphContract of(String version) {
        return switch (version) {
            case "v1.0" -> v1();
            case "beta" -> beta();
            default -> throw new IllegalArgumentException("unknown Graph version " + version);
        };
    }

    public static GraphContract v1() {
        GraphContract c = v1;
        if (c == null) {
            synchronized (GraphContract.class) {
                if (v1 == null) {
                    v1 = loadV1();
                }
                c = v1;
            }
        }
        return c;
    }

    public static GraphContract beta() {
        GraphContract c = beta;
        if (c == null) {
            synchronized (GraphContract.class) {
                if (beta == null) {
                    beta = loadBeta(v1());
                }
                c = beta;
            }
        }
        return c;
    }

    public String version() {
        return version;
    }

    // ---------------------------------------------------------------- questions

    /** The entity set or singleton named {@code name}. */
    public Optional<RootTarget> root(String name) {
        return Optional.ofNullable(roots.get(name));
    }

    public Optional<StructuredType> type(String qualifiedName) {
        return Optional.ofNullable(types.get(qualify(qualifiedName)));
    }

    /**
     * True when {@code type} is {@code base} or derives from it. A beta-only type counts as derived from any type,
     * since the beta name lists do not publish inheritance.
     */
    public boolean isA(String type, String base) {
        String t = qualify(type);
        String b = qualify(base);
        for (int guard = 0; t != null && guard < 64; guard++) {
            if (t.equals(b) || unknownBase.contains(t)) {
                return true;
            }
            StructuredType st = types.get(t);
            t = st == null ? null : st.baseType();
        }
        return false;
    }

    /** The property (own or inherited) named {@code property} of {@code type}. */
    public Optional<Property> property(String type, String property) {
        String t = qualify(type);
        for (int guard = 0; t != null && guard < 64; guard++) {
            StructuredType st = types.get(t);
            if (st == null) {
                return Optional.empty();
            }
            Property p = st.own().get(property);
            if (p != null) {
                return Optional.of(p);
            }
            t = st.baseType();
        }
        return Optional.empty();
    }

    public boolean hasProperty(String type, String property) {
        return property(type, property).isPresent();
    }

    /** Every property name (own and inherited) of {@code type}, structural and navigation. */
    public List<String> propertyNames(String type) {
        List<String> out = new ArrayList<>();
        String t = qualify(type);
        for (int guard = 0; t != null && guard < 64; guard++) {
            StructuredType st = types.get(t);
            if (st == null) {
                break;
            }
            out.addAll(st.own().keySet());
            t = st.baseType();
        }
        return out;
    }

    public boolean isEnum(String type) {
        return enums.containsKey(qualify(type));
    }

    public boolean isFlagsEnum(String type) {
        return Boolean.TRUE.equals(flagEnums.get(qualify(type)));
    }

    /** Enum members in declaration order (empty when there is no such enum). */
    public List<String> enumMembers(String enumType) {
        Map<String, Long> m = enums.get(qualify(enumType));
        return m == null ? List.of() : List.copyOf(m.keySet());
    }

    /** The numeric value of an enum member, when the metadata publishes it (v1.0 does; beta name lists do not). */
    public Optional<Long> enumValue(String enumType, String member) {
        Map<String, Long> m = enums.get(qualify(enumType));
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(member));
    }

    /** The bound function or action {@code name} that applies to {@code bindingType} (or a base type of it). */
    public Optional<Operation> operation(String bindingType, boolean collection, String name) {
        List<Operation> candidates = operationsByName.getOrDefault(name, List.of());
        for (Operation op : candidates) {
            if (op.boundToCollection() == collection && isA(bindingType, op.bindingType())) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /** What function or action {@code name} bound to {@code bindingType} returns, e.g. {@code Edm.Stream}. */
    public Optional<String> returnType(String bindingType, String name) {
        return operation(bindingType, false, name)
                .or(() -> operation(bindingType, true, name))
                .map(op -> op.returnType() == null
                        ? ""
                        : (op.returnsCollection() ? "Collection(" + op.returnType() + ")" : op.returnType()));
    }

    /** Resolves a URL path below the version root; see {@link ResolvedPath}. */
    public ResolvedPath resolve(String path) {
        return PathResolver.resolve(this, path);
    }

    /** {@code graph.x} and unqualified names become {@code microsoft.graph.x}; primitives stay as they are. */
    public static String qualify(String name) {
        if (name == null) {
            return null;
        }
        String n = name.startsWith("#") ? name.substring(1) : name;
        if (n.startsWith("Edm.") || n.startsWith("microsoft.graph.")) {
            return n;
        }
        if (n.startsWith("graph.")) {
            return "microsoft.graph." + n.substring("graph.".length());
        }
        return n.contains(".") ? n : "microsoft.graph." + n;
    }

    // ---------------------------------------------------------------- loading

    private static InputStream open(String file) throws IOException {
        InputStream in = GraphContract.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IllegalStateException("Graph contract resource " + DIR + file + " is missing from the classpath");
        }
        return file.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static GraphContract loadV1() {
        try (InputStream in = open("v1.0-cleanMetadata.xml.gz")) {
            return CsdlReader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vendored Graph v1.0 metadata", e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot parse the vendored Graph v1.0 metadata: " + e.getMessage(), e);
        }
    }

    /** beta = v1.0's structure, with each type's members and each enum's members replaced by beta's name lists. */
    private static GraphContract loadBeta(GraphContract base) {
        Map<String, StructuredType> types = new HashMap<>(base.types);
        Map<String, LinkedHashMap<String, Long>> enums = new HashMap<>(base.enums);
        Set<String> unknownBase = new HashSet<>();
        try {
            for (String file : List.of("beta-entity-types.json.gz", "beta-complex-types.json.gz")) {
                boolean entity = file.startsWith("beta-entity");
                forEachQualified(file, (name, lists) -> {
                    StructuredType type = betaType(base.types.get(name), name, entity, lists);
                    if (base.types.get(name) == null) {
                        unknownBase.add(name);
                    }
                    types.put(name, type);
                });
            }
            forEachQualified("beta-enum-types.json.gz", (name, members) -> {
                Map<String, Long> v1values = base.enums.getOrDefault(name, new LinkedHashMap<>());
                LinkedHashMap<String, Long> values = new LinkedHashMap<>();
                for (JsonNode m : members) {
                    values.put(m.asText(), v1values.get(m.asText()));
                }
                enums.put(name, values);
            });
            Map<String, RootTarget> roots = new HashMap<>(base.roots);
            Map<String, List<Operation>> ops = new HashMap<>();
            base.operationsByName.forEach((k, v) -> ops.put(k, new ArrayList<>(v)));
            Properties extra = new Properties();
            try (InputStream in = open("beta-extra.properties")) {
                extra.load(in);
            }
            BetaExtras.apply(extra, types, ops);
            return new GraphContract(
                    "beta", Collections.unmodifiableMap(types), enums, base.flagEnums, roots, ops, unknownBase);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vendored Graph beta name lists", e);
        }
    }

    /** Each entry of a beta name list ({@code {"namespace": {"name": ...}}}) by its qualified name. */
    private static void forEachQualified(String file, BiConsumer<String, JsonNode> each) throws IOException {
        JsonNode root;
        try (InputStream in = open(file)) {
            root = new ObjectMapper().readTree(in);
        }
        root.fields()
                .forEachRemaining(namespace -> namespace
                        .getValue()
                        .fields()
                        .forEachRemaining(e -> each.accept(namespace.getKey() + "." + e.getKey(), e.getValue())));
    }

    /**
     * A beta type from its property name lists: v1.0's property where beta has the same member (same kind), an
     * untyped one otherwise; {@code known} is v1.0's type of that name, or null.
     */
    private static StructuredType betaType(StructuredType known, String name, boolean entity, JsonNode lists) {
        Map<String, Property> own = new LinkedHashMap<>();
        for (String list : List.of("properties", "navigationProperties")) {
            boolean navigation = list.equals("navigationProperties");
            for (JsonNode p : lists.path(list)) {
                Property v1p = known == null ? null : known.own().get(p.asText());
                own.put(
                        p.asText(),
                        v1p != null && v1p.navigation() == navigation
                                ? v1p
                                : new Property(p.asText(), null, false, true, navigation));
            }
        }
        String baseType = known != null
                ? known.baseType()
                : entity && !name.equals("microsoft.graph.entity") ? "microsoft.graph.entity" : null;
        return new StructuredType(name, baseType, entity, known != null && known.openType(), own);
    }

    /** Reads the v1.0 CSDL with StAX (about 3.5 MB, well under a second). */
    private static final class CsdlReader {
        private final Map<String, StructuredType> types = new HashMap<>();
        private final Map<String, LinkedHashMap<String, Long>> enums = new HashMap<>();
        private final Map<String, Boolean> flags = new HashMap<>();
        private final Map<String, RootTarget> roots = new HashMap<>();
        private final Map<String, List<Operation>> ops = new HashMap<>();
        private final Map<String, String> aliases = new HashMap<>();
        // The schema, type, enum and operation being read.
        private String namespace;
        private String typeName;
        private String baseType;
        private boolean entity;
        private boolean open;
        private Map<String, Property> own;
        private LinkedHashMap<String, Long> members;
        private String opName;
        private boolean opFunction;
        private boolean opBound;
        private String bindingType;
        private String returnType;
        private int parameterIndex;
        private List<String> opParameters = new ArrayList<>();

        static GraphContract read(InputStream in) throws XMLStreamException {
            XMLInputFactory f = XMLInputFactory.newFactory();
            f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader r = f.createXMLStreamReader(in);
            CsdlReader csdl = new CsdlReader();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    csdl.start(r);
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    csdl.end(r.getLocalName());
                }
            }
            r.close();
            return new GraphContract(
                    "v1.0",
                    resolveAliases(csdl.types, csdl.aliases),
                    resolveEnumAliases(csdl.enums),
                    csdl.flags,
                    resolveRootAliases(csdl.roots, csdl.aliases),
                    resolveOpAliases(csdl.ops, csdl.aliases),
                    Set.of());
        }

        private void start(XMLStreamReader r) {
            String element = r.getLocalName();
            switch (element) {
                case "Schema" -> startSchema(r);
                case "EntityType", "ComplexType" -> startType(r, element.equals("EntityType"));
                case "Property", "NavigationProperty" -> addProperty(r, element.equals("NavigationProperty"));
                case "EnumType" -> {
                    typeName = namespace + "." + r.getAttributeValue(null, "Name");
                    flags.put(typeName, "true".equals(r.getAttributeValue(null, "IsFlags")));
                    members = new LinkedHashMap<>();
                }
                case "Member" -> addMember(r);
                case "Function", "Action" -> startOperation(r, element.equals("Function"));
                case "Parameter" -> addParameter(r);
                case "ReturnType" -> {
                    if (opName != null) {
                        returnType = r.getAttributeValue(null, "Type");
                    }
                }
                case "EntitySet", "Singleton" -> {
                    boolean set = element.equals("EntitySet");
                    String name = r.getAttributeValue(null, "Name");
                    roots.put(name, new RootTarget(name, r.getAttributeValue(null, set ? "EntityType" : "Type"), set));
                }
                default -> {}
            }
        }

        private void startSchema(XMLStreamReader r) {
            namespace = r.getAttributeValue(null, "Namespace");
            String alias = r.getAttributeValue(null, "Alias");
            if (alias != null) {
                aliases.put(alias, namespace);
            }
        }

        private void startType(XMLStreamReader r, boolean entityType) {
            typeName = namespace + "." + r.getAttributeValue(null, "Name");
            baseType = r.getAttributeValue(null, "BaseType");
            entity = entityType;
            open = "true".equals(r.getAttributeValue(null, "OpenType"));
            own = new LinkedHashMap<>();
        }

        /** A property of the structured type being read (none outside one). */
        private void addProperty(XMLStreamReader r, boolean navigation) {
            if (own != null) {
                String type = r.getAttributeValue(null, "Type");
                String name = r.getAttributeValue(null, "Name");
                own.put(
                        name,
                        new Property(
                                name,
                                elementType(type),
                                isCollection(type),
                                !"false".equals(r.getAttributeValue(null, "Nullable")),
                                navigation));
            }
        }

        /** A member of the enum being read: its Value, or its position when it has none. */
        private void addMember(XMLStreamReader r) {
            if (members != null) {
                String v = r.getAttributeValue(null, "Value");
                members.put(r.getAttributeValue(null, "Name"), v == null ? (long) members.size() : Long.parseLong(v));
            }
        }

        private void startOperation(XMLStreamReader r, boolean function) {
            opName = r.getAttributeValue(null, "Name");
            opFunction = function;
            opBound = "true".equals(r.getAttributeValue(null, "IsBound"));
            bindingType = null;
            returnType = null;
            parameterIndex = 0;
            opParameters = new ArrayList<>();
        }

        /** A parameter of the operation being read: a bound operation's first is its binding type. */
        private void addParameter(XMLStreamReader r) {
            if (opName != null && parameterIndex++ == 0 && opBound) {
                bindingType = r.getAttributeValue(null, "Type");
            } else if (opName != null) {
                opParameters.add(r.getAttributeValue(null, "Name"));
            }
        }

        private void end(String element) {
            switch (element) {
                case "EntityType", "ComplexType" -> {
                    types.put(typeName, new StructuredType(typeName, baseType, entity, open, own));
                    own = null;
                }
                case "EnumType" -> {
                    enums.put(typeName, members);
                    members = null;
                }
                case "Function", "Action" -> {
                    if (opBound && bindingType != null) {
                        ops.computeIfAbsent(opName, k -> new ArrayList<>())
                                .add(new Operation(
                                        opName,
                                        opFunction,
                                        elementType(bindingType),
                                        isCollection(bindingType),
                                        elementType(returnType),
                                        isCollection(returnType),
                                        List.copyOf(opParameters)));
                    }
                    opName = null;
                }
                default -> {}
            }
        }

        private static boolean isCollection(String type) {
            return type != null && type.startsWith("Collection(");
        }

        /** {@code Collection(T)} -> T; any other type (or null) as it is. */
        private static String elementType(String type) {
            return isCollection(type) ? type.substring("Collection(".length(), type.length() - 1) : type;
        }

        private static String unalias(String type, Map<String, String> aliases) {
            if (type == null || type.startsWith("Edm.")) {
                return type;
            }
            int dot = type.indexOf('.');
            if (dot > 0) {
                String ns = aliases.get(type.substring(0, dot));
                if (ns != null) {
                    return ns + type.substring(dot);
                }
            }
            return type;
        }

        private static Map<String, StructuredType> resolveAliases(
                Map<String, StructuredType> types, Map<String, String> aliases) {
            Map<String, StructuredType> out = new HashMap<>();
            types.forEach((name, t) -> {
                Map<String, Property> own = new LinkedHashMap<>();
                t.own()
                        .forEach((pn, p) -> own.put(
                                pn,
                                new Property(
                                        pn, unalias(p.type(), aliases), p.collection(), p.nullable(), p.navigation())));
                out.put(name, new StructuredType(name, unalias(t.baseType(), aliases), t.entity(), t.openType(), own));
            });
            return Collections.unmodifiableMap(out);
        }

        private static Map<String, LinkedHashMap<String, Long>> resolveEnumAliases(
                Map<String, LinkedHashMap<String, Long>> enums) {
            return Collections.unmodifiableMap(enums);
        }

        private static Map<String, RootTarget> resolveRootAliases(
                Map<String, RootTarget> roots, Map<String, String> aliases) {
            Map<String, RootTarget> out = new HashMap<>();
            roots.forEach((n, t) -> out.put(n, new RootTarget(n, unalias(t.type(), aliases), t.collection())));
            return Collections.unmodifiableMap(out);
        }

        private static Map<String, List<Operation>> resolveOpAliases(
                Map<String, List<Operation>> ops, Map<String, String> aliases) {
            Map<String, List<Operation>> out = new HashMap<>();
            ops.forEach((n, list) -> {
                List<Operation> l = new ArrayList<>();
                for (Operation o : list) {
                    l.add(new Operation(
                            o.name(),
                            o.function(),
                            unalias(o.bindingType(), aliases),
                            o.boundToCollection(),
                            unalias(o.returnType(), aliases),
                            o.returnsCollection(),
                            o.parameters()));
                }
                out.put(n, List.copyOf(l));
            });
            return Collections.unmodifiableMap(out);
        }
    }
}
