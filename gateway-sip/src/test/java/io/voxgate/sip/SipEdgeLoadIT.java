package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.sip.call.SipCall;
import io.voxgate.sip.dtmf.DtmfEvents;
import io.voxgate.sip.signaling.RejectReason;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.testkit.sip.SippMessageLog;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Many calls, floods, hostile RTP and DTMF against the whole edge over loopback. */
class SipEdgeLoadIT {
    private static final Logger LOG = LoggerFactory.getLogger(SipEdgeLoadIT.class);
    private final int sipPort = FreePorts.udpAndTcp();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;

    private void start(final ScriptedAgents sessions, final int rtpLow, final int rtpHigh) {
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpLow, rtpHigh)
            .portQuarantineMs(0).sipThreads(4).build());
        edge.start();
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    @Test
    void shouldCompleteOneHundredConcurrentCalls() throws InterruptedException {
        final ScriptedAgents sessions = new ScriptedAgents(1_000, 0, 100);
        start(sessions, 32_000, 32_999);
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .calls(100).concurrency(100).rate(200).pauseMs(2_000).timeoutSeconds(60).run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(100, r.statistic("SuccessfulCall(C)"), r.describe());
        assertTrue(sessions.endedLatch.await(10, TimeUnit.SECONDS));
        assertEquals(100, edge.callsAdmitted());
        // The session's end is reported before the edge releases the call's slot: wait for the release, generously.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (edge.activeCalls() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertEquals(0, edge.activeCalls());
        assertTrue(peer.received.size() > 100 * 50, "every call sent RTP: " + peer.received.size());
    }

    /**
     * 1,000 calls at 100 calls/s with half a second of audio each: SIPp logs no unexpected message, every ACK finds its
     * dialog, and no 200 is retransmitted to a call that ACKed it. Setup rate and INVITE->200 percentiles are logged.
     */
    @Test
    void shouldMatchEveryAckAtOneHundredCallsPerSecond() throws InterruptedException {
        final ScriptedAgents sessions = new ScriptedAgents(1_000, 0, 1_000);
        start(sessions, 34_000, 35_999);
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .calls(1_000).concurrency(300).rate(100).pauseMs(500).timeoutSeconds(120).run();
        final SippMessageLog log = SippMessageLog.parse(r.messages);
        LOG.info("SIPp 1,000 calls at 100/s: {}", log);
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(1_000, r.statistic("SuccessfulCall(C)"), r.describe());
        assertTrue(r.errors.isBlank(), "SIPp's -trace_err saw unexpected messages: " + r.errors);
        assertEquals(1_000, log.answered());
        assertEquals(0, log.okAfterAck(), "200s retransmitted to calls that had ACKed: " + log);
        assertEquals(0, edge.signalingCounters().rejected(RejectReason.UNKNOWN_DIALOG), "ACKs or BYEs matching no dialog");
        assertEquals(0, edge.signalingCounters().rejected(RejectReason.RATE_LIMITED));
        assertTrue(sessions.endedLatch.await(30, TimeUnit.SECONDS));
        assertEquals(1_000, edge.callsAdmitted());
    }

    @Test
    void shouldRefuseAnInviteFloodBeyondCapacityWhileTheRunningCallKeepsItsAudio() throws Exception {
        final ScriptedAgents sessions = new ScriptedAgents(1, 0, 1);
        start(sessions, 33_000, 33_099);
        peer = new RtpPeer(peerPort);
        peer.sendTone(new InetSocketAddress("127.0.0.1", 33_000), RtpPeer.PCMU, 150, RtpPeer.SendPlan.inOrder());
        final CompletableFuture<Sipp.Result> running = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(3_500).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS));
        final Sipp.Result flood = Sipp.scenario("uac-503.xml", sipPort).key("rtpport", "9").calls(40).concurrency(40)
            .rate(100).run();
        assertEquals(0, flood.exitCode, flood.describe());
        assertEquals(40, flood.statistic("SuccessfulCall(C)"));
        final Sipp.Result call = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, call.exitCode, call.describe());
        final long echoed = Arrays.stream(peer.echoedIndices()).distinct().count();
        assertTrue(echoed >= 120, "the running call kept its audio: " + echoed + " of 150 frames echoed");
        assertEquals(40, edge.callsRefusedFull());
    }

    @Test
    void shouldDropAndCountHostileRtpWithoutDisturbingTheCall() throws Exception {
        final int rtpPort = FreePorts.rtpPair();
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 1);
        start(sessions, rtpPort, rtpPort + 1);
        peer = new RtpPeer(peerPort);
        final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", rtpPort);
        final CompletableFuture<Sipp.Result> running = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(3_000).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS));
        peer.sendTone(gateway, RtpPeer.PCMU, 125, RtpPeer.SendPlan.inOrder());
        assertTrue(peer.firstToneEchoed.await(5, TimeUnit.SECONDS), "the call carries audio before the attack");
        try (DatagramSocket stranger = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            for (int i = 0; i < 20; i++) {
                send(stranger, gateway, RtpPeer.packet(0, 5000 + i, 0x0BAD, false, RtpPeer.tone(9000 + i)));
            }
        }
        final byte[] garbage = new byte[100];
        Arrays.fill(garbage, (byte) 0x13);
        final byte[] oversized = new byte[1800];
        oversized[0] = (byte) 0x80;
        final byte[] wrongVersion = RtpPeer.packet(0, 1, 0x5EED0001, false, RtpPeer.tone(1));
        wrongVersion[0] = 0x40;
        for (int i = 0; i < 10; i++) {
            peer.send(gateway, garbage);
            peer.send(gateway, oversized);
            peer.send(gateway, wrongVersion);
            peer.send(gateway, RtpPeer.packet(18, 7000 + i, 0x5EED0001, false, new byte[20]));
            peer.send(gateway, RtpPeer.packet(0, 8000 + i, 0x0DD, false, RtpPeer.tone(8000 + i)));
        }
        final Sipp.Result call = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, call.exitCode, call.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        final SipCall sipCall = sessions.opened.get(0).call;
        assertEquals(20, sipCall.receive().packetsDroppedWrongSource());
        assertEquals(20, sipCall.receive().packetsDroppedMalformed());
        assertEquals(10, sipCall.receive().packetsDroppedOversized(), "wrong ssrc " + sipCall.receive().packetsDroppedWrongSsrc()
            + " empty " + sipCall.receive().packetsDroppedEmpty() + " accepted " + sipCall.receive().packetsAccepted());
        assertEquals(10, sipCall.receive().packetsDroppedWrongPayloadType());
        assertEquals(10, sipCall.receive().packetsDroppedWrongSsrc(), "ssrc changes " + sipCall.receive().ssrcChanges()
            + " accepted " + sipCall.receive().packetsAccepted() + " echoed " + Arrays.toString(peer.echoedIndices()));
        final int[] echoed = peer.echoedIndices();
        assertTrue(Arrays.stream(echoed).noneMatch(i -> i >= 8000), "no hostile frame reached the agent");
        assertTrue(Arrays.stream(echoed).distinct().count() >= 90, "the call kept its audio: " + Arrays.toString(echoed));
    }

    @Test
    void shouldDeliverCallerDigitsOnceAndSendAgentDigitsAsEvents() throws Exception {
        final int rtpPort = FreePorts.rtpPair();
        final ScriptedAgents sessions = new ScriptedAgents(10, 0, 1);
        start(sessions, rtpPort, rtpPort + 1);
        peer = new RtpPeer(peerPort);
        final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", rtpPort);
        final CompletableFuture<Sipp.Result> running = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(1_500).run());
        assertTrue(sessions.firstStarted.await(10, TimeUnit.SECONDS));
        int seq = 100;
        for (final int event : new int[] {1, 11}) {
            final long ts = seq * 160L;
            for (int p = 0; p < 6; p++) {
                final ByteBuffer payload = ByteBuffer.allocate(4);
                payload.put((byte) event).put((byte) ((p >= 3 ? 0x80 : 0) | 10)).putShort((short) (160 * Math.min(p + 1, 3)));
                final byte[] packet = RtpPeer.packet(101, seq++, 0x5EED0001, false, payload.array());
                ByteBuffer.wrap(packet).putInt(4, (int) ts);
                peer.send(gateway, packet);
            }
        }
        assertTrue(edge.sendDigits(sessions.opened.get(0).callId, "5"));
        final Sipp.Result call = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, call.exitCode, call.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("1#", sessions.opened.get(0).digits.toString());
        final long[] events = peer.received.stream().filter(p -> (p[1] & 0x7F) == 101)
            .mapToLong(p -> (p[12] & 0xFF) << 8 | (p[13] & 0x80)).toArray();
        assertTrue(events.length >= 5, "digit events sent: " + events.length);
        assertTrue(Arrays.stream(events).allMatch(e -> e >> 8 == 5));
        assertEquals(DtmfEventsEnd.THREE, Arrays.stream(events).filter(e -> (e & 0x80) != 0).count());
        assertTrue(peer.received.stream().filter(p -> (p[1] & 0x7F) == 101).findFirst().map(p -> (p[1] & 0x80) != 0).orElse(false),
            "first event packet carries the marker");
        assertEquals(5, DtmfEvents.eventOf('5'));
    }

    /** The end packet count RFC 4733 §2.5.1.4 asks for. */
    private static final class DtmfEventsEnd {
        static final long THREE = 3;
    }

    private static void send(final DatagramSocket socket, final InetSocketAddress to, final byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }
}
