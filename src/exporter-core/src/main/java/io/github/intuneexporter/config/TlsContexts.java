package io.github.intuneexporter.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds the server's SSLContext from PEM files, the way exporter-toolkit's cert_file/key_file work. The key
 * manager re-reads the files when they change (certificate rotation without restart).
 */
public final class TlsContexts {
    private TlsContexts() {}

    public static SSLContext create(String where, WebConfig.Tls tls) {
        try {
            X509ExtendedKeyManager keys = new ReloadingKeyManager(where, tls.certFile(), tls.keyFile());
            TrustManager[] trust = null;
            if (tls.clientAuth().verify) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(where, "tls_server_config.client_ca_file", tls.clientCaFile())) {
                    store.setCertificateEntry("ca" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            } else if (tls.clientAuth().want) {
                trust = new TrustManager[] {new AnyClientCertificate()};
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {keys}, trust, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(where + ": tls_server_config: " + e.getMessage());
        }
    }

    /** A loaded key pair: the key manager built from it and the files' modification times it was read at. */
    record KeyPairFiles(X509ExtendedKeyManager manager, long certModified, long keyModified) {}

    /** The server's TLS parameters of {@code context} as the web configuration restricts them (versions, suites, client auth). */
    public static SSLParameters serverParameters(SSLContext context, WebConfig.Tls tls) {
        SSLParameters p = context.getDefaultSSLParameters();
        List<String> allowed = tls.protocols();
        p.setProtocols(Arrays.stream(p.getProtocols()).filter(allowed::contains).toArray(String[]::new));
        if (!tls.cipherSuites().isEmpty()) {
            // As in Go, the list covers TLS 1.2 and lower; TLS 1.3 suites are not configurable.
            List<String> suites = new ArrayList<>(tls.cipherSuites());
            suites.addAll(CipherSuites.TLS13);
            p.setCipherSuites(suites.toArray(String[]::new));
        }
        p.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
        if (tls.clientAuth().need) {
            p.setNeedClientAuth(true);
        } else if (tls.clientAuth().want) {
            p.setWantClientAuth(true);
        }
        return p;
    }

    /** Reads cert and key, checks that they belong together and builds a key manager for them. */
    static KeyPairFiles load(String where, Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        long certModified = Files.getLastModifiedTime(certFile).toMillis();
        long keyModified = Files.getLastModifiedTime(keyFile).toMillis();
        List<X509Certificate> chain = certificates(where, "tls_server_config.cert_file", certFile);
        PrivateKey key = privateKey(where, keyFile);
        checkPair(where, chain.get(0), key);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] inMemory = "in-memory".toCharArray();
        ks.setKeyEntry("server", key, inMemory, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, inMemory);
        for (var km : kmf.getKeyManagers()) {
            if (km instanceof X509ExtendedKeyManager x) {
                return new KeyPairFiles(x, certModified, keyModified);
            }
        }
        throw new GeneralSecurityException("no X.509 key manager in this Java runtime");
    }

    /**
     * The key must be the certificate's: sign a probe with the key and verify it with the certificate's public key.
     * Otherwise every handshake would fail later, far from the cause.
     */
    static void checkPair(String where, X509Certificate cert, PrivateKey key) {
        String mismatch = where + ": tls_server_config.key_file does not match the certificate in cert_file";
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (!cert.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(algorithm != null && algorithm.startsWith("Ed"))) {
            throw new ConfigException(mismatch);
        }
        if (algorithm == null) {
            return; // DSA and others: the algorithm check above is all we can do cheaply
        }
        try {
            byte[] probe = "intune-exporter key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new ConfigException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(mismatch + " (" + e.getMessage() + ")");
        }
    }

    static List<X509Certificate> certificates(String where, String name, Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigException(where + ": " + name + ": no certificate in " + file);
            }
            return out;
        } catch (CertificateException e) {
            throw new ConfigException(where + ": " + name + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String where, Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file);
                PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new ConfigException(
                    where + ": tls_server_config.key_file: no unencrypted PEM private key in " + file);
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new ConfigException(where + ": tls_server_config.key_file: " + e.getMessage());
        }
    }

    /** RequestClientCert and RequireAnyClientCert: a client certificate is asked for but not verified (as in Go). */
    private static final class AnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server certificates are not checked here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
