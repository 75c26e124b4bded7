package io.voxgate.benchmarks.load;

import io.voxgate.core.agent.ParrotAgent;
import io.voxgate.testkit.twilio.SimulatedAudio;
import java.util.Arrays;

/**
 * What a barging-in caller says to the parrot agent, in cycles of {@value #CYCLE_MS} ms: a short settle of silence, a
 * voiced burst the parrot records, a pause long enough for its replay to start, an interrupting burst about
 * {@value #INTO_REPLAY_MS} ms into the replay, and silence while the parrot replays the interruption in turn.
 *
 * <p>Why these figures: the parrot replays after {@link ParrotAgent#SILENCE_BEFORE_REPLAY_MS} ms of caller silence
 * (the VAD's 300 ms hangover included), so a pause of that plus {@value #INTO_REPLAY_MS} ms lands the interruption that
 * far into the replay (which lasts the burst plus up to {@link ParrotAgent#PRE_ROLL_MS} ms of pre-roll). The bursts are
 * sines at 200 and 300 Hz, amplitude 8,000 (about -15 dBFS): inside the VAD's pitch search (62 to 500 Hz, 2 to 16 ms lags
 * at its 2 kHz analysis rate), fully periodic, and 35 dB over its initial -50 dBFS floor, so each burst is an onset
 * after its {@code onsetMs} (40 ms). The trailing silence outlasts the replay of the interruption, so the next cycle's
 * burst never talks over the parrot by accident.
 *
 * <p>Immutable; safe on any thread. Chunks are the simulator's media message numbers (from 1, 20 ms each).
 */
final class BargeInScript {
    static final int SETTLE_MS = 300;
    static final int BURST_MS = 800;
    static final int INTO_REPLAY_MS = 200;
    static final int PAUSE_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS + INTO_REPLAY_MS;
    static final int INTERRUPTION_MS = 600;
    static final int AFTER_MS = 1_500;
    static final int CYCLE_MS = SETTLE_MS + BURST_MS + PAUSE_MS + INTERRUPTION_MS + AFTER_MS;
    /**
     * How long after the interruption ends frames still count as the old turn: the parrot cannot start replaying the
     * interruption before {@link ParrotAgent#SILENCE_BEFORE_REPLAY_MS} ms of silence, so half of that is safely before.
     */
    static final int OLD_TURN_WINDOW_AFTER_MS = ParrotAgent.SILENCE_BEFORE_REPLAY_MS / 2;
    private static final int FRAME_MS = 20;
    private static final int AMPLITUDE = 8_000;

    private final SimulatedAudio audio;
    private final long[] onsetChunks;
    private final long[] windowEndChunks;

    /** As many whole cycles as fit in {@code holdMs}, at least one. */
    BargeInScript(final int holdMs) {
        final int cycles = Math.max(1, holdMs / CYCLE_MS);
        final SimulatedAudio cycle = SimulatedAudio.concat(SimulatedAudio.silence(SETTLE_MS), SimulatedAudio.tone(200, BURST_MS, AMPLITUDE),
            SimulatedAudio.silence(PAUSE_MS), SimulatedAudio.tone(300, INTERRUPTION_MS, AMPLITUDE), SimulatedAudio.silence(AFTER_MS));
        final SimulatedAudio[] all = new SimulatedAudio[cycles];
        Arrays.fill(all, cycle);
        this.audio = SimulatedAudio.concat(all);
        this.onsetChunks = new long[cycles];
        this.windowEndChunks = new long[cycles];
        for (int c = 0; c < cycles; c++) {
            final int onsetMs = c * CYCLE_MS + SETTLE_MS + BURST_MS + PAUSE_MS;
            onsetChunks[c] = onsetMs / FRAME_MS + 1;
            windowEndChunks[c] = (onsetMs + INTERRUPTION_MS + OLD_TURN_WINDOW_AFTER_MS) / FRAME_MS + 1;
        }
    }

    /** What the caller says. */
    SimulatedAudio audio() {
        return audio;
    }

    /** Barge-ins in the script. */
    int cycles() {
        return onsetChunks.length;
    }

    /** The media message carrying the first frame of barge-in {@code cycle}'s interruption. */
    long onsetChunk(final int cycle) {
        return onsetChunks[cycle];
    }

    /** The media message after which frames received no longer belong to the turn barge-in {@code cycle} interrupted. */
    long windowEndChunk(final int cycle) {
        return windowEndChunks[cycle];
    }
}
