package io.github.intuneexporter.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.intuneexporter.graph.IntuneThrottleBucket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphBudgetTest {
    @Test
    void withinTheShareNothingStretches() {
        // devices bucket: 2000 per 20 s = 360,000 per hour; 10% = 36,000. 1000 pages every 15 min = 4,000 per hour.
        Map<String, Duration> intervals = Map.of("devices", Duration.ofMinutes(15));
        Map<String, Map<IntuneThrottleBucket, Long>> perRun =
                Map.of("devices", Map.of(IntuneThrottleBucket.DEVICES, 1000L));
        assertEquals(1.0, new GraphBudget(0.1).stretch(intervals, perRun).get("devices"), 1e-9);
        assertEquals(4000.0, GraphBudget.perHour(intervals, perRun).get(IntuneThrottleBucket.DEVICES), 1e-9);
        assertEquals(360_000.0, GraphBudget.documentedPerHour(IntuneThrottleBucket.DEVICES), 1e-9);
    }

    @Test
    void anOverBudgetBucketStretchesEveryCollectorUsingItBackToTheShare() {
        Map<String, Duration> intervals = new LinkedHashMap<>();
        intervals.put("devices", Duration.ofMinutes(1));
        intervals.put("protection", Duration.ofMinutes(1));
        intervals.put("compliance", Duration.ofMinutes(1));
        Map<String, Map<IntuneThrottleBucket, Long>> perRun = new LinkedHashMap<>();
        perRun.put("devices", Map.of(IntuneThrottleBucket.DEVICES, 500L)); // 30,000 per hour
        perRun.put(
                "protection",
                Map.of(IntuneThrottleBucket.DEVICES, 700L)); // 42,000 per hour: 72,000 in all, twice 36,000
        perRun.put("compliance", Map.of(IntuneThrottleBucket.DEVICE_CONFIGURATION, 10L)); // 600 per hour of 18,000
        Map<String, Double> stretch = new GraphBudget(0.1).stretch(intervals, perRun);
        assertEquals(2.0, stretch.get("devices"), 1e-9);
        assertEquals(2.0, stretch.get("protection"), 1e-9);
        assertEquals(1.0, stretch.get("compliance"), 1e-9);
        Map<String, Duration> stretched = new LinkedHashMap<>();
        intervals.forEach((c, i) -> stretched.put(c, Duration.ofMillis(Math.round(i.toMillis() * stretch.get(c)))));
        assertEquals(
                36_000.0,
                GraphBudget.perHour(stretched, perRun).get(IntuneThrottleBucket.DEVICES),
                1e-6,
                "exactly the share");
    }

    @Test
    void shareZeroNeverStretches() {
        Map<String, Duration> intervals = Map.of("devices", Duration.ofSeconds(1));
        Map<String, Map<IntuneThrottleBucket, Long>> perRun =
                Map.of("devices", Map.of(IntuneThrottleBucket.DEVICES, 100_000L));
        assertEquals(1.0, new GraphBudget(0).stretch(intervals, perRun).get("devices"), 1e-9);
    }
}
