package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RtpPortAllocatorTest {
    private static final long QUARANTINE_NS = 10_000_000_000L;

    @Test
    void shouldHandOutEvenPortsWhoseRtcpPortIsInsideTheRange() {
        final RtpPortAllocator ports = new RtpPortAllocator(10001, 10008, QUARANTINE_NS);
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < ports.capacity(); i++) {
            final int p = ports.allocate(0);
            assertEquals(0, p % 2);
            assertTrue(p >= 10001 && p + 1 <= 10008, "port " + p);
            assertTrue(seen.add(p));
        }
        assertEquals(Set.of(10002, 10004, 10006), seen);
    }

    @Test
    void shouldReturnNoPortWhenExhausted() {
        final RtpPortAllocator ports = new RtpPortAllocator(10000, 10003, QUARANTINE_NS);
        ports.allocate(0);
        ports.allocate(0);
        assertEquals(RtpPortAllocator.NO_PORT, ports.allocate(0));
        assertEquals(2, ports.inUse());
    }

    @Test
    void shouldQuarantineReleasedPortsUntilTheQuarantineHasPassed() {
        final RtpPortAllocator ports = new RtpPortAllocator(10000, 10001, QUARANTINE_NS);
        final int p = ports.allocate(0);
        ports.release(p, 1_000);
        assertEquals(RtpPortAllocator.NO_PORT, ports.allocate(1_000 + QUARANTINE_NS - 1));
        assertEquals(p, ports.allocate(1_000 + QUARANTINE_NS));
    }

    @Test
    void shouldRoundRobinSoAReleasedPortIsNotTheNextOneHandedOut() {
        final RtpPortAllocator ports = new RtpPortAllocator(10000, 10009, 0);
        final int first = ports.allocate(0);
        ports.release(first, 0);
        final int second = ports.allocate(0);
        assertTrue(second != first);
    }

    @Test
    void shouldRejectRangesWithoutAPair() {
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10001, 10001, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10001, 10002, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(80, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(20000, 10000, 0));
    }

    @Test
    void shouldRejectReleaseOfAPortNotInUse() {
        final RtpPortAllocator ports = new RtpPortAllocator(10000, 10009, 0);
        assertThrows(IllegalArgumentException.class, () -> ports.release(10000, 0));
        assertThrows(IllegalArgumentException.class, () -> ports.release(10001, 0));
    }
}
