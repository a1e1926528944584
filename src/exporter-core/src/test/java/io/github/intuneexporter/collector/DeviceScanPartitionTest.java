package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.simulator.FaultRule;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A scan split into parallel enrolledDateTime ranges must count exactly what one plain scan counts. */
class DeviceScanPartitionTest {
    private static final List<Integer> STALE_DAYS = List.of(1, 7, 14, 30, 90);
    private static final int DEVICES = 3000;

    private static DeviceInventoryCollector collector(SimulatedGraph g, int concurrency) {
        return new DeviceInventoryCollector(
                g.api(),
                SimulatedGraph.fixedClock(),
                new CollectorSettings.Devices(
                        Duration.ofMinutes(15),
                        STALE_DAYS,
                        concurrency,
                        CollectorSettings.DeviceSource.GRAPH_LIST,
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1)));
    }

    static Map<String, Double> series(MetricSnapshots snapshots) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSnapshot s : snapshots) {
            for (DataPointSnapshot d : s.getDataPoints()) {
                out.put(
                        s.getMetadata().getPrometheusName() + d.getLabels(),
                        ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue());
            }
        }
        return out;
    }

    /** Puts devices exactly on, one tick before and one tick after every boundary, and a few more just around them. */
    private static int pinAround(SimulatedTenant tenant, List<Instant> boundaries, int next) {
        for (Instant b : boundaries) {
            tenant.pinEnrollment(next++, b);
            tenant.pinEnrollment(next++, b);
            tenant.pinEnrollment(next++, b.minusNanos(100));
            tenant.pinEnrollment(next++, b.plusNanos(100));
            tenant.pinEnrollment(next++, b.minusMillis(1));
            tenant.pinEnrollment(next++, b.plusSeconds(1));
        }
        return next;
    }

    @Test
    void partitionedTotalsEqualThePlainScanIncludingDevicesOnBoundaries() throws Exception {
        SimulatedTenant tenant =
                new SimulatedTenant(17, DEVICES, SimulatedGraph.fixedClock(), Duration.ofMinutes(1), 0.05);
        List<Instant> initial = ScanPartitions.initial(SimulatedGraph.NOW, 4);
        assertEquals(3, initial.size());
        int next = pinAround(tenant, initial, 10);
        // Graph's "unknown" enrollment date, far past, far future (clock skew): each lands in exactly one range.
        tenant.pinEnrollment(next++, Instant.parse("0001-01-01T00:00:00Z"));
        tenant.pinEnrollment(next++, Instant.parse("2009-06-01T10:00:00Z"));
        tenant.pinEnrollment(next++, SimulatedGraph.NOW.plusSeconds(86400));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            Map<String, Double> plain = series(collector(g, 1).collect());
            long plainRequests = g.simulator.requestCount("/deviceManagement/managedDevices");
            assertEquals(30, plainRequests);
            assertEquals(
                    DEVICES,
                    plain.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("intune_managed_devices{"))
                            .mapToDouble(Map.Entry::getValue)
                            .sum(),
                    0.0);

            DeviceInventoryCollector partitioned = collector(g, 4);
            assertEquals(initial, partitioned.nextBoundaries());
            Map<String, Double> parts = series(partitioned.collect());
            assertEquals(plain, parts);
            long partRequests = g.simulator.requestCount("/deviceManagement/managedDevices") - plainRequests;
            // Each range ends with at most one partial page: ceil(devices / page) + ranges at most.
            assertTrue(partRequests >= 4 && partRequests <= 30 + 4, "requests " + partRequests);

            // The next run splits by the measured enrollment dates; devices on those boundaries are counted once too.
            List<Instant> balanced = partitioned.nextBoundaries();
            assertEquals(3, balanced.size());
            assertNotEquals(initial, balanced);
            pinAround(tenant, balanced, next);
            Map<String, Double> plainAgain = series(collector(g, 1).collect());
            assertEquals(plainAgain, series(partitioned.collect()));
        }
    }

    @Test
    void balancedBoundariesSplitTheFleetEvenly() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(3, 4000, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "")) {
            DeviceInventoryCollector partitioned = collector(g, 4);
            partitioned.collect();
            List<Instant> b = partitioned.nextBoundaries();
            long[] perRange = new long[b.size() + 1];
            tenant.forEachDevice(d -> {
                int r = 0;
                while (r < b.size() && !d.enrolledDateTime().isBefore(b.get(r))) {
                    r++;
                }
                perRange[r]++;
            });
            for (long n : perRange) {
                assertTrue(Math.abs(n - 1000) < 60, "range sizes " + java.util.Arrays.toString(perRange));
            }
        }
    }

    @Test
    void aFailedRangeFailsTheWholeRunAndNothingIsMerged() throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(5, 2000, SimulatedGraph.fixedClock(), Duration.ofMinutes(1));
        try (SimulatedGraph g = SimulatedGraph.start(tenant, "intune.graph.page-size = 100")) {
            g.simulator.setFaults(List.of(
                    new FaultRule(FaultRule.Kind.MALFORMED, "managedDevices", 0.2, Duration.ZERO, Duration.ZERO)));
            GraphException e =
                    assertThrows(GraphException.class, () -> collector(g, 4).collect());
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        }
    }

    @Test
    void filtersCoverEveryInstantExactlyOnce() {
        List<Instant> b = List.of(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"));
        assertEquals(
                List.of(
                        "enrolledDateTime lt 2024-01-01T00:00:00.0000000Z",
                        "enrolledDateTime gt 2023-12-31T23:59:59.9999999Z and enrolledDateTime lt 2025-01-01T00:00:00.0000000Z",
                        "enrolledDateTime gt 2024-12-31T23:59:59.9999999Z"),
                ScanPartitions.filters(b));
        assertEquals(java.util.Collections.singletonList(null), ScanPartitions.filters(List.of()));
    }
}
