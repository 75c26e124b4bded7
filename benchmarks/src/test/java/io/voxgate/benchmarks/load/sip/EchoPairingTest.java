package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EchoPairingTest {
    @Test
    void shouldPairEchoesWithSentFramesFirstInFirstOut() {
        final EchoPairing p = new EchoPairing(8);
        p.sent(100);
        p.sent(120);
        p.sent(140);
        assertEquals(50, p.echoed(150));
        assertEquals(40, p.echoed(160));
        assertEquals(45, p.echoed(185));
        assertEquals(3, p.echoed());
        assertEquals(3, p.toneSent());
    }

    @Test
    void shouldCountAnEchoWithNothingWaitingAsUnpaired() {
        final EchoPairing p = new EchoPairing(8);
        assertEquals(-1, p.echoed(10));
        p.sent(20);
        assertEquals(5, p.echoed(25));
        assertEquals(-1, p.echoed(30));
        assertEquals(2, p.unpaired());
        assertEquals(1, p.echoed());
    }

    @Test
    void shouldCountFramesSentIntoAFullRingAsOverrun() {
        final EchoPairing p = new EchoPairing(2);
        p.sent(1);
        p.sent(2);
        p.sent(3);
        assertEquals(3, p.toneSent());
        assertEquals(1, p.overrun());
        assertEquals(9, p.echoed(10));
        assertEquals(8, p.echoed(10));
        assertEquals(-1, p.echoed(10));
    }

    @Test
    void shouldKeepPairingAcrossTheRingsWrap() {
        final EchoPairing p = new EchoPairing(4);
        for (int i = 0; i < 100; i++) {
            p.sent(i * 20L);
            assertEquals(7, p.echoed(i * 20L + 7));
        }
        assertEquals(0, p.unpaired());
    }

    @Test
    void shouldRefuseACapacityThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new EchoPairing(6));
    }
}
