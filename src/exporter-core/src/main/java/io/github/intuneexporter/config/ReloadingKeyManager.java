package io.github.intuneexporter.config;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key manager, re-reading cert_file and key_file when either file's modification time changes (checked
 * at most once a second, on a handshake), so a rotated certificate is served without a restart. A new pair that is
 * unreadable or does not match is logged and the previous one kept: a half-written rotation never takes TLS down.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
    private static final long CHECK_EVERY_MILLIS = 1000;

    private final String where;
    private final Path certFile;
    private final Path keyFile;
    private final LongSupplier clock;
    private volatile TlsContexts.KeyPairFiles current;
    private volatile long lastCheck;

    ReloadingKeyManager(String where, Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        this(where, certFile, keyFile, System::currentTimeMillis);
    }

    ReloadingKeyManager(String where, Path certFile, Path keyFile, LongSupplier clock)
            throws IOException, GeneralSecurityException {
        this.where = where;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.clock = clock;
        this.current = TlsContexts.load(where, certFile, keyFile);
        this.lastCheck = clock.getAsLong();
    }

    /** The key manager for the files as they are now, reloading them if they changed since the last check. */
    X509ExtendedKeyManager delegate() {
        long now = clock.getAsLong();
        if (now - lastCheck >= CHECK_EVERY_MILLIS) {
            synchronized (this) {
                if (now - lastCheck >= CHECK_EVERY_MILLIS) {
                    lastCheck = now;
                    reloadIfChanged();
                }
            }
        }
        return current.manager();
    }

    private void reloadIfChanged() {
        try {
            long cert = Files.getLastModifiedTime(certFile).toMillis();
            long key = Files.getLastModifiedTime(keyFile).toMillis();
            if (cert == current.certModified() && key == current.keyModified()) {
                return;
            }
            current = TlsContexts.load(where, certFile, keyFile);
            LOG.info("TLS certificate and key re-read from {} and {}", certFile, keyFile);
        } catch (IOException | GeneralSecurityException | ConfigException e) {
            LOG.warn(
                    "TLS certificate or key changed but cannot be used yet, serving the previous pair: {}",
                    e.getMessage());
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return delegate().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return delegate().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.manager().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.manager().getPrivateKey(alias);
    }
}
