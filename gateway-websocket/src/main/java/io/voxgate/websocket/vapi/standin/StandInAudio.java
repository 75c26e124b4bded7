package io.voxgate.websocket.vapi.standin;

/**
 * The stand-in's audio: a generated "utterance" in the negotiated format and a speech-energy measure of what
 * the caller sends.
 *
 * <p>Stateless; safe on any thread. Formats are Vapi's: {@code mulaw} (8-bit G.711) or {@code pcm_s16le}.
 */
final class StandInAudio {
    /** Mean absolute sample value above which caller audio counts as speech (about -36 dBFS). */
    static final int SPEECH_ENERGY = 500;

    private StandInAudio() {
    }

    /** A vowel-like utterance of {@code durationMs}: 220 Hz with harmonics, amplitude-modulated at 4 Hz like syllables. */
    static byte[] utterance(final boolean mulaw, final int sampleRateHz, final int durationMs) {
        final int samples = sampleRateHz / 1000 * durationMs;
        final byte[] out = new byte[mulaw ? samples : samples * 2];
        for (int i = 0; i < samples; i++) {
            final double t = i / (double) sampleRateHz;
            final double syllable = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            final double voice = Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 440 * t)
                + 0.25 * Math.sin(2 * Math.PI * 660 * t);
            final int sample = (int) Math.round(6_000 * syllable * voice);
            if (mulaw) {
                out[i] = linearToMulaw(sample);
            } else {
                out[2 * i] = (byte) sample;
                out[2 * i + 1] = (byte) (sample >> 8);
            }
        }
        return out;
    }

    /** Mean absolute sample value of {@code length} bytes at {@code offset}. */
    static int meanAbs(final boolean mulaw, final byte[] audio, final int offset, final int length) {
        long sum = 0;
        int count = 0;
        if (mulaw) {
            for (int i = 0; i < length; i++) {
                sum += Math.abs(mulawToLinear(audio[offset + i]));
                count++;
            }
        } else {
            for (int i = 0; i + 1 < length; i += 2) {
                sum += Math.abs((short) ((audio[offset + i] & 0xFF) | (audio[offset + i + 1] << 8)));
                count++;
            }
        }
        return count == 0 ? 0 : (int) (sum / count);
    }

    /** ITU-T G.711 mu-law expansion. */
    static int mulawToLinear(final byte code) {
        final int u = ~code & 0xFF;
        final int magnitude = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84;
    }

    /** ITU-T G.711 mu-law compression (bias 0x84, clip 32635). */
    static byte linearToMulaw(final int sample) {
        final int sign = sample < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(sample), 32_635) + 0x84;
        int exponent = 7;
        int mask = 0x4000;
        while ((magnitude & mask) == 0 && exponent > 0) {
            exponent--;
            mask >>= 1;
        }
        final int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        magnitude = sign | (exponent << 4) | mantissa;
        return (byte) ~magnitude;
    }
}
