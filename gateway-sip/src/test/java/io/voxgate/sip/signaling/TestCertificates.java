package io.voxgate.sip.signaling;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed EC certificates made with the JDK's keytool, with the subjectAltNames a test asks for. */
final class TestCertificates {
    private static final String PASSWORD = "changeit";

    private TestCertificates() {
    }

    /** A certificate for {@code dname} with extension {@code san} (keytool syntax, e.g. {@code SAN=ip:127.0.0.1}), or none. */
    static X509Certificate issue(final Path dir, final String alias, final String dname, final String san) throws Exception {
        final Path store = dir.resolve(alias + ".p12");
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname,
            "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            cmd.add("-ext");
            cmd.add(san);
        }
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return (X509Certificate) ks.getCertificate(alias);
    }

    /** {@code certificate} written as a PEM file, as an operator passes to {@code --sip-tls-ca}. */
    static Path pem(final Path dir, final String name, final X509Certificate certificate) throws Exception {
        return Files.writeString(dir.resolve(name + ".crt"), "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    }
}
