package io.voxgate.websocket.twilio.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.tick.LoopTicker;
import io.voxgate.core.tick.LoopTickers;
import io.voxgate.websocket.twilio.TwilioEdge;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import io.voxgate.websocket.twilio.webhook.AdmittedCalls;
import io.voxgate.websocket.twilio.webhook.CallTokens;
import io.voxgate.websocket.twilio.webhook.TwilioSignatures;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream's tick and flushing, driven by hand: the loop's shared tick is run with a chosen {@code nowNs}. */
class MediaStreamHandlerTest {
    private static final long T0 = 10_000_000_000L;
    private static final long IDLE_TIMEOUT_MS = 5_000;
    private static final String CALL_SID = "CA00000000000000000000000000000001";
    private static final String STREAM_SID = "MZ00000000000000000000000000000001";
    private static final String START = "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"" + STREAM_SID + "\","
        + "\"start\":{\"streamSid\":\"" + STREAM_SID + "\",\"callSid\":\"" + CALL_SID + "\",\"accountSid\":\"AC01\","
        + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}";
    private static final String STOP = "{\"event\":\"stop\",\"sequenceNumber\":\"9\",\"streamSid\":\"" + STREAM_SID + "\"}";

    private long clockNs = T0;
    private RuntimeException clockFailure;
    private final HoldingAgent agent = new HoldingAgent();
    private final CallRegistry registry = new CallRegistry(10);
    private final LoopTickers tickers = new LoopTickers(() -> clockNs);
    /** The call's clock; throws once when told to, standing in for a bug inside the call's tick. */
    private final NanoClock callClock = () -> {
        final RuntimeException failure = clockFailure;
        clockFailure = null;
        if (failure != null) {
            throw failure;
        }
        return clockNs;
    };
    private final TwilioEdgeConfig config = TwilioEdgeConfig.builder()
        .publicUrl("https://gateway.example.com")
        .signatureValidation(false)
        // The handler is driven without a webhook before it, as in a <Start><Stream> deployment.
        .streamAuthentication(StreamAuthentication.SIGNATURE)
        .streamIdleTimeoutMs(IDLE_TIMEOUT_MS)
        .build();
    private final StreamStats stats = new StreamStats();
    private final MediaStreamRoute route = new MediaStreamRoute(config, new TwilioSignatures(config, null),
        new AdmittedCalls(config.maxAdmittedCalls(), 2 * config.callTokenTtlSeconds(),
            config.streamAuthentication().webhookRequired()),
        new CallTokens("0123456789abcdef".getBytes(StandardCharsets.US_ASCII), config.callTokenTtlSeconds()),
        new CallOpener(registry, call -> agent, CallSessionConfig.defaults().withOutboundLeadMs(0), callClock)
            .forEdge(TwilioEdge.EDGE, UnaryOperator.identity()),
        tickers, stats);
    private final MediaStreamHandler handler = new MediaStreamHandler(route, CALL_SID, true);
    private final EmbeddedChannel channel = new EmbeddedChannel(handler);
    private final LoopTicker tick = tickers.tickerOf(channel.eventLoop());

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /**
     * An agent that connects at once and speaks only when the test says so; with an outbound lead of 0 the session
     * releases one 20 ms frame at once and each further frame a period later, so the test knows when audio is due.
     */
    private static final class HoldingAgent implements VoiceAgent {
        private AgentListener listener;
        String endReason;

        @Override
        public AudioFormat audioFormat() {
            return AudioFormat.MULAW_8K;
        }

        @Override
        public void connect(final AgentCall call, final AgentListener agentListener, final long nowNs) {
            listener = agentListener;
            listener.onAgentConnected(nowNs);
        }

        /** Two frames at {@code nowNs}: the first leaves at once, the second is due 20 ms later. */
        void sayTwoFrames(final long nowNs) {
            listener.onAgentAudio(new UnsafeBuffer(new byte[320]), 0, 320, nowNs);
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            // Holds its tongue: the test decides when it speaks.
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            // Not used here.
        }

        @Override
        public void close(final String reason, final long nowNs) {
            endReason = reason;
        }
    }

    /** Frames the running session has released to the caller. */
    private long framesToCaller() {
        final long[] frames = {0};
        registry.forEachCall((callId, edgeName, stats) -> frames[0] += stats.framesToCaller());
        return frames[0];
    }

    /** Starts the stream; the agent then speaks two frames at {@code T0}, and the first is read off the channel. */
    private void startWithSecondFrameDueAt20Ms() {
        receive(START);
        agent.sayTwoFrames(T0);
        channel.flushOutbound();
        final String first = sent();
        assertTrue(first != null && first.contains("\"event\":\"media\""), String.valueOf(first));
        drainOutbound();
    }

    private void drainOutbound() {
        while (sent() != null) {
            continue;
        }
    }

    private void receive(final String text) {
        // As the server's frame reader delivers it: a view over the received (unmasked) bytes.
        final byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        handler.onText(new UnsafeBuffer(utf8), 0, utf8.length);
        channel.runPendingTasks();
    }

    private String sent() {
        final Object message = channel.readOutbound();
        if (message == null) {
            return null;
        }
        try {
            // The encoder writes whole WebSocket frames as bytes; the JSON follows the frame header.
            return ((ByteBuf) message).toString(StandardCharsets.UTF_8);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Test
    void shouldDropAndCountABinaryMessageOnceOnItsLastFragment() {
        receive(START);
        final UnsafeBuffer audio = new UnsafeBuffer(new byte[160]);

        handler.onBinary(audio, 0, 80, false);
        handler.onBinary(audio, 80, 80, true);

        assertEquals(1, stats.binaryFrames());
        assertEquals(0, stats.streamsEnded(), "a binary message is dropped, the stream goes on");
    }

    @Test
    void shouldJoinItsLoopsTickWhenTheStreamStarts() {
        assertEquals(0, tick.members());

        receive(START);

        assertEquals(1, tick.members());
        assertEquals(1, tick.everyWakeUpMembers(), "a stream is ticked at every wake-up");
        assertTrue(tick.running());
        assertEquals(1, stats.streamsStarted());
    }

    @Test
    void shouldTickTheCallOnlyOnceItHasWorkDue() {
        startWithSecondFrameDueAt20Ms();
        assertEquals(1, framesToCaller());

        tick.tick(T0 + 18_000_000L);
        assertEquals(1, framesToCaller(), "nothing due: the call is skipped");
        tick.tick(T0 + 22_000_000L);

        assertEquals(2, framesToCaller());
    }

    @Test
    void shouldSendAndFlushAudioTheCallReleasesOnATick() {
        startWithSecondFrameDueAt20Ms();

        tick.tick(T0 + 18_000_000L);
        assertNull(sent(), "nothing is due yet");
        tick.tick(T0 + 22_000_000L);

        final String media = sent();
        assertTrue(media != null && media.contains("\"event\":\"media\""), String.valueOf(media));
        assertTrue(media.contains(STREAM_SID), media);
    }

    @Test
    void shouldLeaveTheLoopsTickWhenTheStreamStops() {
        receive(START);

        receive(STOP);

        assertEquals(0, tick.members());
        assertFalse(tick.running(), "the loop has no stream left, so no timer either");
        assertEquals("stream stopped", agent.endReason);
    }

    @Test
    void shouldEndAStreamSilentForLongerThanTheIdleTimeoutOnATick() {
        receive(START);

        tick.tick(T0 + IDLE_TIMEOUT_MS * 1_000_000L);
        assertNull(agent.endReason, "exactly the timeout is not yet over it");
        tick.tick(T0 + IDLE_TIMEOUT_MS * 1_000_000L + 1);

        assertEquals(1, stats.streamsIdleTimedOut());
        assertTrue(agent.endReason.startsWith("no message from Twilio"), agent.endReason);
        assertEquals(0, tick.members());
    }

    @Test
    void shouldEndTheStreamWithAnInternalErrorWhenItsTickFails() {
        startWithSecondFrameDueAt20Ms();
        clockFailure = new IllegalStateException("bug in the call");

        tick.tick(T0 + 22_000_000L);

        assertEquals("internal error", agent.endReason);
        assertEquals(0, tick.members());
        assertEquals(1, tick.memberFailures());
        assertEquals(1, registry.callsFailed(), "the call ended as failed");
        assertEquals(0, registry.size());
    }
}
