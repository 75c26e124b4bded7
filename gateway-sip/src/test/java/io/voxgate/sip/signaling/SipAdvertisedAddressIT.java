package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.testkit.sip.FreePorts;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without {@code --external-ip}, on a listener bound to the wildcard address, the answer names the local address the
 * INVITE arrived on, in SDP ({@code c=}, {@code o=}) and in Contact: a caller reaching 127.0.0.2 is answered with
 * 127.0.0.2, not the host's first address (issue 11: baresip calling 127.0.0.1 heard nothing).
 */
class SipAdvertisedAddressIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private SipSignaling signaling;

    @AfterEach
    void stop() {
        if (signaling != null) {
            signaling.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2"})
    void shouldNameTheAddressTheInviteArrivedOnInSdpAndContact(final String arrivedOn) throws IOException {
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("0.0.0.0", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2), handler);
        signaling.start();
        try (RawSipPeer peer = new RawSipPeer(arrivedOn, arrivedOn, sipPort)) {
            final String invite = peer.invite("adv-" + arrivedOn, arrivedOn, "", arrivedOn, 36_000);
            peer.send(invite);
            final String ok = peer.receiveStatus(200, 5_000);
            assertNotNull(ok, "no 200 OK");
            assertTrue(ok.contains("\r\nc=IN IP4 " + arrivedOn + "\r\n"), ok);
            assertTrue(ok.contains(" IN IP4 " + arrivedOn + "\r\ns="), "o= names it too: " + ok);
            assertEquals("<sip:voxgate@" + arrivedOn + ":" + sipPort + ">", RawSipPeer.header(ok, "Contact"), ok);
            peer.send(peer.inDialog(invite, ok, "ACK", 1, "adv-ack", ""));
            assertEquals(1, handler.admitted.size());
        }
    }

    /** Whether this host has an IPv6 loopback to bind (containers often have none). */
    private static boolean hasIpv6Loopback() {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return probe.getLocalAddress() instanceof Inet6Address;
        } catch (final IOException ex) {
            return false;
        }
    }

    @Test
    void shouldAdvertiseTheIpv6AddressTheInviteArrivedOnWhenBoundToIpv6Loopback() throws IOException {
        assumeTrue(hasIpv6Loopback(), "this host has no IPv6 loopback (::1)");
        final RecordingCallHandler handler = new RecordingCallHandler(1);
        signaling = new SipSignaling(new SignalingConfig("::1", sipPort, List.of("udp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2), handler);
        signaling.start();
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            final int port = peer.getLocalPort();
            final String sdp = "v=0\r\no=peer 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\n"
                + "m=audio 36000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            final String invite = "INVITE sip:+14155550100@[::1]:" + sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP [::1]:" + port + ";rport;branch=z9hG4bKv6-1\r\n"
                + "From: <sip:+14155550199@[::1]>;tag=v6-from\r\n"
                + "To: <sip:+14155550100@[::1]>\r\n"
                + "Call-ID: adv-v6\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:peer@[::1]:" + port + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            final byte[] bytes = invite.getBytes(StandardCharsets.US_ASCII);
            peer.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getByName("::1"), sipPort)));
            final String ok = finalResponse(peer);
            assertNotNull(ok, "no final response over IPv6");
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            assertTrue(ok.contains("\r\nc=IN IP6 ::1\r\n"), "c= names the IPv6 address: " + ok);
            assertTrue(ok.contains(" IN IP6 ::1\r\ns="), "o= names it too: " + ok);
            assertEquals("<sip:voxgate@[::1]:" + sipPort + ">", RawSipPeer.header(ok, "Contact"), ok);
        }
        assertEquals(1, handler.admitted.size());
    }

    private static String finalResponse(final DatagramSocket socket) throws IOException {
        socket.setSoTimeout(5_000);
        final byte[] buf = new byte[65_535];
        while (true) {
            final DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
            } catch (final SocketTimeoutException ex) {
                return null;
            }
            final String m = new String(buf, 0, in.getLength(), StandardCharsets.US_ASCII);
            if (RawSipPeer.status(m) >= 200) {
                return m;
            }
        }
    }
}
