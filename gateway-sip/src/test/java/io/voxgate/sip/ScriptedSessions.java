package io.voxgate.sip;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallerLeg;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test stand-in for the core call model: an echo session that sends every caller frame back on the next tick
 * (one frame per tick, as the core pacer does), with a capacity limit like the call registry's, and optional
 * scripted hang-up after a number of ticks.
 */
final class ScriptedSessions implements SipCallSessions {
    final List<Echo> opened = new CopyOnWriteArrayList<>();
    final AtomicInteger active = new AtomicInteger();
    final int maxCalls;
    final int hangUpAfterTicks;
    final CountDownLatch endedLatch;
    final CountDownLatch firstStarted = new CountDownLatch(1);
    /** When set, {@link #open} (on the call's loop) waits for it, up to 10 s: a slow admission. */
    volatile CountDownLatch openGate;
    final CountDownLatch openEntered = new CountDownLatch(1);

    ScriptedSessions(final int maxCalls, final int hangUpAfterTicks, final int expectedEnds) {
        this.maxCalls = maxCalls;
        this.hangUpAfterTicks = hangUpAfterTicks;
        this.endedLatch = new CountDownLatch(expectedEnds);
    }

    @Override
    public Opened open(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat,
                       final CallerLeg leg, final Executor executor, final long nowNs) {
        openEntered.countDown();
        final CountDownLatch gate = openGate;
        if (gate != null) {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (active.incrementAndGet() > maxCalls) {
            active.decrementAndGet();
            return Opened.refused(Refusal.FULL);
        }
        final Echo echo = new Echo(callId, metadata, callerFormat, (SipCall) leg);
        opened.add(echo);
        return Opened.accepted(echo);
    }

    /** Echoes caller frames; confined to the call's loop, read by tests after {@link #endedLatch}. */
    final class Echo implements SipCallSession {
        final String callId;
        final Map<String, String> metadata;
        final AudioFormat callerFormat;
        final SipCall call;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        final StringBuilder digits = new StringBuilder();
        volatile boolean started;
        volatile String endReason;
        int ticks;
        long framesIn;

        Echo(final String callId, final Map<String, String> metadata, final AudioFormat callerFormat, final SipCall call) {
            this.callId = callId;
            this.metadata = metadata;
            this.callerFormat = callerFormat;
            this.call = call;
        }

        @Override
        public void start(final long nowNs) {
            started = true;
            firstStarted.countDown();
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
            framesIn++;
            final byte[] copy = new byte[length];
            audio.getBytes(offset, copy);
            if (pending.size() < 50) {
                pending.add(copy);
            }
        }

        @Override
        public void onCallerDigit(final char digit, final long nowNs) {
            digits.append(digit);
        }

        @Override
        public void onTick(final long nowNs) {
            ticks++;
            final byte[] frame = pending.poll();
            if (frame != null) {
                call.sendToCaller(new UnsafeBuffer(frame), 0, frame.length, nowNs);
            }
            if (hangUpAfterTicks > 0 && ticks == hangUpAfterTicks) {
                finish("agent hung up");
                call.hangUp("agent hung up", nowNs);
            }
        }

        @Override
        public void end(final String reason, final long nowNs) {
            finish(reason);
        }

        private void finish(final String reason) {
            if (endReason == null) {
                endReason = reason;
                active.decrementAndGet();
                endedLatch.countDown();
            }
        }
    }
}
