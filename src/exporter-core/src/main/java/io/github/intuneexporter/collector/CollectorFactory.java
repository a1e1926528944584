package io.github.intuneexporter.collector;

import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.GraphApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        List<IntuneCollector> out = new ArrayList<>();
        out.add(ComplianceCollector.create(c.compliance(), graph, interval(c.compliance(), intervalOverride)));
        out.add(DeviceInventoryCollector.create(c.devices(), graph, clock, interval(c.devices(), intervalOverride)));
        out.add(ConnectorsCollector.create(c.connectors(), graph, interval(c.connectors(), intervalOverride)));
        out.add(ServiceHealthCollector.create(
                c.serviceHealth(), graph, clock, interval(c.serviceHealth(), intervalOverride)));
        out.add(CredentialsCollector.create(
                c.credentials(), settings.auth(), graph, interval(c.credentials(), intervalOverride)));
        out.add(ProtectionCollector.create(c.protection(), graph, interval(c.protection(), intervalOverride)));
        out.add(AppProtectionCollector.create(
                c.appProtection(), graph, clock, interval(c.appProtection(), intervalOverride)));
        out.add(EnrollmentCollector.create(c.enrollment(), graph, clock, interval(c.enrollment(), intervalOverride)));
        out.add(ConfigurationCollector.create(c.configuration(), graph, interval(c.configuration(), intervalOverride)));
        out.add(AppInstallsCollector.create(c.appInstalls(), graph, interval(c.appInstalls(), intervalOverride)));
        out.add(AutopilotCollector.create(c.autopilot(), graph, interval(c.autopilot(), intervalOverride)));
        out.add(PartnersCollector.create(c.partners(), graph, clock, interval(c.partners(), intervalOverride)));
        out.add(ComplianceSettingsCollector.create(
                c.complianceSettings(), graph, interval(c.complianceSettings(), intervalOverride)));
        out.add(SoftwareUpdatesCollector.create(
                c.softwareUpdates(), graph, interval(c.softwareUpdates(), intervalOverride)));
        out.add(AppTroubleshootingCollector.create(
                c.appTroubleshooting(), graph, clock, interval(c.appTroubleshooting(), intervalOverride)));
        out.add(SubscriptionCollector.create(c.subscription(), graph, interval(c.subscription(), intervalOverride)));
        out.add(AuditCollector.create(c.audit(), graph, clock, interval(c.audit(), intervalOverride)));
        return out;
    }

    /** The demo interval applies only to collectors the configuration leaves enabled. */
    private static Duration interval(CollectorSettings.Block block, Duration intervalOverride) {
        if (intervalOverride == null || block.interval().isZero()) {
            return block.interval();
        }
        return intervalOverride;
    }
}
