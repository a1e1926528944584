package io.github.intuneexporter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.intuneexporter.collector.kit.FamilySpecs;
import io.github.intuneexporter.config.AuthMethod;
import io.github.intuneexporter.config.CollectorSettings;
import io.github.intuneexporter.config.ExporterSettings;
import io.github.intuneexporter.graph.GraphApi;
import io.github.intuneexporter.metrics.GaugeFamily;
import io.github.intuneexporter.metrics.GraphJson;
import io.github.intuneexporter.metrics.SnapshotBuilder;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiry of the exporter's own app registration credentials (client secrets and certificates), read from
 * {@code GET /applications(appId='{client-id}')} with Application.Read.All. Off by default: it needs one more
 * permission than reading Intune.
 *
 * <p>{@code in_use} tells which credential the exporter signs in with. A secret matches when its first three
 * characters equal the credential's {@code hint}; several secrets sharing that hint are "unknown". A certificate
 * matches when the SHA-1 thumbprint of the configured certificate equals the credential's customKeyIdentifier
 * (the thumbprint unless the uploader set another identifier) or the thumbprint of the credential's key (the
 * certificate itself, which Graph returns for this $select-ed single object). A certificate file that cannot be
 * read gives "unknown". Managed and workload identities sign in with none of these: every credential is "false".
 *
 * <p>Only the secret's first three characters are kept, and neither they nor any hint are ever logged or exported.
 */
public final class CredentialsCollector extends AbstractCollector<CollectorSettings.Credentials> {
    public static final String NAME = "credentials";
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsCollector.class);
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** How the exporter signs in, reduced to what credential matching needs. {@link #toString()} shows no secret. */
    public static final class SignIn {
        private final String secretHint;
        private final Path certificate;
        private final String certificatePassword;

        private SignIn(String secretHint, Path certificate, String certificatePassword) {
            this.secretHint = secretHint;
            this.certificate = certificate;
            this.certificatePassword = certificatePassword;
        }

        /** Signs in with a client secret; only its first three characters are kept. */
        public static SignIn secret(String secret) {
            return new SignIn(secret.length() >= 3 ? secret.substring(0, 3) : null, null, null);
        }

        /** Signs in with a certificate file (PEM, or PFX/PKCS#12 with its password). */
        public static SignIn certificate(Path file, String password) {
            return new SignIn(null, file, password == null ? "" : password);
        }

        /** Signs in with none of the app registration's credentials (managed or workload identity). */
        public static SignIn other() {
            return new SignIn(null, null, null);
        }

        /** The sign-in configured in intune.auth, resolved the way method = auto resolves it. */
        public static SignIn of(ExporterSettings.Auth auth) {
            AuthMethod method = auth.method();
            if (method == AuthMethod.AUTO) {
                method = auth.clientCertificatePath() != null
                        ? AuthMethod.CLIENT_CERTIFICATE
                        : !auth.clientSecret().isEmpty() ? AuthMethod.CLIENT_SECRET : AuthMethod.WORKLOAD_IDENTITY;
            }
            return switch (method) {
                case CLIENT_SECRET -> secret(auth.clientSecret());
                case CLIENT_CERTIFICATE ->
                    auth.clientCertificatePath() == null
                            ? other()
                            : certificate(auth.clientCertificatePath(), auth.clientCertificatePassword());
                default -> other();
            };
        }

        @Override
        public String toString() {
            return secretHint != null
                    ? "SignIn[client secret]"
                    : certificate != null ? "SignIn[certificate " + certificate + "]" : "SignIn[other]";
        }
    }

    private final SignIn signIn;

    /** {@code signIn}: how the exporter signs in ({@link SignIn#of}), to find its own credential. */
    public CredentialsCollector(
            GraphApi graph, Duration interval, CollectorSettings.Credentials settings, SignIn signIn) {
        super(NAME, FAMILIES, graph, interval, settings);
        this.signIn = signIn;
    }

    @Override
    public List<GraphProbe> probes() {
        return List.of(GraphProbe.get(request()));
    }

    /** The exporter's own app registration by its appId (alternate key), with only the credential fields. */
    private String request() {
        return "/applications(appId=%27" + settings.appId()
                + "%27)?$select=id,appId,passwordCredentials,keyCredentials";
    }

    static final FamilySpecs FAMILIES = FamilySpecs.parse("""
            gauge intune_exporter_credential_expiration_timestamp_seconds{credential_type,key_id,in_use}
                When a client secret or certificate of the exporter's own app registration expires (Unix seconds;
                /applications passwordCredentials and keyCredentials endDateTime). in_use marks the one the exporter
                signs in with (true, false, unknown).
            """);

    @Override
    public MetricSnapshots collect() throws Exception {
        JsonNode app = graph.get(request());
        GaugeFamily expiry = FAMILIES.gauge("intune_exporter_credential_expiration_timestamp_seconds");

        List<JsonNode> secrets = items(app, "passwordCredentials");
        int hintMatches = 0;
        for (JsonNode s : secrets) {
            if (signIn.secretHint != null && signIn.secretHint.equals(GraphJson.text(s, "hint"))) {
                hintMatches++;
            }
        }
        for (JsonNode s : secrets) {
            String inUse = "false";
            if (signIn.secretHint != null && signIn.secretHint.equals(GraphJson.text(s, "hint"))) {
                inUse = hintMatches == 1 ? "true" : "unknown";
            }
            add(expiry, s, "client_secret", inUse);
        }

        byte[] thumbprint = null;
        boolean thumbprintUnknown = false;
        if (signIn.certificate != null) {
            try {
                thumbprint = thumbprint(signIn.certificate, signIn.certificatePassword);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                thumbprintUnknown = true;
                LOG.warn(
                        "cannot read the certificate {} to tell which app certificate is in use ({}); in_use=\"unknown\"",
                        signIn.certificate,
                        e.getClass().getSimpleName());
            }
        }
        for (JsonNode k : items(app, "keyCredentials")) {
            String inUse =
                    thumbprintUnknown ? "unknown" : thumbprint != null && matches(k, thumbprint) ? "true" : "false";
            add(expiry, k, "certificate", inUse);
        }
        return new SnapshotBuilder().add(expiry).build();
    }

    private static List<JsonNode> items(JsonNode app, String field) {
        JsonNode array = app.get(field);
        if (array == null || array.isNull()) {
            return Collections.emptyList();
        }
        if (!array.isArray()) {
            throw new IllegalStateException("Graph /applications: '" + field + "' is not an array");
        }
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static void add(GaugeFamily expiry, JsonNode credential, String type, String inUse) {
        String keyId = GraphJson.text(credential, "keyId");
        Instant end = GraphJson.instant(credential, "endDateTime");
        if (keyId == null || !GUID.matcher(keyId).matches() || end == null) {
            // keyId is the only label that tells credentials apart; without it (or an end) there is nothing to export.
            LOG.warn("skipping a {} of the app registration without a valid keyId or endDateTime", type);
            return;
        }
        expiry.set(end.getEpochSecond(), type, keyId.toLowerCase(Locale.ROOT), inUse);
    }

    /** customKeyIdentifier (base64 of the thumbprint bytes, or hex text) or the SHA-1 of the certificate in {@code key}. */
    static boolean matches(JsonNode credential, byte[] thumbprint) {
        String custom = GraphJson.text(credential, "customKeyIdentifier");
        if (custom != null && !custom.isBlank()) {
            if (custom.replace(":", "")
                    .replace("-", "")
                    .equalsIgnoreCase(HexFormat.of().formatHex(thumbprint))) {
                return true;
            }
            try {
                if (Arrays.equals(Base64.getDecoder().decode(custom.strip()), thumbprint)) {
                    return true;
                }
            } catch (IllegalArgumentException notBase64) {
                // a custom identifier chosen by whoever uploaded the certificate; the key may still match
            }
        }
        String key = GraphJson.text(credential, "key");
        if (key != null && !key.isBlank()) {
            try {
                return Arrays.equals(sha1(Base64.getMimeDecoder().decode(key)), thumbprint);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        }
        return false;
    }

    /** SHA-1 thumbprint of the certificate in a PEM file (the first certificate) or a PFX/PKCS#12 file. */
    static byte[] thumbprint(Path file, String password) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Certificate certificate;
        if (lower.endsWith(".pfx") || lower.endsWith(".p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
            certificate = null;
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (c != null && (certificate == null || store.isKeyEntry(alias))) {
                    certificate = c;
                }
            }
            if (certificate == null) {
                throw new GeneralSecurityException("no certificate in the PKCS#12 file");
            }
        } else {
            String pem = new String(bytes, StandardCharsets.US_ASCII);
            int begin = pem.indexOf("-----BEGIN CERTIFICATE-----");
            int end = pem.indexOf("-----END CERTIFICATE-----", Math.max(begin, 0));
            if (begin < 0 || end < 0) {
                throw new GeneralSecurityException("no PEM certificate block");
            }
            byte[] der =
                    Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN CERTIFICATE-----".length(), end));
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        }
        return sha1(certificate.getEncoded());
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
