package io.voxgate.websocket.vapi;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.AudioCodec;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The short prompt a caller hears when the Vapi call cannot be set up for a reason retrying will not fix
 * (bad key, unknown assistant): the Special Information Tone, three rising tones that telephone users know as
 * "your call cannot be completed" (ITU-T E.180 Supplement 2; 913.8, 1370.6 and 1776.7 Hz), then a short
 * silence. Generated in code once per format, so it needs no files and no account.
 *
 * <p>Immutable; safe on any thread. Units: bytes in the prompt's {@link AudioFormat}.
 */
final class FailurePrompt {
    private static final double[] TONE_HZ = {913.8, 1370.6, 1776.7};
    private static final int[] TONE_MS = {276, 276, 380};
    private static final int TRAILING_SILENCE_MS = 120;
    /** About -12 dBFS: clearly audible without clipping after a later resample. */
    private static final double AMPLITUDE = 8_000;
    private static final int RAMP_MS = 5;

    private FailurePrompt() {
    }

    /**
     * The prompt's audio in {@code format}.
     *
     * @throws IllegalArgumentException when Vapi does not speak {@code format}
     */
    static byte[] specialInformationTone(final AudioFormat format) {
        VapiConfig.vapiFormatName(format);
        final int rate = format.sampleRateHz();
        int totalMs = TRAILING_SILENCE_MS;
        for (final int ms : TONE_MS) {
            totalMs += ms;
        }
        final short[] pcm = new short[rate / 1000 * totalMs];
        int at = 0;
        final int ramp = rate / 1000 * RAMP_MS;
        for (int t = 0; t < TONE_HZ.length; t++) {
            final int samples = rate / 1000 * TONE_MS[t];
            for (int i = 0; i < samples; i++) {
                // Short linear ramps at both ends avoid clicks between the tones.
                final double envelope = Math.min(1.0, Math.min(i, samples - 1 - i) / (double) ramp);
                pcm[at++] = (short) Math.round(AMPLITUDE * envelope * Math.sin(2 * Math.PI * TONE_HZ[t] * i / rate));
            }
        }
        final AudioCodec codec = format.encoding().codec();
        final byte[] out = new byte[pcm.length * codec.bytesPerSample()];
        codec.encode(pcm, 0, new UnsafeBuffer(out), 0, pcm.length);
        return out;
    }
}
