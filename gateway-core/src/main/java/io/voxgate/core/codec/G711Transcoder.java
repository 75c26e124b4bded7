package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Converts the codes of one one-byte law to another's, one byte per sample, without going through linear PCM on
 * the media path.
 *
 * <p>The mapping is defined as decode-then-encode: {@code between(from, to).convert(c)} equals the code
 * {@code to} encodes for {@code from}'s decoding of {@code c}, for every code, which is what the G.191 tools
 * produce when a file is expanded with one law and compressed with the other. It is precomputed into a
 * 256-entry table when the transcoder is built. It is not claimed to equal the direct conversion tables printed
 * in G.711 itself (Tables 3 and 4). Conversion loses information: A-law cannot represent mu-law's finest steps
 * near zero and mu-law's full scale ({@code 32124}) is below A-law's ({@code 32256}), so a round trip through the
 * other law is not the identity for every code.
 *
 * <p>Threading: immutable; every method may be called from any thread. Ownership: the methods read and write
 * only the given ranges and keep no reference to them. Range checks happen once per call (an
 * {@link IndexOutOfBoundsException} naming the offending offset, count and length). In-place conversion
 * (same array or buffer, same offset) is allowed. Nothing allocates after construction.
 */
public final class G711Transcoder {
    private final byte[] table = new byte[256];

    private G711Transcoder(final AudioCodec from, final AudioCodec to) {
        final short[] linear = new short[table.length];
        final byte[] codes = new byte[table.length];
        for (int code = 0; code < codes.length; code++) {
            codes[code] = (byte) code;
        }
        from.decode(new UnsafeBuffer(codes), 0, linear, 0, linear.length);
        to.encode(linear, 0, new UnsafeBuffer(table), 0, linear.length);
    }

    /**
     * The transcoder from {@code from}'s codes to {@code to}'s.
     *
     * @throws IllegalArgumentException when either codec is not one byte per sample, or both are the same (its
     *                                  bytes pass untouched; decode-then-encode would still rewrite mu-law's
     *                                  negative zero)
     */
    public static G711Transcoder between(final AudioCodec from, final AudioCodec to) {
        if (from.bytesPerSample() != 1 || to.bytesPerSample() != 1 || from == to) {
            throw new IllegalArgumentException("no transcoding from " + from + " to " + to);
        }
        return new G711Transcoder(from, to);
    }

    /** The target law's code for one code of the source law. */
    public byte convert(final byte code) {
        return table[code & 0xFF];
    }

    /**
     * Converts {@code samples} codes from {@code in[inOffset..]} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public void convert(final byte[] in, final int inOffset, final byte[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final byte[] map = table;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = map[in[inOffset + i] & 0xFF];
        }
    }

    /**
     * Converts {@code samples} codes from {@code in} at {@code inOffset} into {@code out} at {@code outOffset};
     * either buffer may wrap heap or off-heap memory.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its buffer
     */
    public void convert(
        final DirectBuffer in, final int inOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.capacity());
        Objects.checkFromIndexSize(outOffset, samples, out.capacity());
        final byte[] map = table;
        final byte[] inBase = in.byteArray();
        final long inAddress = in.addressOffset() + inOffset;
        final byte[] outBase = out.byteArray();
        final long outAddress = out.addressOffset() + outOffset;
        for (int i = 0; i < samples; i++) {
            UnsafeApi.putByte(outBase, outAddress + i, map[UnsafeApi.getByte(inBase, inAddress + i) & 0xFF]);
        }
        // The raw addresses are only valid while the buffers (and any memory they wrap) are reachable.
        Reference.reachabilityFence(in);
        Reference.reachabilityFence(out);
    }
}
