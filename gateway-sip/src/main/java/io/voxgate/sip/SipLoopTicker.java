package io.voxgate.sip;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The tick of a media event loop, shared by every SIP call whose media runs on that loop. The 20 ms period is cut
 * into evenly spaced phases (ten, 2 ms apart, in production); each call joins the phase with the fewest calls, and
 * each wake-up of the loop's one timer ticks the calls of the next phase, each call's {@link PlayoutTickClock}
 * deciding how many frames it plays.
 *
 * <p>Why one timer per loop: a timer per call costs a scheduler queue entry and a wake-up per call per period,
 * which shows at hundreds of calls. Why phases: with all of a loop's calls on one phase, the last call of a
 * 250-call walk was served several ms after its nominal tick time (gateway-added p99 11.6 ms at 500 calls); ten
 * phases serve a tenth of the calls per wake-up (p99 2.1 ms) for 500 wake-ups a second per loop (docs/performance.md).
 * A call's nominal tick time is its phase's wake-up time, so its RTP clock never drifts.
 *
 * <p>The calls of a phase are kept in an array with swap-removal: ticking allocates nothing; an array only grows
 * (doubling) when a call is added beyond its capacity, at call setup. The timer runs only while the loop has calls.
 *
 * <p>Threading: confined to {@link #loop}: {@link #add}, {@link #remove} and the ticks all run there. Time is in
 * {@code System.nanoTime} nanoseconds, the clock Netty schedules on.
 */
final class SipLoopTicker implements Runnable {
    /** Phases of the 20 ms period in production: a wake-up every 2 ms. */
    static final int PHASES = 10;
    private static final int INITIAL_CAPACITY = 16;

    private final EventLoop loop;
    private final long periodNs;
    private final long phaseSpacingNs;
    private final LoopTicked[][] members;
    private final int[] counts;
    private int total;
    private int nextPhase;
    private ScheduledFuture<?> timer;
    /** When the running timer first fired (or will): phase 0's wake-ups are at whole periods after it. */
    private long originNs;

    /**
     * A ticker for {@code loop} with period {@code periodNs} cut into {@code phases} phases.
     *
     * @throws IllegalArgumentException when there are no phases or more phases than nanoseconds in the period
     */
    SipLoopTicker(final EventLoop loop, final long periodNs, final int phases) {
        if (phases < 1 || periodNs / phases < 1) {
            throw new IllegalArgumentException("phases must be in 1.." + periodNs + ", was " + phases);
        }
        this.loop = loop;
        this.periodNs = periodNs;
        this.phaseSpacingNs = periodNs / phases;
        this.members = new LoopTicked[phases][INITIAL_CAPACITY];
        this.counts = new int[phases];
    }

    /** The loop whose calls this ticks. */
    EventLoop loop() {
        return loop;
    }

    /**
     * Ticks {@code member} from now on, in the phase with the fewest members (the lowest such phase on a tie).
     *
     * @return the time of the member's first tick: its phase's first wake-up after {@code nowNs}
     */
    long add(final LoopTicked member, final long nowNs) {
        int phase = 0;
        for (int p = 1; p < counts.length; p++) {
            if (counts[p] < counts[phase]) {
                phase = p;
            }
        }
        if (counts[phase] == members[phase].length) {
            members[phase] = Arrays.copyOf(members[phase], counts[phase] * 2);
        }
        members[phase][counts[phase]] = member;
        member.tickerPhase = phase;
        member.tickerSlot = counts[phase];
        counts[phase]++;
        total++;
        if (timer == null) {
            // Taken before scheduling, so Netty's own deadline is no earlier than this: a wake-up never precedes the
            // nominal tick time of the members it serves.
            originNs = nowNs + phaseSpacingNs;
            nextPhase = 0;
            timer = loop.scheduleAtFixedRate(this, phaseSpacingNs, phaseSpacingNs, TimeUnit.NANOSECONDS);
        }
        final long phaseOriginNs = originNs + phase * phaseSpacingNs;
        return phaseOriginNs + (Math.floorDiv(nowNs - phaseOriginNs, periodNs) + 1) * periodNs;
    }

    /** Stops ticking {@code member}; harmless when it is not ticked. */
    void remove(final LoopTicked member) {
        final int phase = member.tickerPhase;
        final int slot = member.tickerSlot;
        if (phase < 0 || phase >= counts.length || slot < 0 || slot >= counts[phase] || members[phase][slot] != member) {
            return;
        }
        final int last = counts[phase] - 1;
        final LoopTicked moved = members[phase][last];
        members[phase][slot] = moved;
        moved.tickerSlot = slot;
        members[phase][last] = null;
        member.tickerPhase = -1;
        member.tickerSlot = -1;
        counts[phase] = last;
        total--;
        if (total == 0) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Members ticked, over every phase. */
    int calls() {
        return total;
    }

    /** Members ticked in {@code phase}. */
    int calls(final int phase) {
        return counts[phase];
    }

    /**
     * One wake-up: ticks the members of the next phase. Netty runs a fixed-rate task's missed periods back to back,
     * so every phase still gets its run, in order, when the loop was late.
     */
    @Override
    public void run() {
        final int phase = nextPhase;
        nextPhase = phase + 1 == counts.length ? 0 : phase + 1;
        // Downwards: a member that ends in its tick is swapped with the last one, which has already been ticked.
        for (int i = counts[phase] - 1; i >= 0; i--) {
            members[phase][i].tick();
        }
    }
}
