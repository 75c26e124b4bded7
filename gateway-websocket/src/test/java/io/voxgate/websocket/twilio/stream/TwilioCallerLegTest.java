package io.voxgate.websocket.twilio.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.netty.util.ReferenceCountUtil;
import io.voxgate.websocket.twilio.TwilioEdge;
import io.voxgate.websocket.twilio.wire.MediaMessageEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TwilioCallerLegTest {
    private static final long T0 = 1_000_000_000L;

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final StreamStats stats = new StreamStats();
    private final TwilioCallerLeg leg = leg(channel.pipeline().firstContext());

    private TwilioCallerLeg leg(final ChannelHandlerContext ctx) {
        return new TwilioCallerLeg(ctx, new MediaMessageEncoder("MZ00000000000000000000000000000001"), new MarkLedger(800, 4),
            stats, (reason, nowNs) -> { });
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldRefuseDigitsAndWriteNothingToTwilio() {
        final boolean sent = leg.sendDigits("123", T0);
        channel.flushOutbound();

        assertFalse(sent, "Media Streams cannot send DTMF toward Twilio (protocols.md 1.6)");
        assertNull(channel.readOutbound(), "no message goes to Twilio");
    }

    @Test
    void shouldCountEveryRefusedDigitOnTheLegAndTheEdge() {
        leg.sendDigits("12", T0);
        leg.sendDigits("#", T0);

        assertEquals(3, leg.digitsRefused());
        assertEquals(3, stats.dtmfDigitsOutRefused());
    }

    @Test
    void shouldLeaveTheRefusalCountedInTheCallWhenTheEchoAgentPlaysADigitBack() {
        final CallSession session = new CallOpener(new CallRegistry(1), call -> new EchoAgent(AudioFormat.MULAW_8K),
            CallSessionConfig.defaults(), () -> T0).forEdge(TwilioEdge.EDGE, UnaryOperator.identity())
            .open("CA1", Map.of(), AudioFormat.MULAW_8K, leg, Runnable::run, T0).session();
        session.start(T0);

        session.onCallerDigit('5', T0);

        assertEquals(1, session.stats().digitsToAgent());
        assertEquals(1, session.stats().digitsToCallerRefused());
        assertEquals(0, session.stats().digitsToCaller());
        assertEquals(1, stats.dtmfDigitsOutRefused());
    }

    private static final UnsafeBuffer FRAME = new UnsafeBuffer(new byte[160]);

    private int framesSeen() {
        int frames = 0;
        Object message;
        while ((message = channel.readOutbound()) != null) {
            // The encoder writes whole WebSocket frames as bytes, a mark after every mark interval of audio.
            if (((ByteBuf) message).toString(StandardCharsets.UTF_8).contains("\"event\":\"media\"")
                || ((ByteBuf) message).toString(StandardCharsets.UTF_8).contains("\"event\":\"clear\"")) {
                frames++;
            }
            ReferenceCountUtil.release(message);
        }
        return frames;
    }

    @Test
    void shouldFlushTheWritesOfAnEventOnceWhenItEnds() {
        leg.beginEvent();
        leg.sendToCaller(FRAME, 0, 160, T0);
        leg.sendToCaller(FRAME, 0, 160, T0);
        channel.runPendingTasks();
        assertEquals(0, framesSeen(), "written, not flushed, while the event runs");

        leg.endEvent();

        assertEquals(2, framesSeen());
    }

    @Test
    void shouldFlushAWriteOutsideAnEventAsTheLoopsNextTask() {
        leg.sendToCaller(FRAME, 0, 160, T0);

        channel.runPendingTasks();

        assertEquals(1, framesSeen(), "agent audio from outside the stream's events leaves without waiting for a tick");
    }

    @Test
    void shouldFlushAClearOutsideAnEventAsTheLoopsNextTask() {
        leg.clearCallerPlayback(T0);

        channel.runPendingTasks();

        assertEquals(1, framesSeen());
    }

    @Test
    void shouldClearOnAPauseAndReturnNoMoreUnheardAudioThanTheLedgerHasNotSeenPlayed() {
        for (int i = 0; i < 10; i++) {
            leg.sendToCaller(FRAME, 0, 160, T0);
        }

        final int unheard = leg.pauseCallerPlayback(T0, 4_000);
        channel.runPendingTasks();

        assertEquals(1_600, unheard, "the clock's estimate is capped by the 1600 bytes no mark confirmed");
        assertEquals(1, stats.clearsSent());
        assertEquals(400, leg.pauseCallerPlayback(T0, 400), "within the ledger's bound the clock decides");
    }
}
