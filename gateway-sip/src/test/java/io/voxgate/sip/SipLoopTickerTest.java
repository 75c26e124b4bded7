package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.voxgate.core.audio.AudioFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SipLoopTickerTest {
    /** Long enough that the timer never fires during a test: these tests are about membership and phase. */
    private static final long PERIOD_NS = TimeUnit.HOURS.toNanos(1);
    private static final long NOW_NS = 5_000_000_000L;

    private final EventLoop loop = new DefaultEventLoop();
    private final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS);
    private final SipEdgeConfig config = SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(5060).rtpPorts(40_000, 40_001).build();
    private final SipEdge edge = new SipEdge(config, new ScriptedSessions(10, 0, 0));

    @AfterEach
    void shutDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private SipCall call(final String id) {
        return new SipCall(id, ticker, 40_000, edge, config, AudioFormat.MULAW_8K);
    }

    @Test
    void shouldStartEveryCallOnTheTimersPhase() {
        final long first = ticker.add(call("a"), NOW_NS);
        assertEquals(NOW_NS + PERIOD_NS, first);
        assertEquals(first, ticker.add(call("b"), NOW_NS + 1), "a call added before the first wake-up starts with it");
        assertEquals(first + PERIOD_NS, ticker.add(call("c"), first), "at a wake-up: the next one");
        assertEquals(first + 3 * PERIOD_NS, ticker.add(call("d"), first + 2 * PERIOD_NS + 7));
    }

    @Test
    void shouldMoveTheLastCallIntoTheSlotOfARemovedOne() {
        final SipCall a = call("a");
        final SipCall b = call("b");
        final SipCall c = call("c");
        ticker.add(a, NOW_NS);
        ticker.add(b, NOW_NS);
        ticker.add(c, NOW_NS);
        ticker.remove(a);
        assertEquals(2, ticker.calls());
        assertEquals(-1, a.tickerSlot);
        assertEquals(0, c.tickerSlot);
        assertEquals(1, b.tickerSlot);
        ticker.remove(a);
        assertEquals(2, ticker.calls(), "removing a call twice is harmless");
        ticker.remove(b);
        ticker.remove(c);
        assertEquals(0, ticker.calls());
    }

    @Test
    void shouldGrowBeyondItsInitialCapacity() {
        final SipCall[] calls = new SipCall[200];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = call("c" + i);
            ticker.add(calls[i], NOW_NS);
        }
        assertEquals(200, ticker.calls());
        for (int i = 0; i < calls.length; i++) {
            assertEquals(i, calls[i].tickerSlot);
        }
        assertSame(loop, calls[0].loop);
    }
}
