package io.voxgate.app.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallCommand;
import io.voxgate.core.call.CallCommandProxy;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.sip.SipEdge;
import io.voxgate.sip.SipEdgeConfig;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import io.voxgate.websocket.http.EventLoopTransport;
import io.voxgate.websocket.http.HttpEdgeServer;
import io.voxgate.websocket.twilio.TwilioEdge;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's "done when": Twilio streams and SIP calls on ONE media event loop, ticked by one ticker; one SIP call's
 * tick throws and one Twilio call's command throws. The two faulty calls end and are counted; every other call of
 * both edges keeps its audio: a Twilio call gets back every frame it sent, a SIP call every frame but those the
 * gateway dropped on purpose and counted (a jitter-buffer delay cut, a late loop on a loaded host).
 */
class OneLoopFaultIsolationIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";
    /** Three consecutive RTP pairs: the allocator hands them out in order to calls admitted one after another. */
    private static final int RTP_LOW = 34_100;
    private static final int TONE_FRAMES = 150;
    /** The faulty SIP call's agent throws on this caller frame, inside the loop's tick (playout into the session). */
    private static final int FAULTY_SIP_FRAME = 25;

    private final int sipPort = FreePorts.udpAndTcp();
    private final EventLoopTransport transport = EventLoopTransport.detect();
    private final EventLoopGroup acceptLoop = transport.newGroup(1, "it-accept");
    private final EventLoopGroup mediaLoop = transport.newGroup(1, "it-media");
    private final CallRegistry registry = new CallRegistry(20);
    private final LoopTickers tickers = new LoopTickers(SystemNanoClock.INSTANCE);
    private final Agents agents = new Agents();
    private final List<RtpPeer> peers = new ArrayList<>();
    private HttpEdgeServer http;
    private SipEdge sip;
    private TwilioCallSimulator simulator;

    /** Echo agents that record where they ran and how they ended; two of them carry a bug. */
    private static final class Agents implements VoiceAgentFactory {
        final Set<Executor> loops = ConcurrentHashMap.newKeySet();
        final Map<String, String> endReasons = new ConcurrentHashMap<>();
        final List<String> sipCallIds = new CopyOnWriteArrayList<>();
        final Map<String, CountDownLatch> connected = new ConcurrentHashMap<>();
        volatile String faultyTwilioSid;
        volatile CountDownLatch sipConnected = new CountDownLatch(1);

        @Override
        public VoiceAgent create(final AgentCall call) {
            final boolean sip = SipEdge.EDGE.equals(call.edge());
            if (sip) {
                sipCallIds.add(call.callId());
            }
            final boolean tickBug = sip && sipCallIds.size() == 1;
            final boolean closeBug = call.callId().equals(faultyTwilioSid);
            return new VoiceAgent() {
                private AgentListener listener;
                private int frames;

                @Override
                public AudioFormat audioFormat() {
                    return AudioFormat.MULAW_8K;
                }

                @Override
                public void connect(final AgentCall agentCall, final AgentListener agentListener, final long nowNs) {
                    loops.add(agentCall.executor());
                    listener = agentListener;
                    listener.onAgentConnected(nowNs);
                    connected.computeIfAbsent(agentCall.callId(), id -> new CountDownLatch(1)).countDown();
                    if (sip) {
                        sipConnected.countDown();
                    }
                }

                @Override
                public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
                    if (tickBug && ++frames == FAULTY_SIP_FRAME) {
                        throw new IllegalStateException("injected bug in a SIP call's tick");
                    }
                    listener.onAgentAudio(audio, offset, length, nowNs);
                }

                @Override
                public void onCallerDigit(final char digit, final long nowNs) {
                }

                @Override
                public void close(final String reason, final long nowNs) {
                    endReasons.put(call.callId(), reason);
                    if (closeBug) {
                        throw new IllegalStateException("injected bug in a Twilio call's hang-up command");
                    }
                }
            };
        }

        CountDownLatch connectedLatch(final String callId) {
            return connected.computeIfAbsent(callId, id -> new CountDownLatch(1));
        }
    }

    @AfterEach
    void stop() {
        peers.forEach(RtpPeer::close);
        if (simulator != null) {
            simulator.close();
        }
        if (sip != null) {
            sip.stop();
        }
        if (http != null) {
            http.close();
        }
        acceptLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        mediaLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void start() {
        // As the launcher composes a node: one opener, one set of tickers, one media loop group for both edges.
        final CallOpener opener = new CallOpener(registry, agents, CallSessionConfig.defaults().withBargeInVad(false),
            SystemNanoClock.INSTANCE);
        final TwilioEdge twilio = new TwilioEdge(TwilioEdgeConfig.builder().publicUrl(PUBLIC_URL).authToken(TOKEN).build(),
            opener, tickers);
        http = twilio.register(HttpEdgeServer.builder().eventLoops(transport, acceptLoop, mediaLoop).bindAddress("127.0.0.1")
            .port(0)).build().start();
        sip = new SipEdge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(RTP_LOW, RTP_LOW + 5)
            .portQuarantineMs(0).sipThreads(2).build(), opener, tickers, mediaLoop);
        sip.start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", http.port()).publicUrl(PUBLIC_URL).authToken(TOKEN)
            .threads(1).closeTimeoutMs(15_000).build();
    }

    /** Places SIP call {@code index} (its RTP pair is the index-th of the range) and starts its tone once answered. */
    private CompletableFuture<Sipp.Result> sipCall(final int index, final String scenario, final int pauseMs) throws Exception {
        final int peerPort = FreePorts.rtpPair();
        final RtpPeer peer = new RtpPeer(peerPort);
        peers.add(peer);
        agents.sipConnected = new CountDownLatch(1);
        final CompletableFuture<Sipp.Result> run = CompletableFuture.supplyAsync(() -> Sipp.scenario(scenario, sipPort)
            .key("rtpport", Integer.toString(peerPort)).pauseMs(pauseMs).timeoutSeconds(30).run());
        assertTrue(agents.sipConnected.await(10, TimeUnit.SECONDS), "SIP call " + index + " answered");
        peer.sendTone(new InetSocketAddress("127.0.0.1", RTP_LOW + 2 * index), RtpPeer.PCMU, TONE_FRAMES,
            RtpPeer.SendPlan.inOrder());
        return run;
    }

    @Test
    void shouldEndOnlyTheFaultyCallsAndKeepEveryFrameOfTheOthersOnOneLoop() throws Exception {
        start();
        // A first Twilio call loads the webhook's and the stream's classes: a cold start stalls the one loop for longer
        // than a jitter buffer holds, which would show as SIP loss that has nothing to do with the faults.
        assertTrue(simulator.call(CallPlan.builder().audio(SimulatedAudio.tone(440, 500, 8_000)).listenAfterMs(200).build())
            .get(30, TimeUnit.SECONDS).ok(), "warm-up call");
        final SimulatedAudio said = SimulatedAudio.tone(440, 3_000, 8_000);
        final CallPlan faultyPlan = CallPlan.builder().audio(said).listenAfterMs(500).build();
        agents.faultyTwilioSid = faultyPlan.callSid();
        final CallPlan twilioA = CallPlan.builder().audio(said).listenAfterMs(500).build();
        final CallPlan twilioB = CallPlan.builder().audio(said).listenAfterMs(500).build();

        final CompletableFuture<Sipp.Result> faultySip = sipCall(0, "uac-remote-bye.xml", 0);
        final CompletableFuture<Sipp.Result> sipA = sipCall(1, "uac-basic.xml", 4_000);
        final CompletableFuture<Sipp.Result> sipB = sipCall(2, "uac-basic.xml", 4_000);
        final CompletableFuture<SimulatedCallResult> faultyTwilio = simulator.call(faultyPlan);
        final CompletableFuture<SimulatedCallResult> resultA = simulator.call(twilioA);
        final CompletableFuture<SimulatedCallResult> resultB = simulator.call(twilioB);

        assertTrue(agents.connectedLatch(faultyPlan.callSid()).await(10, TimeUnit.SECONDS), "the faulty stream started");
        final CallCommandProxy<CallCommand> faultyProxy = registry.proxy(TwilioEdge.EDGE, faultyPlan.callSid());
        assertNotNull(faultyProxy);
        assertTrue(faultyProxy.offer(CallCommand.hangUp("admin")), "the command whose handling throws");

        for (final CompletableFuture<SimulatedCallResult> future : List.of(resultA, resultB)) {
            final SimulatedCallResult result = future.get(30, TimeUnit.SECONDS);
            assertTrue(result.ok(), result.toString());
            assertEquals(result.framesSent(), result.framesReceived(), "0 frames lost on a Twilio call: " + result);
            assertTrue(result.framesSent() >= said.mulaw().length / 160, "the whole tone was sent: " + result);
        }
        for (final CompletableFuture<Sipp.Result> future : List.of(sipA, sipB)) {
            final Sipp.Result r = future.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode, r.describe());
        }
        faultyTwilio.get(30, TimeUnit.SECONDS);
        assertEquals(0, faultySip.get(30, TimeUnit.SECONDS).exitCode, "the faulty SIP call was hung up with a BYE");

        assertEquals(1, agents.loops.size(), "every call of both edges ran on the one media loop");
        assertEquals(1, tickers.memberFailures(), "the SIP tick that threw is counted");
        assertEquals(1, faultyProxy.commandsFailed(), "the Twilio command that threw is counted");
        assertEquals(2, registry.callsFailed(), "both faulty calls ended as failed");
        assertEquals("internal error", agents.endReasons.get(agents.sipCallIds.get(0)));
        assertEquals("admin", agents.endReasons.get(faultyPlan.callSid()));
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (registry.size() > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(0, registry.size(), "every call left the registry");
        // Loopback RTP loses nothing, and the faults cost the other calls nothing: a SIP frame may only be missing when
        // the gateway dropped it on purpose and counted it: the jitter buffer cutting its delay during speech (flushed),
        // or the one loop running late on a shared build host (late, skipped).
        long missing = 0;
        for (int i = 1; i < peers.size(); i++) {
            final int[] echoed = peers.get(i).echoedIndices();
            missing += TONE_FRAMES - Arrays.stream(echoed).distinct().count();
            for (int k = 1; k < echoed.length; k++) {
                assertTrue(echoed[k] >= echoed[k - 1], "in order on SIP call " + i);
            }
        }
        final long counted = sip.rtpTotals().packetsLate() + sip.rtpTotals().ticksSkipped() + sip.rtpTotals().packetsFlushed();
        assertTrue(missing <= counted, missing + " SIP frames lost that the gateway did not count (late "
            + sip.rtpTotals().packetsLate() + ", skipped " + sip.rtpTotals().ticksSkipped() + ", lost " + sip.rtpTotals().packetsLost()
            + ", flushed " + sip.rtpTotals().packetsFlushed() + ", concealed " + sip.rtpTotals().framesConcealed() + ", silence "
            + sip.rtpTotals().framesSilence() + ", received " + sip.rtpTotals().packetsReceived() + ", invalid "
            + sip.rtpTotals().packetsDroppedInvalid() + "; " + Arrays.toString(peers.get(1).echoedIndices()) + " "
            + Arrays.toString(peers.get(2).echoedIndices()) + ")");
        assertEquals(0, sip.rtpTotals().packetsLost(), "no RTP packet of any call went missing in the gateway");
        assertEquals(7, registry.callsAccepted(), "the warm-up call and six more");
    }
}
