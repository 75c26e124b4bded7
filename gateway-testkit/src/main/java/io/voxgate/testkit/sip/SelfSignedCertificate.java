package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway RSA certificate for 127.0.0.1 (or for given host names) made with the JDK's {@code keytool}, exported as
 * the PEM files an operator would pass to {@code --sip-tls-cert} and {@code --sip-tls-key}.
 */
public final class SelfSignedCertificate {
    /** The certificate PEM file. */
    public final Path certificatePem;
    /** The PKCS#8 private key PEM file. */
    public final Path privateKeyPem;
    /** The certificate, for a client's trust store. */
    public final X509Certificate certificate;

    private SelfSignedCertificate(final Path certificatePem, final Path privateKeyPem, final X509Certificate certificate) {
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.certificate = certificate;
    }

    /** Generates one in {@code dir}. */
    public static SelfSignedCertificate generate(final Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        return generate(dir, "127.0.0.1", "ip:127.0.0.1");
    }

    /**
     * Generates one in {@code dir} for the host names {@code dnsNames} (subjectAltName; the first is also the common
     * name), as a TLS proxy serving several names holds.
     */
    public static SelfSignedCertificate forHostNames(final Path dir, final String... dnsNames)
        throws IOException, GeneralSecurityException, InterruptedException {
        final StringBuilder san = new StringBuilder();
        for (final String name : dnsNames) {
            san.append(san.length() == 0 ? "" : ",").append("dns:").append(name);
        }
        return generate(dir, dnsNames[0], san.toString());
    }

    private static SelfSignedCertificate generate(final Path dir, final String commonName, final String subjectAltName)
        throws IOException, GeneralSecurityException, InterruptedException {
        final Path store = dir.resolve("self.p12");
        final String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        final Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "gw", "-keyalg", "RSA", "-keysize", "2048",
            "-validity", "2", "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltName, "-storetype", "PKCS12",
            "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        final byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        final PrivateKey key = (PrivateKey) ks.getKey("gw", "changeit".toCharArray());
        final X509Certificate cert = (X509Certificate) ks.getCertificate("gw");
        final Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        final Path certPem = dir.resolve("gw.crt");
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
        final Path keyPem = dir.resolve("gw.key");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
        return new SelfSignedCertificate(certPem, keyPem, cert);
    }
}
