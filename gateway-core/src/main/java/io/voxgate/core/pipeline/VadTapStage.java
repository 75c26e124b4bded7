package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.vad.VadConfig;
import io.voxgate.core.vad.VadState;
import io.voxgate.core.vad.VoiceActivityDetector;
import org.agrona.DirectBuffer;

/**
 * Listens to a stream without changing it: decodes a copy (a 256-entry table lookup per G.711 byte), cuts it into
 * the detector's frames whatever the chunk sizes, and reports voice activity for barge-in.
 *
 * <p>{@link #onAudio} returns the most telling state of the VAD frames the chunk completed: {@link VadState#ONSET}
 * if speech was confirmed in it, else {@link VadState#OFFSET} if an utterance ended in it, else the steady state
 * ({@link VadState#SPEECH} or {@link VadState#SILENCE}). So an ONSET is reported exactly once per utterance.
 *
 * <p>Threading: confined to the call's thread. Ownership: input is borrowed for the call only. Allocates nothing
 * after construction.
 */
public final class VadTapStage implements MediaStage {
    private final DecodeStage decode;
    private final VoiceActivityDetector detector;
    private final short[] frame;
    private int filled;

    /**
     * A tap on audio in {@code format}, judged by a detector built from {@code config} at the format's rate.
     *
     * @throws IllegalArgumentException when an argument is null or the detector rejects the rate
     */
    public VadTapStage(final AudioFormat format, final VadConfig config) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        this.decode = new DecodeStage(format.encoding());
        this.detector = new VoiceActivityDetector(config, format.sampleRateHz());
        this.frame = new short[detector.frameSamples()];
    }

    /** Feeds {@code length} bytes to the detector; see the type's description for what is returned. */
    public VadState onAudio(final DirectBuffer audio, final int offset, final int length) {
        VadState result = detector.speaking() ? VadState.SPEECH : VadState.SILENCE;
        int in = offset;
        int remaining = length;
        while (remaining > 0) {
            final int take = Math.min(remaining, decode.maxInputBytes(frame.length - filled));
            filled += decode.decode(audio, in, take, frame, filled);
            in += take;
            remaining -= take;
            if (filled == frame.length) {
                filled = 0;
                final VadState state = detector.onFrame(frame, 0, frame.length);
                if (state == VadState.ONSET || (state == VadState.OFFSET && result != VadState.ONSET)) {
                    result = state;
                } else if (result != VadState.ONSET && result != VadState.OFFSET) {
                    result = state;
                }
            }
        }
        return result;
    }

    /** Whether an utterance is in progress. */
    public boolean speaking() {
        return detector.speaking();
    }

    /** Whether an utterance is in progress and its last frame was sound, not hangover (see the detector). */
    public boolean soundActive() {
        return detector.soundActive();
    }

    /** Utterances confirmed so far. */
    public long onsets() {
        return detector.onsets();
    }

    /** The detector, for its statistics. */
    public VoiceActivityDetector detector() {
        return detector;
    }

    @Override
    public String name() {
        return "vad-tap";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("frames", detector.framesProcessed());
        visitor.counter("frames_speaking", detector.framesSpeaking());
        visitor.counter("onsets", detector.onsets());
        visitor.counter("offsets", detector.offsets());
    }
}
