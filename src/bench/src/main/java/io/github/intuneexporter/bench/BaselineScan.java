package io.github.intuneexporter.bench;

import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.ManagedDevice;
import com.microsoft.graph.models.ManagedDeviceCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.serialization.ValuedEnum;
import io.github.intuneexporter.collector.DeviceTally;
import java.time.OffsetDateTime;

/**
 * The straightforward SDK approach the benchmark compares against: {@code managedDevices().get()} without
 * $select, then {@link PageIterator} over typed {@link ManagedDevice} models (every field deserialised). It
 * counts into the same {@link DeviceTally} as the exporter, so the comparison is about reading Graph, and the two
 * results must be equal.
 */
final class BaselineScan {
    private BaselineScan() {}

    /** Scans every managed device into {@code tally}; returns the number of devices. */
    static long run(GraphServiceClient client, DeviceTally tally) throws Exception {
        ManagedDeviceCollectionResponse first =
                client.deviceManagement().managedDevices().get();
        long[] devices = {0};
        PageIterator<ManagedDevice, ManagedDeviceCollectionResponse> pages = new PageIterator.Builder<
                        ManagedDevice, ManagedDeviceCollectionResponse>()
                .client(client)
                .collectionPage(first)
                .collectionPageFactory(ManagedDeviceCollectionResponse::createFromDiscriminatorValue)
                .processPageItemCallback(d -> {
                    tally.add(
                            d.getOperatingSystem(),
                            wire(d.getComplianceState()),
                            wire(d.getManagedDeviceOwnerType()),
                            wire(d.getManagementAgent()),
                            wire(d.getDeviceEnrollmentType()),
                            wire(d.getManagementState()),
                            Boolean.TRUE.equals(d.getIsEncrypted()),
                            d.getJailBroken(),
                            epochSecond(d.getLastSyncDateTime()));
                    tally.addRisk(
                            d.getOperatingSystem(),
                            d.getOsVersion(),
                            d.getAndroidSecurityPatchLevel(),
                            epochSecond(d.getManagementCertificateExpirationDate()),
                            epochSecond(d.getComplianceGracePeriodExpirationDateTime()));
                    devices[0]++;
                    return true;
                })
                .build();
        pages.iterate();
        return devices[0];
    }

    /** The wire string of an SDK enum; the SDK turns values it does not know into null. */
    private static String wire(ValuedEnum value) {
        return value == null ? null : value.getValue();
    }

    /** Graph's "never" (0001-01-01) and anything before 1971 count as never synced, as in the exporter. */
    private static long epochSecond(OffsetDateTime t) {
        if (t == null || t.toEpochSecond() < 31_536_000L) {
            return DeviceTally.NEVER;
        }
        return t.toEpochSecond();
    }
}
