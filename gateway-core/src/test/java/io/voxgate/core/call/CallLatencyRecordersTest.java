package io.voxgate.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallLatencyRecordersTest {
    private final CallLatencyRecorders latency = new CallLatencyRecorders();

    /** Per edge: {inbound count, outbound count, barge-in count, inbound max us} over one drain. */
    private Map<String, long[]> drain() {
        final Map<String, long[]> seen = new HashMap<>();
        latency.drainTo((edge, in, out, bargeIn) -> {
            final long[] s = seen.computeIfAbsent(edge, e -> new long[4]);
            s[0] += in.getTotalCount();
            s[1] += out.getTotalCount();
            s[2] += bargeIn.getTotalCount();
            s[3] = Math.max(s[3], in.getMaxValue());
        });
        return seen;
    }

    @Test
    void shouldGiveEachThreadOneSetOfRecordersPerEdge() throws InterruptedException {
        final CallLatencyRecorders.Recorders twilio = latency.forCurrentThread("twilio");
        final AtomicReference<CallLatencyRecorders.Recorders> other = new AtomicReference<>();
        final Thread thread = new Thread(() -> other.set(latency.forCurrentThread("twilio")));
        thread.start();
        thread.join(10_000);

        assertSame(twilio, latency.forCurrentThread("twilio"));
        assertNotSame(twilio, latency.forCurrentThread("sip"));
        assertNotSame(twilio, other.get());
    }

    @Test
    void shouldDrainWhatEveryThreadRecordedUnderItsEdge() throws InterruptedException {
        latency.forCurrentThread("twilio").recordInbound(250);
        latency.forCurrentThread("sip").recordOutbound(40);
        final Thread thread = new Thread(() -> {
            latency.forCurrentThread("twilio").recordInbound(3_000);
            latency.forCurrentThread("twilio").recordBargeInReaction(20_000);
        });
        thread.start();
        thread.join(10_000);

        final Map<String, long[]> drained = drain();

        assertEquals(2, drained.get("twilio")[0]);
        assertEquals(1, drained.get("twilio")[2]);
        assertEquals(3_000, drained.get("twilio")[3], 30, "two significant digits");
        assertEquals(1, drained.get("sip")[1]);
        assertEquals(0, drained.get("sip")[0]);
    }

    @Test
    void shouldReportEachValueInOneDrainOnly() {
        latency.forCurrentThread("twilio").recordInbound(100);
        assertEquals(1, drain().get("twilio")[0]);

        assertEquals(0, drain().get("twilio")[0]);
        latency.forCurrentThread("twilio").recordInbound(100);
        assertEquals(1, drain().get("twilio")[0]);
    }
}
