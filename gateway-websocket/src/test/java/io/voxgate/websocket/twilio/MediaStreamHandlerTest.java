package io.voxgate.websocket.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.voxgate.core.call.CallerLeg;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
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
    private final HeldAudioCall call = new HeldAudioCall();
    private final TwilioEdge edge = new TwilioEdge(TwilioEdgeConfig.builder()
        .publicUrl("https://gateway.example.com")
        .signatureValidation(false)
        // The handler is driven without a webhook before it, as in a <Start><Stream> deployment.
        .streamAuthentication(StreamAuthentication.SIGNATURE)
        .streamIdleTimeoutMs(IDLE_TIMEOUT_MS)
        .nanoClock(() -> clockNs)
        .build(), CallAdmission.ALWAYS, call);
    private final EmbeddedChannel channel = new EmbeddedChannel(new MediaStreamHandler(edge, CALL_SID, true));
    private final LoopTick tick = edge.loopTick(channel.eventLoop());

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** A call holding one frame of agent audio that it releases on the first tick at or after {@code dueNs}. */
    private static final class HeldAudioCall implements StreamCallFactory, StreamCall {
        private final UnsafeBuffer frame = new UnsafeBuffer(new byte[160]);
        private CallerLeg leg;
        long dueNs = Long.MAX_VALUE;
        int ticks;
        RuntimeException failOnTick;
        String endReason;

        @Override
        public StreamCallOpening open(final StreamStart start, final CallerLeg callerLeg, final io.netty.channel.EventLoop loop,
                                      final long nowNs) {
            this.leg = callerLeg;
            return StreamCallOpening.opened(this);
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            // Held audio only: the test decides when it leaves.
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            // Not used here.
        }

        @Override
        public void onTick(final long nowNs) {
            ticks++;
            if (failOnTick != null) {
                throw failOnTick;
            }
            if (nowNs >= dueNs) {
                dueNs = Long.MAX_VALUE;
                leg.sendToCaller(frame, 0, frame.capacity(), nowNs);
            }
        }

        @Override
        public long nextTickNs() {
            return failOnTick != null ? Long.MIN_VALUE : dueNs;
        }

        @Override
        public void end(final String reason, final long nowNs) {
            endReason = reason;
        }
    }

    private void receive(final String text) {
        channel.writeInbound(new TextWebSocketFrame(text));
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
    void shouldJoinItsLoopsTickWhenTheStreamStarts() {
        assertEquals(0, tick.size());

        receive(START);

        assertEquals(1, tick.size());
        assertTrue(tick.running());
        assertEquals(1, edge.stats().streamsStarted());
    }

    @Test
    void shouldTickTheCallOnlyOnceItHasWorkDue() {
        receive(START);
        call.dueNs = T0 + 3_000_000L;

        tick.tick(T0 + 2_000_000L);
        assertEquals(0, call.ticks, "nothing due: the call is skipped");
        tick.tick(T0 + 4_000_000L);

        assertEquals(1, call.ticks);
    }

    @Test
    void shouldSendAndFlushAudioTheCallReleasesOnATick() {
        receive(START);
        call.dueNs = T0 + 3_000_000L;

        tick.tick(T0 + 2_000_000L);
        assertNull(sent(), "nothing is due yet");
        tick.tick(T0 + 4_000_000L);

        final String media = sent();
        assertTrue(media != null && media.contains("\"event\":\"media\""), String.valueOf(media));
        assertTrue(media.contains(STREAM_SID), media);
    }

    @Test
    void shouldLeaveTheLoopsTickWhenTheStreamStops() {
        receive(START);

        receive(STOP);

        assertEquals(0, tick.size());
        assertFalse(tick.running(), "the loop has no stream left, so no timer either");
        assertEquals("stream stopped", call.endReason);
    }

    @Test
    void shouldEndAStreamSilentForLongerThanTheIdleTimeoutOnATick() {
        receive(START);

        tick.tick(T0 + IDLE_TIMEOUT_MS * 1_000_000L);
        assertNull(call.endReason, "exactly the timeout is not yet over it");
        tick.tick(T0 + IDLE_TIMEOUT_MS * 1_000_000L + 1);

        assertEquals(1, edge.stats().streamsIdleTimedOut());
        assertTrue(call.endReason.startsWith("no message from Twilio"), call.endReason);
        assertEquals(0, tick.size());
    }

    @Test
    void shouldEndTheStreamWithAnInternalErrorWhenItsTickFails() {
        receive(START);
        call.failOnTick = new IllegalStateException("bug in the call");

        tick.tick(T0 + 2_000_000L);

        assertEquals("internal error", call.endReason);
        assertEquals(0, tick.size());
        assertEquals(1, tick.memberFailures());
    }
}
