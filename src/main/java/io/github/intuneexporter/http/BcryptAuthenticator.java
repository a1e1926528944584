package io.github.intuneexporter.http;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP basic authentication against bcrypt hashes (exporter-toolkit's basic_auth_users). A bcrypt check costs
 * tens of milliseconds by design, so credentials that passed once are remembered by their SHA-256 digest and
 * later scrapes do not pay again; wrong passwords always pay.
 */
final class BcryptAuthenticator extends BasicAuthenticator {
    private static final int MAX_REMEMBERED = 64;
    private final Map<String, String> users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    BcryptAuthenticator(Map<String, String> users) {
        super("intune-exporter", StandardCharsets.UTF_8);
        this.users = users;
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        String hash = users.get(user);
        if (hash == null || password == null) {
            return false;
        }
        String digest = digest(user, password);
        if (verified.contains(digest)) {
            return true;
        }
        boolean ok;
        try {
            ok = OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (ok && verified.size() < MAX_REMEMBERED) {
            verified.add(digest);
        }
        return ok;
    }

    private static String digest(String user, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(user.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(password.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
