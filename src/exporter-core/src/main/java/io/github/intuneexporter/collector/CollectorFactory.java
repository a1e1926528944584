package io.github.intuneexporter.collector;

import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.GraphApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds every collector from its typed settings (bound and validated at start-up by the config package). */
public final class CollectorFactory {

    private CollectorFactory() {}

    /**
     * All collectors, enabled or not (interval zero means disabled). {@code intervalOverride}, when not null,
     * replaces every enabled collector's interval (demo mode).
     */
    public static List<IntuneCollector> create(
            ExporterSettings settings, GraphApi graph, Clock clock, Duration intervalOverride) {
        CollectorSettings c = settings.collectors();
        // Intervals the user set keep their value in demo mode too.
        Set<CollectorSettings.Block> own = new HashSet<>();
        settings.demo().ownIntervals().forEach(name -> {
            if (c.byName().containsKey(name)) {
                own.add(c.byName().get(name));
            }
        });
        List<IntuneCollector> out = new ArrayList<>();
        out.add(new ComplianceCollector(graph, interval(own, c.compliance(), intervalOverride), c.compliance()));
        out.add(DeviceInventoryCollector.create(
                c.devices(), graph, clock, interval(own, c.devices(), intervalOverride)));
        out.add(new ConnectorsCollector(graph, interval(own, c.connectors(), intervalOverride), c.connectors()));
        out.add(new ServiceHealthCollector(
                graph, clock, interval(own, c.serviceHealth(), intervalOverride), c.serviceHealth()));
        out.add(new CredentialsCollector(
                graph,
                interval(own, c.credentials(), intervalOverride),
                c.credentials(),
                CredentialsCollector.SignIn.of(settings.auth())));
        out.add(new ProtectionCollector(graph, interval(own, c.protection(), intervalOverride), c.protection()));
        out.add(new AppProtectionCollector(
                graph, clock, interval(own, c.appProtection(), intervalOverride), c.appProtection()));
        out.add(new EnrollmentCollector(graph, clock, interval(own, c.enrollment(), intervalOverride), c.enrollment()));
        out.add(new ConfigurationCollector(
                graph, interval(own, c.configuration(), intervalOverride), c.configuration()));
        out.add(new AppInstallsCollector(graph, interval(own, c.appInstalls(), intervalOverride), c.appInstalls()));
        out.add(new AutopilotCollector(graph, interval(own, c.autopilot(), intervalOverride)));
        out.add(new PartnersCollector(graph, clock, interval(own, c.partners(), intervalOverride), c.partners()));
        out.add(new ComplianceSettingsCollector(
                graph, interval(own, c.complianceSettings(), intervalOverride), c.complianceSettings()));
        out.add(new SoftwareUpdatesCollector(graph, interval(own, c.softwareUpdates(), intervalOverride)));
        out.add(new AppTroubleshootingCollector(
                graph, clock, interval(own, c.appTroubleshooting(), intervalOverride), c.appTroubleshooting()));
        out.add(new SubscriptionCollector(graph, interval(own, c.subscription(), intervalOverride)));
        out.add(new AuditCollector(graph, clock, interval(own, c.audit(), intervalOverride), c.audit()));
        return out;
    }

    /** The demo interval applies only to collectors the configuration leaves enabled and whose interval it leaves unset. */
    private static Duration interval(
            Set<CollectorSettings.Block> own, CollectorSettings.Block block, Duration intervalOverride) {
        if (intervalOverride == null || block.interval().isZero() || own.contains(block)) {
            return block.interval();
        }
        return intervalOverride;
    }
}
