package io.voxgate.core.jitter;

import java.util.Arrays;

/**
 * Packet loss concealment on decoded 16-bit PCM: a missing frame is replaced by the last good frame repeated
 * under a linear fade, and after {@code fadeFrames} missing frames in a row by silence.
 *
 * <p>The fade runs continuously across the repeated frames: the gain falls from 1 at the first concealed sample
 * to 0 at the end of the last, so neither the start of concealment nor the step into silence clicks. With the
 * default three frames the first repetition plays at 100 % to 67 %, the second 67 % to 33 %, the third 33 % to 0.
 * Silence (from {@link #silence(short[], int)}) clears the history, so a loss right after a silence gap conceals
 * with silence rather than replaying old speech.
 *
 * <p>Usage with {@link JitterBuffer}: {@code FRAME} - decode, then {@link #onFrame(short[], int)};
 * {@code CONCEALED} - {@link #conceal(short[], int)}; {@code SILENCE} - {@link #silence(short[], int)}.
 * Threading: confined to the playout thread. Ownership: arrays passed in are borrowed for the call; the frame
 * history is copied. Allocation-free after construction.
 */
public final class LossConcealer {
    private static final int GAIN_SHIFT = 15;

    private final int samplesPerFrame;
    private final int fadeFrames;
    private final short[] lastFrame;
    private final int[] gainQ15;
    private boolean hasHistory;
    private int concealedRun;

    /**
     * @param samplesPerFrame samples in one frame (160 for 20 ms at 8 kHz)
     * @param fadeFrames      missing frames bridged by fading repetition before silence; 0 conceals with silence
     * @throws IllegalArgumentException when {@code samplesPerFrame} is not positive or {@code fadeFrames} negative
     */
    public LossConcealer(final int samplesPerFrame, final int fadeFrames) {
        if (samplesPerFrame <= 0) {
            throw new IllegalArgumentException("samplesPerFrame must be positive, was " + samplesPerFrame);
        }
        if (fadeFrames < 0) {
            throw new IllegalArgumentException("fadeFrames must not be negative, was " + fadeFrames);
        }
        this.samplesPerFrame = samplesPerFrame;
        this.fadeFrames = fadeFrames;
        this.lastFrame = new short[samplesPerFrame];
        final int fadeSamples = samplesPerFrame * fadeFrames;
        this.gainQ15 = new int[fadeSamples];
        for (int i = 0; i < fadeSamples; i++) {
            gainQ15[i] = (int) (((long) (fadeSamples - i) << GAIN_SHIFT) / fadeSamples);
        }
    }

    /** Records a good decoded frame of {@code samplesPerFrame} samples starting at {@code offset} (copied). */
    public void onFrame(final short[] pcm, final int offset) {
        System.arraycopy(pcm, offset, lastFrame, 0, samplesPerFrame);
        hasHistory = true;
        concealedRun = 0;
    }

    /**
     * Writes the concealment of one missing frame at {@code offset}.
     *
     * @return {@code true} when it wrote faded speech, {@code false} when it wrote silence
     */
    public boolean conceal(final short[] out, final int offset) {
        if (!hasHistory || concealedRun >= fadeFrames) {
            concealedRun++;
            Arrays.fill(out, offset, offset + samplesPerFrame, (short) 0);
            return false;
        }
        final int base = concealedRun * samplesPerFrame;
        for (int i = 0; i < samplesPerFrame; i++) {
            out[offset + i] = (short) ((lastFrame[i] * gainQ15[base + i]) >> GAIN_SHIFT);
        }
        concealedRun++;
        return true;
    }

    /** Writes one frame of silence at {@code offset} and forgets the history. */
    public void silence(final short[] out, final int offset) {
        Arrays.fill(out, offset, offset + samplesPerFrame, (short) 0);
        hasHistory = false;
        concealedRun = 0;
    }

    /** Missing frames concealed since the last good frame or silence. */
    public int concealedRun() {
        return concealedRun;
    }

    /** Samples in one frame. */
    public int samplesPerFrame() {
        return samplesPerFrame;
    }
}
