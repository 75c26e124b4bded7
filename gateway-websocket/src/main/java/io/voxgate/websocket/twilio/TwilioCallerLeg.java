package io.voxgate.websocket.twilio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.voxgate.core.call.CallerLeg;
import org.agrona.DirectBuffer;

/**
 * The caller's side of a Twilio call: paced audio becomes outbound {@code media} messages followed, every mark
 * interval, by a {@code mark}; a barge-in becomes {@code clear}; a hang-up closes the stream with 1000 and the
 * reason (Twilio then continues with the TwiML after {@code <Connect>}, of which there is none, so the call ends).
 * DTMF toward the caller is refused and counted: a bidirectional Media Stream carries audio, marks and clears out,
 * and Twilio does not support sending DTMF outbound from the media server toward it (protocols.md §1.6).
 *
 * <p>Threading: confined to the stream's event loop. Ownership: audio is borrowed and copied once, as base64, into a
 * pooled frame buffer that Netty releases once written. Writes are flushed by the stream handler at the end of the
 * event that caused them (one flush per inbound message or tick, not per frame).
 */
final class TwilioCallerLeg implements CallerLeg {
    /** Ends the stream on the session's behalf. */
    interface HangUpTarget {
        void hangUpFromCall(String reason, long nowNs);
    }

    private final ChannelHandlerContext ctx;
    private final MediaMessageEncoder encoder;
    private final MarkLedger ledger;
    private final TwilioEdgeStats stats;
    private final HangUpTarget hangUpTarget;
    private boolean open = true;
    private boolean flushPending;
    private long framesOut;
    private long framesDroppedUnwritable;
    private long digitsRefused;

    TwilioCallerLeg(final ChannelHandlerContext ctx, final MediaMessageEncoder encoder, final MarkLedger ledger,
                    final TwilioEdgeStats stats, final HangUpTarget hangUpTarget) {
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
        flushPending = true;
    }

    @Override
    public void clearCallerPlayback(final long nowNs) {
        if (!open) {
            return;
        }
        ctx.write(encoder.clear(ctx.alloc()), ctx.voidPromise());
        ledger.onClear();
        stats.clearsSent.increment();
        flushPending = true;
    }

    /** Always refuses: Media Streams has no outbound DTMF message (protocols.md §1.6); counted per digit. */
    @Override
    public boolean sendDigits(final String digits, final long nowNs) {
        final int count = digits == null ? 0 : digits.length();
        digitsRefused += count;
        stats.dtmfDigitsOutRefused.add(count);
        return false;
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

    /** Flushes what this event wrote, if anything. */
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
