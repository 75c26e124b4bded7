package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.signaling.RejectReason;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RawSipClient;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.sip.TlsSipPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The 64 KiB cap on a SIP message over TCP, against the real edge while a call beside it runs: a message whose body
 * takes it over the cap, and one that only declares such a body, are refused before jain-sip buffers them (the
 * connection closed, counted as {@code message_too_large}); a message under the cap is served; the call beside keeps
 * its audio throughout.
 */
class SipMessageSizeIT {
    private static final int CAP = 65_536;

    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    /** OPTIONS over TCP with a body of {@code bodyLength} bytes, of which only {@code sentBody} are sent. */
    private byte[] options(final String callId, final long bodyLength, final int sentBody) {
        final String head = "OPTIONS sip:voxgate@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK" + callId + "\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=" + callId + "\r\n"
            + "To: <sip:voxgate@127.0.0.1>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + bodyLength + "\r\n\r\n";
        final byte[] body = new byte[sentBody];
        Arrays.fill(body, (byte) 'x');
        final byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        final byte[] message = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, message, headBytes.length, body.length);
        return message;
    }

    private Socket connect() throws IOException {
        final Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", sipPort), 2_000);
        return s;
    }

    private long refused() {
        return edge.signalingCounters().rejected(RejectReason.MESSAGE_TOO_LARGE);
    }

    @Test
    void shouldCloseAConnectionWhoseMessageGoesOverTheCapWhileACallBesideKeepsItsAudio() throws Exception {
        final ScriptedAgents sessions = new ScriptedAgents(4, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).transports("udp,tcp")
            .rtpPorts(rtpPort, rtpPort + 5).portQuarantineMs(0).sipThreads(2).build());
        edge.start();
        peer = new RtpPeer(peerPort);
        final CompletableFuture<Sipp.Result> beside = CompletableFuture.supplyAsync(() ->
            Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort)).pauseMs(8_000)
                .timeoutSeconds(40).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS), "the call beside started");
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 300, RtpPeer.SendPlan.inOrder());

        try (Socket under = connect()) {
            under.getOutputStream().write(options("size-under", CAP - 1_024, CAP - 1_024));
            under.getOutputStream().flush();
            under.setSoTimeout(5_000);
            final String response = TlsSipPeer.finalResponse(under.getInputStream());
            assertTrue(response.startsWith("SIP/2.0 200"), "a message under the cap is served: " + response);
        }
        try (Socket over = connect()) {
            over.getOutputStream().write(options("size-over", CAP + 1_024, CAP + 1_024));
            over.getOutputStream().flush();
            assertTrue(RawSipClient.closedWithin(over, 5), "a message over the cap closes its connection");
        } catch (final IOException ex) {
            // The gateway closed the connection while the body was still being written: refused, as it should be.
        }
        assertEquals(1, refused(), "counted once");
        try (Socket declared = connect()) {
            // Only the headers are sent: jain-sip would allocate the declared body at the blank line.
            declared.getOutputStream().write(options("size-declared", 2_000_000_000L, 0));
            declared.getOutputStream().flush();
            assertTrue(RawSipClient.closedWithin(declared, 5), "a body declared over the cap closes the connection before it comes");
        }
        assertEquals(2, refused());
        assertEquals(200, new RawSipClient(sipPort, 2_000).udp(RawSipClient.options("UDP", sipPort, "size-after")),
            "the edge still answers");

        final Sipp.Result r = beside.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());
        final long echoed = Arrays.stream(peer.echoedIndices()).distinct().count();
        assertTrue(echoed >= 270, "the call beside kept its audio: " + echoed + " of 300 frames echoed");
    }
}
