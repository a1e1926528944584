package io.github.intuneexporter.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardTest {
    private static List<String> tenantIds(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new UUID(0x1234_5678L * (i + 1), i).toString());
        }
        return out;
    }

    @Test
    void replicasTogetherOwnEveryTenantExactlyOnce() {
        List<String> ids = tenantIds(500);
        for (int n = 1; n <= 7; n++) {
            int[] owners = new int[ids.size()];
            for (int i = 0; i < n; i++) {
                Shard shard = new Shard(i, n);
                for (int t = 0; t < ids.size(); t++) {
                    if (shard.owns(ids.get(t))) {
                        owners[t]++;
                    }
                }
            }
            for (int t = 0; t < ids.size(); t++) {
                assertEquals(1, owners[t], "tenant " + ids.get(t) + " with " + n + " shards");
            }
        }
    }

    @Test
    void sharesAreBalancedAndGrowingMovesTenantsOnlyToTheNewShard() {
        List<String> ids = tenantIds(3000);
        int[] perShard = new int[4];
        int moved = 0;
        for (String id : ids) {
            int before = Shard.of(id, 4);
            int after = Shard.of(id, 5);
            perShard[before]++;
            if (before != after) {
                assertEquals(4, after, "a tenant that moves goes to the new shard");
                moved++;
            }
        }
        for (int c : perShard) {
            assertTrue(c > 600 && c < 900, "balanced: " + java.util.Arrays.toString(perShard));
        }
        assertTrue(moved > 450 && moved < 750, "about 1/5 move: " + moved);
    }

    @Test
    void theTenantIdDecidesWhateverItsCase() {
        String id = "6F1C1B2A-0000-4000-8000-00000000ABCD";
        assertEquals(Shard.of(id, 9), Shard.of(id.toLowerCase(java.util.Locale.ROOT), 9));
    }

    @Test
    void parsesIndexAndCountAndTakesTheOrdinalFromAStatefulSetPodName() {
        assertEquals(Shard.ALL, Shard.parse("", null, "intune.shard"));
        assertEquals(new Shard(1, 3), Shard.parse("1/3", null, "intune.shard"));
        assertEquals(new Shard(2, 4), Shard.parse("auto/4", "intune-exporter-2", "intune.shard"));
        assertEquals(new Shard(0, 2), Shard.parse(" auto/2 ", "msp-eu-intune-exporter-0", "intune.shard"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "3/3    | web-0             | shard index 3 is not below the shard count 3",
                "0/0    | web-0             | the shard count must be at least 1",
                "1      | web-0             | expected INDEX/COUNT",
                "-1/2   | web-0             | expected INDEX/COUNT",
                "auto/3 | laptop            | HOSTNAME is 'laptop'",
                "auto/3 | web-5             | shard index 5 is not below the shard count 3",
                "1/99999999999 | web-0      | out of range",
            })
    void badShardsAreOneLineErrorsNamingTheKey(String spec, String host, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> Shard.parse(spec, host, "intune.shard"));
        assertTrue(e.getMessage().startsWith("intune.shard: ") && e.getMessage().contains(expected), e.getMessage());
    }
}
