package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP limits of the SIP stance, met by real sockets on loopback: caps, read deadline, idle close, long headers. */
class SipTransportLimitsIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final RecordingCallHandler handler = new RecordingCallHandler(1);
    private final List<Socket> sockets = new ArrayList<>();
    private SipSignaling signaling;

    private void start(final SignalingPolicy policy) {
        signaling = new SipSignaling(new SignalingConfig("127.0.0.1", sipPort, List.of("udp", "tcp"), 0, null, null, null,
            SourceAllowList.parse(SourceAllowList.DEFAULT), null, null, null, 0, 5, 2, policy), handler);
        signaling.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (final Socket s : sockets) {
            s.close();
        }
        if (signaling != null) {
            signaling.stop();
        }
    }

    private Socket connect(final String from) throws IOException {
        final Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", sipPort), 2_000);
        return s;
    }

    private static byte[] options(final String callId) {
        return RawSipClient.options("TCP", 0, callId);
    }

    @Test
    void shouldCloseConnectionsBeyondThePerSourceAndTotalCaps() throws IOException {
        start(SignalingPolicy.builder().connections(3, 2).build());
        final Socket a = connect("127.0.0.1");
        connect("127.0.0.1");
        final Socket overSource = connect("127.0.0.1");
        assertTrue(RawSipClient.closedWithin(overSource, 5), "a third connection from one source is closed");
        final Socket c = connect("127.0.0.2");
        final Socket overTotal = connect("127.0.0.3");
        assertTrue(RawSipClient.closedWithin(overTotal, 5), "a fourth connection in all is closed");
        assertTrue(signaling.counters().rejected(RejectReason.CONNECTION_LIMIT) >= 2);
        a.getOutputStream().write(options("cap-a"));
        a.getOutputStream().flush();
        assertTrue(readStatusLine(a).startsWith("SIP/2.0 200"), "connections within the caps are served");
        c.getOutputStream().write(options("cap-c"));
        c.getOutputStream().flush();
        assertTrue(readStatusLine(c).startsWith("SIP/2.0 200"), "the other source's connection too");
    }

    @Test
    void shouldCloseAConnectionWhoseMessageStaysIncompletePastTheReadDeadline() throws IOException {
        start(SignalingPolicy.builder().connectionTimeouts(500, 120_000).build());
        final Socket s = connect("127.0.0.1");
        // Content-Length promises a body that never comes: the classic way to hold a socket.
        final String lie = new String(options("deadline"), StandardCharsets.ISO_8859_1)
            .replace("Content-Length: 0", "Content-Length: 500");
        s.getOutputStream().write(lie.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        assertTrue(RawSipClient.closedWithin(s, 10), "the connection is closed after the read deadline");
        assertTrue(signaling.counters().rejected(RejectReason.READ_DEADLINE) >= 1);
    }

    @Test
    void shouldCloseAnIdleConnection() throws IOException {
        start(SignalingPolicy.builder().connectionTimeouts(10_000, 1_000).build());
        final Socket s = connect("127.0.0.1");
        s.getOutputStream().write(options("idle"));
        s.getOutputStream().flush();
        assertTrue(readStatusLine(s).startsWith("SIP/2.0 200"));
        // Well before the 10 s read deadline, which a complete message never meets anyway.
        assertTrue(RawSipClient.closedWithin(s, 8), "an idle connection is closed");
    }

    @Test
    void shouldKeepA1KiBCallTokenIntactOverUdpAndTcp() throws Exception {
        start(SignalingPolicy.defaults());
        final String token = "eyJ" + "0123456789abcdefABCDEF-_".repeat(46);
        assertTrue(token.length() > 1_024);
        final RawSipClient client = new RawSipClient(sipPort, 2_000);
        assertEquals(200, client.udpFinal(invite("UDP", "token-udp", token)));
        final Socket s = connect("127.0.0.1");
        s.getOutputStream().write(invite("TCP", "token-tcp", token));
        s.getOutputStream().flush();
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (handler.admitted.size() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(2, handler.admitted.size());
        for (final InboundCall call : handler.admitted) {
            assertEquals(token, call.metadata().get("X-Twilio-CallToken"), "the header value arrives whole");
        }
    }

    private byte[] invite(final String transport, final String callId, final String token) {
        final String sdp = "v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return ("INVITE sip:+14155550100@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
            + "Via: SIP/2.0/" + transport + " 127.0.0.1:9;rport;branch=z9hG4bK" + callId + "\r\n"
            + "From: <sip:+14155550199@127.0.0.1>;tag=f1\r\n"
            + "To: <sip:+14155550100@127.0.0.1>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:caller@127.0.0.1:9>\r\n"
            + "Max-Forwards: 70\r\n"
            + "X-Twilio-CallToken: " + token + "\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readStatusLine(final Socket s) throws IOException {
        s.setSoTimeout(3_000);
        final byte[] buf = new byte[4096];
        final int n = s.getInputStream().read(buf);
        return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }
}
