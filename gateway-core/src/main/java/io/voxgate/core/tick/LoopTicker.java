package io.voxgate.core.tick;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one media clock of an event loop, shared by every call of both edges on that loop. Its timer wakes every
 * {@code period / phases} (2 ms in production), reads the clock once and hands that {@code nowNs} to the members it
 * ticks:
 * <ul>
 *   <li>members that want every wake-up ({@link #joinEveryWakeUp}: Twilio streams, whose pacer may release held
 *       audio at any 2 ms boundary and which skip the wake-ups with nothing due);</li>
 *   <li>members ticked once per period ({@link #joinPhased}: SIP calls, one 20 ms frame per tick), each on the
 *       phase with the fewest members, so a wake-up serves a tenth of the loop's SIP calls instead of all.</li>
 * </ul>
 *
 * <p>Why one timer per loop: a timer per call costs a scheduler entry and a wake-up per call per period, which shows
 * at hundreds of calls; one timer costs the same whatever the number of calls. Why phases: with every SIP call of a
 * loop on one wake-up, the last call of a 250-call walk was served several ms after its nominal tick time
 * (gateway-added p99 11.6 ms at 500 calls); ten phases cut it to 2.1 ms (docs/performance.md).
 *
 * <p>The timer runs only while the ticker has members: it starts with the first join and is cancelled when the last
 * member leaves, so an idle loop is not woken. Netty runs a fixed-rate task's missed runs back to back, so every
 * phase still gets its wake-up, in order, when the loop was late.
 *
 * <p>Failure isolation: a member whose tick throws is removed, counted ({@link #memberFailures()}), logged once with
 * its call id and told to end itself ({@link TickMember#onTickFailed}); every other member goes on. (A periodic task
 * that throws is never run again by its executor: one call's bug must not stop the loop's other calls.)
 *
 * <p>Threading: confined to {@link #loop()}: joins, leaves and ticks all run there, so the tables need no lock.
 * Steady state allocates nothing: a table grows (doubling) only when a member joins beyond its capacity. Time: the
 * clock's nanoseconds, the same clock the loop's scheduler keeps.
 */
public final class LoopTicker implements Runnable {
    /** The frame period of a SIP call: one RTP packet per 20 ms. */
    public static final long PERIOD_NS = 20_000_000L;
    /** Phases of the period in production: a wake-up every 2 ms. */
    public static final int PHASES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LoopTicker.class);
    private static final int INITIAL_CAPACITY = 16;

    private final ScheduledExecutorService loop;
    private final NanoClock clock;
    private final long periodNs;
    private final long wakeUpIntervalNs;
    private final TickMembership[][] phased;
    private final int[] phasedCounts;
    private TickMembership[] everyWakeUp = new TickMembership[INITIAL_CAPACITY];
    /** Per slot of {@link #everyWakeUp}: the member's next due time; kept apart so a walk reads one array. */
    private long[] everyWakeUpDueNs = new long[INITIAL_CAPACITY];
    private int everyWakeUpCount;
    private int total;
    private int nextPhase;
    private ScheduledFuture<?> timer;
    /** When the running timer first fires: phase 0's wake-ups are at whole periods after it. */
    private long originNs;
    private long wakeUps;
    private long memberFailures;

    /**
     * A ticker for {@code loop}, not running until the first member joins.
     *
     * @param loop     the event loop whose calls it ticks; the timer runs on it
     * @param clock    read once per wake-up; the time base of the members' {@code nowNs}
     * @param periodNs the period of phased members
     * @param phases   wake-ups per period
     * @throws IllegalArgumentException when there are no phases or more phases than nanoseconds in the period
     */
    public LoopTicker(final ScheduledExecutorService loop, final NanoClock clock, final long periodNs, final int phases) {
        if (phases < 1 || periodNs / phases < 1) {
            throw new IllegalArgumentException("phases must be in 1.." + periodNs + ", was " + phases);
        }
        this.loop = Objects.requireNonNull(loop, "loop");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.periodNs = periodNs;
        this.wakeUpIntervalNs = periodNs / phases;
        this.phased = new TickMembership[phases][INITIAL_CAPACITY];
        this.phasedCounts = new int[phases];
    }

    /** The loop whose calls this ticks. */
    public ScheduledExecutorService loop() {
        return loop;
    }

    /** The time between two wake-ups. */
    public long wakeUpIntervalNs() {
        return wakeUpIntervalNs;
    }

    /**
     * Ticks {@code member} once per period from now on, in the phase with the fewest phased members (the lowest such
     * phase on a tie). {@link TickMembership#firstTickNs()} tells when its first tick is due.
     */
    public TickMembership joinPhased(final TickMember member) {
        int phase = 0;
        for (int p = 1; p < phasedCounts.length; p++) {
            if (phasedCounts[p] < phasedCounts[phase]) {
                phase = p;
            }
        }
        final long nowNs = startTimer();
        final long phaseOriginNs = originNs + phase * wakeUpIntervalNs;
        final long firstTickNs = phaseOriginNs + (Math.floorDiv(nowNs - phaseOriginNs, periodNs) + 1) * periodNs;
        final TickMembership membership = new TickMembership(this, Objects.requireNonNull(member, "member"), phase, firstTickNs);
        if (phasedCounts[phase] == phased[phase].length) {
            phased[phase] = Arrays.copyOf(phased[phase], phasedCounts[phase] * 2);
        }
        membership.slot = phasedCounts[phase];
        phased[phase][phasedCounts[phase]++] = membership;
        total++;
        return membership;
    }

    /** Ticks {@code member} at every wake-up from now on. */
    public TickMembership joinEveryWakeUp(final TickMember member) {
        final long nowNs = startTimer();
        final TickMembership membership = new TickMembership(this, Objects.requireNonNull(member, "member"),
            TickMembership.EVERY_WAKE_UP, nowNs + wakeUpIntervalNs);
        if (everyWakeUpCount == everyWakeUp.length) {
            everyWakeUp = Arrays.copyOf(everyWakeUp, everyWakeUpCount * 2);
            everyWakeUpDueNs = Arrays.copyOf(everyWakeUpDueNs, everyWakeUpCount * 2);
        }
        membership.slot = everyWakeUpCount;
        everyWakeUpDueNs[everyWakeUpCount] = TickMembership.EVERY_WAKE_UP_DUE;
        everyWakeUp[everyWakeUpCount++] = membership;
        total++;
        return membership;
    }

    /** Starts the timer when it is not running; returns now. */
    private long startTimer() {
        final long nowNs = clock.nanoTime();
        if (timer == null) {
            // Read before scheduling, so the scheduler's own deadline is no earlier than this: a wake-up never
            // precedes the nominal tick time of the members it serves.
            originNs = nowNs + wakeUpIntervalNs;
            nextPhase = 0;
            timer = loop.scheduleAtFixedRate(this, wakeUpIntervalNs, wakeUpIntervalNs, TimeUnit.NANOSECONDS);
        }
        return nowNs;
    }

    void leave(final TickMembership membership) {
        final int phase = membership.phase;
        if (phase == TickMembership.LEFT) {
            return;
        }
        if (phase == TickMembership.EVERY_WAKE_UP) {
            everyWakeUpDueNs[membership.slot] = everyWakeUpDueNs[everyWakeUpCount - 1];
            everyWakeUpCount = swapRemove(everyWakeUp, everyWakeUpCount, membership);
        } else {
            phasedCounts[phase] = swapRemove(phased[phase], phasedCounts[phase], membership);
        }
        membership.phase = TickMembership.LEFT;
        membership.slot = -1;
        total--;
        if (total == 0) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static int swapRemove(final TickMembership[] table, final int count, final TickMembership membership) {
        final int last = count - 1;
        final TickMembership moved = table[last];
        table[membership.slot] = moved;
        moved.slot = membership.slot;
        table[last] = null;
        return last;
    }

    /** Sets when {@code membership}, a member of every wake-up, next wants a tick (see {@link TickMembership#tickAt}). */
    void tickAt(final TickMembership membership, final long dueNs) {
        if (membership.phase == TickMembership.EVERY_WAKE_UP) {
            everyWakeUpDueNs[membership.slot] = dueNs;
        }
    }

    /** The timer's run: one wake-up at the clock's now, read once here for every member ticked. */
    @Override
    public void run() {
        tick(clock.nanoTime());
    }

    /**
     * One wake-up at {@code nowNs}: ticks the members of the next phase, then the members of every wake-up whose due
     * time has come, and, whatever their due time, the tenth of them whose slot falls on this phase (so each is ticked
     * at least once per period even if it missed telling a change of its due time). {@link #run} calls it with the
     * clock's now; tests call it with a hand-driven time. Walks each table from the end: a member that leaves moves
     * the last member, already ticked, into its slot, so none is skipped or ticked twice.
     */
    public void tick(final long nowNs) {
        wakeUps++;
        final int phase = nextPhase;
        nextPhase = phase + 1 == phasedCounts.length ? 0 : phase + 1;
        for (int i = phasedCounts[phase] - 1; i >= 0; i--) {
            if (i < phasedCounts[phase]) {
                tickOne(phased[phase][i], nowNs);
            }
        }
        final int phases = phasedCounts.length;
        int sweepSlot = everyWakeUpCount - 1 - Math.floorMod(everyWakeUpCount - 1 - phase, phases);
        for (int i = everyWakeUpCount - 1; i >= 0; i--) {
            final boolean sweep = i == sweepSlot;
            if (sweep) {
                sweepSlot -= phases;
            }
            if (i < everyWakeUpCount && (sweep || everyWakeUpDueNs[i] <= nowNs)) {
                tickOne(everyWakeUp[i], nowNs);
            }
        }
    }

    private void tickOne(final TickMembership membership, final long nowNs) {
        final TickMember member = membership.member;
        try {
            member.onTick(nowNs);
        } catch (final RuntimeException failure) {
            memberFailures++;
            leave(membership);
            LOG.error("call {}: media tick failed; the call is ended, the loop's other calls go on", member.callId(), failure);
            try {
                member.onTickFailed(failure, nowNs);
            } catch (final RuntimeException again) {
                LOG.error("call {}: ending the call after its failed tick failed too", member.callId(), again);
            }
        }
    }

    /** Members ticked, of both kinds. */
    public int members() {
        return total;
    }

    /** Members ticked once per period in {@code phase}. */
    public int members(final int phase) {
        return phasedCounts[phase];
    }

    /** Members ticked at every wake-up. */
    public int everyWakeUpMembers() {
        return everyWakeUpCount;
    }

    /** Whether the timer is scheduled (there are members). */
    public boolean running() {
        return timer != null;
    }

    /** Wake-ups run since creation. */
    public long wakeUps() {
        return wakeUps;
    }

    /** Member ticks that threw (each ended its call). */
    public long memberFailures() {
        return memberFailures;
    }
}
