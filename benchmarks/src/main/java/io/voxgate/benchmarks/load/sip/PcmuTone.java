package io.voxgate.benchmarks.load.sip;

import io.voxgate.core.codec.MuLawCodec;

/**
 * A sine tone as 20 ms PCMU frames (160 bytes at 8 kHz), precomputed for one second: a tone whose frequency is a
 * whole number of hertz repeats exactly every second, so frame {@code n} is frame {@code n mod 50}.
 *
 * <p>Immutable after construction; safe on any thread. The frames are shared: callers copy, never write.
 */
public final class PcmuTone {
    /** Samples (and bytes) per 20 ms PCMU frame. */
    public static final int FRAME_BYTES = 160;
    private static final int SAMPLE_RATE_HZ = 8_000;
    private static final int FRAMES_PER_SECOND = SAMPLE_RATE_HZ / FRAME_BYTES;

    private final byte[][] frames = new byte[FRAMES_PER_SECOND][FRAME_BYTES];
    private final int amplitude;

    /**
     * A tone.
     *
     * @param toneHz    frequency, 1..3999 Hz (below Nyquist at 8 kHz)
     * @param amplitude peak linear amplitude, 1..32767
     */
    public PcmuTone(final int toneHz, final int amplitude) {
        if (toneHz < 1 || toneHz >= SAMPLE_RATE_HZ / 2) {
            throw new IllegalArgumentException("toneHz must be in 1..3999, was " + toneHz);
        }
        if (amplitude < 1 || amplitude > Short.MAX_VALUE) {
            throw new IllegalArgumentException("amplitude must be in 1..32767, was " + amplitude);
        }
        this.amplitude = amplitude;
        for (int f = 0; f < FRAMES_PER_SECOND; f++) {
            for (int i = 0; i < FRAME_BYTES; i++) {
                final int n = f * FRAME_BYTES + i;
                final double sample = amplitude * Math.sin(2 * Math.PI * toneHz * n / SAMPLE_RATE_HZ);
                frames[f][i] = MuLawCodec.INSTANCE.encode((short) Math.round(sample));
            }
        }
    }

    /** Frame {@code index} of the tone (shared; do not modify). */
    public byte[] frame(final long index) {
        return frames[(int) (index % FRAMES_PER_SECOND)];
    }

    /** Peak linear amplitude. */
    public int amplitude() {
        return amplitude;
    }
}
