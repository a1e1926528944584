package io.github.intuneexporter.http;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP basic authentication against bcrypt hashes (exporter-toolkit's basic_auth_users). A bcrypt check costs
 * tens of milliseconds by design, so credentials that passed once are remembered by their SHA-256 digest and
 * later scrapes do not pay again; wrong passwords always pay. An unknown user name is checked against a decoy
 * hash of the highest configured cost, as the toolkit does, so that the answer's timing does not tell which user
 * names exist.
 */
final class BcryptAuthenticator extends BasicAuthenticator {
    private static final int MAX_REMEMBERED = 64;

    /** One bcrypt comparison; a seam so that tests can see which hash a request was checked against. */
    @FunctionalInterface
    interface BcryptCheck {
        boolean matches(String hash, String password);
    }

    private final Map<String, String> users;
    private final String decoy;
    private final BcryptCheck check;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    BcryptAuthenticator(Map<String, String> users) {
        this(users, BcryptAuthenticator::bcrypt);
    }

    BcryptAuthenticator(Map<String, String> users, BcryptCheck check) {
        super("intune-exporter", StandardCharsets.UTF_8);
        this.users = users;
        this.check = check;
        this.decoy = decoyHash(maxCost(users));
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        if (user == null || password == null) {
            return false;
        }
        String hash = users.get(user);
        boolean known = hash != null;
        if (known && verified.contains(digest(user, password))) {
            return true;
        }
        // Unknown user: pay the same bcrypt price against the decoy, and refuse whatever the result.
        boolean ok = check.matches(known ? hash : decoy, password) && known;
        if (ok && verified.size() < MAX_REMEMBERED) {
            verified.add(digest(user, password));
        }
        return ok;
    }

    /** The decoy hash compared for unknown users. */
    String decoy() {
        return decoy;
    }

    static int maxCost(Map<String, String> users) {
        int cost = 4;
        for (String hash : users.values()) {
            try {
                cost = Math.max(cost, Integer.parseInt(hash.substring(4, 6)));
            } catch (RuntimeException e) {
                // validated at load; ignore a malformed one here
            }
        }
        return cost;
    }

    private static String decoyHash(int cost) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] password = new byte[18];
        new SecureRandom().nextBytes(password);
        return OpenBSDBCrypt.generate("2y", HexFormat.of().formatHex(password).toCharArray(), salt, cost);
    }

    private static boolean bcrypt(String hash, String password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String digest(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
