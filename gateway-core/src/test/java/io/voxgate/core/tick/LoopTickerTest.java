package io.voxgate.core.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loop's one media clock, its timer and its wake-ups driven by hand. */
class LoopTickerTest {
    /** The tests run the wake-ups by hand; the period only shapes the phase arithmetic. */
    private static final long PERIOD_NS = TimeUnit.HOURS.toNanos(1);
    private static final int PHASES = 4;
    private static final long SPACING_NS = PERIOD_NS / PHASES;
    private static final long NOW_NS = 5_000_000_000L;

    private final ManualScheduler loop = new ManualScheduler();
    private final List<String> ticked = new ArrayList<>();
    private long clockNs = NOW_NS;
    private int clockReads;

    private LoopTicker ticker(final int phases) {
        return new LoopTicker(loop, () -> {
            clockReads++;
            return clockNs;
        }, PERIOD_NS, phases);
    }

    /** A member that notes its ticks and their {@code nowNs}; leaves on its tick or throws when told to. */
    private class Member implements TickMember {
        final String name;
        final List<Long> ticks = new ArrayList<>();
        TickMembership membership;
        boolean leavesOnTick;
        RuntimeException throwsOnTick;
        RuntimeException failure;
        int failures;

        Member(final String name) {
            this.name = name;
        }

        @Override
        public String callId() {
            return name;
        }

        @Override
        public void onTick(final long nowNs) {
            ticked.add(name);
            ticks.add(nowNs);
            if (throwsOnTick != null) {
                throw throwsOnTick;
            }
            if (leavesOnTick) {
                membership.leave();
            }
        }

        @Override
        public void onTickFailed(final RuntimeException cause, final long nowNs) {
            failures++;
            failure = cause;
        }
    }

    private Member phased(final LoopTicker ticker, final String name) {
        final Member member = new Member(name);
        member.membership = ticker.joinPhased(member);
        return member;
    }

    private Member everyWakeUp(final LoopTicker ticker, final String name) {
        final Member member = new Member(name);
        member.membership = ticker.joinEveryWakeUp(member);
        return member;
    }

    // ---- phases (SIP calls, once per period) -------------------------------------------------------------------

    @Test
    void shouldStartEveryMemberOfASinglePhaseOnTheTimersWakeUps() {
        final LoopTicker ticker = ticker(1);
        final long first = phased(ticker, "a").membership.firstTickNs();
        assertEquals(NOW_NS + PERIOD_NS, first);
        clockNs = NOW_NS + 1;
        assertEquals(first, phased(ticker, "b").membership.firstTickNs(), "a member added before the first wake-up starts with it");
        clockNs = first;
        assertEquals(first + PERIOD_NS, phased(ticker, "c").membership.firstTickNs(), "at a wake-up: the next one");
        clockNs = first + 2 * PERIOD_NS + 7;
        assertEquals(first + 3 * PERIOD_NS, phased(ticker, "d").membership.firstTickNs());
    }

    @Test
    void shouldSpreadMembersEvenlyOverThePhasesOfThePeriod() {
        final LoopTicker ticker = ticker(PHASES);
        final long[] first = new long[2 * PHASES];
        for (int i = 0; i < first.length; i++) {
            first[i] = phased(ticker, "m" + i).membership.firstTickNs();
        }
        for (int i = 0; i < first.length; i++) {
            assertEquals(NOW_NS + SPACING_NS + (i % PHASES) * SPACING_NS, first[i], "member " + i);
        }
        for (int p = 0; p < PHASES; p++) {
            assertEquals(2, ticker.members(p), "phase " + p);
        }
    }

    @Test
    void shouldStartAMemberOnItsPhasesNextWakeUp() {
        final LoopTicker ticker = ticker(PHASES);
        final long origin = phased(ticker, "phase0").membership.firstTickNs();
        clockNs = origin + 2 * PERIOD_NS + SPACING_NS + SPACING_NS / 2;

        assertEquals(origin + 3 * PERIOD_NS + SPACING_NS, phased(ticker, "phase1").membership.firstTickNs(),
            "phase 1's wake-up half a spacing earlier has passed: the next period's");
        assertEquals(origin + 2 * PERIOD_NS + 2 * SPACING_NS, phased(ticker, "phase2").membership.firstTickNs());
    }

    @Test
    void shouldTickOnePhaseAWakeUpInOrder() {
        final LoopTicker ticker = ticker(PHASES);
        for (int i = 0; i < PHASES + 1; i++) {
            phased(ticker, "m" + i);
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
        final LoopTicker ticker = ticker(1);
        phased(ticker, "a").leavesOnTick = true;
        phased(ticker, "b");
        phased(ticker, "c");

        ticker.run();
        ticker.run();

        assertEquals(List.of("c", "b", "a", "b", "c"), ticked);
        assertEquals(2, ticker.members());
    }

    @Test
    void shouldNoLongerTickAMemberThatLeftAndLeaveTwiceHarmlessly() {
        final LoopTicker ticker = ticker(1);
        final Member a = phased(ticker, "a");
        final Member b = phased(ticker, "b");
        final Member c = phased(ticker, "c");

        a.membership.leave();
        assertFalse(a.membership.active());
        assertEquals(2, ticker.members());
        a.membership.leave();
        assertEquals(2, ticker.members(), "leaving twice is harmless");
        ticker.run();

        assertEquals(List.of("b", "c"), ticked);
        b.membership.leave();
        c.membership.leave();
        assertEquals(0, ticker.members());
    }

    @Test
    void shouldGrowBeyondItsInitialCapacity() {
        final LoopTicker ticker = ticker(PHASES);
        for (int i = 0; i < 200; i++) {
            phased(ticker, "m" + i);
        }
        for (int i = 0; i < 1_000; i++) {
            everyWakeUp(ticker, "w" + i);
        }

        ticker.run();

        assertEquals(1_200, ticker.members());
        for (int p = 0; p < PHASES; p++) {
            assertEquals(50, ticker.members(p), "phase " + p);
        }
        assertEquals(50 + 1_000, ticked.size(), "one phase and every every-wake-up member");
    }

    @Test
    void shouldRefuseAPeriodWithoutPhases() {
        assertThrows(IllegalArgumentException.class, () -> ticker(0));
    }

    // ---- every wake-up (Twilio streams) -------------------------------------------------------------------------

    @Test
    void shouldTickEveryWakeUpMemberAtEachWakeUpAndAPhasedMemberOncePerPeriod() {
        final LoopTicker ticker = ticker(PHASES);
        final Member stream = everyWakeUp(ticker, "stream");
        final Member call = phased(ticker, "call");

        for (int run = 0; run < 2 * PHASES; run++) {
            ticker.tick(NOW_NS + run * SPACING_NS);
        }

        assertEquals(2 * PHASES, stream.ticks.size());
        assertEquals(List.of(NOW_NS, NOW_NS + PERIOD_NS), call.ticks, "phase 0's wake-ups");
        assertEquals(2 * PHASES, ticker.wakeUps());
    }

    @Test
    void shouldSkipAnEveryWakeUpMemberUntilTheDueTimeItSet() {
        final LoopTicker ticker = ticker(PHASES);
        final Member other = everyWakeUp(ticker, "other");
        final Member idle1 = everyWakeUp(ticker, "idle1");
        final Member idle2 = everyWakeUp(ticker, "idle2");
        final Member stream = everyWakeUp(ticker, "stream");
        idle1.membership.tickAt(Long.MAX_VALUE);
        idle2.membership.tickAt(Long.MAX_VALUE);
        stream.membership.tickAt(NOW_NS + 3 * SPACING_NS);

        // Phases 0, 1 and 2: their safety sweeps take slots 0, 1 and 2; the stream's slot 3 is not swept.
        ticker.tick(NOW_NS + SPACING_NS);
        ticker.tick(NOW_NS + 2 * SPACING_NS);
        ticker.tick(NOW_NS + 3 * SPACING_NS);

        assertEquals(List.of(NOW_NS + 3 * SPACING_NS), stream.ticks, "not before its due time, then at it");
        assertEquals(3, other.ticks.size(), "a member that set no due time is ticked at every wake-up");
        assertEquals(List.of(NOW_NS + 2 * SPACING_NS), idle1.ticks, "only by its phase's sweep");
        assertEquals(List.of(NOW_NS + 3 * SPACING_NS), idle2.ticks, "only by its phase's sweep");
    }

    @Test
    void shouldTickAMemberWhoseDueTimeIsFarOffOncePerPeriodAsASafetyNet() {
        final LoopTicker ticker = ticker(PHASES);
        final List<Member> streams = new ArrayList<>();
        for (int i = 0; i < 2 * PHASES + 1; i++) {
            final Member stream = everyWakeUp(ticker, "s" + i);
            stream.membership.tickAt(Long.MAX_VALUE);
            streams.add(stream);
        }

        for (int run = 0; run < 3 * PHASES; run++) {
            ticker.tick(NOW_NS + run * SPACING_NS);
        }

        for (final Member stream : streams) {
            assertEquals(3, stream.ticks.size(), stream.name + ": once per period, on its slot's phase");
        }
    }

    @Test
    void shouldKeepADueTimeWithItsMemberWhenAnotherLeaves() {
        final LoopTicker ticker = ticker(PHASES);
        final Member first = everyWakeUp(ticker, "first");
        final Member other = everyWakeUp(ticker, "other");
        final Member moved = everyWakeUp(ticker, "moved");
        moved.membership.tickAt(Long.MAX_VALUE);
        first.membership.leave();

        ticker.tick(NOW_NS);
        ticker.tick(NOW_NS + SPACING_NS);

        assertEquals(List.of(NOW_NS), moved.ticks, "in slot 0 now, with its own due time: only phase 0's sweep");
        assertEquals(2, other.ticks.size());
    }

    @Test
    void shouldReadTheClockOncePerWakeUpAndHandThatNowToEveryMember() {
        final LoopTicker ticker = ticker(1);
        final Member a = everyWakeUp(ticker, "a");
        final Member b = phased(ticker, "b");
        final Member c = everyWakeUp(ticker, "c");
        clockReads = 0;
        clockNs = NOW_NS + 123;

        ticker.run();

        assertEquals(1, clockReads);
        assertEquals(List.of(NOW_NS + 123), a.ticks);
        assertEquals(List.of(NOW_NS + 123), b.ticks);
        assertEquals(List.of(NOW_NS + 123), c.ticks);
    }

    @Test
    void shouldStartTheTimerWithTheFirstMemberAndStopItWithTheLast() {
        final LoopTicker ticker = ticker(PHASES);
        assertFalse(ticker.running(), "an idle loop is not woken");
        assertEquals(0, loop.timers.size());

        final Member a = everyWakeUp(ticker, "a");
        final Member b = phased(ticker, "b");
        assertTrue(ticker.running());
        assertEquals(1, loop.timers.size(), "one timer for both kinds of member");
        assertEquals(SPACING_NS, loop.timers.get(0).periodNs);
        a.membership.leave();
        assertTrue(ticker.running(), "b is still ticked");
        b.membership.leave();

        assertFalse(ticker.running());
        assertEquals(0, loop.running());
        everyWakeUp(ticker, "c");
        assertEquals(1, loop.running(), "a new member starts a new timer");
    }

    @Test
    void shouldTickEveryOtherMemberExactlyOnceWhenMembersLeaveDuringTheTick() {
        final LoopTicker ticker = ticker(1);
        final List<Member> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            final Member member = everyWakeUp(ticker, "w" + i);
            member.leavesOnTick = i % 3 == 0;
            members.add(member);
        }

        ticker.tick(NOW_NS);
        ticker.tick(NOW_NS + SPACING_NS);

        for (int i = 0; i < members.size(); i++) {
            assertEquals(i % 3 == 0 ? 1 : 2, members.get(i).ticks.size(), "member " + i);
        }
        assertEquals(6, ticker.members());
    }

    // ---- failure isolation ------------------------------------------------------------------------------------

    @Test
    void shouldRemoveAndEndAMemberWhoseTickThrowsAndTickEveryOtherMember() {
        final LoopTicker ticker = ticker(1);
        final IllegalStateException bug = new IllegalStateException("bug");
        final Member before = everyWakeUp(ticker, "before");
        final Member broken = phased(ticker, "broken");
        broken.throwsOnTick = bug;
        final Member after = everyWakeUp(ticker, "after");
        final Member sameWakeUp = phased(ticker, "same");

        ticker.tick(NOW_NS);
        ticker.tick(NOW_NS + SPACING_NS);

        assertSame(bug, broken.failure);
        assertEquals(1, broken.failures, "told once");
        assertEquals(1, broken.ticks.size(), "no longer ticked");
        assertFalse(broken.membership.active());
        assertEquals(2, before.ticks.size());
        assertEquals(2, after.ticks.size());
        assertEquals(2, sameWakeUp.ticks.size());
        assertEquals(1, ticker.memberFailures());
        assertEquals(3, ticker.members());
    }

    @Test
    void shouldGoOnWhenEndingAFailedMemberThrowsToo() {
        final LoopTicker ticker = ticker(1);
        final Member broken = new Member("broken") {
            @Override
            public void onTickFailed(final RuntimeException cause, final long nowNs) {
                throw new IllegalStateException("second bug");
            }
        };
        broken.throwsOnTick = new IllegalStateException("bug");
        broken.membership = ticker.joinPhased(broken);
        final Member other = everyWakeUp(ticker, "other");

        ticker.tick(NOW_NS);
        ticker.tick(NOW_NS + SPACING_NS);

        assertEquals(2, other.ticks.size());
        assertEquals(1, ticker.memberFailures());
    }

    @Test
    void shouldStopTheTimerWhenItsLastMemberFails() {
        final LoopTicker ticker = ticker(1);
        phased(ticker, "only").throwsOnTick = new IllegalStateException("bug");

        ticker.run();

        assertFalse(ticker.running());
        assertEquals(0, loop.running());
    }

    // ---- one ticker per loop --------------------------------------------------------------------------------

    @Test
    void shouldShareOneTickerPerLoopAndSumTheirFailures() {
        final LoopTickers tickers = new LoopTickers(() -> clockNs, PERIOD_NS, PHASES);
        final ManualScheduler other = new ManualScheduler();

        assertSame(tickers.tickerOf(loop), tickers.tickerOf(loop));
        assertFalse(tickers.tickerOf(loop) == tickers.tickerOf(other));
        final Member broken = new Member("broken");
        broken.throwsOnTick = new IllegalStateException("bug");
        broken.membership = tickers.tickerOf(other).joinEveryWakeUp(broken);
        tickers.tickerOf(other).run();

        assertEquals(1, tickers.memberFailures());
    }
}
