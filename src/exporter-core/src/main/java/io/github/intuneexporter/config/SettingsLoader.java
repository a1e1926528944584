package io.github.intuneexporter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.github.intuneexporter.standin.GraphStandIn;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads {@code reference.conf}, the user's file and system properties, rejects unknown keys, and binds
 * everything into {@link ExporterSettings}. Every failure is a {@link ConfigException} naming the key.
 */
public final class SettingsLoader {

    private SettingsLoader() {}

    /** Loads the user's file (or {@code -Dconfig.file}, or nothing) on top of the defaults. */
    public static ExporterSettings load(Optional<Path> file) {
        return load(file, ConfigFactory.empty());
    }

    /** As {@link #load(Optional)}, with command-line overrides on top of the file. */
    public static ExporterSettings load(Optional<Path> file, Config commandLine) {
        return load(file, commandLine, false);
    }

    /**
     * As {@link #load(Optional, Config)}; in demo mode {@code demo.conf} (which turns on the opt-in and beta
     * sources, so the demo shows every metric) sits between the defaults and the user's file.
     */
    public static ExporterSettings load(Optional<Path> file, Config commandLine, boolean demo) {
        try {
            return loadLayers(file, commandLine, demo);
        } catch (com.typesafe.config.ConfigException e) {
            // A Typesafe Config failure the binding did not turn into a message naming the key: still one line.
            throw new ConfigException(describe(e, "configuration"));
        }
    }

    private static ExporterSettings loadLayers(Optional<Path> file, Config commandLine, boolean demo) {
        Optional<Path> effective = file.or(
                () -> Optional.ofNullable(System.getProperty("config.file")).map(Path::of));
        String flag = file.isPresent() ? "--config.file" : "-Dconfig.file";
        Config user = ConfigFactory.empty();
        if (effective.isPresent()) {
            Path path = effective.get();
            String problem = ConfigValues.fileProblem(path);
            if (problem != null) {
                throw new ConfigException(flag + ": " + path + " " + problem + ", expected a HOCON configuration file");
            }
            user = parse(
                    () -> ConfigFactory.parseFile(
                            path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)),
                    path.toString());
        }
        rejectUnknownKeys(commandLine, parse(ConfigFactory::defaultReference, "reference.conf"), "command line ");
        Config layered = commandLine.withFallback(user);
        if (demo) {
            Set<String> own = ownIntervals(layered);
            layered = layered.withFallback(parse(() -> ConfigFactory.parseResources("demo.conf"), "demo.conf"));
            ExporterSettings settings = load(layered);
            return settings.withDemo(settings.demo().withOwnIntervals(own));
        }
        return load(layered);
    }

    /** The collectors whose interval the command line or the file sets: demo mode keeps those intervals. */
    private static Set<String> ownIntervals(Config explicit) {
        Set<String> out = new TreeSet<>();
        if (explicit.hasPath("intune.collectors")) {
            for (String collector : explicit.getObject("intune.collectors").keySet()) {
                if (explicit.hasPathOrNull("intune.collectors." + collector + ".interval")) {
                    out.add(collector);
                }
            }
        }
        return Set.copyOf(out);
    }

    /** Loads settings from an already parsed user configuration (tests pass inline HOCON here). */
    public static ExporterSettings load(Config user) {
        Config reference = parse(ConfigFactory::defaultReference, "reference.conf");
        Config overrides = ConfigFactory.systemProperties();
        rejectUnknownKeys(user, reference, "");
        Config intuneOverrides = overrides.hasPath("intune") ? overrides.withOnlyPath("intune") : ConfigFactory.empty();
        rejectUnknownKeys(intuneOverrides, reference, "system property ");
        Config merged = parse(
                () -> intuneOverrides.withFallback(user).withFallback(reference).resolve(), "configuration");
        ExporterSettings base = bind(merged, List.of());
        return base.withTenants(bindTenants(merged, reference, base));
    }

    /** Parses inline HOCON, for tests and for {@code --set}. */
    public static Config parseString(String hocon) {
        return parse(() -> ConfigFactory.parseString(hocon), "inline configuration");
    }

    private interface ConfigSupplier {
        Config get();
    }

    private static Config parse(ConfigSupplier supplier, String what) {
        try {
            return supplier.get();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(describe(e, what));
        }
    }

    /**
     * One line for a Typesafe Config failure: its message names the file and line already ("x.conf: 2: ..."), so
     * {@code what} is added only when it does not; a file that cannot be read gets its reason in words.
     */
    static String describe(com.typesafe.config.ConfigException e, String what) {
        String message = e.getMessage() == null ? "cannot be read" : e.getMessage();
        if (e.getCause() instanceof IOException) {
            message = message.replaceAll(":? ?java\\.[\\w.$]*Exception:?", "").trim();
        }
        message = message.lines().findFirst().orElse("").trim();
        boolean namesItsFile = message.matches("^\\S+: \\d+: .*");
        return message.startsWith(what) || namesItsFile ? message : what + ": " + message;
    }

    private static void rejectUnknownKeys(Config user, Config reference, String what) {
        TreeSet<String> unknown = new TreeSet<>();
        Map<String, ConfigValue> leaves = new HashMap<>();
        leaves(user.root(), "", leaves);
        for (String path : leaves.keySet()) {
            if (!reference.hasPathOrNull(path) && !isInsideList(path, reference)) {
                unknown.add(path);
            }
        }
        if (!unknown.isEmpty()) {
            String first = unknown.first();
            String origin = ConfigValues.origin(leaves.get(first).origin(), first);
            throw new ConfigException(what + first + ": unknown key" + origin
                    + (unknown.size() > 1
                            ? " (and " + (unknown.size() - 1) + " more: " + String.join(", ", unknown) + ")"
                            : "")
                    + "; see reference.conf for the keys that exist");
        }
    }

    /**
     * Every leaf of {@code object} by its path, without resolving it: a file whose ${...} cannot be resolved is reported
     * by the resolution, naming the file and line, not here.
     */
    private static void leaves(com.typesafe.config.ConfigObject object, String prefix, Map<String, ConfigValue> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = prefix + com.typesafe.config.ConfigUtil.joinPath(e.getKey());
            if (e.getValue() instanceof com.typesafe.config.ConfigObject child) {
                leaves(child, path + ".", out);
            } else {
                out.put(path, e.getValue());
            }
        }
    }

    // Collector blocks may gain keys that are lists of objects (fault rules); their insides are checked when bound.
    private static boolean isInsideList(String path, Config reference) {
        int dot = path.lastIndexOf('.');
        while (dot > 0) {
            String parent = path.substring(0, dot);
            if (reference.hasPath(parent)
                    && reference.getValue(parent).valueType() == com.typesafe.config.ConfigValueType.LIST) {
                return true;
            }
            dot = parent.lastIndexOf('.');
        }
        return false;
    }

    private static final Pattern TENANT_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final List<String> TENANT_KEYS = List.of("name", "display-name", "auth", "graph", "collectors");

    /**
     * The tenants to read. Without an intune.tenants list: one tenant named "default" made of the top-level blocks.
     * Each list entry's auth, graph and collectors blocks sit over the top-level ones.
     */
    /** A tenant entry has only its own keys and keys of the blocks it overrides that reference.conf knows. */
    private static void checkTenantKeys(com.typesafe.config.ConfigObject entry, String prefix, Config reference) {
        for (String key : entry.keySet()) {
            if (!TENANT_KEYS.contains(key)) {
                throw new ConfigException(
                        prefix + "." + key + ": unknown key; a tenant has name, display-name, auth, graph, collectors");
            }
        }
        for (Map.Entry<String, ConfigValue> e : entry.toConfig().entrySet()) {
            String path = e.getKey();
            if (!path.equals("name") && !path.equals("display-name") && !reference.hasPathOrNull("intune." + path)) {
                throw new ConfigException(
                        prefix + "." + path + ": unknown key; see reference.conf for the keys that exist");
            }
        }
    }

    /** The tenant's name, the value of its tenant label. */
    private static String tenantName(Config entry, ConfigValues values, String prefix) {
        if (!entry.hasPath("name")) {
            throw new ConfigException(
                    prefix + ".name: missing (every tenant needs a unique name, the tenant label value)");
        }
        String name = values.string("name");
        if (!TENANT_NAME.matcher(name).matches()) {
            throw new ConfigException(
                    prefix + ".name: '" + name + "' must be lower case letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    private static List<ExporterSettings.Tenant> bindTenants(Config merged, Config reference, ExporterSettings base) {
        List<? extends com.typesafe.config.ConfigObject> entries;
        try {
            entries = merged.getObjectList("intune.tenants");
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(
                    "intune.tenants: expected a list of {name = ..., auth {...}, graph {...}, collectors {...}}");
        }
        if (entries.isEmpty()) {
            List<ExporterSettings.Tenant> single = List.of(new ExporterSettings.Tenant("default", "", base));
            requireDistinctStateFiles(single, false);
            return single;
        }
        List<ExporterSettings.Tenant> tenants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String prefix = "intune.tenants[" + i + "]";
            Config entry = entries.get(i).toConfig();
            checkTenantKeys(entries.get(i), prefix, reference);
            ConfigValues values = new ConfigValues(entry, prefix);
            String name = tenantName(entry, values, prefix);
            if (!names.add(name)) {
                throw new ConfigException(prefix + ".name: '" + name + "' is used by another tenant");
            }
            String displayName = entry.hasPath("display-name") ? values.string("display-name") : "";
            Config tenantConfig =
                    merged.withValue("intune.tenants", com.typesafe.config.ConfigValueFactory.fromIterable(List.of()));
            for (String block : List.of("auth", "graph", "collectors")) {
                if (entry.hasPath(block)) {
                    tenantConfig = tenantConfig.withValue(
                            "intune." + block,
                            entry.getConfig(block)
                                    .withFallback(inherited(block, entry, merged))
                                    .root());
                }
            }
            tenantConfig = ownStateFiles(tenantConfig, entry, name);
            try {
                tenants.add(new ExporterSettings.Tenant(name, displayName, bind(tenantConfig, List.of())));
            } catch (ConfigException e) {
                throw new ConfigException(forTenant(e.getMessage(), prefix));
            }
        }
        requireDistinctStateFiles(tenants, true);
        return List.copyOf(tenants);
    }

    /** The keys that each name one way to sign in: a tenant that sets one of them inherits none of the others. */
    private static final List<String> CREDENTIAL_KEYS =
            List.of("client-secret", "client-secret-file", "client-certificate-path", "federated-token-file");

    /**
     * What a tenant entry's block falls back to: the top-level block, except that an entry naming its own credential
     * (secret, secret file, certificate or federated token) does not inherit another kind from the top level (such as
     * AZURE_CLIENT_SECRET), which would make the pair a conflict the tenant never configured.
     */
    private static Config inherited(String block, Config entry, Config merged) {
        Config top = merged.getConfig("intune." + block);
        if (!block.equals("auth") || CREDENTIAL_KEYS.stream().noneMatch(k -> entry.hasPath("auth." + k))) {
            return top;
        }
        for (String key : CREDENTIAL_KEYS) {
            if (!entry.hasPath("auth." + key)) {
                top = top.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(""));
            }
        }
        if (!entry.hasPath("auth.client-certificate-path")) {
            top = top.withValue("client-certificate-password", com.typesafe.config.ConfigValueFactory.fromAnyRef(""));
        }
        return top;
    }

    /** The collectors that keep a state file: those whose block in reference.conf has a state-file key. */
    private static List<String> stateFileCollectors(Config merged) {
        return merged.getConfig("intune.collectors").root().keySet().stream()
                .filter(name -> merged.hasPath("intune.collectors." + name + ".state-file"))
                .sorted()
                .toList();
    }

    /**
     * The settings of one of several simulated demo tenants: as {@code settings}, but with the state files in a
     * directory of the tenant's own, as for configured tenants (demo tenants sharing one file would overwrite each
     * other's counters).
     */
    public static ExporterSettings forDemoTenant(ExporterSettings settings, String tenant) {
        Config own = ownStateFiles(settings.raw(), ConfigFactory.empty(), tenant);
        return own == settings.raw() ? settings : bind(own, List.of()).withDemo(settings.demo());
    }

    /**
     * With several tenants, a state file the tenant's entry does not name itself goes into a directory of the tenant's
     * own ({@code intune-exporter-state/audit.json} becomes {@code intune-exporter-state/contoso/audit.json}): the
     * top-level path is shared by every tenant, and tenants writing one file would overwrite each other's counters.
     */
    private static Config ownStateFiles(Config tenantConfig, Config entry, String tenant) {
        for (String collector : stateFileCollectors(tenantConfig)) {
            String key = "intune.collectors." + collector + ".state-file";
            if (entry.hasPath("collectors." + collector + ".state-file")
                    || tenantConfig.getValue(key).valueType() != com.typesafe.config.ConfigValueType.STRING) {
                continue; // the tenant's own path; a value of the wrong type is reported when bound
            }
            String file = tenantConfig.getString(key).trim();
            if (!file.isEmpty()) {
                Path path = Path.of(file);
                Path parent = path.getParent();
                Path own = (parent == null ? Path.of(tenant) : parent.resolve(tenant)).resolve(path.getFileName());
                tenantConfig =
                        tenantConfig.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(own.toString()));
            }
        }
        return tenantConfig;
    }

    /**
     * Two collectors (of one tenant or of two) writing one state file would overwrite each other's counters, so that is a
     * configuration error naming both keys.
     */
    private static void requireDistinctStateFiles(List<ExporterSettings.Tenant> tenants, boolean listed) {
        Map<Path, String> owners = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            String prefix = listed ? "intune.tenants[" + i + "]" : "intune";
            Config raw = tenants.get(i).settings().raw();
            for (String collector : stateFileCollectors(raw)) {
                String file = raw.getString("intune.collectors." + collector + ".state-file")
                        .trim();
                if (file.isEmpty()) {
                    continue;
                }
                String key = prefix + ".collectors." + collector + ".state-file";
                String other = owners.putIfAbsent(Path.of(file).toAbsolutePath().normalize(), key);
                if (other != null) {
                    throw new ConfigException(key + ": " + file + " is also the state file of " + other
                            + "; each collector of each tenant needs a file of its own (or \"\" for memory only)");
                }
            }
        }
    }

    /** Rewrites "intune.auth.x: ..." into "intune.tenants[i].auth.x: ..." so that the message names the right key. */
    public static String forTenant(String message, String tenantPrefix) {
        for (String block : List.of("auth", "graph", "collectors")) {
            if (message.startsWith("intune." + block)) {
                return tenantPrefix + message.substring("intune".length());
            }
        }
        return tenantPrefix + ": " + message;
    }

    private static ExporterSettings bind(Config merged, List<ExporterSettings.Tenant> tenants) {
        ConfigValues web = new ConfigValues(merged.getConfig("intune.web"), "intune.web");
        ConfigValues auth = new ConfigValues(merged.getConfig("intune.auth"), "intune.auth");
        ConfigValues graph = new ConfigValues(merged.getConfig("intune.graph"), "intune.graph");
        ConfigValues collection = new ConfigValues(merged.getConfig("intune.collection"), "intune.collection");
        ConfigValues demo = new ConfigValues(merged.getConfig("intune.demo"), "intune.demo");

        List<String> listen = listenAddresses(merged, web);
        String[] hostPort = parseListenAddress(web.key("listen-address"), listen.get(0));
        String metricsPath = web.string("metrics-path");
        // A request's path never holds '?' or '#', so such a metrics path could never be reached; /probe is taken.
        if (!metricsPath.startsWith("/")
                || metricsPath.length() < 2
                || metricsPath.startsWith("/-/")
                || metricsPath.equals("/probe")
                || metricsPath.contains("?")
                || metricsPath.contains("#")) {
            throw new ConfigException(web.key("metrics-path") + ": '" + metricsPath
                    + "' must start with / and not be /, /probe or /-/..., nor hold ? or #");
        }

        ExporterSettings.Graph graphSettings = bindGraph(graph);

        ExporterSettings.Collection collectionSettings = new ExporterSettings.Collection(
                collection.duration("startup-stagger", Duration.ZERO),
                collection.duration("timeout", Duration.ofSeconds(1)),
                collection.integer("threads", 1, 64));

        ExporterSettings.Demo demoSettings = bindDemo(demo);
        ExporterSettings.Auth authSettings = bindAuth(auth);
        checkStandIn(merged);
        String webConfigFile = web.string("config-file");
        WebConfig security = webConfigFile.isEmpty()
                ? WebConfig.NONE
                : WebConfig.load(web.key("config-file"), Path.of(webConfigFile));
        return new ExporterSettings(
                new ExporterSettings.Web(
                        hostPort[0],
                        Integer.parseInt(hostPort[1]),
                        metricsPath,
                        security,
                        listen,
                        web.bool("disable-exporter-metrics"),
                        web.bool("enable-lifecycle")),
                authSettings,
                graphSettings,
                collectionSettings,
                new ExporterSettings.Scale(
                        collection.integer("pool-size", 0, 1024),
                        collection.fraction("graph-budget-share"),
                        Shard.parse(
                                new ConfigValues(merged, "").string("intune.shard"),
                                System.getenv("HOSTNAME"),
                                "intune.shard"),
                        collection.fraction("tenant-spread")),
                demoSettings,
                merged,
                tenants,
                CollectorSettings.bind(merged, authSettings.clientId()));
    }

    private static ExporterSettings.Graph bindGraph(ConfigValues graph) {
        Cloud cloud = Cloud.parse(graph.key("cloud"), graph.string("cloud"));
        String baseUrl = graph.string("base-url");
        if (!baseUrl.isEmpty()) {
            validateBaseUrl(graph.key("base-url"), baseUrl);
        }
        String authorityHost = graph.string("authority-host");
        if (!authorityHost.isEmpty() && !authorityHost.startsWith("https://")) {
            throw new ConfigException(
                    graph.key("authority-host") + ": '" + authorityHost + "' must start with https://");
        }
        Duration retryDelay = graph.duration("retry-delay", Duration.ofSeconds(1));
        if (retryDelay.compareTo(Duration.ofSeconds(180)) > 0) {
            throw new ConfigException(graph.key("retry-delay") + ": " + ConfigValues.describe(retryDelay)
                    + " is too long, expected 1s..180s");
        }
        return new ExporterSettings.Graph(
                cloud,
                stripTrailingSlash(baseUrl),
                authorityHost,
                graph.duration("request-timeout", Duration.ofSeconds(1)),
                graph.duration("connect-timeout", Duration.ofMillis(100)),
                graph.duration("read-timeout", Duration.ofMillis(100)),
                graph.integer("max-retries", 0, 10),
                retryDelay,
                graph.integer("page-size", 1, 1000),
                graph.integer("max-pages", 1, 1_000_000),
                graph.fraction("throttle-budget"),
                graph.bytes("max-response-size", 64 * 1024, 4L * 1024 * 1024 * 1024));
    }

    private static ExporterSettings.Demo bindDemo(ConfigValues demo) {
        return new ExporterSettings.Demo(
                demo.integer("devices", 0, 10_000_000),
                demo.longValue("seed"),
                demo.duration("evolve-every", Duration.ofSeconds(1)),
                demo.duration("interval", Duration.ofSeconds(1)),
                demo.duration("latency", Duration.ZERO),
                demo.fraction("odd-values"),
                demo.integer("tenants", 1, 1000),
                Set.of());
    }

    private static ExporterSettings.Auth bindAuth(ConfigValues auth) {
        AuthMethod method = AuthMethod.parse(auth.key("method"), auth.string("method"));
        String secret = auth.string("client-secret");
        String secretFile = auth.string("client-secret-file");
        if (!secret.isEmpty() && !secretFile.isEmpty()) {
            throw new ConfigException(auth.key("client-secret") + " and " + auth.key("client-secret-file")
                    + ": set one of them, not both");
        }
        if (!secretFile.isEmpty()) {
            secret = readSecretFile(auth.key("client-secret-file"), Path.of(secretFile));
        }
        String certificate = auth.string("client-certificate-path");
        Path certificatePath = certificate.isEmpty() ? null : Path.of(certificate);
        if (certificatePath != null && !secret.isEmpty()) {
            throw new ConfigException(auth.key("client-secret") + " and " + auth.key("client-certificate-path")
                    + ": both a client secret and a client certificate are set; set one of them");
        }
        if (certificatePath != null && Files.exists(certificatePath)) {
            requireRegularFile(auth.key("client-certificate-path"), certificatePath);
        }
        if (!tokenFileOf(auth).isEmpty() && Files.exists(Path.of(tokenFileOf(auth)))) {
            requireRegularFile(auth.key("federated-token-file"), Path.of(tokenFileOf(auth)));
        }
        if (certificatePath != null && !Files.isReadable(certificatePath)) {
            throw new ConfigException(
                    auth.key("client-certificate-path") + ": cannot read certificate file " + certificatePath);
        }
        String tokenFile = auth.string("federated-token-file");
        return new ExporterSettings.Auth(
                method,
                auth.string("tenant-id"),
                auth.string("client-id"),
                secret,
                certificatePath,
                auth.string("client-certificate-password"),
                auth.bool("send-certificate-chain"),
                tokenFile.isEmpty() ? null : Path.of(tokenFile));
    }

    private static String readSecretFile(String key, Path file) {
        requireRegularFile(key, file);
        String problem = ConfigValues.fileProblem(file);
        if (problem != null) {
            throw new ConfigException(key + ": " + file + " " + problem + ", expected a file holding the secret");
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new ConfigException(key + ": " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + file + " (an I/O error)");
        }
    }

    private static String tokenFileOf(ConfigValues auth) {
        return auth.string("federated-token-file");
    }

    /**
     * A secret must be a regular file (a symbolic link to one, as Kubernetes mounts them, is fine): reading a FIFO or a
     * device would block start-up forever or read something that is not the secret.
     */
    public static void requireRegularFile(String key, Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new ConfigException(
                    key + ": " + file + " is not a regular file" + (Files.isDirectory(file) ? " (a directory)" : ""));
        }
    }

    /**
     * intune.web.listen-address: one host:port, several separated by commas, or a list (--web.listen-address is
     * repeatable). Each is validated; the normalised host:port forms are returned, at least one.
     */
    private static List<String> listenAddresses(Config merged, ConfigValues web) {
        String key = web.key("listen-address");
        List<String> raw = new ArrayList<>();
        if (merged.getValue("intune.web.listen-address").valueType() == com.typesafe.config.ConfigValueType.LIST) {
            raw.addAll(merged.getStringList("intune.web.listen-address"));
        } else {
            raw.addAll(List.of(web.string("listen-address").split(",")));
        }
        List<String> out = new ArrayList<>();
        for (String address : raw) {
            if (!address.isBlank()) {
                String[] hp = parseListenAddress(key, address.trim());
                String normal = (hp[0].contains(":") ? "[" + hp[0] + "]" : hp[0]) + ":" + hp[1];
                if (out.contains(normal) && !hp[1].equals("0")) { // else the second bind fails: "already in use"
                    throw new ConfigException(key + ": " + normal + " is listed twice");
                }
                out.add(normal);
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(key + ": no address to listen on");
        }
        return List.copyOf(out);
    }

    /** Splits host:port; [v6]:port is accepted. */
    static String[] parseListenAddress(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(key + ": '" + value + "' is not host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":") || host.contains("[") || host.contains("]")) {
            // As Go's SplitHostPort: "[::1" or "::1:9786" would otherwise reach the listener as an unresolvable name.
            throw new ConfigException(
                    key + ": '" + value + "' is not host:port (write an IPv6 address in brackets, e.g. [::1]:9786)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + value + "' has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key + ": port " + port + " is out of range 0..65535");
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        return new String[] {host, Integer.toString(port)};
    }

    private static void validateBaseUrl(String key, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            throw new ConfigException(key + ": '" + url + "' is not an absolute URL");
        }
        boolean loopback =
                host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new ConfigException(key + ": '" + url + "' must use https (plain http only on loopback)");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The demo stand-in's own sections (simulator faults and limits, the scenario) fail start-up like any other key;
     * without a stand-in on the class path there is nothing that reads them.
     */
    private static void checkStandIn(Config merged) {
        GraphStandIn.find().ifPresent(standIn -> {
            try {
                standIn.check(merged);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        });
    }
}
