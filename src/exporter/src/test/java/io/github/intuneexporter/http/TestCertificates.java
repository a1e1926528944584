package io.github.intuneexporter.http;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for TLS tests, written as PEM the way operators would have them. */
public final class TestCertificates {
    final KeyPair keys;
    final X509Certificate certificate;
    final Path certFile;
    final Path keyFile;

    private TestCertificates(KeyPair keys, X509Certificate certificate, Path certFile, Path keyFile) {
        this.keys = keys;
        this.certificate = certificate;
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    /** A certificate for 127.0.0.1 and localhost; {@code algorithm} RSA or EC; {@code pkcs8} picks the key file format. */
    public static TestCertificates create(Path dir, String name, String algorithm, boolean pkcs8) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(algorithm);
        gen.initialize(algorithm.equals("EC") ? 256 : 2048);
        KeyPair keys = gen.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                subject,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
        }));
        String signer = algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signer).build(keys.getPrivate())));
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem(cert));
        if (pkcs8) {
            Files.writeString(
                    keyFile,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes())
                                    .encodeToString(keys.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n");
        } else {
            Files.writeString(keyFile, pem(keys.getPrivate())); // PKCS#1 "RSA PRIVATE KEY" / SEC1 "EC PRIVATE KEY"
        }
        return new TestCertificates(keys, cert, certFile, keyFile);
    }

    /** A server SSLContext presenting this certificate (for a test HTTPS server). */
    public SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), "x".toCharArray(), new X509Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** Writes a PKCS#12 trust store holding only this certificate, for another JVM's -Djavax.net.ssl.trustStore. */
    public Path trustStore(Path file, String password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("trusted", certificate);
        try (var out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
        return file;
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    /** A client SSLContext that trusts {@code server} and, when {@code client} is not null, presents it. */
    static SSLContext clientContext(TestCertificates server, TestCertificates client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", server.certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(
                    "client", client.keys.getPrivate(), "x".toCharArray(), new X509Certificate[] {client.certificate});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
