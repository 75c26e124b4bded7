package io.voxgate.core.codec;

import java.util.SplittableRandom;

/** Seeded random samples and codes for the codec tests, so every run checks the same data. */
final class RandomSamples {
    private RandomSamples() {
    }

    static short[] pcm(final int length, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final short[] pcm = new short[length];
        for (int i = 0; i < length; i++) {
            pcm[i] = (short) random.nextInt();
        }
        return pcm;
    }

    static byte[] codes(final int length, final long seed) {
        final byte[] codes = new byte[length];
        new SplittableRandom(seed).nextBytes(codes);
        return codes;
    }
}
