package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import io.voxgate.testkit.sip.TlsSipPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Secure Trunking profile's TLS half against a running edge: TLS 1.2 and 1.3 only, transport=tls in the Contact
 * of a call that came over TLS, and a certificate swapped on disk and reloaded (as SIGHUP does) presented from the
 * next handshake while the call on the old connection goes on; a certificate replaced on disk is picked up without
 * SIGHUP once the files are a pair again.
 */
class SipTlsTrunkIT {
    private static final Pattern CONTACT = Pattern.compile("(?im)^(?:Contact|m):\\s*<([^>]+)>");
    private static final Pattern TO = Pattern.compile("(?im)^(?:To|t):\\s*(.+)$");

    @TempDir
    Path dir;
    private final int sipPort = FreePorts.udpAndTcp();
    private final int tlsPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;
    private SelfSignedCertificate first;
    private SelfSignedCertificate second;
    private TrustManagerFactory trust;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    private ScriptedAgents start() throws Exception {
        return start(SipEdgeConfig.DEFAULT_TLS_WATCH_INTERVAL_MS);
    }

    private ScriptedAgents start(final long watchIntervalMs) throws Exception {
        first = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("first")));
        second = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("second")));
        final Path certificate = dir.resolve("gateway.crt");
        final Path key = dir.resolve("gateway.key");
        Files.copy(first.certificatePem, certificate);
        Files.copy(first.privateKeyPem, key);
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).transports("udp,tls")
            .tls(certificate, key).tlsPort(tlsPort).tlsWatchIntervalMs(watchIntervalMs).rtpPorts(rtpPort, rtpPort + 1)
            .portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        final KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("first", first.certificate);
        anchors.setCertificateEntry("second", second.certificate);
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        return sessions;
    }

    /** A new connection from a new client context: no session to resume, so the server presents its certificate. */
    private SSLSocket connect() throws IOException, GeneralSecurityException {
        final SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
        final SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", tlsPort);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        return socket;
    }

    private static X509Certificate presented(final SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    @Test
    void shouldPresentAReloadedCertificateOnTheNextHandshakeWhileTheTlsCallGoesOn() throws Exception {
        final ScriptedAgents sessions = start();
        peer = new RtpPeer(peerPort);
        try (SSLSocket call = connect()) {
            assertEquals(first.certificate, presented(call));
            final int localPort = call.getLocalPort();
            send(call, invite(localPort));
            final String ok = finalResponse(call);
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            final String contact = group(CONTACT, ok);
            assertTrue(contact.contains("transport=tls") && contact.contains(":" + tlsPort), contact);
            final String to = group(TO, ok);
            send(call, inDialog("ACK", 1, contact, to, localPort));
            peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 100, RtpPeer.SendPlan.inOrder());
            assertTrue(peer.firstToneEchoed.await(5, TimeUnit.SECONDS), "the TLS call's media flows");

            Files.copy(second.certificatePem, dir.resolve("gateway.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.privateKeyPem, dir.resolve("gateway.key"), StandardCopyOption.REPLACE_EXISTING);
            edge.reloadTlsCertificate();
            try (SSLSocket next = connect()) {
                assertEquals(second.certificate, presented(next), "the next handshake presents the new certificate");
                assertNotEquals(first.certificate, presented(next));
            }

            final int echoedBefore = peer.echoedIndices().length;
            Thread.sleep(500);
            assertTrue(peer.echoedIndices().length > echoedBefore + 10, "media goes on after the reload");
            send(call, inDialog("BYE", 2, contact, to, localPort));
            final String byeOk = finalResponse(call);
            assertTrue(byeOk.startsWith("SIP/2.0 200"), "the old connection still carries the call: " + byeOk);
        }
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("caller hung up", sessions.opened.get(0).endReason);
        assertTrue(Arrays.stream(peer.echoedIndices()).distinct().count() >= 20);
    }

    @Test
    void shouldPresentACertificateReplacedOnDiskWithoutSighupAndKeepTheOldOneWhileTheNewPairIsBroken() throws Exception {
        start(100);
        try (SSLSocket before = connect()) {
            assertEquals(first.certificate, presented(before));
        }
        // Half a renewal: the new certificate beside the old key. Not a pair: refused once, the old one stays.
        Files.copy(second.certificatePem, dir.resolve("gateway.crt"), StandardCopyOption.REPLACE_EXISTING);
        awaitCount(() -> edge.signalingCounters().tlsCertificatesRefused(), 1);
        try (SSLSocket during = connect()) {
            assertEquals(first.certificate, presented(during), "a broken pair keeps the certificate in use");
        }
        assertEquals(0, edge.signalingCounters().tlsCertificatesLoaded());

        Files.copy(second.privateKeyPem, dir.resolve("gateway.key"), StandardCopyOption.REPLACE_EXISTING);
        awaitCount(() -> edge.signalingCounters().tlsCertificatesLoaded(), 1);
        try (SSLSocket after = connect()) {
            assertEquals(second.certificate, presented(after), "the next handshake presents the renewed certificate");
        }
        assertEquals(1, edge.signalingCounters().tlsCertificatesRefused(), "the broken state was counted once");
    }

    /** Waits up to 10 s for {@code counter} to reach {@code expected}. */
    private static void awaitCount(final LongSupplier counter, final long expected) throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.getAsLong() < expected && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(expected, counter.getAsLong());
    }

    @Test
    void shouldRefuseTls11AndAcceptTls12And13() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        start();
        final String tls12 = openssl("-tls1_2");
        assertTrue(tls12.contains("Protocol version: TLSv1.2"), "TLS 1.2 is accepted: " + tls12);
        final String tls13 = openssl("-tls1_3");
        assertTrue(tls13.contains("Protocol version: TLSv1.3"), "TLS 1.3 is accepted: " + tls13);
        final String tls11 = openssl("-tls1_1");
        // The server's SSLEngine refuses the ClientHello; jain-sip then closes the connection without an alert.
        assertTrue(!tls11.contains("CONNECTION ESTABLISHED") && !tls11.contains("TLSv1.1"), "TLS 1.1 must be refused: " + tls11);
    }

    /** openssl s_client's report of one handshake at {@code version}; SECLEVEL=0 lets OpenSSL itself offer TLS 1.1. */
    private String openssl(final String version) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder("/usr/bin/openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort, version,
            "-cipher", "DEFAULT:@SECLEVEL=0", "-brief").redirectErrorStream(true).start();
        // s_client closes the connection as soon as its input ends: held open for the handshake to finish.
        Thread.sleep(3_000);
        p.getOutputStream().close();
        final byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }

    private String invite(final int localPort) {
        final String sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio " + peerPort + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n";
        return "INVITE sip:+14155550100@127.0.0.1:" + tlsPort + ";transport=tls SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";rport;branch=z9hG4bKtls1\r\n"
            + "From: <sip:+14155550199@127.0.0.1>;tag=caller1\r\n"
            + "To: <sip:+14155550100@127.0.0.1>\r\n"
            + "Call-ID: tls-trunk-1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:caller@127.0.0.1:" + localPort + ";transport=tls>\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static String inDialog(final String method, final int cseq, final String contact, final String to,
                                   final int localPort) {
        return method + " " + contact + " SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";rport;branch=z9hG4bKtls" + method + cseq + "\r\n"
            + "From: <sip:+14155550199@127.0.0.1>;tag=caller1\r\n"
            + "To: " + to + "\r\n"
            + "Call-ID: tls-trunk-1\r\n"
            + "CSeq: " + cseq + " " + method + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    private static void send(final SSLSocket socket, final String message) throws IOException {
        TlsSipPeer.write(socket.getOutputStream(), message);
    }

    /** Reads responses off the stream until a final one (200 and above), which it returns. */
    private static String finalResponse(final SSLSocket socket) throws IOException {
        return TlsSipPeer.finalResponse(socket.getInputStream());
    }

    private static String group(final Pattern pattern, final String message) {
        final Matcher m = pattern.matcher(message);
        assertTrue(m.find(), pattern + " in " + message);
        return m.group(1).trim();
    }
}
