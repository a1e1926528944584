package io.github.intuneexporter.config;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed settings of every collector ({@code intune.collectors.NAME}), bound and validated once at start-up by
 * {@link #bind}: collectors receive their record and never read configuration themselves. Every interval is 0
 * (collector disabled) or at least its minimum.
 */
public record CollectorSettings(
        Compliance compliance,
        Devices devices,
        Connectors connectors,
        ServiceHealth serviceHealth,
        Credentials credentials,
        Protection protection,
        AppProtection appProtection,
        Enrollment enrollment,
        Configuration configuration,
        AppInstalls appInstalls,
        Autopilot autopilot,
        Partners partners,
        ComplianceSettings complianceSettings,
        SoftwareUpdates softwareUpdates,
        AppTroubleshooting appTroubleshooting,
        Subscription subscription,
        Audit audit) {

    /** What every collector's settings have. */
    public interface Block {
        Duration interval();
    }

    public record Compliance(Duration interval, int maxPolicies) implements Block {}

    /** Where the devices collector reads devices from. */
    public enum DeviceSource {
        /** Paged GET /deviceManagement/managedDevices with $select (default). */
        GRAPH_LIST,
        /** The DeviceCompliance report through reports/exportJobs: fewer metrics, needs a ReadWrite permission. */
        EXPORT_JOB
    }

    public record Devices(
            Duration interval,
            List<Integer> staleDays,
            int scanConcurrency,
            DeviceSource source,
            Duration exportPollInterval,
            Duration exportTimeout)
            implements Block {
        public Devices {
            staleDays = staleDays.stream().distinct().sorted().toList();
        }

        /** Defaults apart from interval and thresholds (tests and benchmarks). */
        public static Devices defaults(Duration interval, List<Integer> staleDays) {
            return new Devices(
                    interval, staleDays, 1, DeviceSource.GRAPH_LIST, Duration.ofSeconds(5), Duration.ofMinutes(10));
        }
    }

    /** Which connector sources a run reads; each is a key of the block. */
    public record ConnectorSources(
            boolean applePushCertificate,
            boolean vppTokens,
            boolean depTokens,
            boolean exchangeConnectors,
            boolean mtdConnectors,
            boolean managementPartners,
            boolean ndesConnectors) {
        /** Every source, beta ones included. */
        public static ConnectorSources all() {
            return new ConnectorSources(true, true, true, true, true, true, true);
        }
    }

    public record Connectors(Duration interval, ConnectorSources sources, int nameMaxLength, int maxPerType)
            implements Block {}

    public record ServiceHealth(Duration interval, String serviceName, String serviceId, boolean messageCenter)
            implements Block {}

    /** {@code appId} is intune.auth.client-id, checked to be a GUID when the collector is enabled. */
    public record Credentials(Duration interval, String appId) implements Block {}

    public record Protection(Duration interval, int perDeviceBudget, boolean aggregatesFirst) implements Block {}

    /** {@code apps}: the bundle/package ids with their own label; empty means the top {@code maxApps}. */
    public record AppProtection(Duration interval, Set<String> apps, int maxApps, int staleDays, int maxPolicies)
            implements Block {}

    /** {@code stateFile} is null for memory only. */
    public record Enrollment(Duration interval, Duration retention, Path stateFile, boolean autopilot)
            implements Block {}

    /**
     * Which admin-chosen names a collector exports: those {@code include} finds and {@code exclude} does not; a pattern
     * that is not set (null) lets every name through.
     */
    public record NameFilter(Pattern include, Pattern exclude) {
        public boolean accepts(String name) {
            return (include == null || include.matcher(name).find())
                    && (exclude == null || !exclude.matcher(name).find());
        }
    }

    /** {@code profiles}: include-pattern and exclude-pattern. */
    public record Configuration(Duration interval, NameFilter profiles, int maxProfiles, boolean betaStatusOverview)
            implements Block {}

    /** {@code apps}: include-pattern (the block has no exclude-pattern). */
    public record AppInstalls(
            Duration interval, boolean betaSummaryReport, NameFilter apps, int maxApps, int maxReportRows)
            implements Block {}

    public record Autopilot(Duration interval) implements Block {}

    public record Partners(Duration interval, int maxPartners) implements Block {}

    /** {@code top}: settings with their own label, the rest as _other. */
    public record ComplianceSettings(Duration interval, int top) implements Block {}

    public record SoftwareUpdates(Duration interval) implements Block {}

    /** {@code stateFile} is null for memory only. */
    public record AppTroubleshooting(Duration interval, Duration retention, Path stateFile) implements Block {}

    public record Subscription(Duration interval) implements Block {}

    /**
     * {@code lateness}: how far behind the newest event counted each run re-reads the audit log (1m..30d);
     * {@code stateFile} is null for memory only.
     */
    public record Audit(Duration interval, Duration lateness, Path stateFile) implements Block {}

    static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Every collector's block by its name (the config block and the collector label). */
    public Map<String, Block> byName() {
        Map<String, Block> out = new LinkedHashMap<>();
        out.put("compliance", compliance);
        out.put("devices", devices);
        out.put("connectors", connectors);
        out.put("service_health", serviceHealth);
        out.put("credentials", credentials);
        out.put("protection", protection);
        out.put("app_protection", appProtection);
        out.put("enrollment", enrollment);
        out.put("configuration", configuration);
        out.put("app_installs", appInstalls);
        out.put("autopilot", autopilot);
        out.put("partners", partners);
        out.put("compliance_settings", complianceSettings);
        out.put("software_updates", softwareUpdates);
        out.put("app_troubleshooting", appTroubleshooting);
        out.put("subscription", subscription);
        out.put("audit", audit);
        return out;
    }

    /** Binds {@code intune.collectors} of the merged configuration; {@code clientId} is intune.auth.client-id. */
    static CollectorSettings bind(Config merged, String clientId) {
        return new CollectorSettings(
                compliance(block(merged, "compliance")),
                devices(block(merged, "devices")),
                connectors(block(merged, "connectors")),
                serviceHealth(block(merged, "service_health")),
                credentials(block(merged, "credentials"), clientId),
                protection(block(merged, "protection")),
                appProtection(block(merged, "app_protection")),
                enrollment(block(merged, "enrollment")),
                configuration(block(merged, "configuration")),
                appInstalls(block(merged, "app_installs")),
                new Autopilot(interval(block(merged, "autopilot"), Duration.ofSeconds(5))),
                new Partners(
                        interval(block(merged, "partners"), Duration.ofSeconds(5)),
                        block(merged, "partners").integer("max-partners", 1, 1000)),
                new ComplianceSettings(
                        interval(block(merged, "compliance_settings"), Duration.ofSeconds(5)),
                        block(merged, "compliance_settings").integer("top", 1, 200)),
                new SoftwareUpdates(interval(block(merged, "software_updates"), Duration.ofSeconds(5))),
                appTroubleshooting(block(merged, "app_troubleshooting")),
                new Subscription(interval(block(merged, "subscription"), Duration.ofSeconds(5))),
                audit(block(merged, "audit")));
    }

    private static ConfigValues block(Config merged, String name) {
        return new ConfigValues(merged.getConfig("intune.collectors." + name), "intune.collectors." + name);
    }

    private static Duration interval(ConfigValues b, Duration min) {
        return b.interval("interval", min);
    }

    private static Compliance compliance(ConfigValues b) {
        return new Compliance(interval(b, Duration.ofSeconds(5)), b.integer("max-policies", 1, 10_000));
    }

    private static Devices devices(ConfigValues b) {
        List<Integer> days = b.integers("stale-days", 1, 3650);
        if (days.isEmpty()) {
            throw new ConfigException(
                    b.key("stale-days") + ": [] has no threshold, expected a list of 1..3650 such as [1, 7, 30]");
        }
        String source = b.string("source");
        DeviceSource parsed = switch (source) {
            case "graph-list" -> DeviceSource.GRAPH_LIST;
            case "export-job" -> DeviceSource.EXPORT_JOB;
            default ->
                throw new ConfigException(b.key("source") + ": '" + source + "' is not graph-list or export-job");
        };
        return new Devices(
                interval(b, Duration.ofSeconds(5)),
                days,
                b.integer("scan-concurrency", 1, 16),
                parsed,
                b.duration("export-poll-interval", Duration.ofMillis(10)),
                b.duration("export-timeout", Duration.ofSeconds(1)));
    }

    private static Connectors connectors(ConfigValues b) {
        ConnectorSources sources = new ConnectorSources(
                b.bool("apple-push-certificate"),
                b.bool("vpp-tokens"),
                b.bool("dep-tokens"),
                b.bool("exchange-connectors"),
                b.bool("mtd-connectors"),
                b.bool("management-partners"),
                b.bool("ndes-connectors"));
        return new Connectors(
                interval(b, Duration.ofSeconds(5)),
                sources,
                b.integer("name-max-length", 8, 200),
                b.integer("max-per-type", 1, 1000));
    }

    private static ServiceHealth serviceHealth(ConfigValues b) {
        String name = b.string("service-name");
        if (name.isEmpty()) {
            throw new ConfigException(b.key("service-name")
                    + ": \"\" is empty, expected the service's display name such as " + "\"Microsoft Intune\"");
        }
        return new ServiceHealth(
                interval(b, Duration.ofSeconds(5)), name, b.string("service-id"), b.bool("message-center"));
    }

    private static Credentials credentials(ConfigValues b, String clientId) {
        Duration interval = interval(b, Duration.ofSeconds(5));
        if (!interval.isZero() && !GUID.matcher(clientId).matches()) {
            throw new ConfigException(
                    b.key("interval") + ": the credentials collector inspects the app registration of "
                            + "intune.auth.client-id, which is "
                            + (clientId.isEmpty() ? "not set" : "not an application (client) id GUID")
                            + "; set it, or set " + b.key("interval") + " = 0");
        }
        return new Credentials(interval, clientId);
    }

    private static Protection protection(ConfigValues b) {
        return new Protection(
                interval(b, Duration.ofSeconds(5)),
                b.integer("per-device-budget", 0, 100_000),
                b.bool("aggregates-first"));
    }

    private static AppProtection appProtection(ConfigValues b) {
        Set<String> apps = new LinkedHashSet<>();
        for (String app : b.strings("apps")) {
            if (app.isBlank()) {
                throw new ConfigException(b.key("apps") + ": \"" + app
                        + "\" is empty, expected bundle or package ids such as " + "\"com.microsoft.Office.Outlook\"");
            }
            apps.add(app.trim());
        }
        return new AppProtection(
                interval(b, Duration.ofSeconds(5)),
                Set.copyOf(apps),
                b.integer("max-apps", 1, 500),
                b.integer("stale-days", 1, 3650),
                b.integer("max-policies", 1, 10_000));
    }

    private static Enrollment enrollment(ConfigValues b) {
        return new Enrollment(
                interval(b, Duration.ofSeconds(30)),
                b.duration("retention", Duration.ofDays(1)),
                stateFile(b),
                b.bool("autopilot"));
    }

    private static Configuration configuration(ConfigValues b) {
        return new Configuration(
                interval(b, Duration.ofSeconds(5)),
                new NameFilter(b.regex("include-pattern"), b.regex("exclude-pattern")),
                b.integer("max-profiles", 1, 10_000),
                b.bool("beta-status-overview"));
    }

    private static AppTroubleshooting appTroubleshooting(ConfigValues b) {
        return new AppTroubleshooting(
                interval(b, Duration.ofSeconds(30)), b.duration("retention", Duration.ofHours(1)), stateFile(b));
    }

    private static Audit audit(ConfigValues b) {
        return new Audit(
                interval(b, Duration.ofSeconds(5)),
                b.duration("lateness", Duration.ofMinutes(1), Duration.ofDays(30), "1m..30d"),
                stateFile(b));
    }

    /** The collector's state-file key: empty keeps its counters in memory only. */
    private static Path stateFile(ConfigValues b) {
        String file = b.string("state-file");
        if (!file.isEmpty() && Files.isDirectory(Path.of(file))) {
            throw new ConfigException(b.key("state-file") + ": " + file
                    + " is a directory, expected the path of a JSON file (or \"\" for memory only)");
        }
        return file.isEmpty() ? null : Path.of(file);
    }

    private static AppInstalls appInstalls(ConfigValues b) {
        return new AppInstalls(
                interval(b, Duration.ofSeconds(30)),
                b.bool("beta-summary-report"),
                new NameFilter(b.regex("include-pattern"), null),
                b.integer("max-apps", 1, 10_000),
                b.integer("max-report-rows", 1000, 100_000_000));
    }
}
