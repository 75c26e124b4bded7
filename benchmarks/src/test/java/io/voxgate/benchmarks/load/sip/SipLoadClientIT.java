package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The UAC against a scripted UAS on a loopback socket: failures, retransmission and a BYE from the far end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipLoadClientIT {
    private DatagramSocket uas;
    private SipLoadClient client;
    private SocketAddress clientAddress;

    @BeforeEach
    void start() throws IOException {
        uas = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        uas.setSoTimeout(5_000);
        client = new SipLoadClient(new InetSocketAddress("127.0.0.1", uas.getLocalPort()), 1, new PcmuTone(440, 8_000));
    }

    @AfterEach
    void stop() {
        client.close();
        uas.close();
    }

    private SipMessage receive() throws IOException {
        final DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
        uas.receive(p);
        clientAddress = p.getSocketAddress();
        return SipMessage.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }

    private void send(final String text) throws IOException {
        final byte[] b = text.getBytes(StandardCharsets.UTF_8);
        uas.send(new DatagramPacket(b, b.length, clientAddress));
    }

    private static String respond(final SipMessage request, final int status, final String reason, final String extra, final String body) {
        final StringBuilder b = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        request.headers("Via").forEach(v -> b.append("Via: ").append(v).append("\r\n"));
        b.append("From: ").append(request.header("From")).append("\r\n")
            .append("To: ").append(request.header("To")).append(";tag=uas1\r\n")
            .append("Call-ID: ").append(request.callId()).append("\r\n")
            .append("CSeq: ").append(request.header("CSeq")).append("\r\n")
            .append(extra)
            .append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        return b.toString();
    }

    private static String branch(final SipMessage m) {
        final String via = m.header("Via");
        return via.substring(via.indexOf("branch=") + 7).split(";")[0];
    }

    @Test
    void shouldAckA503AndReportItsStatus() throws Exception {
        final CompletableFuture<SipCallOutcome> call = client.place(50, 5);
        final SipMessage invite = receive();
        assertEquals("INVITE", invite.method());
        send(respond(invite, 503, "Service Unavailable", "Retry-After: 5\r\n", ""));
        final SipMessage ack = receive();
        assertEquals("ACK", ack.method());
        assertEquals(branch(invite), branch(ack));
        assertEquals("uas1", ack.toTag());
        final SipCallOutcome outcome = call.get(5, TimeUnit.SECONDS);
        assertEquals(503, outcome.status());
        assertEquals("503 Service Unavailable", outcome.error());
        assertFalse(outcome.ok());
    }

    @Test
    void shouldRetransmitTheInviteUntilAResponseArrives() throws Exception {
        final CompletableFuture<SipCallOutcome> call = client.place(50, 5);
        final SipMessage first = receive();
        final long firstNs = System.nanoTime();
        final SipMessage again = receive();
        final long gapMs = (System.nanoTime() - firstNs) / 1_000_000;
        assertEquals(first.callId(), again.callId());
        assertEquals(branch(first), branch(again));
        assertTrue(gapMs >= 400 && gapMs < 1_500, "Timer A starts at T1 = 500 ms, was " + gapMs);
        send(respond(again, 486, "Busy Here", "", ""));
        assertEquals("ACK", receive().method());
        final SipCallOutcome outcome = call.get(5, TimeUnit.SECONDS);
        assertEquals(486, outcome.status());
        assertEquals(1, outcome.retransmissions());
    }

    @Test
    void shouldAnswerAByeFromTheGatewayAndEndTheCall() throws Exception {
        try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            final CompletableFuture<SipCallOutcome> call = client.place(500, 5);
            final SipMessage invite = receive();
            send(respond(invite, 100, "Trying", "", ""));
            final String sdp = "v=0\r\no=gw 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + rtp.getLocalPort()
                + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n";
            send(respond(invite, 200, "OK", "Contact: <sip:gw@127.0.0.1:" + uas.getLocalPort() + ">\r\nContent-Type: application/sdp\r\n",
                sdp));
            final SipMessage ack = receive();
            assertEquals("ACK", ack.method());
            assertEquals("sip:gw@127.0.0.1:" + uas.getLocalPort(), ack.requestUri(), "ACK to the 200's Contact");
            assertNotEquals(branch(invite), branch(ack));
            rtp.setSoTimeout(5_000);
            final DatagramPacket media = new DatagramPacket(new byte[2048], 2048);
            rtp.receive(media);
            assertEquals(172, media.getLength());
            assertEquals((byte) 0x80, media.getData()[0]);
            assertEquals((byte) 0x80, media.getData()[1], "marker on the first packet, PCMU");
            send("BYE sip:load@" + clientAddress.toString().replace("/", "") + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + uas.getLocalPort() + ";branch=z9hG4bKbye1\r\n"
                + "From: " + ack.header("To") + "\r\nTo: " + ack.header("From") + "\r\nCall-ID: " + invite.callId() + "\r\n"
                + "CSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n");
            SipMessage ok = receive();
            while (!ok.response()) {
                ok = receive();
            }
            assertEquals(200, ok.status());
            assertEquals("1 BYE", ok.header("CSeq"));
            final SipCallOutcome outcome = call.get(5, TimeUnit.SECONDS);
            assertTrue(outcome.byeFromGateway());
            assertEquals(200, outcome.status());
            assertFalse(outcome.ok());
        }
    }
}
