package io.github.intuneexporter;

import com.typesafe.config.Config;
import io.github.intuneexporter.config.ExporterSettings;

/**
 * Whether a reload leaves a tenant as it is: same name, display name, credential, Graph settings and every key that
 * shapes its collection. The web block, the tenant list itself, the number of demo tenants and the shard are left
 * out: they do not change how this tenant is read.
 */
final class TenantFingerprint {
    private TenantFingerprint() {}

    static boolean same(ExporterSettings.Tenant a, ExporterSettings.Tenant b) {
        return a.name().equals(b.name())
                && a.displayName().equals(b.displayName())
                && a.settings().auth().equals(b.settings().auth())
                && a.settings().graph().equals(b.settings().graph())
                && collectionKeys(a.settings().raw())
                        .equals(collectionKeys(b.settings().raw()));
    }

    private static Object collectionKeys(Config raw) {
        return raw.withoutPath("intune.web")
                .withoutPath("intune.tenants")
                .withoutPath("intune.demo.tenants")
                .withoutPath("intune.shard")
                .root()
                .unwrapped();
    }
}
