package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SipLoopTickerTest {
    /** Long enough that the timer never fires during a test: the tests run the wake-ups by hand. */
    private static final long PERIOD_NS = TimeUnit.HOURS.toNanos(1);
    private static final int PHASES = 4;
    private static final long SPACING_NS = PERIOD_NS / PHASES;
    private static final long NOW_NS = 5_000_000_000L;

    private final EventLoop loop = new DefaultEventLoop();
    private final List<String> ticked = new ArrayList<>();

    @AfterEach
    void shutDown() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** A member that notes its ticks; removes itself from {@code ticker} on its tick when told to. */
    private final class Member extends LoopTicked {
        private final String name;
        private SipLoopTicker endsOnTickOf;

        Member(final String name) {
            this.name = name;
        }

        @Override
        void tick() {
            ticked.add(name);
            if (endsOnTickOf != null) {
                endsOnTickOf.remove(this);
            }
        }
    }

    @Test
    void shouldStartEveryMemberOfASinglePhaseOnTheTimersWakeUps() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, 1);
        final long first = ticker.add(new Member("a"), NOW_NS);
        assertEquals(NOW_NS + PERIOD_NS, first);
        assertEquals(first, ticker.add(new Member("b"), NOW_NS + 1), "a member added before the first wake-up starts with it");
        assertEquals(first + PERIOD_NS, ticker.add(new Member("c"), first), "at a wake-up: the next one");
        assertEquals(first + 3 * PERIOD_NS, ticker.add(new Member("d"), first + 2 * PERIOD_NS + 7));
    }

    @Test
    void shouldSpreadMembersEvenlyOverThePhasesOfThePeriod() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, PHASES);
        final long[] first = new long[2 * PHASES];
        for (int i = 0; i < first.length; i++) {
            first[i] = ticker.add(new Member("m" + i), NOW_NS);
        }
        for (int i = 0; i < first.length; i++) {
            assertEquals(NOW_NS + SPACING_NS + (i % PHASES) * SPACING_NS, first[i], "member " + i);
        }
        for (int p = 0; p < PHASES; p++) {
            assertEquals(2, ticker.calls(p), "phase " + p);
        }
    }

    @Test
    void shouldStartAMemberOnItsPhasesNextWakeUp() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, PHASES);
        final long origin = ticker.add(new Member("phase0"), NOW_NS);
        final long later = origin + 2 * PERIOD_NS + SPACING_NS + SPACING_NS / 2;

        assertEquals(origin + 3 * PERIOD_NS + SPACING_NS, ticker.add(new Member("phase1"), later),
            "phase 1's wake-up half a spacing earlier has passed: the next period's");
        assertEquals(origin + 2 * PERIOD_NS + 2 * SPACING_NS, ticker.add(new Member("phase2"), later));
    }

    @Test
    void shouldTickOnePhaseAWakeUpInOrder() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, PHASES);
        for (int i = 0; i < PHASES + 1; i++) {
            ticker.add(new Member("m" + i), NOW_NS);
        }

        final List<List<String>> perWakeUp = new ArrayList<>();
        for (int run = 0; run < PHASES + 1; run++) {
            ticked.clear();
            ticker.run();
            perWakeUp.add(List.copyOf(ticked));
        }

        assertEquals(List.of(List.of("m4", "m0"), List.of("m1"), List.of("m2"), List.of("m3"), List.of("m4", "m0")), perWakeUp);
    }

    @Test
    void shouldTickEveryMemberOnceWhenOneEndsInItsOwnTick() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, 1);
        final Member a = new Member("a");
        a.endsOnTickOf = ticker;
        ticker.add(a, NOW_NS);
        ticker.add(new Member("b"), NOW_NS);
        ticker.add(new Member("c"), NOW_NS);

        ticker.run();
        ticker.run();

        assertEquals(List.of("c", "b", "a", "b", "c"), ticked);
        assertEquals(2, ticker.calls());
    }

    @Test
    void shouldMoveTheLastMemberOfAPhaseIntoTheSlotOfARemovedOne() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, 1);
        final Member a = new Member("a");
        final Member b = new Member("b");
        final Member c = new Member("c");
        ticker.add(a, NOW_NS);
        ticker.add(b, NOW_NS);
        ticker.add(c, NOW_NS);
        ticker.remove(a);
        assertEquals(2, ticker.calls());
        assertEquals(-1, a.tickerSlot);
        assertEquals(-1, a.tickerPhase);
        assertEquals(0, c.tickerSlot);
        assertEquals(1, b.tickerSlot);
        ticker.remove(a);
        assertEquals(2, ticker.calls(), "removing a member twice is harmless");
        ticker.remove(b);
        ticker.remove(c);
        assertEquals(0, ticker.calls());
    }

    @Test
    void shouldGrowBeyondItsInitialCapacity() {
        final SipLoopTicker ticker = new SipLoopTicker(loop, PERIOD_NS, PHASES);
        final Member[] members = new Member[200];
        for (int i = 0; i < members.length; i++) {
            members[i] = new Member("m" + i);
            ticker.add(members[i], NOW_NS);
        }
        assertEquals(200, ticker.calls());
        for (int i = 0; i < members.length; i++) {
            assertEquals(i % PHASES, members[i].tickerPhase);
            assertEquals(i / PHASES, members[i].tickerSlot);
        }
    }

    @Test
    void shouldRefuseAPeriodWithoutPhases() {
        assertThrows(IllegalArgumentException.class, () -> new SipLoopTicker(loop, PERIOD_NS, 0));
    }
}
