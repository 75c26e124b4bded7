package io.voxgate.core.vad;

/**
 * What {@link VoiceActivityDetector#onFrame} reports for a frame.
 *
 * <p>Per utterance the sequence is {@code SILENCE* ONSET SPEECH* OFFSET}: the two edges are reported on exactly
 * one frame each, so a caller reacts to {@link #ONSET} (barge-in) and {@link #OFFSET} without keeping state of
 * its own. Immutable; safe on any thread.
 */
public enum VadState {
    /** No utterance in progress (including frames that count towards an onset not yet confirmed). */
    SILENCE,
    /** The frame on which speech was confirmed; reported once per utterance. */
    ONSET,
    /** An utterance in progress, including its hangover frames. */
    SPEECH,
    /** The frame on which the hangover ran out: the utterance has ended and {@link VoiceActivityDetector#speaking()} is false. */
    OFFSET
}
