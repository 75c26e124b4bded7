package io.voxgate.benchmarks.load;

import io.voxgate.core.agent.ParrotAgent;
import io.voxgate.testkit.twilio.SimulatedAudio;
import java.util.Arrays;

/**
 * What a barging-in caller says to the parrot agent, in cycles of {@value #CYCLE_MS} ms, each with two talk-overs of
 * the parrot's replay, {@value #INTO_REPLAY_MS} ms into it:
 * <ol>
 *   <li>a <b>backchannel</b>: after a voiced burst the parrot records and a pause long enough for its replay to start,
 *       a short voiced "mm-hm" ({@value #BACKCHANNEL_MS} ms at -20 dBFS), then silence while the replay ends; the
 *       gateway should pause and resume, and the caller hear the whole replay once;</li>
 *   <li>a <b>real interruption</b>: another burst and pause, then {@value #INTERRUPTION_MS} ms of talk over the
 *       replay, past the gateway's and the parrot's 500 ms sustained-speech threshold, then silence while the parrot
 *       replays the interruption in turn; the gateway should clear and never play the old turn again.</li>
 * </ol>
 *
 * <p>Why these figures: the parrot replays after {@link ParrotAgent#SILENCE_BEFORE_REPLAY_MS} ms of caller silence
 * (the VAD's 300 ms hangover included), so a pause of that plus {@value #INTO_REPLAY_MS} ms lands the talk-over that
 * far into the replay (which lasts the burst plus up to {@link ParrotAgent#PRE_ROLL_MS} ms of pre-roll). The bursts are
 * sines at 180 to 300 Hz: inside the VAD's pitch search (62 to 500 Hz, 2 to 16 ms lags at its 2 kHz analysis rate),
 * fully periodic, and far over its initial -50 dBFS floor, so each is an onset after its {@code onsetMs} (40 ms). The
 * silence after each talk-over outlasts the rest of the replay (and the pause), so the next burst never talks over the
 * parrot by accident.
 *
 * <p>Immutable; safe on any thread. Chunks are the simulator's media message numbers (from 1, 20 ms each).
 */
final class BargeInScript {
    /** What a talk-over is. */
    enum Kind { BACKCHANNEL, INTERRUPTION }

    static final int SETTLE_MS = 300;
    static final int BURST_MS = 800;
    static final int INTO_REPLAY_MS = 200;
    static final int PAUSE_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS + INTO_REPLAY_MS;
    static final int BACKCHANNEL_MS = 250;
    /** The replay's rest, the pause a backchannel costs (about a second) and a margin. */
    static final int AFTER_BACKCHANNEL_MS = 2_000;
    static final int INTERRUPTION_MS = 700;
    static final int AFTER_MS = 2_000;
    static final int HALF_MS = SETTLE_MS + BURST_MS + PAUSE_MS;
    static final int CYCLE_MS = HALF_MS + BACKCHANNEL_MS + AFTER_BACKCHANNEL_MS + HALF_MS + INTERRUPTION_MS + AFTER_MS;
    /** The replay the backchannel talks over, as the caller should hear it: the burst plus the parrot's pre-roll. */
    static final int REPLAY_MS = BURST_MS + ParrotAgent.PRE_ROLL_MS;
    /**
     * How long after the interruption ends frames still count as the old turn: the parrot cannot start replaying the
     * interruption before {@link ParrotAgent#SILENCE_BEFORE_REPLAY_MS} ms of silence, so half of that is safely before.
     */
    static final int OLD_TURN_WINDOW_AFTER_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS / 2;
    private static final int FRAME_MS = 20;
    private static final int AMPLITUDE = 8_000;
    /** A sine at -20 dBFS (a full-scale square wave is 0 dBFS). */
    private static final int MINUS_20_DBFS = (int) Math.round(32_768 * Math.sqrt(2) * 0.1);

    private final SimulatedAudio audio;
    private final long[] startChunks;
    private final long[] onsetChunks;
    private final long[] windowEndChunks;
    private final Kind[] kinds;

    /** As many whole cycles as fit in {@code holdMs}, at least one. */
    BargeInScript(final int holdMs) {
        final int cycles = Math.max(1, holdMs / CYCLE_MS);
        final SimulatedAudio cycle = SimulatedAudio.concat(
            SimulatedAudio.silence(SETTLE_MS), SimulatedAudio.tone(200, BURST_MS, AMPLITUDE), SimulatedAudio.silence(PAUSE_MS),
            SimulatedAudio.tone(180, BACKCHANNEL_MS, MINUS_20_DBFS), SimulatedAudio.silence(AFTER_BACKCHANNEL_MS),
            SimulatedAudio.silence(SETTLE_MS), SimulatedAudio.tone(250, BURST_MS, AMPLITUDE), SimulatedAudio.silence(PAUSE_MS),
            SimulatedAudio.tone(300, INTERRUPTION_MS, AMPLITUDE), SimulatedAudio.silence(AFTER_MS));
        final SimulatedAudio[] all = new SimulatedAudio[cycles];
        Arrays.fill(all, cycle);
        this.audio = SimulatedAudio.concat(all);
        this.startChunks = new long[2 * cycles];
        this.onsetChunks = new long[2 * cycles];
        this.windowEndChunks = new long[2 * cycles];
        this.kinds = new Kind[2 * cycles];
        for (int c = 0; c < cycles; c++) {
            final int backchannelStartMs = c * CYCLE_MS;
            final int backchannelMs = backchannelStartMs + HALF_MS;
            startChunks[2 * c] = backchannelStartMs / FRAME_MS + 1;
            onsetChunks[2 * c] = backchannelMs / FRAME_MS + 1;
            windowEndChunks[2 * c] = (backchannelMs + BACKCHANNEL_MS + AFTER_BACKCHANNEL_MS) / FRAME_MS;
            kinds[2 * c] = Kind.BACKCHANNEL;
            final int interruptionStartMs = backchannelMs + BACKCHANNEL_MS + AFTER_BACKCHANNEL_MS;
            final int interruptionMs = interruptionStartMs + HALF_MS;
            startChunks[2 * c + 1] = interruptionStartMs / FRAME_MS + 1;
            onsetChunks[2 * c + 1] = interruptionMs / FRAME_MS + 1;
            windowEndChunks[2 * c + 1] = (interruptionMs + INTERRUPTION_MS + OLD_TURN_WINDOW_AFTER_MS) / FRAME_MS + 1;
            kinds[2 * c + 1] = Kind.INTERRUPTION;
        }
    }

    /** What the caller says. */
    SimulatedAudio audio() {
        return audio;
    }

    /** Talk-overs in the script, both kinds. */
    int talkOvers() {
        return onsetChunks.length;
    }

    /** What talk-over {@code i} is. */
    Kind kind(final int i) {
        return kinds[i];
    }

    /** The media message carrying the first frame of talk-over {@code i}'s part of the cycle (its settle). */
    long startChunk(final int i) {
        return startChunks[i];
    }

    /** The media message carrying the first frame of talk-over {@code i}. */
    long onsetChunk(final int i) {
        return onsetChunks[i];
    }

    /** The media message after which frames received no longer belong to the turn talk-over {@code i} talked over. */
    long windowEndChunk(final int i) {
        return windowEndChunks[i];
    }
}
