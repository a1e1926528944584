package io.github.intuneexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapSizingTest {

    @Test
    void onlyTheJvmsOwnDefaultIsLowered() {
        assertEquals(
                "10", HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "40", true, VMOption.Origin.DEFAULT)));
        assertNull(
                HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "40", true, VMOption.Origin.VM_CREATION)),
                "set on the java command line: the operator's choice stays");
        assertNull(
                HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "30", true, VMOption.Origin.ENVIRON_VAR)),
                "set through JAVA_TOOL_OPTIONS: stays");
        assertNull(
                HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "5", true, VMOption.Origin.DEFAULT)),
                "already lower");
        assertNull(HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "40", false, VMOption.Origin.DEFAULT)));
        assertNull(HeapSizing.valueToSet(new VMOption("MinHeapFreeRatio", "?", true, VMOption.Origin.DEFAULT)));
    }

    @Test
    void theRunningJvmTakesTheValue() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        VMOption before = hotspot.getVMOption("MinHeapFreeRatio");
        try {
            HeapSizing.apply();
            VMOption after = hotspot.getVMOption("MinHeapFreeRatio");
            if (before.getOrigin() == VMOption.Origin.DEFAULT && Integer.parseInt(before.getValue()) > 10) {
                assertEquals("10", after.getValue());
                assertEquals(VMOption.Origin.MANAGEMENT, after.getOrigin());
            } else {
                assertEquals(before.getValue(), after.getValue(), "a value not from the JVM's default is kept");
            }
            HeapSizing.apply(); // a second call leaves the value alone (its origin is no longer the default)
            assertEquals(
                    after.getValue(), hotspot.getVMOption("MinHeapFreeRatio").getValue());
        } finally {
            if (before.getOrigin() == VMOption.Origin.DEFAULT) {
                hotspot.setVMOption("MinHeapFreeRatio", before.getValue());
            }
        }
    }
}
