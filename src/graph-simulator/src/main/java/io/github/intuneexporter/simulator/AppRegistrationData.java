package io.github.intuneexporter.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The exporter's own app registration in the simulated tenant: two client secrets (the one in use expires in
 * about 20 days, its successor in about 300) and one certificate, the bundled demo certificate, whose SHA-1
 * thumbprint Graph reports as customKeyIdentifier. Demo mode signs in with a fixed token; {@link #DEMO_CLIENT_ID}
 * and {@link #DEMO_CLIENT_SECRET} exist so that the credentials collector can match "its" secret to the
 * registration's hint, as it does against a real tenant.
 */
public final class AppRegistrationData {
    /** The appId (client id) of the simulated app registration. */
    public static final String DEMO_CLIENT_ID = "5b1f7c9e-2d4a-4c8e-9a61-3e7d0f2b8c45";
    /** Not a secret: the demo value whose first three characters are the in-use secret's hint. */
    public static final String DEMO_CLIENT_SECRET = "Xq7~sim.DEMO-secret-not-for-production-0";
    /** Classpath resource of the demo certificate (public certificate only, no private key). */
    public static final String DEMO_CERTIFICATE = "/simulator/demo-app-certificate.pem";

    public record PasswordCredential(String keyId, String displayName, String hint, Instant start, Instant end) {}

    /** {@code customKeyIdentifier} and {@code key} are the raw bytes Graph sends base64-encoded. */
    public record KeyCredential(
            String keyId,
            String displayName,
            byte[] customKeyIdentifier,
            byte[] key,
            String type,
            String usage,
            Instant start,
            Instant end) {}

    private final SimulatedTenant tenant;
    private final byte[] certificate;

    public AppRegistrationData(SimulatedTenant tenant) {
        this.tenant = tenant;
        this.certificate = demoCertificate();
    }

    public String appId() {
        return DEMO_CLIENT_ID;
    }

    /** The object id of the application (not the appId). */
    public String objectId() {
        return uuid(8000);
    }

    public List<PasswordCredential> passwordCredentials() {
        Instant origin = tenant.origin();
        Instant inUseEnd = origin.plus(Duration.ofDays(200)).plusSeconds(6 * 3600 + 23 * 60);
        Instant nextEnd = origin.plus(Duration.ofDays(300)).plusSeconds(9 * 3600);
        return List.of(
                new PasswordCredential(
                        uuid(8010),
                        "intune-exporter",
                        DEMO_CLIENT_SECRET.substring(0, 3),
                        inUseEnd.minus(Duration.ofDays(365)),
                        inUseEnd),
                new PasswordCredential(
                        uuid(8020), "intune-exporter (next)", "Zr4", nextEnd.minus(Duration.ofDays(365)), nextEnd));
    }

    public List<KeyCredential> keyCredentials() {
        Instant end = tenant.origin().plus(Duration.ofDays(150)).plusSeconds(12 * 3600);
        return List.of(new KeyCredential(
                uuid(8030),
                "CN=intune-exporter-demo",
                sha1(certificate),
                certificate,
                "AsymmetricX509Cert",
                "Verify",
                end.minus(Duration.ofDays(730)),
                end));
    }

    /** The DER bytes of the bundled demo certificate. */
    static byte[] demoCertificate() {
        try (InputStream in = AppRegistrationData.class.getResourceAsStream(DEMO_CERTIFICATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEMO_CERTIFICATE);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
            int finish = pem.indexOf("-----END CERTIFICATE-----");
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, finish));
            // Parse once so that a broken resource fails here, not as a silent mismatch later.
            CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            return der;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + DEMO_CERTIFICATE + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String uuid(long salt) {
        return new UUID(Rng.hash(tenant.seed(), salt, 1), Rng.hash(tenant.seed(), salt, 2)).toString();
    }
}
