package io.github.intuneexporter.http;

import io.github.intuneexporter.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Builds the server's SSLContext from PEM files, the way exporter-toolkit's cert_file/key_file work. */
final class TlsContexts {
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private TlsContexts() {}

    static SSLContext create(String where, WebConfig.Tls tls) {
        try {
            List<X509Certificate> chain = certificates(where, "tls_server_config.cert_file", tls.certFile());
            PrivateKey key = privateKey(where, tls.keyFile());
            if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
                throw new ConfigException(where + ": tls_server_config.key_file does not match the certificate in cert_file");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, IN_MEMORY, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, IN_MEMORY);
            TrustManagerFactory tmf = null;
            if (tls.requireClientCert()) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(where, "tls_server_config.client_ca_file", tls.clientCaFile())) {
                    trust.setCertificateEntry("ca" + i++, ca);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(where + ": tls_server_config: " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(String where, String name, Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigException(where + ": " + name + ": no certificate in " + file);
            }
            return out;
        } catch (java.security.cert.CertificateException e) {
            throw new ConfigException(where + ": " + name + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String where, Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new ConfigException(where + ": tls_server_config.key_file: no unencrypted PEM private key in " + file);
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new ConfigException(where + ": tls_server_config.key_file: " + e.getMessage());
        }
    }
}
