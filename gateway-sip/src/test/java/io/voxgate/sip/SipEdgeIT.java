package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.call.SipCall;
import io.voxgate.sip.rtp.RtpSendStage;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole SIP edge over loopback: SIPp drives signalling, the test's RTP peer exchanges audio. */
class SipEdgeIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private SipEdge edge;
    private RtpPeer peer;

    private ScriptedAgents start(final ScriptedAgents sessions, final Consumer<SipEdgeConfig.Builder> tweak) {
        final SipEdgeConfig.Builder b = SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort)
            .rtpPorts(rtpPort, rtpPort + 1).portQuarantineMs(0).sipThreads(2);
        tweak.accept(b);
        edge = sessions.edge(b.build());
        edge.start();
        return sessions;
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

    private InetSocketAddress gatewayRtp() {
        return new InetSocketAddress("127.0.0.1", rtpPort);
    }

    /**
     * Echoed frames come back in order; a frame may repeat right after itself, since loss concealment replays the
     * last frame under a fade (its marker bytes survive the first repetition).
     */
    private static void assertIncreasing(final int[] indices) {
        for (int i = 1; i < indices.length; i++) {
            assertTrue(indices[i] >= indices[i - 1], "echoed frames out of order at " + i + ": " + indices[i - 1] + " then "
                + indices[i]);
        }
    }

    private static long distinct(final int[] indices) {
        return Arrays.stream(indices).distinct().count();
    }

    @Test
    void shouldEchoPcmuToneFramesInOrderThroughACall() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        peer = new RtpPeer(peerPort);
        peer.sendTone(gatewayRtp(), RtpPeer.PCMU, 100, RtpPeer.SendPlan.inOrder());
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(2_800).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        final ScriptedAgents.Echo echo = sessions.opened.get(0);
        assertEquals("caller hung up", echo.endReason);
        assertEquals(AudioFormat.MULAW_8K, echo.callerFormat);
        assertTrue(echo.metadata.get("X-Twilio-CallSid").startsWith("CA"));
        final int[] echoed = peer.echoedIndices();
        assertIncreasing(echoed);
        assertTrue(distinct(echoed) >= 80, "echoed " + distinct(echoed) + " of 100 tone frames");
        assertEquals(0, echo.call.receive().packetsDroppedWrongSource());
        assertEquals(0, activeCallsOnceSettled(), "the edge forgets the call after the session ended");
    }

    /** The session's end latch fires before the edge forgets the call, on another thread: wait, bounded, for that. */
    private int activeCallsOnceSettled() throws InterruptedException {
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (edge.activeCalls() != 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return edge.activeCalls();
    }

    @Test
    void shouldEndWithAnRtcpByeToThePeersRtcpPort() throws Exception {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        try (DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress("127.0.0.1", peerPort + 1))) {
            rtcp.setSoTimeout(3_000);
            final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
                .pauseMs(300).run();
            assertEquals(0, r.exitCode, r.describe());
            assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
            final byte[] buf = new byte[1500];
            boolean bye = false;
            while (!bye) {
                final DatagramPacket p = new DatagramPacket(buf, buf.length);
                rtcp.receive(p);
                int at = 0;
                while (at + 4 <= p.getLength()) {
                    bye |= (buf[at + 1] & 0xFF) == 203;
                    at += (((buf[at + 2] & 0xFF) << 8 | buf[at + 3] & 0xFF) + 1) * 4;
                }
            }
            assertTrue(bye);
        }
    }

    @Test
    void shouldSendNoRtpAndFreeTheSlotAtTimerHWhenTheInviteIsNeverAcked() throws InterruptedException {
        // T1 = 50 ms puts Timer H (64*T1) at 3.2 s instead of 32 s.
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1),
            b -> b.policy(SignalingPolicy.builder().timerT1Ms(50).build()));
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-no-ack.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .timeoutSeconds(60).run();
        assertEquals(0, r.exitCode, "the gateway gave the unACKed dialog up with a BYE: " + r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals(0, activeCallsOnceSettled(), "the call's slot is free after Timer H");
        assertEquals(0, sessions.registry.size(), "the registry holds no call after Timer H");
        assertEquals(0, edge.rtpPortsInUse(), "the RTP ports are free after Timer H");
        assertTrue(!sessions.opened.get(0).started, "the agent never started");
        assertEquals(0, peer.received.size(), "no RTP reached the offered address");
    }

    @Test
    void shouldRestoreOrderAndCountLossAndDuplicates() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        peer = new RtpPeer(peerPort);
        peer.sendTone(gatewayRtp(), RtpPeer.PCMU, 120, RtpPeer.SendPlan.impaired());
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(3_200).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        final SipCall call = sessions.opened.get(0).call;
        final int[] echoed = peer.echoedIndices();
        assertIncreasing(echoed);
        for (final int index : echoed) {
            assertTrue(index % 10 != 5, "a lost frame cannot come back: " + index);
        }
        assertTrue(distinct(echoed) >= 80, "echoed " + distinct(echoed));
        assertTrue(call.playout().jitter().stats().packetsDuplicate() >= 10, "duplicates counted");
        assertTrue(call.playout().framesConcealed() >= 8, "losses concealed: " + call.playout().framesConcealed());
    }

    @Test
    void shouldSendByeWhenTheAgentHangsUp() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 25, 1), b -> { });
        final Sipp.Result r = Sipp.scenario("uac-remote-bye.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("agent hung up", sessions.opened.get(0).endReason);
    }

    @Test
    void shouldEndTheSessionAndFreeThePortWhenCancelled() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> b.answerDelayMs(3_000));
        final Sipp.Result r = Sipp.scenario("uac-cancel.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("caller cancelled", sessions.opened.get(0).endReason);
        assertTrue(!sessions.opened.get(0).started);
        final Sipp.Result again = Sipp.scenario("options.xml", sipPort).run();
        assertEquals(0, again.exitCode, "the edge still answers");
        assertEquals(0, activeCallsOnceSettled());
    }

    @Test
    void shouldStopSendingAudioOnHoldAndResumeAfter() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        peer = new RtpPeer(peerPort);
        peer.sendTone(gatewayRtp(), RtpPeer.PCMU, 150, RtpPeer.SendPlan.inOrder());
        final Sipp.Result r = Sipp.scenario("uac-hold.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(700).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        final SipCall call = sessions.opened.get(0).call;
        assertTrue(call.send().framesDroppedOnHold() > 10, "held audio not sent: " + call.send().framesDroppedOnHold());
        assertIncreasing(peer.echoedIndices());
    }

    @ParameterizedTest(name = "held with c={0} a={1}")
    @CsvSource({"127.0.0.1,sendonly,recvonly", "127.0.0.1,inactive,inactive", "0.0.0.0,sendrecv,recvonly"})
    void shouldSendNoRtpWhileTheFarEndHoldsAndResumeOnSendrecv(final String holdAddress, final String holdDirection,
                                                              final String answer) throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-hold-variants.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .key("holdaddr", holdAddress).key("holddir", holdDirection).pauseMs(1_000).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(r.messages.contains("a=" + answer), "hold answered a=" + answer);
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        // Each phase lasts 1 s; RTP timestamps count 8 per ms and keep running while nothing is sent, so the hold
        // shows as one gap between consecutive packets: zero packets in it, the stream before and after it.
        final List<byte[]> audio = peer.received.stream().filter(p -> (p[1] & 0x7F) == RtpPeer.PCMU).toList();
        long longestGapMs = 0;
        int gapAt = -1;
        for (int i = 1; i < audio.size(); i++) {
            final long gapMs = (timestamp(audio.get(i)) - timestamp(audio.get(i - 1)) & 0xFFFF_FFFFL) / 8;
            if (gapMs > longestGapMs) {
                longestGapMs = gapMs;
                gapAt = i;
            }
        }
        assertTrue(longestGapMs >= 800, "no RTP for the held second; longest gap " + longestGapMs + " ms");
        assertTrue(gapAt >= 25 && audio.size() - gapAt >= 25, "audio before the hold (" + gapAt + " packets) and after it ("
            + (audio.size() - gapAt) + ")");
        assertTrue((audio.get(gapAt)[1] & 0x80) != 0, "the first packet after the hold carries the marker bit");
    }

    private static long timestamp(final byte[] packet) {
        return (packet[4] & 0xFFL) << 24 | (packet[5] & 0xFFL) << 16 | (packet[6] & 0xFFL) << 8 | packet[7] & 0xFFL;
    }

    @Test
    void shouldCarryMediaToTheAddressAnsweredInTheAckForAnInviteWithoutSdp() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-no-sdp.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(600).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertTrue(peer.received.size() >= 10, "silence RTP reached the answered address: " + peer.received.size());
    }

    @Test
    void shouldPassPcmaThroughUntranscoded() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> { });
        sessions.format = AudioFormat.ALAW_8K;
        peer = new RtpPeer(peerPort);
        peer.sendTone(gatewayRtp(), 8, 60, RtpPeer.SendPlan.inOrder());
        final Sipp.Result r = Sipp.scenario("uac-pcma.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(1_800).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals(AudioFormat.ALAW_8K, sessions.opened.get(0).callerFormat);
        final int[] echoed = peer.echoedIndices();
        assertTrue(distinct(echoed) >= 40, "byte-exact A-law frames echoed: " + distinct(echoed));
        assertTrue(peer.received.stream().allMatch(p -> (p[1] & 0x7F) == 8), "every packet is PCMA");
    }

    @Test
    void shouldRefuseAnUnsupportedCodecWith488() {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 0), b -> { });
        final Sipp.Result r = Sipp.scenario("uac-488.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(0, sessions.opened.size());
    }

    @Test
    void shouldHangUpWithByeAfterTheMediaTimeout() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1), b -> b.mediaTimeoutSeconds(1));
        final Sipp.Result r = Sipp.scenario("uac-remote-bye.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertEquals("media timeout", sessions.opened.get(0).endReason);
    }

    @Test
    void shouldSendNothingBetweenTurnsWhenSoConfigured() throws InterruptedException {
        final ScriptedAgents sessions = start(new ScriptedAgents(10, 0, 1),
            b -> b.idlePolicy(RtpSendStage.IdlePolicy.SEND_NOTHING));
        peer = new RtpPeer(peerPort);
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(600).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(sessions.endedLatch.await(5, TimeUnit.SECONDS));
        assertTrue(peer.received.stream().noneMatch(p -> (p[1] & 0xFF) < 128 && p.length == 172),
            "no silence packets when the agent is quiet");
    }
}
