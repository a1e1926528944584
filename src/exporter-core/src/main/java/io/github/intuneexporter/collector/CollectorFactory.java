package io.github.intuneexporter.collector;

import io.github.intuneexporter.config.ConfigValues;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.GraphApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds every collector from its config block; a bad value fails start-up with the key named. */
public final class CollectorFactory {

    private CollectorFactory() {}

    /**
     * All collectors, enabled or not (interval zero means disabled). {@code intervalOverride}, when not null,
     * replaces every enabled collector's interval (demo mode).
     */
    public static List<IntuneCollector> create(ExporterSettings settings, GraphApi graph, Clock clock, Duration intervalOverride) {
        List<IntuneCollector> out = new ArrayList<>();
        out.add(ComplianceCollector.create(block(settings, ComplianceCollector.NAME), graph,
                override(settings, ComplianceCollector.NAME, intervalOverride)));
        out.add(DeviceInventoryCollector.create(block(settings, DeviceInventoryCollector.NAME), graph, clock,
                override(settings, DeviceInventoryCollector.NAME, intervalOverride)));
        out.add(ConnectorsCollector.create(block(settings, ConnectorsCollector.NAME), graph,
                override(settings, ConnectorsCollector.NAME, intervalOverride)));
        out.add(ServiceHealthCollector.create(block(settings, ServiceHealthCollector.NAME), graph, clock,
                override(settings, ServiceHealthCollector.NAME, intervalOverride)));
        out.add(CredentialsCollector.create(block(settings, CredentialsCollector.NAME), settings.auth(), graph,
                override(settings, CredentialsCollector.NAME, intervalOverride)));
        out.add(ProtectionCollector.create(block(settings, ProtectionCollector.NAME), graph,
                override(settings, ProtectionCollector.NAME, intervalOverride)));
        out.add(AppProtectionCollector.create(block(settings, AppProtectionCollector.NAME), graph, clock,
                override(settings, AppProtectionCollector.NAME, intervalOverride)));
        out.add(EnrollmentCollector.create(block(settings, EnrollmentCollector.NAME), graph, clock,
                override(settings, EnrollmentCollector.NAME, intervalOverride)));
        out.add(ConfigurationCollector.create(block(settings, ConfigurationCollector.NAME), graph,
                override(settings, ConfigurationCollector.NAME, intervalOverride)));
        out.add(AppInstallsCollector.create(block(settings, AppInstallsCollector.NAME), graph,
                override(settings, AppInstallsCollector.NAME, intervalOverride)));
        out.add(AutopilotCollector.create(block(settings, AutopilotCollector.NAME), graph,
                override(settings, AutopilotCollector.NAME, intervalOverride)));
        out.add(PartnersCollector.create(block(settings, PartnersCollector.NAME), graph, clock,
                override(settings, PartnersCollector.NAME, intervalOverride)));
        out.add(ComplianceSettingsCollector.create(block(settings, ComplianceSettingsCollector.NAME), graph,
                override(settings, ComplianceSettingsCollector.NAME, intervalOverride)));
        out.add(SoftwareUpdatesCollector.create(block(settings, SoftwareUpdatesCollector.NAME), graph,
                override(settings, SoftwareUpdatesCollector.NAME, intervalOverride)));
        out.add(AppTroubleshootingCollector.create(block(settings, AppTroubleshootingCollector.NAME), graph, clock,
                override(settings, AppTroubleshootingCollector.NAME, intervalOverride)));
        out.add(SubscriptionCollector.create(block(settings, SubscriptionCollector.NAME), graph,
                override(settings, SubscriptionCollector.NAME, intervalOverride)));
        out.add(AuditCollector.create(block(settings, AuditCollector.NAME), graph, clock,
                override(settings, AuditCollector.NAME, intervalOverride)));
        return out;
    }

    private static ConfigValues block(ExporterSettings settings, String name) {
        return new ConfigValues(settings.collectorBlock(name), "intune.collectors." + name);
    }

    /** The demo interval applies only to collectors the configuration leaves enabled. */
    private static Duration override(ExporterSettings settings, String name, Duration intervalOverride) {
        if (intervalOverride == null) {
            return null;
        }
        Duration configured = block(settings, name).interval("interval", Duration.ofSeconds(5));
        return configured.isZero() ? Duration.ZERO : intervalOverride;
    }
}
