package io.voxgate.websocket.twilio;

import static io.voxgate.websocket.twilio.TwilioEdgeIT.awaitTrue;
import static io.voxgate.websocket.twilio.TwilioEdgeIT.withoutSilence;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.websocket.http.HttpEdgeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole calls through the production binding: stream -> CallSession -> agent -> paced audio -> stream. */
class TwilioCallSessionIT {
    private static final String TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_URL = "https://gw.example.com";

    private final Map<String, StringBuilder> digits = new ConcurrentHashMap<>();
    private final CallRegistry registry = new CallRegistry(250);
    private HttpEdgeServer server;
    private TwilioEdge edge;
    private TwilioCallSimulator simulator;

    private void start(final VoiceAgentFactory agents, final int simulatorThreads) {
        start(agents, simulatorThreads, registry::precheck);
    }

    private void start(final VoiceAgentFactory agents, final int simulatorThreads,
                       final Supplier<CallAdmission.Verdict> admission) {
        final TwilioEdgeConfig config = TwilioEdgeConfig.builder().publicUrl(PUBLIC_URL).authToken(TOKEN).build();
        // Echo tests: the caller keeps talking over the echo, which the VAD would rightly call a barge-in.
        final CallSessionConfig session = CallSessionConfig.defaults().withBargeInVad(false);
        edge = new TwilioEdge(config, admission, new CallOpener(registry, agents, session, SystemNanoClock.INSTANCE),
            new LoopTickers(SystemNanoClock.INSTANCE));
        server = edge.register(HttpEdgeServer.builder().bindAddress("127.0.0.1").port(0).workerThreads(2)).build().start();
        simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", server.port()).publicUrl(PUBLIC_URL).authToken(TOKEN)
            .threads(simulatorThreads).strict(simulatorThreads == 1).closeTimeoutMs(15_000).build();
    }

    @AfterEach
    void stop() {
        simulator.close();
        server.close();
    }

    /** The core echo agent, recording the digits it is given. */
    private VoiceAgentFactory recordingEcho() {
        return call -> new VoiceAgent() {
            private final EchoAgent echo = new EchoAgent(AudioFormat.MULAW_8K);

            @Override
            public AudioFormat audioFormat() {
                return echo.audioFormat();
            }

            @Override
            public void connect(final AgentCall agentCall, final AgentListener listener, final long nowNs) {
                digits.put(agentCall.callId(), new StringBuilder());
                echo.connect(agentCall, listener, nowNs);
            }

            @Override
            public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
                echo.onCallerAudio(audio, offset, length, nowNs);
            }

            @Override
            public void onCallerDigit(final char digit, final long nowNs) {
                digits.get(call.callId()).append(digit);
                echo.onCallerDigit(digit, nowNs);
            }

            @Override
            public void close(final String reason, final long nowNs) {
                echo.close(reason, nowNs);
            }
        };
    }

    @Test
    void shouldCarryAWholeCallThroughACallSessionAndTheEchoAgent() throws Exception {
        start(recordingEcho(), 1);
        final SimulatedAudio said = SimulatedAudio.tone(523, 1_200, 8_000);
        final Path recording = Files.createTempFile("heard", ".wav");
        final CallPlan plan = CallPlan.builder().audio(said).dtmf('4', 300).dtmf('2', 600).listenAfterMs(600)
            .recording(recording).build();
        final SimulatedCallResult result = simulator.call(plan).get(30, TimeUnit.SECONDS);

        assertTrue(result.ok(), result.toString());
        // The echo is paced at real time with a bounded lead; what was not yet due when the caller hung up is dropped
        // (at most the lead, 80 ms = 4 frames, plus the frame in flight). Everything the caller said was heard.
        assertTrue(result.framesReceived() >= result.framesSent() - 5, result.framesReceived() + " of " + result.framesSent());
        assertEquals(160L * result.framesReceived(), result.bytesReceived(), "paced out as 160 bytes per 20 ms frame");
        assertArrayEquals(withoutSilence(said.mulaw()), withoutSilence(result.heard()), "byte-exact, in order");
        assertArrayEquals(result.heard(), SimulatedAudio.fromWav(recording).mulaw(), "the recording is what was heard");
        Files.delete(recording);
        assertTrue(result.marksEchoed() >= result.marksReceived() - 1 && result.marksReceived() >= 10, result.toString());
        assertEquals("42", digits.get(plan.callSid()).toString(), "DTMF reaches the agent");
        awaitTrue(() -> registry.size() == 0);
        assertEquals(1, registry.callsAccepted());
        assertEquals(1, registry.callsEnded());
        assertEquals(0, edge.stats().streamsActive());
        assertEquals(0, edge.stats().clearsSent());
    }

    @Test
    void shouldKeepTwoHundredOverlappingCallsApart() throws Exception {
        start(recordingEcho(), 2);
        final int count = 200;
        final List<SimulatedAudio> said = new ArrayList<>();
        final List<CompletableFuture<SimulatedCallResult>> results = new ArrayList<>();
        // Placed at 10 calls/s, about 20 overlapping at any time: this gateway (two loops, paranoid leak tracking of
        // every buffer, cores shared with the build) cannot echo 200 calls started in one burst in real time, and the
        // first echoes would come back after the callers had hung up. The simulator used to spread the calls out by
        // its own per-frame cost (this test took 20-40 s); it no longer does, so the pacing is explicit.
        final long startNs = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(startNs + i * 100_000_000L - System.nanoTime());
            said.add(SimulatedAudio.tone(300 + 13.7 * i, 1_000, 6_000));
            results.add(simulator.call(CallPlan.builder().audio(said.get(i)).listenAfterMs(1_000).build()));
        }
        for (int i = 0; i < count; i++) {
            final SimulatedCallResult r = results.get(i).get(90, TimeUnit.SECONDS);
            assertTrue(r.ok(), "call " + i + ": " + r.error() + " close " + r.closeCode() + " " + r.closeReason());
            // Under load the simulator's clock may catch up in bursts and hang up before the last echoes have played;
            // what was heard must still be this call's own audio, from its start, in order.
            final byte[] own = withoutSilence(said.get(i).mulaw());
            final byte[] heard = withoutSilence(r.heard());
            assertTrue(heard.length >= own.length / 2, "call " + i + " heard " + heard.length + " of " + own.length + " bytes");
            assertArrayEquals(Arrays.copyOf(own, heard.length), heard, "call " + i + " heard only itself, in order");
        }
        awaitTrue(() -> registry.size() == 0);
        assertEquals(count, registry.callsAccepted());
        assertEquals(count, edge.stats().streamsStarted());
        assertEquals(0, edge.stats().streamsActive());
    }

    @Test
    void shouldClearTwiliosBufferOnBargeInAndCountTheClearedMarks() throws Exception {
        // An agent that greets with three seconds of tone and is interrupted when the caller presses '*'.
        start(call -> new VoiceAgent() {
            private AgentListener listener;

            @Override
            public AudioFormat audioFormat() {
                return AudioFormat.MULAW_8K;
            }

            @Override
            public void connect(final AgentCall agentCall, final AgentListener agentListener, final long nowNs) {
                listener = agentListener;
                listener.onAgentConnected(nowNs);
                final byte[] greeting = SimulatedAudio.tone(880, 3_000, 8_000).mulaw();
                listener.onAgentAudio(new UnsafeBuffer(greeting), 0, greeting.length, nowNs);
            }

            @Override
            public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            }

            @Override
            public void onCallerDigit(final char digit, final long nowNs) {
                if (digit == '*') {
                    listener.onAgentInterruption(nowNs);
                }
            }

            @Override
            public void close(final String reason, final long nowNs) {
            }
        }, 1);
        final CallPlan plan = CallPlan.builder().audio(SimulatedAudio.silence(1_000)).dtmf('*', 1_000).listenAfterMs(1_000).build();
        final SimulatedCallResult result = simulator.call(plan).get(30, TimeUnit.SECONDS);

        assertTrue(result.ok(), result.toString());
        assertEquals(1, result.clearTimesNs().size(), "one clear for one accepted barge-in");
        assertEquals(1, edge.stats().clearsSent());
        final int heardMs = withoutSilence(result.heard()).length / 8;
        assertTrue(heardMs < 2_000, "the rest of the greeting was never heard: " + heardMs + " ms");
        assertTrue(heardMs > 500, "the greeting played until the barge-in: " + heardMs + " ms");
        assertEquals(result.marksEchoed(), edge.stats().marksPlayed() + edge.stats().marksCleared());
        awaitTrue(() -> registry.size() == 0);
    }

    @Test
    void shouldRefuseNewCallsAtTheWebhookWhileDraining() throws Exception {
        start(recordingEcho(), 1);
        registry.beginDrain(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        final SimulatedCallResult result = simulator.call(CallPlan.builder().build()).get(30, TimeUnit.SECONDS);
        assertEquals(503, result.webhookStatus(), "the webhook refuses new calls while draining");
        assertEquals(1, edge.stats().webhooksRefusedDraining());
    }

    @Test
    void shouldTakeAStreamWhoseWebhookWasAnsweredBeforeTheDrainBegan() throws Exception {
        // The webhook admitted the call, then the node began draining before the stream started: the call was taken,
        // and refusing its stream now would drop the caller.
        start(recordingEcho(), 1, () -> CallAdmission.Verdict.ACCEPTED);
        registry.beginDrain(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));

        final SimulatedCallResult result = simulator.call(CallPlan.builder().build()).get(30, TimeUnit.SECONDS);

        assertEquals(200, result.webhookStatus());
        assertNotEquals(1013, result.closeCode(), "the promised stream is not refused for the drain");
        assertEquals(0, edge.stats().streamsRefused());
        assertEquals(1, registry.callsAccepted());
        assertTrue(result.framesReceived() > 0, "the call carried the echo");
    }
}
