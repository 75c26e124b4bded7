package io.voxgate.sip.signaling;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per source address: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Time is
 * an argument ({@code nowNs}, any monotonic origin), so tests drive it by hand.
 *
 * <p>The table is bounded: past {@link #MAX_SOURCES} entries, buckets that have refilled completely (they hold no
 * information) are dropped; if none has, the new source is refused, which fails safe under a spoofed-source flood.
 * Threading: safe on any thread; one bucket is updated under its own monitor.
 */
final class SourceRateLimiter {
    /** Most sources tracked at once. */
    static final int MAX_SOURCES = 65_536;

    private final double ratePerNs;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    SourceRateLimiter(final double ratePerSecond, final double burst) {
        this.ratePerNs = ratePerSecond / 1e9;
        this.burst = burst;
    }

    /** Takes one token from {@code source}'s bucket; false when it is empty (the request is over the limit). */
    boolean tryTake(final InetAddress source, final long nowNs) {
        final Bucket b = bucket(source, nowNs);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            b.refill(nowNs, ratePerNs, burst);
            if (b.tokens < 1) {
                return false;
            }
            b.tokens -= 1;
            return true;
        }
    }

    /** Whether {@code source} has at least one token, without taking it. */
    boolean hasToken(final InetAddress source, final long nowNs) {
        final Bucket b = buckets.get(source);
        if (b == null) {
            return true;
        }
        synchronized (b) {
            b.refill(nowNs, ratePerNs, burst);
            return b.tokens >= 1;
        }
    }

    private Bucket bucket(final InetAddress source, final long nowNs) {
        Bucket b = buckets.get(source);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= MAX_SOURCES) {
            evictFull(nowNs);
            if (buckets.size() >= MAX_SOURCES) {
                return null;
            }
        }
        b = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNs));
        return b;
    }

    private void evictFull(final long nowNs) {
        for (final Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            final Bucket b = it.next();
            synchronized (b) {
                b.refill(nowNs, ratePerNs, burst);
                if (b.tokens >= burst) {
                    it.remove();
                }
            }
        }
    }

    /** Sources tracked now. */
    int sources() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long lastNs;

        Bucket(final double tokens, final long nowNs) {
            this.tokens = tokens;
            this.lastNs = nowNs;
        }

        void refill(final long nowNs, final double ratePerNs, final double burst) {
            final long elapsed = nowNs - lastNs;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * ratePerNs);
                lastNs = nowNs;
            }
        }
    }
}
