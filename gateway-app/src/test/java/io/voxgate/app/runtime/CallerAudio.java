package io.voxgate.app.runtime;

import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.testkit.twilio.SimulatedAudio;
import java.util.Arrays;
import java.util.Random;

/**
 * What the tests' callers say and how they judge what they heard: 8 kHz mu-law, one byte per 1/8 ms.
 *
 * <p>Stateless; safe on any thread.
 */
final class CallerAudio {
    /** Bytes of one 20 ms Twilio media message. */
    static final int FRAME_BYTES = 160;
    /** Mean absolute linear sample value above which heard audio counts as sound rather than silence. */
    static final int AUDIBLE = 500;

    private CallerAudio() {
    }

    /**
     * {@code durationMs} of seeded pseudo-random mu-law: every byte value occurs, so any reordering, loss,
     * transcoding or gain change shows in a byte comparison. The first byte is loud, so the clip's start cannot
     * be mistaken for leading silence.
     */
    static byte[] noise(final long seed, final int durationMs) {
        final byte[] bytes = new byte[durationMs * SimulatedAudio.BYTES_PER_MS];
        new Random(seed).nextBytes(bytes);
        bytes[0] = 0x00;
        return bytes;
    }

    /** {@code said} followed by mu-law silence up to {@code frames} whole media messages: what the caller sent. */
    static byte[] sentStream(final byte[] said, final long frames) {
        final byte[] stream = Arrays.copyOf(said, (int) frames * FRAME_BYTES);
        Arrays.fill(stream, Math.min(said.length, stream.length), stream.length, MuLawCodec.INSTANCE.silenceByte());
        return stream;
    }

    /** The first index where {@code a} and {@code b} differ within their common length, or -1. */
    static int firstDifference(final byte[] a, final byte[] b) {
        final int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first 20 ms frame of {@code heard} that is audible, or -1. */
    static int firstAudibleFrame(final byte[] heard) {
        for (int at = 0; at + FRAME_BYTES <= heard.length; at += FRAME_BYTES) {
            if (meanAbs(heard, at, FRAME_BYTES) >= AUDIBLE) {
                return at / FRAME_BYTES;
            }
        }
        return -1;
    }

    /** 20 ms frames of {@code heard} that are audible. */
    static int audibleFrames(final byte[] heard) {
        int count = 0;
        for (int at = 0; at + FRAME_BYTES <= heard.length; at += FRAME_BYTES) {
            if (meanAbs(heard, at, FRAME_BYTES) >= AUDIBLE) {
                count++;
            }
        }
        return count;
    }

    /** Mean absolute linear value of {@code length} mu-law bytes from {@code offset}. */
    static int meanAbs(final byte[] mulaw, final int offset, final int length) {
        long sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += Math.abs(MuLawCodec.INSTANCE.decode(mulaw[i]));
        }
        return (int) (sum / Math.max(1, length));
    }

    /**
     * The share of the energy of {@code samples} mu-law bytes from {@code offset} that lies at {@code frequencyHz}
     * (Goertzel): 1.0 for a pure tone on an exact bin, near 0 for anything else.
     */
    static double toneShare(final byte[] mulaw, final int offset, final int samples, final double frequencyHz) {
        final double coefficient = 2 * Math.cos(2 * Math.PI * frequencyHz / 8000.0);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = offset; i < offset + samples; i++) {
            final double x = MuLawCodec.INSTANCE.decode(mulaw[i]);
            energy += x * x;
            final double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        final double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy == 0 ? 0 : 2 * power / (samples * energy);
    }
}
