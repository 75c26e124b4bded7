package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import io.voxgate.testkit.sip.TlsSipPeer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request the gateway originates over TLS (here the BYE of an edge hang-up) towards a peer reachable only by a new
 * connection: the peer called over TLS from an ephemeral port, gave its TLS listener as Contact, and closed its
 * connection after the ACK. The BYE reaches a peer whose certificate a trusted CA ({@code --sip-tls-ca}) issued for
 * its host, over TLS 1.2 and 1.3; a certificate naming another host, or one no trusted CA issued, ends the handshake
 * before the BYE is encrypted (counted as {@code tls_peer_certificate}).
 */
class SipTlsOutgoingIT {
    private static final Pattern CONTACT = Pattern.compile("(?im)^(?:Contact|m):\\s*<([^>]+)>");
    private static final Pattern TO = Pattern.compile("(?im)^(?:To|t):\\s*(.+)$");
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;
    private final int sipPort = FreePorts.udpAndTcp();
    private final int tlsPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;
    private TlsSipPeer peer;
    private SelfSignedCertificate gateway;

    @AfterEach
    void stop() throws Exception {
        if (signaling != null) {
            signaling.stop();
        }
        if (peer != null) {
            peer.close();
        }
    }

    /** The gateway over TLS, trusting exactly the certificates in {@code trusted} as CAs. */
    private RecordingCallHandler start(final X509Certificate... trusted) throws Exception {
        return start(1, trusted);
    }

    /** The gateway over TLS for {@code calls} calls, trusting exactly the certificates in {@code trusted} as CAs. */
    private RecordingCallHandler start(final int calls, final X509Certificate... trusted) throws Exception {
        gateway = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("gateway")));
        final char[] password = "store-secret".toCharArray();
        final Path keyStore = TlsKeyStore.buildPkcs12(gateway.certificatePem, gateway.privateKeyPem, password);
        final StringBuilder ca = new StringBuilder();
        for (int i = 0; i < trusted.length; i++) {
            ca.append(Files.readString(TestCertificates.pem(dir, "ca-" + i, trusted[i])));
        }
        final Path caFile = Files.writeString(dir.resolve("ca.pem"), ca.toString());
        final RecordingCallHandler handler = new RecordingCallHandler(calls);
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tls"), tlsPort, keyStore,
            password, null, SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2,
            SignalingPolicy.builder().tlsCa(caFile).build()), handler);
        signaling.start();
        return handler;
    }

    /** A peer listening with the certificate {@code alias} that {@link TestCertificates#issue} wrote to its key store. */
    private TlsSipPeer listen(final String alias, final String protocol) throws Exception {
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(alias + ".p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return new TlsSipPeer(context, protocol);
    }

    /**
     * Calls the gateway over TLS from an ephemeral port with the peer's listener as Contact, ACKs the 200, closes the
     * connection and has the edge hang up: the BYE needs a new connection to the Contact.
     */
    private void callAndHangUp(final RecordingCallHandler handler, final String callId) throws Exception {
        callAndHangUp(handler, callId, peer.port());
    }

    private void callAndHangUp(final RecordingCallHandler handler, final String callId, final int contactPort) throws Exception {
        call(handler, callId, contactPort);
        signaling.hangUp(callId, "agent hung up", 480);
    }

    /** Calls the gateway over TLS with {@code contactPort} as Contact, ACKs the 200 and closes the connection. */
    private void call(final RecordingCallHandler handler, final String callId, final int contactPort) throws Exception {
        final KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("gateway", gateway.certificate);
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        final SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
            socket.setSoTimeout(5_000);
            final int localPort = socket.getLocalPort();
            TlsSipPeer.write(socket.getOutputStream(), invite(callId, localPort, contactPort));
            final String ok = TlsSipPeer.finalResponse(socket.getInputStream());
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            TlsSipPeer.write(socket.getOutputStream(), ack(callId, group(CONTACT, ok), group(TO, ok), localPort));
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!handler.answered.containsKey(callId) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(handler.answered.containsKey(callId), "the ACK confirms the call");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void shouldDeliverTheGatewaysByeOverANewConnectionToAPeerWhoseCertificateNamesItsHost(final String protocol) throws Exception {
        final X509Certificate peerCertificate = TestCertificates.issue(dir, "peer", "CN=peer", "SAN=ip:127.0.0.1");
        final RecordingCallHandler handler = start(peerCertificate);
        peer = listen("peer", protocol);
        callAndHangUp(handler, "tls-out-ok-" + protocol);
        final String bye = peer.nextRequest(10_000);
        assertNotNull(bye, "the BYE reaches the peer over a new TLS connection");
        assertTrue(bye.startsWith("BYE sip:peer@127.0.0.1:" + peer.port()), bye);
        assertTrue(bye.contains("tls-out-ok-" + protocol), bye);
        assertEquals(0, signaling.counters().rejected(RejectReason.TLS_PEER_CERTIFICATE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void shouldNotSendTheByeToAPeerWhoseCertificateNamesAnotherHost(final String protocol) throws Exception {
        final X509Certificate elsewhere = TestCertificates.issue(dir, "elsewhere", "CN=127.0.0.1", "SAN=ip:127.0.0.2");
        final RecordingCallHandler handler = start(elsewhere);
        peer = listen("elsewhere", protocol);
        callAndHangUp(handler, "tls-out-name-" + protocol);
        assertRefused();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void shouldNotSendTheByeToAPeerWhoseCertificateNoTrustedCaIssued(final String protocol) throws Exception {
        final X509Certificate trusted = TestCertificates.issue(dir, "trusted", "CN=trusted", "SAN=ip:127.0.0.1");
        TestCertificates.issue(dir, "stranger", "CN=stranger", "SAN=ip:127.0.0.1");
        final RecordingCallHandler handler = start(trusted);
        peer = listen("stranger", protocol);
        callAndHangUp(handler, "tls-out-trust-" + protocol);
        assertRefused();
    }

    /**
     * One peer's Contact drops SYNs, so the BYE towards it waits in its connect; the BYE of another call, hung up just
     * after it, leaves meanwhile from another signalling timer thread instead of queueing behind that connect.
     */
    @Test
    void shouldSendAnotherCallsByeWhileAPeerThatDropsSynsHoldsItsOwn() throws Exception {
        final X509Certificate peerCertificate = TestCertificates.issue(dir, "peer", "CN=peer", "SAN=ip:127.0.0.1");
        final RecordingCallHandler handler = start(2, peerCertificate);
        peer = listen("peer", "TLSv1.3");
        try (SynDroppingListener blackhole = SynDroppingListener.open()) {
            call(handler, "tls-out-hangs", blackhole.port());
            call(handler, "tls-out-beside", peer.port());
            final long hungUpNs = System.nanoTime();
            signaling.hangUp("tls-out-hangs", "agent hung up", 480);
            signaling.hangUp("tls-out-beside", "agent hung up", 480);
            final String bye = peer.nextRequest(10_000);
            final long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungUpNs);
            assertNotNull(bye, "the other call's BYE leaves");
            assertTrue(bye.contains("tls-out-beside"), bye);
            assertTrue(afterMs < JainSipStack.OUTGOING_CONNECT_TIMEOUT_MS, "the BYE did not wait for the other peer's "
                + JainSipStack.OUTGOING_CONNECT_TIMEOUT_MS + " ms connect: it left after " + afterMs + " ms");
        }
    }

    /** Connects towards a peer that drops SYNs give up after the gateway's bound, not jain-sip's default 10 s. */
    @Test
    void shouldGiveUpConnectingToAPeerThatDropsSynsWithinTheConnectBound() throws Exception {
        final RecordingCallHandler handler = start(TestCertificates.issue(dir, "peer", "CN=peer", "SAN=ip:127.0.0.1"));
        try (SynDroppingListener blackhole = SynDroppingListener.open()) {
            call(handler, "tls-out-gives-up", blackhole.port());
            final long hungUpNs = System.nanoTime();
            signaling.hangUp("tls-out-gives-up", "agent hung up", 480);
            final long until = hungUpNs + TimeUnit.SECONDS.toNanos(30);
            while (signaling.activeDialogs() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            final long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - hungUpNs);
            assertEquals(0, signaling.activeDialogs(), "the hang-up ends once the connect gives up");
            // jain-sip connects twice before it gives up: 2 x 4,000 ms with ours, 2 x 10,000 ms with its default.
            assertTrue(afterMs < 15_000, "gave up after " + afterMs + " ms");
            assertTrue(afterMs >= 2L * JainSipStack.OUTGOING_CONNECT_TIMEOUT_MS - 500, "it did try to connect: " + afterMs
                + " ms");
        }
    }

    /**
     * TLS 1.3 towards a server that issues no session ticket (OpenSSL with {@code -num_tickets 0}): after the client's
     * Finished nothing more comes from the server, so the BYE must leave without waiting for another read.
     */
    @Test
    void shouldDeliverTheByeOverTls13ToAServerThatSendsNothingAfterTheHandshake() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        final SelfSignedCertificate server = SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("openssl")));
        final RecordingCallHandler handler = start(server.certificate);
        final int port = FreePorts.udpAndTcp();
        final Process openssl = new ProcessBuilder("/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + port,
            "-cert", server.certificatePem.toString(), "-key", server.privateKeyPem.toString(), "-tls1_3",
            "-num_tickets", "0", "-naccept", "1").redirectErrorStream(true).start();
        final StringBuffer output = new StringBuffer();
        final Thread reader = new Thread(() -> {
            try (InputStream in = openssl.getInputStream()) {
                final byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) > 0) {
                    output.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (final IOException ex) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            final long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!output.toString().contains("ACCEPT") && System.nanoTime() < ready) {
                Thread.sleep(20);
            }
            assertTrue(output.toString().contains("ACCEPT"), "openssl s_server listens: " + output);
            callAndHangUp(handler, "tls-out-noticket", port);
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!output.toString().contains("BYE sip:peer@127.0.0.1:" + port) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(output.toString().contains("BYE sip:peer@127.0.0.1:" + port), "the BYE reached openssl: " + output);
            assertEquals(0, signaling.counters().rejected(RejectReason.TLS_PEER_CERTIFICATE));
        } finally {
            openssl.destroy();
            openssl.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void assertRefused() throws Exception {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (signaling.counters().rejected(RejectReason.TLS_PEER_CERTIFICATE) == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, signaling.counters().rejected(RejectReason.TLS_PEER_CERTIFICATE), "the refusal is counted once");
        assertNull(peer.nextRequest(1_000), "no request reaches a peer whose certificate was refused");
        assertEquals(0, peer.handshakesDone(), "no handshake completed with it");
    }

    private String invite(final String callId, final int localPort, final int contactPort) {
        final String sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 36000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return "INVITE sip:+14155550100@127.0.0.1:" + tlsPort + ";transport=tls SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";rport;branch=z9hG4bK" + callId + "-1\r\n"
            + "From: <sip:+14155550199@127.0.0.1>;tag=" + callId + "-from\r\n"
            + "To: <sip:+14155550100@127.0.0.1>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:peer@127.0.0.1:" + contactPort + ";transport=tls>\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static String ack(final String callId, final String contact, final String to, final int localPort) {
        return "ACK " + contact + " SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";rport;branch=z9hG4bK" + callId + "-ack\r\n"
            + "From: <sip:+14155550199@127.0.0.1>;tag=" + callId + "-from\r\n"
            + "To: " + to + "\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 ACK\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    private static String group(final Pattern pattern, final String message) {
        final Matcher m = pattern.matcher(message);
        assertTrue(m.find(), pattern + " in " + message);
        return m.group(1).trim();
    }

    /**
     * A listener that never accepts, its accept queue already full: Linux drops every further SYN to it (with
     * {@code tcp_abort_on_overflow} off, its default), so a connect to it hangs as one to a peer that went away does.
     */
    private static final class SynDroppingListener implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> queued = new ArrayList<>();

        private SynDroppingListener(final ServerSocket server) {
            this.server = server;
        }

        static SynDroppingListener open() throws IOException {
            final SynDroppingListener l = new SynDroppingListener(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            for (int i = 0; i < 8; i++) {
                final Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), 500);
                    l.queued.add(s);
                } catch (final SocketTimeoutException full) {
                    s.close();
                    return l;
                }
            }
            l.close();
            assumeTrue(false, "this kernel does not drop SYNs to a full accept queue");
            return l;
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (final Socket s : queued) {
                s.close();
            }
            server.close();
        }
    }
}
