package io.github.intuneexporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.intuneexporter.SimulatedGraph;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.graph.GraphException;
import io.github.intuneexporter.simulator.SimulatedTenant;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceCollectorTest {

    @Test
    void summariesAndPoliciesEqualTheSimulatedTenant() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(3000, 21)) {
            MetricSnapshots m = new ComplianceCollector(
                            g.api(),
                            Duration.ofMinutes(5),
                            new CollectorSettings.Compliance(Duration.ofMinutes(5), 200))
                    .collect();
            SimulatedTenant.Aggregates truth = g.tenant.aggregates();

            assertEquals(3000, SimulatedGraph.value(m, "intune_overview_enrolled_devices"), 0.0);
            assertEquals(
                    truth.overview().get("mdmEnrolledCount"),
                    SimulatedGraph.value(m, "intune_overview_mdm_enrolled_devices"),
                    0.0);
            assertEquals(
                    truth.operatingSystemSummary().get("windowsCount"),
                    SimulatedGraph.value(m, "intune_overview_devices", "operating_system", "windows"),
                    0.0);
            assertEquals(
                    truth.operatingSystemSummary().get("iosCount"),
                    SimulatedGraph.value(m, "intune_overview_devices", "operating_system", "ios"),
                    0.0);
            assertEquals(
                    truth.exchangeSummary().get("blockedDeviceCount"),
                    SimulatedGraph.value(m, "intune_exchange_access_devices", "state", "blocked"),
                    0.0);
            Map<String, String> summary = Map.of(
                    "compliantDeviceCount",
                    "compliant",
                    "nonCompliantDeviceCount",
                    "noncompliant",
                    "inGracePeriodCount",
                    "in_grace_period",
                    "errorDeviceCount",
                    "error",
                    "conflictDeviceCount",
                    "conflict",
                    "configManagerCount",
                    "config_manager",
                    "notApplicableDeviceCount",
                    "not_applicable",
                    "unknownDeviceCount",
                    "unknown",
                    "remediatedDeviceCount",
                    "remediated");
            summary.forEach((field, status) -> assertEquals(
                    truth.complianceStateSummary().get(field),
                    SimulatedGraph.value(m, "intune_compliance_state_devices", "status", status),
                    0.0,
                    status));

            assertEquals(
                    g.tenant.compliancePolicies().size(), SimulatedGraph.value(m, "intune_compliance_policies"), 0.0);
            for (SimulatedTenant.CompliancePolicy p : g.tenant.compliancePolicies()) {
                SimulatedTenant.PolicyOverview o = truth.policyOverviews().get(p.id());
                String platform = switch (p.odataType()) {
                    case "#microsoft.graph.windows10CompliancePolicy" -> "windows";
                    case "#microsoft.graph.iosCompliancePolicy" -> "ios";
                    case "#microsoft.graph.macOSCompliancePolicy" -> "macos";
                    case "#microsoft.graph.androidWorkProfileCompliancePolicy" -> "android";
                    case "#microsoft.graph.androidCompliancePolicy" -> "android";
                    default -> "unknown";
                };
                assertEquals(o.success(), value(m, p.displayName(), platform, "compliant"), 0.0);
                assertEquals(o.failed(), value(m, p.displayName(), platform, "noncompliant"), 0.0);
                assertEquals(o.error(), value(m, p.displayName(), platform, "error"), 0.0);
                assertEquals(o.pending(), value(m, p.displayName(), platform, "pending"), 0.0);
                assertEquals(o.notApplicable(), value(m, p.displayName(), platform, "not_applicable"), 0.0);
                assertTrue(Double.isNaN(value(m, p.displayName(), platform, "conflict")), "v1.0 has no conflictCount");
            }
        }
    }

    private static double value(MetricSnapshots m, String policy, String platform, String status) {
        return SimulatedGraph.value(
                m, "intune_compliance_policy_devices", "policy", policy, "platform", platform, "status", status);
    }

    @Test
    void maxPoliciesBoundsTheLabel() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(200, 2)) {
            MetricSnapshots m = new ComplianceCollector(
                            g.api(), Duration.ofMinutes(5), new CollectorSettings.Compliance(Duration.ofMinutes(5), 3))
                    .collect();
            int policies = g.tenant.compliancePolicies().size();
            assertTrue(policies > 3, "more policies than max-policies");
            List<String> names = SimulatedGraph.labelValues(m, "intune_compliance_policy_devices", "policy");
            List<String> first = g.tenant.compliancePolicies().stream()
                    .map(SimulatedTenant.CompliancePolicy::displayName)
                    .sorted()
                    .limit(3)
                    .toList();
            List<String> expected = new java.util.ArrayList<>(first);
            expected.add("_other");
            assertEquals(
                    expected.stream().sorted().toList(),
                    names.stream().sorted().toList(),
                    "the first 3 by name, the rest _other");
            SimulatedTenant.Aggregates truth = g.tenant.aggregates();
            long compliant = g.tenant.compliancePolicies().stream()
                    .mapToLong(p -> truth.policyOverviews().get(p.id()).success())
                    .sum();
            assertEquals(
                    compliant,
                    SimulatedGraph.sum(m, "intune_compliance_policy_devices", "status", "compliant"),
                    0.0,
                    "_other carries the policies beyond max-policies");
            assertEquals(policies, SimulatedGraph.value(m, "intune_compliance_policies"), 0.0);
            assertEquals(
                    2 + 1 + policies, g.simulator.requestCount(), "two summaries, the policy list and every overview");
        }
    }

    @Test
    void missingPermissionIsNamed() throws Exception {
        try (SimulatedGraph g = SimulatedGraph.start(50, 2)) {
            g.simulator.revokePermission("DeviceManagementConfiguration.Read.All");
            GraphException e = assertThrows(
                    GraphException.class,
                    () -> new ComplianceCollector(
                                    g.api(),
                                    Duration.ofMinutes(5),
                                    new CollectorSettings.Compliance(Duration.ofMinutes(5), 10))
                            .collect());
            assertEquals(403, e.status());
            assertTrue(e.getMessage().contains("DeviceManagementConfiguration.Read.All"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("/deviceManagement/deviceCompliancePolicyDeviceStateSummary"),
                    e.getMessage());
        }
    }
}
