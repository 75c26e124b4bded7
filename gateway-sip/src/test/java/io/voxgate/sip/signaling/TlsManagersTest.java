package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Properties;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust material jain-sip's TLS client gets from {@link TlsManagers}: never trust-all (issue 11: jain-sip's
 * {@code DisabledAll} accepted any server). SipTlsOutgoingIT shows the same decisions on the wire, host names included.
 */
class TlsManagersTest {
    private static final String AUTH_TYPE = "ECDHE_ECDSA";

    @TempDir
    Path dir;

    private static X509TrustManager only(final TrustManager[] managers) {
        assertEquals(1, managers.length);
        assertTrue(managers[0] instanceof X509TrustManager);
        return (X509TrustManager) managers[0];
    }

    @Test
    void shouldTrustAServerCertificateFromTheCaFile() throws Exception {
        final X509Certificate server = TestCertificates.issue(dir, "server", "CN=server", "SAN=ip:127.0.0.1");
        final X509TrustManager trust = only(TlsManagers.trustManagers(TestCertificates.pem(dir, "ca", server).toString()));
        assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {server}, AUTH_TYPE));
    }

    @Test
    void shouldRefuseAServerCertificateOutsideTheCaFile() throws Exception {
        final X509Certificate trusted = TestCertificates.issue(dir, "trusted", "CN=trusted", "SAN=ip:127.0.0.1");
        final X509Certificate stranger = TestCertificates.issue(dir, "stranger", "CN=stranger", "SAN=ip:127.0.0.1");
        final X509TrustManager trust = only(TlsManagers.trustManagers(TestCertificates.pem(dir, "ca", trusted).toString()));
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[] {stranger}, AUTH_TYPE));
    }

    @Test
    void shouldRefuseASelfSignedServerCertificateWithTheJdkTrustStore() throws Exception {
        final X509Certificate stranger = TestCertificates.issue(dir, "stranger", "CN=stranger", "SAN=ip:127.0.0.1");
        final X509TrustManager trust = only(TlsManagers.trustManagers(null));
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[] {stranger}, AUTH_TYPE));
    }

    @Test
    void shouldGiveJainSipsClientSideTheConfiguredTrustNotTrustAll() throws Exception {
        final SelfSignedCertificate gateway = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("gw")));
        final Path keyStore = TlsKeyStore.buildPkcs12(gateway.certificatePem, gateway.privateKeyPem, "pw".toCharArray());
        final X509Certificate trusted = TestCertificates.issue(dir, "trusted", "CN=trusted", "SAN=ip:127.0.0.1");
        final X509Certificate stranger = TestCertificates.issue(dir, "stranger", "CN=stranger", "SAN=ip:127.0.0.1");
        final Properties stackProperties = new Properties();
        stackProperties.setProperty("javax.net.ssl.keyStore", keyStore.toString());
        stackProperties.setProperty("javax.net.ssl.keyStorePassword", "pw");
        stackProperties.setProperty(TlsManagers.CA_FILE, TestCertificates.pem(dir, "ca", trusted).toString());
        final TlsManagers managers = new TlsManagers();
        managers.init(stackProperties);
        final X509TrustManager client = only(managers.getTrustManagers(true));
        assertDoesNotThrow(() -> client.checkServerTrusted(new X509Certificate[] {trusted}, AUTH_TYPE));
        assertThrows(CertificateException.class, () -> client.checkServerTrusted(new X509Certificate[] {stranger}, AUTH_TYPE));
        assertThrows(CertificateException.class, () -> client.checkServerTrusted(new X509Certificate[] {gateway.certificate},
            AUTH_TYPE), "not even the gateway's own certificate is trusted unless the CA file names it");
    }

    @Test
    void shouldRefuseACaFileWithoutCertificates() throws Exception {
        final Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        final GeneralSecurityException error = assertThrows(GeneralSecurityException.class,
            () -> TlsManagers.trustManagers(empty.toString()));
        assertTrue(error.getMessage().contains("--sip-tls-ca"), error.getMessage());
    }
}
