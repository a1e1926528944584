package io.github.intuneexporter.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vendored contract answers known facts of Graph v1.0 and beta. */
class GraphContractLoaderTest {
    private final GraphContract v1 = GraphContract.v1();
    private final GraphContract beta = GraphContract.beta();

    @Test
    void isAssignedIsBetaOnly() {
        assertFalse(v1.hasProperty("mobileApp", "isAssigned"));
        assertTrue(beta.hasProperty("mobileApp", "isAssigned"));
        assertTrue(v1.hasProperty("microsoft.graph.mobileApp", "displayName"));
        assertTrue(v1.hasProperty("mobileApp", "id"), "inherited from entity");
        assertTrue(v1.property("mobileApp", "assignments").orElseThrow().navigation());
    }

    @Test
    void postBodiesHoldOnlyDeclaredParametersAndProperties() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String report = "/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport";
        assertEquals(
                List.of("name", "select", "search", "groupBy", "orderBy", "skip", "top", "sessionId", "filter"),
                v1.resolve(report).operation().parameters());
        assertTrue(RequestCheck.checkBody(
                        v1,
                        "POST",
                        report,
                        json.readTree(
                                "{\"select\":[\"AppInstallState\"],\"filter\":\"(ApplicationId eq 'a')\",\"skip\":0,\"top\":50}"))
                .isEmpty());
        assertEquals(
                "The parameter 'pageSize' in the request payload is not a valid parameter for the operation "
                        + "'retrieveDeviceAppInstallationStatusReport'.",
                RequestCheck.checkBody(v1, "POST", report, json.readTree("{\"select\":[],\"pageSize\":50}"))
                        .orElseThrow()
                        .message());
        String jobs = "/deviceManagement/reports/exportJobs";
        assertTrue(RequestCheck.checkBody(
                        v1,
                        "POST",
                        jobs,
                        json.readTree("{\"reportName\":\"DeviceCompliance\",\"select\":[\"OS\"],\"format\":\"csv\"}"))
                .isEmpty());
        assertEquals(
                400,
                RequestCheck.checkBody(v1, "POST", jobs, json.readTree("{\"reportName\":\"Devices\",\"columns\":[]}"))
                        .orElseThrow()
                        .status());
        assertEquals(
                400,
                RequestCheck.checkBody(v1, "POST", report, json.readTree("[]"))
                        .orElseThrow()
                        .status());
    }

    @Test
    void derivedTypesInheritAndAddProperties() {
        assertTrue(v1.isA("microsoft.graph.win32LobApp", "microsoft.graph.mobileApp"));
        assertTrue(v1.hasProperty("win32LobApp", "displayName"));
        assertFalse(v1.hasProperty("mobileApp", "installCommandLine"));
        assertTrue(v1.hasProperty("win32LobApp", "installCommandLine"));
    }

    @Test
    void managementAgentTypeMembersAndValues() {
        assertEquals(
                List.of(
                        "eas",
                        "mdm",
                        "easMdm",
                        "intuneClient",
                        "easIntuneClient",
                        "configurationManagerClient",
                        "configurationManagerClientMdm",
                        "configurationManagerClientMdmEas",
                        "unknown",
                        "jamf",
                        "googleCloudDevicePolicyController",
                        "microsoft365ManagedMdm",
                        "msSense"),
                v1.enumMembers("managementAgentType"));
        assertEquals(
                11L,
                v1.enumValue("managementAgentType", "configurationManagerClientMdmEas")
                        .orElseThrow());
        assertEquals(1024L, v1.enumValue("managementAgentType", "msSense").orElseThrow());
        assertFalse(v1.enumMembers("managementAgentType").contains("intuneAosp"));
        assertTrue(beta.enumMembers("managementAgentType").contains("intuneAosp"), "beta adds intuneAosp");
        assertEquals(
                "microsoft.graph.managementAgentType",
                v1.property("managedDevice", "managementAgent").orElseThrow().type());
    }

    @Test
    void pathsResolve() {
        ResolvedPath devices = v1.resolve("/deviceManagement/managedDevices");
        assertTrue(devices.found());
        assertTrue(devices.collection());
        assertEquals("microsoft.graph.managedDevice", devices.type());
        ResolvedPath one = v1.resolve("/deviceManagement/managedDevices/abc/windowsProtectionState");
        assertEquals("microsoft.graph.windowsProtectionState", one.type());
        assertFalse(one.collection());
        ResolvedPath cast = v1.resolve("/deviceAppManagement/mobileApps/microsoft.graph.win32LobApp");
        assertEquals("microsoft.graph.win32LobApp", cast.type());
        assertTrue(cast.collection());
        assertFalse(
                v1.resolve("/deviceManagement/managedDevices/microsoft.graph.windowsManagedDevice")
                        .found(),
                "beta-only type");
        assertTrue(beta.resolve("/deviceManagement/managedDevices/microsoft.graph.windowsManagedDevice")
                .found());
        assertEquals(
                "autopilotEvents",
                v1.resolve("/deviceManagement/autopilotEvents").failedSegment());
        assertEquals(
                "microsoft.graph.deviceManagementAutopilotEvent",
                beta.resolve("/deviceManagement/autopilotEvents").type());
        ResolvedPath job = v1.resolve("/deviceManagement/reports/exportJobs('Devices_123')");
        assertEquals("microsoft.graph.deviceManagementExportJob", job.type());
        assertFalse(job.collection());
        assertTrue(v1.resolve("/applications(appId='00000000-0000-0000-0000-000000000001')")
                .found());
        assertFalse(v1.resolve("/deviceManagement/noSuchThing").found());
        assertEquals("noSuchThing", v1.resolve("/deviceManagement/noSuchThing").failedSegment());
    }

    @Test
    void boundOperationsReturnTheirType() {
        assertEquals(
                "Edm.Stream",
                v1.returnType("deviceManagementReports", "retrieveDeviceAppInstallationStatusReport")
                        .orElseThrow());
        assertTrue(
                v1.returnType("deviceManagementReports", "getAppsInstallSummaryReport")
                        .isEmpty(),
                "beta only");
        assertEquals(
                "Edm.Stream",
                beta.returnType("deviceManagementReports", "getAppsInstallSummaryReport")
                        .orElseThrow());
        ResolvedPath action = v1.resolve("/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport");
        assertTrue(action.isAction());
    }

    @Test
    void requestsGraphRefuses() {
        Rejection r = RequestCheck.check(
                        v1, "GET", "/deviceAppManagement/mobileApps", Map.of("$select", "id,displayName,isAssigned"))
                .orElseThrow();
        assertEquals(400, r.status());
        assertEquals("Could not find a property named 'isAssigned' on type 'microsoft.graph.mobileApp'.", r.message());
        assertTrue(RequestCheck.check(
                        beta, "GET", "/deviceAppManagement/mobileApps", Map.of("$select", "id,displayName,isAssigned"))
                .isEmpty());
        assertTrue(RequestCheck.check(
                        v1,
                        "GET",
                        "/deviceAppManagement/mobileApps",
                        Map.of("$select", "id,displayName", "$expand", "assignments($select=id,target)"))
                .isEmpty());
        assertEquals(
                "Resource not found for the segment 'mobileAppz'.",
                RequestCheck.check(v1, "GET", "/deviceAppManagement/mobileAppz", Map.of())
                        .orElseThrow()
                        .message());
        assertEquals(
                404,
                RequestCheck.check(v1, "GET", "/deviceAppManagement/mobileAppz", Map.of())
                        .orElseThrow()
                        .status());
        assertEquals(
                "Could not find a property named 'osName' on type 'microsoft.graph.managedDevice'.",
                RequestCheck.check(
                                v1,
                                "GET",
                                "/deviceManagement/managedDevices",
                                Map.of("$filter", "osName eq 'Windows' and lastSyncDateTime gt 2024-01-01T00:00:00Z"))
                        .orElseThrow()
                        .message());
        assertTrue(RequestCheck.check(
                        v1,
                        "GET",
                        "/deviceManagement/managedDevices",
                        Map.of(
                                "$filter",
                                "operatingSystem eq 'Windows' and lastSyncDateTime gt 2024-01-01T00:00:00Z",
                                "$orderby",
                                "enrolledDateTime desc",
                                "$top",
                                "1"))
                .isEmpty());
        assertEquals(
                "Could not find a property named 'bogus' on type 'microsoft.graph.managedDevice'.",
                RequestCheck.check(v1, "GET", "/deviceManagement/managedDevices", Map.of("$orderby", "bogus desc"))
                        .orElseThrow()
                        .message());
        // Which options an endpoint supports is on its reference page, not in the metadata: StrictSimulatorTest checks
        // those.
        assertEquals(
                400,
                RequestCheck.check(v1, "GET", "/deviceManagement/managedDeviceOverview", Map.of("$top", "1"))
                        .orElseThrow()
                        .status(),
                "$top on a single resource");
        assertEquals(
                400,
                RequestCheck.check(v1, "GET", "/deviceManagement/managedDevices", Map.of("$bogus", "1"))
                        .orElseThrow()
                        .status());
        assertEquals(
                400,
                RequestCheck.check(v1, "GET", "/deviceManagement/managedDevices", Map.of("$expand", "deviceName"))
                        .orElseThrow()
                        .status(),
                "structural properties cannot be expanded");
    }

    /** The loader's reading of the CSDL agrees with Microsoft's own v1.0 name lists, type by type. */
    @Test
    void theCsdlLoaderAgreesWithMicrosoftsV1NameLists() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        int checked = 0;
        for (String file : List.of("v1.0-entity-types.json.gz", "v1.0-complex-types.json.gz")) {
            com.fasterxml.jackson.databind.JsonNode root;
            try (var in = new java.util.zip.GZIPInputStream(
                    GraphContract.class.getResourceAsStream("/graph-contract/" + file))) {
                root = m.readTree(in);
            }
            for (var ns = root.fields(); ns.hasNext(); ) {
                var namespace = ns.next();
                for (var it = namespace.getValue().fields(); it.hasNext(); ) {
                    var t = it.next();
                    String name = namespace.getKey() + "." + t.getKey();
                    java.util.Set<String> listed = new java.util.TreeSet<>();
                    t.getValue().path("properties").forEach(n -> listed.add(n.asText()));
                    t.getValue().path("navigationProperties").forEach(n -> listed.add(n.asText()));
                    assertEquals(
                            listed,
                            new java.util.TreeSet<>(v1.type(name)
                                    .orElseThrow(() -> new AssertionError(name))
                                    .own()
                                    .keySet()),
                            name);
                    checked++;
                }
            }
        }
        assertTrue(checked > 1000, "types checked: " + checked);
        com.fasterxml.jackson.databind.JsonNode enums;
        try (var in = new java.util.zip.GZIPInputStream(
                GraphContract.class.getResourceAsStream("/graph-contract/v1.0-enum-types.json.gz"))) {
            enums = m.readTree(in);
        }
        for (var it = enums.path("microsoft.graph").fields(); it.hasNext(); ) {
            var e = it.next();
            java.util.Set<String> listed = new java.util.TreeSet<>();
            e.getValue().forEach(n -> listed.add(n.asText()));
            assertEquals(listed, new java.util.TreeSet<>(v1.enumMembers(e.getKey())), e.getKey());
        }
    }

    @Test
    void responsesAreChecked() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        ResolvedPath devices = v1.resolve("/deviceManagement/managedDevices");
        assertEquals(
                List.of(),
                ResponseCheck.check(
                        v1,
                        devices,
                        m.readTree(
                                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"1\","
                                        + "\"managementAgent\":\"mdm\",\"lastSyncDateTime\":\"2026-01-01T00:00:00Z\",\"operatingSystem\":\"Windows\"}]}")));
        List<String> bad = ResponseCheck.check(
                v1,
                devices,
                m.readTree(
                        "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"1\","
                                + "\"managementAgent\":\"intuneAosp\",\"lastSyncDateTime\":\"yesterday\",\"ownerType\":\"company\"}],\"extra\":1}"));
        assertEquals(4, bad.size(), bad.toString());
        assertTrue(bad.stream().anyMatch(v -> v.contains("'intuneAosp' is not a member")), bad.toString());
        assertTrue(bad.stream().anyMatch(v -> v.contains("no property 'ownerType'")), bad.toString());
        ResolvedPath apps = v1.resolve("/deviceAppManagement/mobileApps");
        assertEquals(
                List.of(),
                ResponseCheck.check(
                        v1,
                        apps,
                        m.readTree(
                                "{\"@odata.context\":\"x\",\"value\":[{\"@odata.type\":"
                                        + "\"#microsoft.graph.win32LobApp\",\"id\":\"1\",\"installCommandLine\":\"setup.exe\"}]}")));
        assertEquals(
                1,
                ResponseCheck.check(
                                v1,
                                apps,
                                m.readTree("{\"@odata.context\":\"x\",\"value\":[{\"id\":\"1\",\"isAssigned\":true}]}"))
                        .size());
        ResolvedPath report = v1.resolve("/deviceManagement/reports/retrieveDeviceAppInstallationStatusReport");
        assertEquals(
                List.of(),
                ResponseCheck.check(
                        v1,
                        report,
                        m.readTree("{\"TotalRowCount\":1,\"Schema\":[{\"Column\":\"A\","
                                + "\"PropertyType\":\"Int32\"}],\"Values\":[[1]]}")));
        assertEquals(
                1,
                ResponseCheck.check(
                                v1,
                                report,
                                m.readTree("{\"TotalRowCount\":1,\"Schema\":[{\"Column\":\"A\","
                                        + "\"PropertyType\":\"Int32\"}],\"Values\":[[1,2]]}"))
                        .size());
    }

    @Test
    void queryOptionsNameOnlyDeclaredPropertiesAtEveryDepth() {
        String app = "microsoft.graph.mobileApp";
        assertEquals("", rejection(RequestCheck.checkSelect(v1, app, "id, displayName,*")));
        assertEquals(
                "Could not find a property named 'nope' on type 'microsoft.graph.mobileApp'.",
                rejection(RequestCheck.checkSelect(v1, app, "id,nope,alsoNope")));
        assertEquals("", rejection(RequestCheck.checkOrderBy(v1, app, "displayName desc, id")));
        assertEquals(
                "Syntax error in $orderby: 'displayName sideways'.",
                rejection(RequestCheck.checkOrderBy(v1, app, "id,displayName sideways")));
        assertEquals("", rejection(RequestCheck.checkExpand(v1, app, "*")));
        assertEquals(
                "",
                rejection(RequestCheck.checkExpand(
                        v1, app, " assignments($select=id,target;$orderby=id desc;$top=5;unknown=1)")));
        assertEquals(
                "Property 'displayName' on type 'microsoft.graph.mobileApp' is not a navigation property or complex "
                        + "property. Only navigation properties can be expanded.",
                rejection(RequestCheck.checkExpand(v1, app, "assignments,displayName")));
        assertEquals(
                "Could not find a property named 'nope' on type 'microsoft.graph.mobileApp'.",
                rejection(RequestCheck.checkExpand(v1, app, "nope")));
        assertTrue(rejection(RequestCheck.checkExpand(v1, app, "assignments($select=id,nope)"))
                .startsWith("Could not find a property named 'nope' on type "));
        assertEquals(
                "Syntax error in $orderby: 'id up down'.",
                rejection(RequestCheck.checkExpand(v1, app, "assignments($orderby=id up down)")));
    }

    private static String rejection(java.util.Optional<Rejection> r) {
        return r.map(Rejection::message).orElse("");
    }
}
