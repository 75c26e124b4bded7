package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SIP edge with the real core call model: CallSession, CallRegistry and the embedded echo agent. */
class SipEdgeCoreIT {
    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private final List<AgentCall> agentCalls = new CopyOnWriteArrayList<>();
    private SipEdge edge;
    private RtpPeer peer;
    private CallRegistry registry;
    /** One permit per call that left the registry: the session ends on its media loop just after the BYE's 200 OK. */
    private final Semaphore callsEnded = new Semaphore(0);

    private void start(final int maxCalls, final VoiceAgentFactory agents) {
        registry = new CallRegistry(maxCalls, (callId, edge, stats) -> callsEnded.release());
        edge = TestMediaLoops.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 3)
            .portQuarantineMs(0).sipThreads(2).build(), registry, call -> {
                agentCalls.add(call);
                return agents.create(call);
            }, CallSessionConfig.defaults());
        edge.start();
    }

    private void assertLeftTheRegistry() throws InterruptedException {
        assertTrue(callsEnded.tryAcquire(5, TimeUnit.SECONDS), "the session ended");
        assertEquals(0, registry.size(), "the session left the registry");
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
    void shouldEchoPcmuByteExactThroughTheCoreEchoAgent() throws InterruptedException {
        start(10, call -> new EchoAgent(AudioFormat.MULAW_8K));
        peer = new RtpPeer(peerPort);
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 100, RtpPeer.SendPlan.impaired());
        final Sipp.Result r = Sipp.scenario("uac-basic.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(2_800).run();
        assertEquals(0, r.exitCode, r.describe());
        final int[] echoed = peer.echoedIndices();
        for (int i = 1; i < echoed.length; i++) {
            assertTrue(echoed[i] >= echoed[i - 1], "in order: " + Arrays.toString(echoed));
        }
        assertTrue(Arrays.stream(echoed).distinct().count() >= 70, "echoed " + Arrays.stream(echoed).distinct().count());
        final AgentCall call = agentCalls.get(0);
        assertEquals("sip", call.edge());
        assertTrue(call.metadata().get("X-Twilio-CallSid").startsWith("CA"));
        assertEquals("<sip:+14155550000@twilio.com>", call.metadata().get("Diversion"));
        assertLeftTheRegistry();
    }

    @Test
    void shouldPlayACallerDigitBackAsRfc4733EventsThroughTheCoreEchoAgent() throws Exception {
        start(10, call -> new EchoAgent(AudioFormat.MULAW_8K));
        peer = new RtpPeer(peerPort);
        final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", rtpPort);
        final AtomicBoolean toneOn = new AtomicBoolean(true);
        final AtomicInteger lastToneIndex = new AtomicInteger();
        peer.sendTone(gateway, RtpPeer.PCMU, 500, (i, held) -> {
            if (!toneOn.get()) {
                return new int[0];
            }
            lastToneIndex.set(i);
            return new int[] {i};
        });
        final CompletableFuture<Sipp.Result> running = CompletableFuture.supplyAsync(() -> Sipp.scenario("uac-basic.xml", sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(2_500).run());
        assertTrue(peer.firstToneEchoed.await(15, TimeUnit.SECONDS), "media flows both ways before the digit");
        toneOn.set(false);

        // The caller presses 7: one RFC 4733 event, 60 ms, three end packets, on the tone's SSRC and clock.
        final int firstSeq = lastToneIndex.get() + 2;
        for (int p = 0; p < 6; p++) {
            final ByteBuffer payload = ByteBuffer.allocate(4);
            payload.put((byte) 7).put((byte) ((p >= 3 ? 0x80 : 0) | 10)).putShort((short) (160 * Math.min(p + 1, 3)));
            final byte[] packet = RtpPeer.packet(101, firstSeq + p, 0x5EED0001, p == 0, payload.array());
            ByteBuffer.wrap(packet).putInt(4, firstSeq * 160);
            peer.send(gateway, packet);
        }
        final Sipp.Result r = running.get(30, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode, r.describe());

        final List<byte[]> events = peer.received.stream().filter(p -> (p[1] & 0x7F) == 101).collect(Collectors.toList());
        assertTrue(events.size() >= 4, "event packets came back: " + events.size());
        assertTrue(events.stream().allMatch(p -> p[12] == 7), "every event is digit 7");
        assertEquals(1, events.stream().mapToInt(p -> ByteBuffer.wrap(p).getInt(4)).distinct().count(),
            "one key press: every packet carries the event's start timestamp");
        assertTrue((events.get(0)[1] & 0x80) != 0, "marker on the first packet of the event");
        assertTrue(events.stream().skip(1).noneMatch(p -> (p[1] & 0x80) != 0), "marker on the first packet only");
        final int n = events.size();
        for (int i = 0; i < n; i++) {
            assertEquals(i >= n - 3, (events.get(i)[13] & 0x80) != 0, "E bit on the last three packets only, packet " + i);
        }
        final int gatewaySsrc = peer.received.stream().filter(p -> (p[1] & 0x7F) == RtpPeer.PCMU).findFirst()
            .map(p -> ByteBuffer.wrap(p).getInt(8)).orElseThrow();
        assertTrue(events.stream().allMatch(p -> ByteBuffer.wrap(p).getInt(8) == gatewaySsrc), "the events share the audio's SSRC");
        assertLeftTheRegistry();
    }

    @Test
    void shouldTranscodePcmaForAPcm16Agent() {
        start(10, call -> new EchoAgent(AudioFormat.PCM16_16K));
        peer = new RtpPeer(peerPort);
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), 8, 60, RtpPeer.SendPlan.inOrder());
        final Sipp.Result r = Sipp.scenario("uac-pcma.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(1_800).run();
        assertEquals(0, r.exitCode, r.describe());
        final long voiced = peer.received.stream().filter(p -> (p[1] & 0x7F) == 8 && p[12] != (byte) 0xD5).count();
        assertTrue(voiced >= 30, "transcoded audio came back as PCMA: " + voiced);
    }

    @Test
    void shouldSendByeWhenTheAgentEndsTheCall() throws InterruptedException {
        start(10, call -> new ClosingAgent(10));
        peer = new RtpPeer(peerPort);
        peer.sendTone(new InetSocketAddress("127.0.0.1", rtpPort), RtpPeer.PCMU, 100, RtpPeer.SendPlan.inOrder());
        final Sipp.Result r = Sipp.scenario("uac-remote-bye.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertLeftTheRegistry();
    }

    @Test
    void shouldAnswer503WhenTheSharedRegistryIsFull() {
        start(1, call -> new EchoAgent(AudioFormat.MULAW_8K));
        registry.beginDrain(Long.MAX_VALUE);
        final Sipp.Result r = Sipp.scenario("uac-503.xml", sipPort).key("rtpport", Integer.toString(peerPort)).run();
        assertEquals(0, r.exitCode, r.describe());
        assertEquals(1, edge.callsRefusedFull());
    }

    /** An agent that hangs up after a number of caller frames. */
    private static final class ClosingAgent implements VoiceAgent {
        private final int frames;
        private AgentListener listener;
        private int seen;

        ClosingAgent(final int frames) {
            this.frames = frames;
        }

        @Override
        public AudioFormat audioFormat() {
            return AudioFormat.MULAW_8K;
        }

        @Override
        public void connect(final AgentCall call, final AgentListener agentListener, final long nowNs) {
            this.listener = agentListener;
            agentListener.onAgentConnected(nowNs);
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            if (++seen == frames) {
                listener.onAgentClosed("agent hung up", nowNs);
            }
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            // Not used.
        }

        @Override
        public void close(final String reason, final long nowNs) {
            // Nothing to release.
        }
    }
}
