package io.voxgate.core.tick;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import org.agrona.concurrent.NanoClock;

/**
 * The node's {@link LoopTicker}s, one per event loop, made on first use and shared by both edges: a Twilio stream
 * and a SIP call on the same loop are ticked by the same timer at the same wake-ups.
 *
 * <p>Any {@link ScheduledExecutorService} is a loop here; Netty's {@code EventLoop} is one, so the core needs no
 * Netty type (docs/adr/0005). Threading: {@link #tickerOf} is safe on any thread; each ticker is confined to its
 * loop. {@link #memberFailures()} reads the tickers racily, for metrics.
 */
public final class LoopTickers {
    private final NanoClock clock;
    private final long periodNs;
    private final int phases;
    private final ConcurrentMap<ScheduledExecutorService, LoopTicker> tickers = new ConcurrentHashMap<>();

    /** Tickers of the production shape: {@link LoopTicker#PHASES} wake-ups per {@link LoopTicker#PERIOD_NS}. */
    public LoopTickers(final NanoClock clock) {
        this(clock, LoopTicker.PERIOD_NS, LoopTicker.PHASES);
    }

    /**
     * Tickers with {@code phases} wake-ups per {@code periodNs}, reading {@code clock}.
     *
     * @throws IllegalArgumentException when there are no phases or more phases than nanoseconds in the period
     */
    public LoopTickers(final NanoClock clock, final long periodNs, final int phases) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodNs = periodNs;
        this.phases = phases;
        if (phases < 1 || periodNs / phases < 1) {
            throw new IllegalArgumentException("phases must be in 1.." + periodNs + ", was " + phases);
        }
    }

    /** The ticker of {@code loop}. */
    public LoopTicker tickerOf(final ScheduledExecutorService loop) {
        return tickers.computeIfAbsent(loop, l -> new LoopTicker(l, clock, periodNs, phases));
    }

    /** The clock every ticker reads. */
    public NanoClock clock() {
        return clock;
    }

    /** Member ticks that threw, over every loop. */
    public long memberFailures() {
        long sum = 0;
        for (final LoopTicker ticker : tickers.values()) {
            sum += ticker.memberFailures();
        }
        return sum;
    }
}
