package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Converts G.711 mu-law codes to A-law codes and back, one byte per sample, without going through linear PCM
 * on the media path.
 *
 * <p>The mapping is defined as decode-then-encode: {@code muLawToALaw(c) == ALawCodec.encode(MuLawCodec.decode(c))}
 * and {@code aLawToMuLaw(c) == MuLawCodec.encode(ALawCodec.decode(c))} for every code, which is what the
 * G.191 tools produce when a file is expanded with one law and compressed with the other. It is precomputed
 * into two 256-entry tables when the class initialises. It is not claimed to equal the direct conversion
 * tables printed in G.711 itself (Tables 3 and 4). Conversion loses information: A-law cannot represent
 * mu-law's finest steps near zero and mu-law's full scale ({@code 32124}) is below A-law's ({@code 32256}),
 * so a round trip through the other law is not the identity for every code.
 *
 * <p>Threading: stateless; every method may be called from any thread. Ownership: the methods read and write
 * only the given ranges and keep no reference to them. Range checks happen once per call (an
 * {@link IndexOutOfBoundsException} naming the offending offset, count and length). In-place conversion
 * (same array or buffer, same offset) is allowed. Nothing allocates.
 */
public final class G711Transcoder {
    private static final byte[] MU_TO_A = new byte[256];
    private static final byte[] A_TO_MU = new byte[256];

    static {
        for (int code = 0; code < 256; code++) {
            MU_TO_A[code] = ALawCodec.encode(MuLawCodec.decode((byte) code));
            A_TO_MU[code] = MuLawCodec.encode(ALawCodec.decode((byte) code));
        }
    }

    private G711Transcoder() {
    }

    /** The A-law code for one mu-law code. */
    public static byte muLawToALaw(final byte muLaw) {
        return MU_TO_A[muLaw & 0xFF];
    }

    /** The mu-law code for one A-law code. */
    public static byte aLawToMuLaw(final byte aLaw) {
        return A_TO_MU[aLaw & 0xFF];
    }

    /**
     * Converts {@code samples} mu-law codes from {@code in[inOffset..]} to A-law in {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void muLawToALaw(final byte[] in, final int inOffset, final byte[] out, final int outOffset, final int samples) {
        map(MU_TO_A, in, inOffset, out, outOffset, samples);
    }

    /**
     * Converts {@code samples} A-law codes from {@code in[inOffset..]} to mu-law in {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void aLawToMuLaw(final byte[] in, final int inOffset, final byte[] out, final int outOffset, final int samples) {
        map(A_TO_MU, in, inOffset, out, outOffset, samples);
    }

    /**
     * Converts {@code samples} mu-law codes from {@code in} at {@code inOffset} to A-law in {@code out} at
     * {@code outOffset}; either buffer may wrap heap or off-heap memory.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its buffer
     */
    public static void muLawToALaw(
        final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        map(MU_TO_A, in, inOffset, out, outOffset, samples);
    }

    /**
     * Converts {@code samples} A-law codes from {@code in} at {@code inOffset} to mu-law in {@code out} at
     * {@code outOffset}; either buffer may wrap heap or off-heap memory.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its buffer
     */
    public static void aLawToMuLaw(
        final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        map(A_TO_MU, in, inOffset, out, outOffset, samples);
    }

    private static void map(
        final byte[] table, final byte[] in, final int inOffset, final byte[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[in[inOffset + i] & 0xFF];
        }
    }

    private static void map(
        final byte[] table, final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset,
        final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.capacity());
        Objects.checkFromIndexSize(outOffset, samples, out.capacity());
        final byte[] inBase = in.byteArray();
        final long inAddress = in.addressOffset() + inOffset;
        final byte[] outBase = out.byteArray();
        final long outAddress = out.addressOffset() + outOffset;
        for (int i = 0; i < samples; i++) {
            UnsafeApi.putByte(outBase, outAddress + i, table[UnsafeApi.getByte(inBase, inAddress + i) & 0xFF]);
        }
        // The raw addresses are only valid while the buffers (and any memory they wrap) are reachable.
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(out);
    }
}
