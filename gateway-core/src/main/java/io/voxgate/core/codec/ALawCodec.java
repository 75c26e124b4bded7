package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * ITU-T G.711 A-law: 16-bit linear PCM to and from one 8-bit code per sample, bit-exact with the G.191
 * reference tools ({@code alaw_compress} / {@code alaw_expand}).
 *
 * <p>Input convention: a sample is a 16-bit two's complement value; G.711 A-law quantises 13 bits, so the
 * encoder looks only at {@code pcm >> 3} (the three low bits never change the code), and negative values are
 * folded by one's complement ({@code ~x}) exactly as G.191 does: {@code 0..15} encode to {@code 0xD5} and
 * {@code -16..-1} to {@code 0x55}. Decoded values are on the same 16-bit scale (full scale {@code +/-32256},
 * smallest level {@code +/-8}). Every transmitted code has its even bits inverted ({@code ^ 0x55}, G.711
 * Table 1), which the tables already include.
 *
 * <p>Both directions are single table lookups, built once when the class initialises from the G.191 algorithm:
 * a 65,536-entry byte table indexed by the sample itself ({@code pcm & 0xFFFF}, 64 KiB; chosen over a 13-bit
 * table for the reason given on {@link MuLawCodec}) and a 256-entry short table.
 *
 * <p>Threading: stateless; every method may be called from any thread. Ownership: the methods read and write
 * only the given ranges of the caller's arrays and buffers and keep no reference to them. Range checks happen
 * once per call (an {@link IndexOutOfBoundsException} naming the offending offset, count and length), never
 * per sample. Nothing allocates.
 */
public final class ALawCodec {
    /** The code for silence chosen by the encoder (the smallest positive level). */
    public static final byte ZERO_CODE = (byte) 0xD5;

    /** Low bits of a 16-bit sample below the 13 G.711 quantises. */
    private static final int UNQUANTISED_BITS = 3;
    private static final int EVEN_BIT_TOGGLE = 0x55;

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

    private ALawCodec() {
    }

    /** The A-law code of one 16-bit linear sample. */
    public static byte encode(final short pcm) {
        return ENCODE[pcm & 0xFFFF];
    }

    /** The 16-bit linear value of one A-law code. */
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
     * G.191 {@code alaw_compress} for one sample: fold the sign by one's complement to a 12-bit magnitude; below
     * 16 it is sent as is (segment 0), otherwise the segment counts the halvings that bring it into 16..31 and
     * the mantissa is the four bits after its leading one; sign bit 1 for positive, then the even-bit toggle.
     */
    private static byte compress(final short pcm) {
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
        return (byte) (code ^ EVEN_BIT_TOGGLE);
    }

    /**
     * G.191 {@code alaw_expand} for one code: undo the toggle, restore the mantissa's leading one above
     * segment 0, add half a step and scale by the segment.
     */
    private static short expand(final int code) {
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
        return (short) ((code & 0x80) != 0 ? magnitude : -magnitude);
    }
}
