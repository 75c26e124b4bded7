package io.voxgate.websocket.twilio.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.websocket.twilio.wire.MediaMessageEncoder;
import org.agrona.DirectBuffer;

/**
 * The caller's side of a Twilio call: paced audio becomes outbound {@code media} messages followed, every mark
 * interval, by a {@code mark}; a barge-in, and the pause before it, become {@code clear}; a hang-up closes the stream with 1000 and the
 * reason (Twilio then continues with the TwiML after {@code <Connect>}, of which there is none, so the call ends).
 * DTMF toward the caller is refused and counted: a bidirectional Media Stream carries audio, marks and clears out,
 * and Twilio does not support sending DTMF outbound from the media server toward it (protocols.md §1.6).
 *
 * <p>Threading: confined to the stream's event loop. Ownership: audio is borrowed and copied once, as base64, into a
 * pooled frame buffer that Netty releases once written (each write takes the void promise: no promise per frame).
 *
 * <p>Flushing: one flush per event, not per frame. Inside an event of the stream (an inbound message or a tick,
 * bracketed by {@link #beginEvent} and {@link #endEvent}) writes are flushed when the event ends. A write outside
 * them (agent audio delivered by the agent's own connection on this loop, released at once because the pacer's lead
 * allows it) schedules one flush as the loop's next task, so it leaves at the end of the task that produced it
 * rather than waiting for the next tick; the flush task is preallocated.
 */
final class TwilioCallerLeg implements CallerLeg {
    /** Ends the stream, or transfers the call, on the session's behalf. */
    interface HangUpTarget {
        void hangUpFromCall(String reason, long nowNs);

        /** Starts a transfer through Twilio's REST API; false when the edge cannot (the default). */
        default boolean transferFromCall(final TransferRequest request, final long nowNs) {
            return false;
        }

        /** The call's next timed work may have moved earlier (see {@link CallerLeg#nextReleaseChanged}). */
        default void nextReleaseChanged(final long nextReleaseNs) {
        }
    }

    private final ChannelHandlerContext ctx;
    private final MediaMessageEncoder encoder;
    private final MarkLedger ledger;
    private final StreamStats stats;
    private final HangUpTarget hangUpTarget;
    private boolean open = true;
    private final Runnable scheduledFlush = this::runScheduledFlush;
    private boolean flushPending;
    private boolean inEvent;
    private boolean flushScheduled;
    private long framesOut;
    private long framesDroppedUnwritable;
    private long digitsRefused;

    TwilioCallerLeg(final ChannelHandlerContext ctx, final MediaMessageEncoder encoder, final MarkLedger ledger,
                    final StreamStats stats, final HangUpTarget hangUpTarget) {
        this.ctx = ctx;
        this.encoder = encoder;
        this.ledger = ledger;
        this.stats = stats;
        this.hangUpTarget = hangUpTarget;
    }

    @Override
    public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (!open || length <= 0) {
            return;
        }
        if (!ctx.channel().isWritable()) {
            // Twilio is not reading; queueing more would only grow memory. The pacer bounds the lead, so this is rare.
            framesDroppedUnwritable++;
            stats.framesDroppedUnwritable.increment();
            return;
        }
        final ByteBuf frame = encoder.media(ctx.alloc(), audio, offset, length);
        ctx.write(frame, ctx.voidPromise());
        framesOut++;
        stats.mediaFramesOut.increment();
        stats.mediaBytesOut.add(length);
        final long markNo = ledger.onAudioSent(length);
        if (markNo > 0) {
            ctx.write(encoder.mark(ctx.alloc(), markNo), ctx.voidPromise());
            stats.marksSent.increment();
        }
        flushSoon();
    }

    @Override
    public void clearCallerPlayback(final long nowNs) {
        if (!open) {
            return;
        }
        ctx.write(encoder.clear(ctx.alloc()), ctx.voidPromise());
        ledger.onClear();
        stats.clearsSent.increment();
        flushSoon();
    }

    /**
     * Sends {@code clear}: Twilio drops what it holds unplayed, which the session puts back in front of the turn. How
     * much that is comes from the session's playout clock, capped by the mark ledger: audio after the last mark Twilio
     * reported played is all Twilio can still hold, so the clock can never make the session skip audio the ledger
     * does not know was played.
     */
    @Override
    public int pauseCallerPlayback(final long nowNs, final int unplayedByClock) {
        if (!open) {
            return 0;
        }
        final long unconfirmed = ledger.bytesSent() - ledger.bytesPlayed();
        clearCallerPlayback(nowNs);
        return (int) Math.max(0L, Math.min(unplayedByClock, unconfirmed));
    }

    /** Always refuses: Media Streams has no outbound DTMF message (protocols.md §1.6); counted per digit. */
    @Override
    public boolean sendDigits(final String digits, final long nowNs) {
        final int count = digits == null ? 0 : digits.length();
        digitsRefused += count;
        stats.dtmfDigitsOutRefused.add(count);
        return false;
    }

    /** Transfers by updating the live call with {@code <Dial>} TwiML (REST); false without a Twilio account set. */
    @Override
    public boolean startTransfer(final TransferRequest request, final long nowNs) {
        return open && hangUpTarget.transferFromCall(request, nowNs);
    }

    /** Passed on to the stream, which ticks the call when that time comes. */
    @Override
    public void nextReleaseChanged(final long nextReleaseNs) {
        if (open) {
            hangUpTarget.nextReleaseChanged(nextReleaseNs);
        }
    }

    @Override
    public void hangUp(final String reason, final long nowNs) {
        if (!open) {
            return;
        }
        open = false;
        hangUpTarget.hangUpFromCall(reason, nowNs);
    }

    /** Stops all further output (the stream is ending). */
    void close() {
        open = false;
    }

    /** An event of the stream begins: writes wait for {@link #endEvent}. */
    void beginEvent() {
        inEvent = true;
    }

    /** The event ends: flushes what it wrote, if anything. */
    void endEvent() {
        inEvent = false;
        flushIfPending();
    }

    private void flushSoon() {
        flushPending = true;
        if (!inEvent && !flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(scheduledFlush);
        }
    }

    private void runScheduledFlush() {
        flushScheduled = false;
        flushIfPending();
    }

    /** Flushes what was written and not yet flushed, if anything. */
    void flushIfPending() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /** Media frames written. */
    long framesOut() {
        return framesOut;
    }

    /** DTMF digits the call asked to send to the caller, refused because Media Streams cannot carry them. */
    long digitsRefused() {
        return digitsRefused;
    }

    /** Media frames dropped because the connection was not writable. */
    long framesDroppedUnwritable() {
        return framesDroppedUnwritable;
    }
}
