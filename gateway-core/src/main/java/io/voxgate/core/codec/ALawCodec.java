package io.voxgate.core.codec;

/**
 * ITU-T G.711 A-law (RTP PCMA), bit-exact with the G.191 reference tools ({@code alaw_compress} /
 * {@code alaw_expand}).
 *
 * <p>Input convention: a sample is a 16-bit two's complement value; G.711 A-law quantises 13 bits, so the
 * encoder looks only at {@code pcm >> 3} (the three low bits never change the code), and negative values are
 * folded by one's complement ({@code ~x}) exactly as G.191 does: {@code 0..15} encode to {@code 0xD5} (the
 * silence byte, the smallest positive level) and {@code -16..-1} to {@code 0x55}. Decoded values are on the same
 * 16-bit scale (full scale {@code +/-32256}, smallest level {@code +/-8}). Every transmitted code has its even
 * bits inverted ({@code ^ 0x55}, G.711 Table 1), which the tables already include.
 *
 * <p>Threading: one immutable instance, {@link #INSTANCE}, usable from any thread; see {@link G711Codec}.
 */
public final class ALawCodec extends G711Codec {
    /** The A-law codec. */
    public static final ALawCodec INSTANCE = new ALawCodec();

    /** Low bits of a 16-bit sample below the 13 G.711 quantises. */
    private static final int UNQUANTISED_BITS = 3;
    private static final int EVEN_BIT_TOGGLE = 0x55;

    private ALawCodec() {
        super("PCMA", ALawCodec::compress, ALawCodec::expand);
    }

    /**
     * G.191 {@code alaw_compress} for one sample: fold the sign by one's complement to a 12-bit magnitude; below
     * 16 it is sent as is (segment 0), otherwise the segment counts the halvings that bring it into 16..31 and
     * the mantissa is the four bits after its leading one; sign bit 1 for positive, then the even-bit toggle.
     */
    private static int compress(final int pcm) {
        // G.191 keeps 12 magnitude bits: the 13-bit value without its sign.
        int magnitude = (pcm < 0 ? ~pcm : pcm) >> (UNQUANTISED_BITS + 1);
        if (magnitude > 15) {
            int segment = 1;
            while (magnitude > 31) {
                magnitude >>= 1;
                segment++;
            }
            magnitude = (segment << 4) | (magnitude - 16);
        }
        final int code = pcm >= 0 ? magnitude | 0x80 : magnitude;
        return code ^ EVEN_BIT_TOGGLE;
    }

    /**
     * G.191 {@code alaw_expand} for one code: undo the toggle, restore the mantissa's leading one above
     * segment 0, add half a step and scale by the segment.
     */
    private static int expand(final int code) {
        final int untoggled = (code ^ EVEN_BIT_TOGGLE) & 0x7F;
        final int segment = untoggled >> 4;
        int mantissa = untoggled & 0x0F;
        if (segment > 0) {
            mantissa += 16;
        }
        int magnitude = (mantissa << 4) + 8;
        if (segment > 1) {
            magnitude <<= segment - 1;
        }
        return (code & 0x80) != 0 ? magnitude : -magnitude;
    }
}
