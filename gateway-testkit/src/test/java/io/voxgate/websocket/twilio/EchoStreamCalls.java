package io.voxgate.websocket.twilio;

import io.netty.channel.EventLoop;
import io.voxgate.core.call.CallerLeg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;

/** Test calls that send every caller frame straight back and record digits, starts and ends. */
final class EchoStreamCalls implements StreamCallFactory {
    final Map<String, StringBuilder> digits = new ConcurrentHashMap<>();
    final Map<String, String> endReasons = new ConcurrentHashMap<>();
    final List<StreamStart> starts = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger wrongThread = new AtomicInteger();

    @Override
    public StreamCallOpening open(final StreamStart start, final CallerLeg leg, final EventLoop loop, final long nowNs) {
        starts.add(start);
        open.incrementAndGet();
        digits.put(start.callSid(), new StringBuilder());
        return StreamCallOpening.opened(new StreamCall() {
            @Override
            public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
                checkThread();
                leg.sendToCaller(audio, offset, length, nowNs);
            }

            @Override
            public void onCallerDigit(final char digit, final long nowNs) {
                checkThread();
                digits.get(start.callSid()).append(digit);
            }

            @Override
            public void onTick(final long nowNs) {
                checkThread();
            }

            @Override
            public long nextTickNs() {
                // Always due, so every tick reaches onTick and its thread check.
                return Long.MIN_VALUE;
            }

            @Override
            public void end(final String reason, final long nowNs) {
                checkThread();
                endReasons.put(start.callSid(), reason);
                open.decrementAndGet();
            }

            private void checkThread() {
                if (!loop.inEventLoop()) {
                    wrongThread.incrementAndGet();
                }
            }
        });
    }
}
