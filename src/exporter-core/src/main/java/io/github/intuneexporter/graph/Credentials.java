package io.github.intuneexporter.graph;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.github.intuneexporter.config.AuthMethod;
import io.github.intuneexporter.config.Cloud;
import io.github.intuneexporter.config.ConfigException;
import io.github.intuneexporter.config.ExporterSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** Builds the azure-identity credential the settings ask for, after checking that it is complete. */
public final class Credentials {

    /** What to tell a newcomer who started the exporter without any credential. */
    public static final String FIRST_RUN_HELP = String.join(
            "\n",
            "intune-exporter needs an app registration to read your Intune tenant. Set:",
            "  AZURE_TENANT_ID      directory (tenant) id",
            "  AZURE_CLIENT_ID      application (client) id",
            "  and one of:",
            "  AZURE_CLIENT_SECRET (or AZURE_CLIENT_SECRET_FILE)   a client secret",
            "  AZURE_CLIENT_CERTIFICATE_PATH                        a PEM or PFX certificate",
            "  INTUNE_AUTH_METHOD=managed-identity | workload-identity on Azure",
            "The permissions to grant are in README.md, section 'Graph permissions'.",
            "To try the exporter without a tenant: java -jar intune-exporter.jar --demo");

    private Credentials() {}

    /** Resolves method=auto and checks that every value the method needs is set. */
    public static AuthMethod resolve(ExporterSettings.Auth auth) {
        AuthMethod method = auth.method();
        if (method == AuthMethod.AUTO) {
            if (auth.clientCertificatePath() != null) {
                method = AuthMethod.CLIENT_CERTIFICATE;
            } else if (!auth.clientSecret().isEmpty()) {
                method = AuthMethod.CLIENT_SECRET;
            } else if (auth.federatedTokenFile() != null) {
                method = AuthMethod.WORKLOAD_IDENTITY;
            } else if (auth.tenantId().isEmpty() && auth.clientId().isEmpty()) {
                throw new ConfigException("intune.auth: no credential configured.\n" + FIRST_RUN_HELP);
            } else {
                throw new ConfigException(
                        "intune.auth.client-secret: no credential configured: set AZURE_CLIENT_SECRET "
                                + "(or intune.auth.client-secret-file / AZURE_CLIENT_CERTIFICATE_PATH), "
                                + "or intune.auth.method = managed-identity");
            }
        }
        if (method != AuthMethod.MANAGED_IDENTITY) {
            // Every app registration sign-in names its tenant and app; a managed identity's client-id is optional
            // (empty means the system-assigned identity).
            require(auth.tenantId(), "intune.auth.tenant-id", "AZURE_TENANT_ID");
            require(auth.clientId(), "intune.auth.client-id", "AZURE_CLIENT_ID");
        }
        switch (method) {
            case CLIENT_SECRET -> require(auth.clientSecret(), "intune.auth.client-secret", "AZURE_CLIENT_SECRET");
            case CLIENT_CERTIFICATE -> {
                if (auth.clientCertificatePath() == null) {
                    throw new ConfigException(
                            "intune.auth.client-certificate-path: missing (env AZURE_CLIENT_CERTIFICATE_PATH)");
                }
                checkCertificate(auth);
            }
            case WORKLOAD_IDENTITY -> {
                if (auth.federatedTokenFile() == null) {
                    throw new ConfigException(
                            "intune.auth.federated-token-file: missing (env AZURE_FEDERATED_TOKEN_FILE)");
                }
            }
            case MANAGED_IDENTITY -> {
                // client-id optional: empty means the system-assigned identity
            }
            default -> throw new IllegalStateException(method.toString());
        }
        return method;
    }

    private static void checkCertificate(ExporterSettings.Auth auth) {
        String name = auth.clientCertificatePath().getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            byte[] bytes = Files.readAllBytes(auth.clientCertificatePath());
            boolean pfx = name.endsWith(".pfx") || name.endsWith(".p12");
            if (!pfx) {
                String text = new String(bytes, StandardCharsets.US_ASCII);
                if (!text.contains("-----BEGIN CERTIFICATE-----") || !text.contains("PRIVATE KEY-----")) {
                    throw new ConfigException("intune.auth.client-certificate-path: " + auth.clientCertificatePath()
                            + " is not a PEM file with a certificate and a private key (use .pfx/.p12 for PKCS#12)");
                }
            } else if (bytes.length == 0) {
                throw new ConfigException(
                        "intune.auth.client-certificate-path: " + auth.clientCertificatePath() + " is empty");
            }
        } catch (IOException e) {
            throw new ConfigException(
                    "intune.auth.client-certificate-path: cannot read " + auth.clientCertificatePath());
        }
    }

    private static void require(String value, String key, String env) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + ": missing (env " + env + ")");
        }
    }

    /** The credential for a real tenant. */
    public static TokenCredential build(ExporterSettings.Auth auth, String authorityHost) {
        AuthMethod method = resolve(auth);
        // MSAL validates unknown authority hosts against login.microsoftonline.com; a host the operator set on
        // purpose (Azure Stack, a proxy, a test endpoint) must not depend on that.
        boolean custom =
                Arrays.stream(Cloud.values()).noneMatch(c -> c.authorityHost().equals(authorityHost));
        return switch (method) {
            case CLIENT_SECRET -> {
                ClientSecretCredentialBuilder b = new ClientSecretCredentialBuilder()
                        .tenantId(auth.tenantId())
                        .clientId(auth.clientId())
                        .clientSecret(auth.clientSecret())
                        .authorityHost(authorityHost);
                yield (custom ? b.disableInstanceDiscovery() : b).build();
            }
            case CLIENT_CERTIFICATE -> {
                ClientCertificateCredentialBuilder b = new ClientCertificateCredentialBuilder()
                        .tenantId(auth.tenantId())
                        .clientId(auth.clientId())
                        .authorityHost(authorityHost)
                        .sendCertificateChain(auth.sendCertificateChain());
                String path = auth.clientCertificatePath().toString();
                String lower = path.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".pfx") || lower.endsWith(".p12")) {
                    b.pfxCertificate(path).clientCertificatePassword(auth.clientCertificatePassword());
                } else {
                    b.pemCertificate(path);
                }
                yield (custom ? b.disableInstanceDiscovery() : b).build();
            }
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
                if (!auth.clientId().isEmpty()) {
                    b.clientId(auth.clientId());
                }
                yield b.build();
            }
            case WORKLOAD_IDENTITY -> {
                WorkloadIdentityCredentialBuilder b = new WorkloadIdentityCredentialBuilder()
                        .tenantId(auth.tenantId())
                        .clientId(auth.clientId())
                        .tokenFilePath(auth.federatedTokenFile().toString())
                        .authorityHost(authorityHost);
                yield (custom ? b.disableInstanceDiscovery() : b).build();
            }
            default -> throw new IllegalStateException(method.toString());
        };
    }

    /** A fixed token, for the simulator: demo mode and tests. */
    public static TokenCredential staticToken(String token) {
        return context -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }
}
