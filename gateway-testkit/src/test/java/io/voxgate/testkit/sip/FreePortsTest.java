package io.voxgate.testkit.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void shouldNeverHandOutTheSamePortTwiceAmongRecentPicksEvenWhileNoneIsBound() {
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            final int port = FreePorts.udpAndTcp();
            assertTrue(seen.add(port), "port " + port + " handed out twice");
            assertTrue(port >= 21_000 && port < 30_000, "port " + port + " outside 21000-29999");
        }
    }

    @Test
    void shouldHandOutRtpPairsOnEvenPortsWhoseRtcpPortIsNeverHandedOutAgain() {
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            final int rtp = FreePorts.rtpPair();
            assertEquals(0, rtp % 2, "RTP port " + rtp + " is odd");
            assertTrue(rtp >= 30_000 && rtp + 1 < 40_000, "pair " + rtp + " outside 30000-39999");
            assertTrue(seen.add(rtp) && seen.add(rtp + 1), "pair " + rtp + " overlaps one handed out before");
        }
    }
}
