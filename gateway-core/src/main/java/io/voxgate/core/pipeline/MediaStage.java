package io.voxgate.core.pipeline;

/**
 * One named node of a media path (decode, resample, VAD tap, RTP receive, jitter playout, RTP send...) and the
 * counters it keeps. Every stage of both edges is one, so a path can be declared as a {@link MediaChain} of
 * stages and its counters read the same way whatever the stage. How audio moves between stages is the stage's
 * own shape: borrowed bytes pushed into an {@link AudioSink}, PCM blocks between the codec stages, or a frame
 * pulled per playout tick.
 *
 * <p>Threading: a stage is confined to its call's thread; {@link #counters} reads plain fields, so read from
 * another thread it sees values that may be slightly stale.
 */
public interface MediaStage {

    /** Receives one counter of a stage. */
    @FunctionalInterface
    interface CounterVisitor {
        /** One counter: its name (lower case, words joined by {@code _}) and its value. */
        void counter(String name, long value);
    }

    /** The stage's name in a chain (lower case, words joined by {@code -}). */
    String name();

    /** Hands each of this stage's counters to {@code visitor}, in a fixed order. */
    void counters(CounterVisitor visitor);
}
