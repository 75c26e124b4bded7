package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class PreAnswerPacketsTest {
    private static final InetSocketAddress CALLER = new InetSocketAddress("192.0.2.10", 20000);

    private final PreAnswerPackets early = new PreAnswerPackets();
    private final List<String> replayed = new ArrayList<>();

    private static UnsafeBuffer datagram(final int first, final int length) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length + 4]);
        b.putByte(2, (byte) first);
        return b;
    }

    private void replay() {
        early.replay((buffer, offset, length, sender, nowNs) ->
            replayed.add(buffer.getByte(offset) + "/" + length + "/" + sender.getPort() + "@" + nowNs));
    }

    @Test
    void shouldReplayCopiesInArrivalOrderWithTheirArrivalTimes() {
        final UnsafeBuffer first = datagram(1, 172);
        assertTrue(early.hold(first, 2, 172, CALLER, 100));
        first.putByte(2, (byte) 99);
        assertTrue(early.hold(datagram(2, 40), 2, 40, CALLER, 120));
        replay();
        assertEquals(List.of("1/172/20000@100", "2/40/20000@120"), replayed, "copies, not the caller's buffers");
        assertEquals(2, early.held());
    }

    @Test
    void shouldHoldAtMostItsCapacityAndCountTheRest() {
        for (int i = 0; i < PreAnswerPackets.CAPACITY + 3; i++) {
            early.hold(datagram(i, 172), 2, 172, CALLER, i);
        }
        assertFalse(early.hold(datagram(0, 172), 2, 172, CALLER, 99));
        assertEquals(PreAnswerPackets.CAPACITY, early.held());
        assertEquals(4, early.dropped());
        replay();
        assertEquals(PreAnswerPackets.CAPACITY, replayed.size());
        assertEquals("0/172/20000@0", replayed.get(0), "the stream's first packets are the ones kept");
    }

    @Test
    void shouldRefuseADatagramLongerThanAnRtpPacket() {
        assertFalse(early.hold(datagram(1, 1_500), 2, 1_500, CALLER, 0));
        assertEquals(1, early.dropped());
    }

    @Test
    void shouldReplayNothingAfterItWasCleared() {
        early.hold(datagram(1, 172), 2, 172, CALLER, 0);
        early.clear();
        replay();
        assertTrue(replayed.isEmpty());
        replay();
        assertTrue(replayed.isEmpty(), "a replay lets the packets go");
    }
}
