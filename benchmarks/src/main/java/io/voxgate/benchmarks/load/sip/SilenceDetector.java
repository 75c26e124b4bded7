package io.voxgate.benchmarks.load.sip;

import io.netty.buffer.ByteBuf;
import io.voxgate.core.codec.MuLawCodec;

/**
 * Tells the gateway's silence from an echoed tone in received PCMU, by energy: a frame is silent when the mean
 * absolute value of its decoded samples is below an eighth of the tone's peak amplitude.
 *
 * <p>Why that threshold: the gateway sends G.711 silence (0xFF, decoding to 0) between agent turns (ADR 0003), and
 * the tone's mean absolute value is {@code 2/pi} of its peak, about 0.64; an eighth of the peak is 14 dB below the
 * tone and far above silence. It also classes as silent the frame after the last tone frame, which holds only the
 * few samples of tone that transcoding (the resampler's filter delay) pushed past the frame edge, so the echo of
 * {@code n} tone frames is {@code n} non-silent frames. A frame the gateway conceals for a lost packet repeats
 * tone and counts as non-silent: it shows up as an unpaired frame, next to the gateway's concealment counter.
 *
 * <p>Threading: one instance per thread (it keeps a scratch array); allocates nothing after construction.
 */
public final class SilenceDetector {
    /** |linear value| of each mu-law code, so a sample costs one table read. */
    private static final int[] MAGNITUDE = new int[256];

    static {
        for (int code = 0; code < 256; code++) {
            MAGNITUDE[code] = Math.abs(MuLawCodec.INSTANCE.decode((byte) code));
        }
    }

    private final long thresholdMagnitude;
    private final byte[] scratch = new byte[2048];

    /** A detector for echoes of a tone of peak linear amplitude {@code toneAmplitude}. */
    public SilenceDetector(final int toneAmplitude) {
        if (toneAmplitude < 8) {
            throw new IllegalArgumentException("toneAmplitude must be at least 8, was " + toneAmplitude);
        }
        this.thresholdMagnitude = toneAmplitude / 8;
    }

    /**
     * Whether the {@code length} PCMU bytes at {@code offset} of {@code payload} are silent. Reads without moving
     * indexes; stops as soon as the frame's energy is past the threshold (a tone frame after a quarter or so).
     * Uses a scratch array: one detector per thread.
     */
    public boolean silent(final ByteBuf payload, final int offset, final int length) {
        if (length <= 0) {
            return true;
        }
        final int n = Math.min(length, scratch.length);
        payload.getBytes(offset, scratch, 0, n);
        final long limit = thresholdMagnitude * n;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += MAGNITUDE[scratch[i] & 0xFF];
            if (sum >= limit) {
                return false;
            }
        }
        return true;
    }
}
