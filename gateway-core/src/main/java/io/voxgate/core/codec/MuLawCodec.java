package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * ITU-T G.711 mu-law: 16-bit linear PCM to and from one 8-bit code per sample, bit-exact with the G.191
 * reference tools ({@code ulaw_compress} / {@code ulaw_expand}).
 *
 * <p>Input convention: a sample is a 16-bit two's complement value; G.711 mu-law quantises 14 bits, so the
 * encoder looks only at {@code pcm >> 2} (the two low bits never change the code), and negative values are
 * folded by one's complement ({@code ~x}) exactly as G.191 does, which makes the quantiser symmetric about
 * -0.5: {@code 0..3} encode to {@code 0xFF} and {@code -4..-1} to {@code 0x7F}. Decoded values are on the same
 * 16-bit scale (full scale is {@code +/-32124}); both zero codes {@code 0xFF} and {@code 0x7F} decode to 0.
 *
 * <p>Both directions are single table lookups, built once when the class initialises from the G.191 algorithm:
 * a 65,536-entry byte table indexed by the sample itself ({@code pcm & 0xFFFF}, 64 KiB) and a 256-entry short
 * table. A 14-bit table ({@code pcm >> 2}, 16 KiB) gives the same codes; it benched 20 to 30 percent slower per
 * frame on hot caches ({@code G711EncodeTableBenchmark}) because of the extra shift, while speech, whose energy
 * sits at small amplitudes, touches only a few KiB of either table.
 *
 * <p>Threading: stateless; every method may be called from any thread. Ownership: the methods read and write
 * only the given ranges of the caller's arrays and buffers and keep no reference to them. Range checks happen
 * once per call (an {@link IndexOutOfBoundsException} naming the offending offset, count and length), never
 * per sample. Nothing allocates.
 */
public final class MuLawCodec {
    /** The code for silence chosen by the encoder (positive zero). */
    public static final byte ZERO_CODE = (byte) 0xFF;

    /** Low bits of a 16-bit sample below the 14 G.711 quantises. */
    private static final int UNQUANTISED_BITS = 2;
    /** G.711 mu-law bias, on the 14-bit scale the quantiser works on (0x84 on the 16-bit scale). */
    private static final int BIAS = 33;
    private static final int MAX_BIASED = 0x1FFF;

    private static final byte[] ENCODE = new byte[1 << Short.SIZE];
    private static final short[] DECODE = new short[256];

    static {
        for (int index = 0; index < ENCODE.length; index++) {
            ENCODE[index] = compress((short) index);
        }
        for (int code = 0; code < 256; code++) {
            DECODE[code] = expand(code);
        }
    }

    private MuLawCodec() {
    }

    /** The mu-law code of one 16-bit linear sample. */
    public static byte encode(final short pcm) {
        return ENCODE[pcm & 0xFFFF];
    }

    /** The 16-bit linear value of one mu-law code. */
    public static short decode(final byte code) {
        return DECODE[code & 0xFF];
    }

    /**
     * Encodes {@code samples} samples from {@code pcm[pcmOffset..]} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void encode(final short[] pcm, final int pcmOffset, final byte[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final byte[] table = ENCODE;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[pcm[pcmOffset + i] & 0xFFFF];
        }
    }

    /**
     * Decodes {@code samples} codes from {@code in[inOffset..]} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void decode(final byte[] in, final int inOffset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final short[] table = DECODE;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[in[inOffset + i] & 0xFF];
        }
    }

    /**
     * Decodes {@code samples} codes from {@code in} at byte {@code inOffset} into {@code out[outOffset..]};
     * {@code in} may wrap heap or off-heap memory (e.g. a Netty buffer), read in place without a copy.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array or buffer
     */
    public static void decode(final DirectBuffer in, final int inOffset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.capacity());
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final short[] table = DECODE;
        final byte[] base = in.byteArray();
        final long address = in.addressOffset() + inOffset;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[UnsafeApi.getByte(base, address + i) & 0xFF];
        }
        // The raw address is only valid while the buffer (and any memory it wraps) is reachable.
        Reference.reachabilityFence(in);
    }

    /**
     * Encodes {@code samples} samples from {@code pcm[pcmOffset..]} into {@code out} at byte {@code outOffset};
     * {@code out} may wrap heap or off-heap memory, written in place without a copy.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array or buffer
     */
    public static void encode(
        final short[] pcm, final int pcmOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, samples, out.capacity());
        final byte[] table = ENCODE;
        final byte[] base = out.byteArray();
        final long address = out.addressOffset() + outOffset;
        for (int i = 0; i < samples; i++) {
            UnsafeApi.putByte(base, address + i, table[pcm[pcmOffset + i] & 0xFFFF]);
        }
        Reference.reachabilityFence(out);
    }

    /**
     * G.191 {@code ulaw_compress} for one sample: fold the sign by one's complement, add the bias, the segment
     * is the bit length of {@code biased >> 6}, the mantissa the four bits below the segment's leading one; all
     * seven magnitude bits are sent inverted (G.711 Table 2) and the sign bit is 1 for positive.
     */
    private static byte compress(final short pcm) {
        final int magnitude = (pcm < 0 ? ~pcm : pcm) >> UNQUANTISED_BITS;
        final int biased = Math.min(magnitude + BIAS, MAX_BIASED);
        final int segment = 32 - Integer.numberOfLeadingZeros(biased >> 6);
        final int mantissa = (biased >> (segment + 1)) & 0x0F;
        final int code = ~((segment << 4) | mantissa) & 0x7F;
        return (byte) (pcm >= 0 ? code | 0x80 : code);
    }

    /**
     * G.191 {@code ulaw_expand} for one code: the decision interval's midpoint,
     * {@code (0x80 << segment) + step * mantissa + step / 2 - 0x84} with {@code step = 8 << segment}.
     */
    private static short expand(final int code) {
        final int inverted = ~code & 0xFF;
        final int segment = (inverted >> 4) & 0x07;
        final int mantissa = inverted & 0x0F;
        final int step = 8 << segment;
        final int magnitude = (0x80 << segment) + step * mantissa + step / 2 - 4 * BIAS;
        return (short) ((code & 0x80) != 0 ? magnitude : -magnitude);
    }
}
