package io.voxgate.core.jitter;

/**
 * What one {@link JitterBuffer#poll} tick produced. Only {@link #FRAME} writes payload bytes; for the others
 * the caller produces the audio itself (for example with a {@link LossConcealer} on decoded PCM).
 */
public enum PlayoutStatus {
    /** A received frame: its payload was copied to the caller's buffer. */
    FRAME,
    /** A frame is missing (lost, late or not yet known): the caller conceals it. */
    CONCEALED,
    /** No speech is due (a silence gap, or concealment ran past its cap): the caller plays silence or noise. */
    SILENCE,
    /** No packet has been played since construction or {@link JitterBuffer#reset()}: nothing to play yet. */
    NOT_STARTED
}
