package io.github.intuneexporter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * Unknown user names must cost the same bcrypt comparison as known ones (the exporter-toolkit's decoy hash), or the
 * answer's timing tells an attacker which user names exist. Counted, not timed.
 */
class BcryptAuthenticatorTest {
    private static String bcrypt(String password, int cost) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
    }

    @Test
    void unknownUserIsCheckedAgainstADecoyOfTheHighestCost() {
        String cheap = bcrypt("a", 4);
        String dear = bcrypt("b", 6);
        List<String> checked = new ArrayList<>();
        BcryptAuthenticator auth = new BcryptAuthenticator(Map.of("cheap", cheap, "dear", dear), (hash, password) -> {
            checked.add(hash);
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        });
        assertFalse(auth.checkCredentials("nobody", "b"));
        assertEquals(1, checked.size(), "one bcrypt comparison for an unknown user");
        assertEquals(auth.decoy(), checked.get(0));
        assertEquals("06", auth.decoy().substring(4, 6), "decoy at the highest configured cost");

        checked.clear();
        assertFalse(auth.checkCredentials("dear", "wrong"));
        assertEquals(List.of(dear), checked, "a known user with a wrong password pays the same");
    }

    @Test
    void theDecoyNeverLetsAnyoneIn() {
        BcryptAuthenticator auth = new BcryptAuthenticator(Map.of("p", bcrypt("pw", 4)), (hash, password) -> true);
        assertFalse(auth.checkCredentials("nobody", "anything"), "even when the decoy comparison matches");
        assertTrue(auth.checkCredentials("p", "pw"));
    }

    @Test
    void rememberedCredentialsSkipBcryptButWrongOnesNever() {
        List<String> checked = new ArrayList<>();
        String hash = bcrypt("pw", 4);
        BcryptAuthenticator auth = new BcryptAuthenticator(Map.of("p", hash), (h, password) -> {
            checked.add(h);
            return OpenBSDBCrypt.checkPassword(h, password.toCharArray());
        });
        assertTrue(auth.checkCredentials("p", "pw"));
        assertTrue(auth.checkCredentials("p", "pw"));
        assertEquals(1, checked.size());
        assertFalse(auth.checkCredentials("p", "nope"));
        assertFalse(auth.checkCredentials("p", "nope"));
        assertEquals(3, checked.size());
    }
}
