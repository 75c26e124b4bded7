package io.voxgate.core.codec;

/**
 * ITU-T G.711 mu-law (RTP PCMU), bit-exact with the G.191 reference tools ({@code ulaw_compress} /
 * {@code ulaw_expand}).
 *
 * <p>Input convention: a sample is a 16-bit two's complement value; G.711 mu-law quantises 14 bits, so the
 * encoder looks only at {@code pcm >> 2} (the two low bits never change the code), and negative values are
 * folded by one's complement ({@code ~x}) exactly as G.191 does, which makes the quantiser symmetric about
 * -0.5: {@code 0..3} encode to {@code 0xFF} (the silence byte) and {@code -4..-1} to {@code 0x7F}. Decoded values
 * are on the same 16-bit scale (full scale is {@code +/-32124}); both zero codes {@code 0xFF} and {@code 0x7F}
 * decode to 0.
 *
 * <p>Threading: one immutable instance, {@link #INSTANCE}, usable from any thread; see {@link G711Codec}.
 */
public final class MuLawCodec extends G711Codec {
    /** The mu-law codec. */
    public static final MuLawCodec INSTANCE = new MuLawCodec();

    /** Low bits of a 16-bit sample below the 14 G.711 quantises. */
    private static final int UNQUANTISED_BITS = 2;
    /** G.711 mu-law bias, on the 14-bit scale the quantiser works on (0x84 on the 16-bit scale). */
    private static final int BIAS = 33;
    private static final int MAX_BIASED = 0x1FFF;

    private MuLawCodec() {
        super("PCMU", MuLawCodec::compress, MuLawCodec::expand);
    }

    /**
     * G.191 {@code ulaw_compress} for one sample: fold the sign by one's complement, add the bias, the segment
     * is the bit length of {@code biased >> 6}, the mantissa the four bits below the segment's leading one; all
     * seven magnitude bits are sent inverted (G.711 Table 2) and the sign bit is 1 for positive.
     */
    private static int compress(final int pcm) {
        final int magnitude = (pcm < 0 ? ~pcm : pcm) >> UNQUANTISED_BITS;
        final int biased = Math.min(magnitude + BIAS, MAX_BIASED);
        final int segment = 32 - Integer.numberOfLeadingZeros(biased >> 6);
        final int mantissa = (biased >> (segment + 1)) & 0x0F;
        final int code = ~((segment << 4) | mantissa) & 0x7F;
        return pcm >= 0 ? code | 0x80 : code;
    }

    /**
     * G.191 {@code ulaw_expand} for one code: the decision interval's midpoint,
     * {@code (0x80 << segment) + step * mantissa + step / 2 - 0x84} with {@code step = 8 << segment}.
     */
    private static int expand(final int code) {
        final int inverted = ~code & 0xFF;
        final int segment = (inverted >> 4) & 0x07;
        final int mantissa = inverted & 0x0F;
        final int step = 8 << segment;
        final int magnitude = (0x80 << segment) + step * mantissa + step / 2 - 4 * BIAS;
        return (code & 0x80) != 0 ? magnitude : -magnitude;
    }
}
