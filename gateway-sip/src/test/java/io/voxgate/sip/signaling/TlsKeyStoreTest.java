package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.SelfSignedCertificate;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void shouldBuildAKeyStoreHoldingTheKeyAndCertificate() throws Exception {
        final SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        final Path store = TlsKeyStore.buildPkcs12(cert.certificatePem, cert.privateKeyPem, "pw".toCharArray());
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "pw".toCharArray());
        }
        assertTrue(ks.isKeyEntry("voxgate"));
        assertTrue(ks.getCertificate("voxgate").equals(cert.certificate));
    }

    @Test
    void shouldNameTheOptionWhenAFileIsNotPem() throws Exception {
        final Path junk = Files.writeString(dir.resolve("junk.pem"), "not a pem");
        final SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        final IllegalArgumentException certError = assertThrows(IllegalArgumentException.class,
            () -> TlsKeyStore.buildPkcs12(junk, cert.privateKeyPem, "pw".toCharArray()));
        assertTrue(certError.getMessage().contains("--sip-tls-cert"));
        final IllegalArgumentException keyError = assertThrows(IllegalArgumentException.class,
            () -> TlsKeyStore.buildPkcs12(cert.certificatePem, junk, "pw".toCharArray()));
        assertTrue(keyError.getMessage().contains("--sip-tls-key"));
    }

    @Test
    void shouldRefuseAKeyThatIsNotTheCertificates() throws Exception {
        final SelfSignedCertificate one = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("one")));
        final SelfSignedCertificate other = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("other")));
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> TlsKeyStore.buildPkcs12(one.certificatePem, other.privateKeyPem, "pw".toCharArray()));
        assertTrue(error.getMessage().contains("--sip-tls-key") && error.getMessage().contains("not the key"), error.getMessage());
    }
}
