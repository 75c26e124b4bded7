package io.voxgate.sip.hep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.voxgate.core.agent.EmbeddedAgents;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.sip.SipEdge;
import io.voxgate.sip.SipEdgeConfig;
import io.voxgate.testkit.hep.Hep3Listener;
import io.voxgate.testkit.hep.Hep3Packet;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.Sipp;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --hep-url}: a SIPp call through the SIP edge arrives at a HEP3 capture node (the test kit's listener, which
 * decodes the wire format on its own) as one packet per SIP message, both directions, with the real addresses,
 * ports, capture times and message text.
 */
@Timeout(60)
class HepCaptureIT {

    @Test
    void shouldMirrorBothDirectionsOfACallAsHep3() throws Exception {
        assumeTrue(Sipp.available(), "sipp is not installed");
        final int sipPort = FreePorts.udpAndTcp();
        final int rtpPort = FreePorts.rtpPair();
        final int peerRtp = FreePorts.rtpPair();
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final List<Hep3Packet> packets;
        final long startMicros = System.currentTimeMillis() * 1_000L;
        try (Hep3Listener capture = new Hep3Listener("127.0.0.1");
             HepSender hep = new HepSender(capture.address(), 2001).start()) {
            final CallOpener opener = new CallOpener(new CallRegistry(4),
                EmbeddedAgents.factory("echo", AudioFormat.MULAW_8K), CallSessionConfig.defaults(), SystemNanoClock.INSTANCE);
            final SipEdge edge = new SipEdge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort)
                .transports("udp").rtpPorts(rtpPort, rtpPort + 1).portQuarantineMs(0).sipThreads(2).messageMirror(hep).build(),
                opener, new LoopTickers(SystemNanoClock.INSTANCE), loops);
            edge.start();
            final Sipp.Result call;
            try {
                call = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerRtp)).pauseMs(300).run();
            } finally {
                edge.stop();
            }
            assertEquals(0, call.exitCode, call.describe());
            // The call is over: every packet it caused has had two seconds to arrive.
            packets = capture.collect(2_000);
            assertEquals(0, hep.packetsDropped());
            assertEquals(packets.size(), hep.packetsSent(), "every packet sent arrived");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        final long endMicros = System.currentTimeMillis() * 1_000L;

        final Hep3Packet invite = only(packets, "INVITE sip:", "");
        final Hep3Packet ok = only(packets, "SIP/2.0 200 OK", "INVITE");
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertEquals(Hep3Packet.FAMILY_IPV4, invite.number(Hep3Packet.IP_FAMILY));
        assertEquals(17, invite.number(Hep3Packet.IP_PROTOCOL), "UDP");
        assertEquals(loopback, invite.source());
        assertEquals(loopback, invite.destination());
        assertEquals(sipPort, invite.number(Hep3Packet.DESTINATION_PORT), "the INVITE came in to the gateway's port");
        final long sippPort = invite.number(Hep3Packet.SOURCE_PORT);
        assertTrue(sippPort != sipPort && sippPort > 0);
        assertEquals(sipPort, ok.number(Hep3Packet.SOURCE_PORT), "the 200 OK went out from the gateway's port");
        assertEquals(sippPort, ok.number(Hep3Packet.DESTINATION_PORT), "... to SIPp's");
        final String callId = invite.text(Hep3Packet.CORRELATION_ID);
        assertTrue(invite.text(Hep3Packet.PAYLOAD).contains("Call-ID: " + callId), "correlation id is the Call-ID");
        assertEquals(callId, ok.text(Hep3Packet.CORRELATION_ID));
        assertTrue(ok.text(Hep3Packet.PAYLOAD).contains("Content-Type: application/sdp"), "the answer carries its SDP");
        only(packets, "SIP/2.0 100 Trying", "INVITE");
        final Hep3Packet ack = only(packets, "ACK sip:", "");
        final Hep3Packet bye = only(packets, "BYE sip:", "");
        final Hep3Packet byeOk = only(packets, "SIP/2.0 200 OK", "BYE");
        assertEquals(sipPort, ack.number(Hep3Packet.DESTINATION_PORT), "the ACK came in");
        assertEquals(sipPort, bye.number(Hep3Packet.DESTINATION_PORT), "SIPp's BYE came in");
        assertEquals(sippPort, byeOk.number(Hep3Packet.DESTINATION_PORT), "its 200 went out");
        for (final Hep3Packet p : packets) {
            assertTrue(p.epochMicros() >= startMicros - 1_000_000L && p.epochMicros() <= endMicros + 1_000_000L,
                "capture time within the test: " + p.epochMicros());
            assertTrue(p.number(Hep3Packet.TIMESTAMP_MICROS) < 1_000_000L, "microseconds within the second");
            assertEquals(Hep3Packet.PROTOCOL_TYPE_SIP, p.number(Hep3Packet.PROTOCOL_TYPE));
            assertEquals(2001, p.number(Hep3Packet.CAPTURE_ID));
        }
        assertTrue(invite.epochMicros() <= ok.epochMicros(), "the INVITE was captured before its answer");
        assertTrue(ok.epochMicros() <= ack.epochMicros(), "the 200 before its ACK");
    }

    /** The one packet whose message starts with {@code firstLine} and whose CSeq method contains {@code cseqMethod}. */
    private static Hep3Packet only(final List<Hep3Packet> packets, final String firstLine, final String cseqMethod) {
        final List<Hep3Packet> found = packets.stream().filter(p -> p.text(Hep3Packet.PAYLOAD).startsWith(firstLine)
            && p.text(Hep3Packet.PAYLOAD).lines().anyMatch(l -> l.startsWith("CSeq:") && l.contains(cseqMethod))).toList();
        assertEquals(1, found.size(), firstLine + " (" + cseqMethod + ") in " + packets.size() + " packets: "
            + packets.stream().map(Hep3Packet::firstLine).toList());
        return found.get(0);
    }
}
