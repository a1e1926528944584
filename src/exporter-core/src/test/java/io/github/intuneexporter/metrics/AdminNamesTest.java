package io.github.intuneexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminNamesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Kiosk - jane.doe@contoso.com            | jane.doe         | Kiosk - email-",
                "iPad for j.smith@contoso.onmicrosoft.com | j.smith         | iPad for email-",
                "CONTOSO\\jdoe laptops                    | jdoe            | account-",
                "Phone +44 20 7946 0958                   | 7946            | Phone phone-",
                "Hotline (555) 123-4567                   | 123-4567        | Hotline phone-",
                "Laptop C02XK0AAJGH5                      | C02XK0AAJGH5    | Laptop serial-",
                "Surface 5CG1234XYZ                       | 5CG1234XYZ      | Surface serial-",
            })
    void personalDataIsHashed(String raw, String personal, String expectedStart) {
        String label = AdminNames.label("test family", raw);
        assertFalse(label.contains(personal), label);
        assertTrue(label.startsWith(expectedStart), label);
        assertEquals(label, AdminNames.label("test family", raw), "stable across runs");
        assertTrue(AdminNames.looksPersonal(raw));
    }

    @Test
    void objectIdsAreNotPhoneNumbers() {
        // 8 digits in the first group, and 8 across a hyphen: both looked like phone numbers before.
        for (String id : List.of("12345678-998d-4814-bf70-3b3e5ca3c32c", "3067d58e-1234-5678-a3d0-b70d74602c71")) {
            assertEquals(id, AdminNames.label("test family", id));
            assertEquals("Connector " + id, AdminNames.label("test family", "Connector " + id));
            assertFalse(AdminNames.looksPersonal(id), id);
        }
        // A phone number beside an id is still hashed, the id kept.
        String mixed = AdminNames.label("test family", "12345678-998d-4814-bf70-3b3e5ca3c32c +44 20 7946 0958");
        assertTrue(mixed.startsWith("12345678-998d-4814-bf70-3b3e5ca3c32c phone-"), mixed);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Windows 10 - BitLocker baseline", "iOS 17 compliance", "WIN10 Kiosk", "O365 Apps for enterprise",
                "Policy v2.1 (2024-05)", "Microsoft 365 Apps", "Android Enterprise COPE", "Block USB 2024"
            })
    void ordinaryNamesStayReadable(String raw) {
        assertEquals(raw, AdminNames.label("test family", raw));
        assertFalse(AdminNames.looksPersonal(raw));
    }

    @Test
    void differentPeopleGetDifferentLabels() {
        assertNotEquals(AdminNames.label("f", "Kiosk a@contoso.com"), AdminNames.label("f", "Kiosk b@contoso.com"));
    }

    @Test
    void blankLongAndSpacedNames() {
        assertEquals(AdminNames.UNNAMED, AdminNames.label("f", null));
        assertEquals(AdminNames.UNNAMED, AdminNames.label("f", " \t"));
        assertEquals("a b", AdminNames.label("f", " a \n b "));
        assertEquals(120, AdminNames.label("f", "x".repeat(500)).length());
    }

    @Test
    void topNKeepsTheFirstNamesAndPutsTheRestInOther() {
        AdminNames.TopN top = new AdminNames.TopN("f", "setting", 2);
        List<String> labels =
                List.of("a", "b", "a", "c", "d").stream().map(top::label).toList();
        assertEquals(List.of("a", "b", "a", AdminNames.OTHER, AdminNames.OTHER), labels);
        top.finish();
        GaugeFamily g = GaugeFamily.of("x", "x", "name");
        for (int i = 0; i < labels.size(); i++) {
            g.add(1, labels.get(i));
        }
        assertEquals(2, g.get(AdminNames.OTHER), 0.0, "the rest adds up under _other");
    }
}
