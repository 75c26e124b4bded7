package io.voxgate.testkit.vapi;

import io.voxgate.core.codec.MuLawCodec;

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
                out[i] = MuLawCodec.INSTANCE.encode((short) sample);
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
                sum += Math.abs(MuLawCodec.INSTANCE.decode(audio[offset + i]));
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
}
