package io.voxgate.sip.signaling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void shouldAllowTheBurstThenRefuse() throws Exception {
        final SourceRateLimiter limiter = new SourceRateLimiter(1, 3);
        final InetAddress a = InetAddress.getByName("127.0.0.1");
        assertTrue(limiter.tryTake(a, 0));
        assertTrue(limiter.tryTake(a, 0));
        assertTrue(limiter.tryTake(a, 0));
        assertFalse(limiter.tryTake(a, 0));
    }

    @Test
    void shouldRefillAtTheSustainedRate() throws Exception {
        final SourceRateLimiter limiter = new SourceRateLimiter(2, 1);
        final InetAddress a = InetAddress.getByName("127.0.0.1");
        assertTrue(limiter.tryTake(a, 0));
        assertFalse(limiter.tryTake(a, SECOND_NS / 4));
        assertTrue(limiter.tryTake(a, SECOND_NS / 2));
    }

    @Test
    void shouldKeepSourcesApart() throws Exception {
        final SourceRateLimiter limiter = new SourceRateLimiter(1, 1);
        assertTrue(limiter.tryTake(InetAddress.getByName("127.0.0.1"), 0));
        assertFalse(limiter.tryTake(InetAddress.getByName("127.0.0.1"), 0));
        assertTrue(limiter.tryTake(InetAddress.getByName("127.0.0.2"), 0));
    }

    @Test
    void shouldPeekWithoutTaking() throws Exception {
        final SourceRateLimiter limiter = new SourceRateLimiter(1, 1);
        final InetAddress a = InetAddress.getByName("127.0.0.1");
        assertTrue(limiter.hasToken(a, 0));
        assertTrue(limiter.tryTake(a, 0));
        assertFalse(limiter.hasToken(a, 0));
    }
}
