package io.voxgate.websocket.twilio.simulator;

/**
 * ITU-T G.711 mu-law, for the simulator's audio sources and recordings (the gateway's media path uses core's codecs).
 *
 * <p>Stateless; safe on any thread.
 */
final class MuLaw {
    /** Mu-law silence (zero amplitude). */
    static final byte SILENCE = (byte) 0xFF;

    private static final int BIAS = 0x84;
    private static final int CLIP = 32_635;

    private MuLaw() {
    }

    /** Encodes one 16-bit linear sample (G.711 §3, with the usual bias and clipping). */
    static byte encode(final int pcm) {
        int sample = pcm;
        final int sign = sample < 0 ? 0x80 : 0;
        if (sample < 0) {
            sample = -sample;
        }
        if (sample > CLIP) {
            sample = CLIP;
        }
        sample += BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        final int mantissa = (sample >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** Decodes one mu-law byte to a 16-bit linear sample. */
    static int decode(final byte ulaw) {
        final int u = ~ulaw & 0xFF;
        final int exponent = (u >> 4) & 0x07;
        final int mantissa = u & 0x0F;
        final int magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
        return (u & 0x80) != 0 ? -magnitude : magnitude;
    }
}
