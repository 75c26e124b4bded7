package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP over TLS with a PEM certificate and key turned into a key store at startup. */
class SipTlsIT {
    @TempDir
    Path dir;
    private SipSignaling signaling;

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    @Test
    void shouldAnswerOptionsOverTlsWithAPemCertificate() throws Exception {
        final SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        final char[] password = "store-secret".toCharArray();
        final Path keyStore = TlsKeyStore.buildPkcs12(cert.certificatePem, cert.privateKeyPem, password);
        final int sipPort = FreePorts.udpAndTcp();
        final int tlsPort = FreePorts.udpAndTcp();
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tls"), tlsPort, keyStore,
            password, null, SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2),
            new RecordingCallHandler(0));
        signaling.start();

        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gw", cert.certificate);
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        final SSLContext tls = SSLContext.getInstance("TLSv1.2");
        tls.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            final OutputStream out = socket.getOutputStream();
            out.write(RawSipClient.options("TLS", tlsPort, "tls-options"));
            out.flush();
            final InputStream in = socket.getInputStream();
            final byte[] buf = new byte[4096];
            final int n = in.read(buf);
            final String response = new String(buf, 0, Math.max(0, n), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("SIP/2.0 200"), response);
        }
    }
}
