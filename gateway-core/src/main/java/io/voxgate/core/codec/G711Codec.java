package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * One ITU-T G.711 law: 16-bit linear PCM to and from one 8-bit code per sample, through two tables built once from
 * the law's G.191 algorithm (its {@code compress} and {@code expand}), which is all a law supplies.
 *
 * <p>Both directions are single table lookups: a 65,536-entry byte table indexed by the sample itself
 * ({@code pcm & 0xFFFF}, 64 KiB) and a 256-entry short table. A table of only the quantised bits (14 for mu-law,
 * 13 for A-law; 16 KiB or 8 KiB) gives the same codes; it benched 20 to 30 percent slower per frame on hot caches
 * ({@code G711EncodeTableBenchmark}) because of the extra shift, while speech, whose energy sits at small
 * amplitudes, touches only a few KiB of either table. The silence byte is the law's code for linear 0.
 *
 * <p>Threading: immutable after construction; every method may be called from any thread. Ownership: the methods
 * read and write only the given ranges of the caller's arrays and buffers and keep no reference to them. Range
 * checks happen once per call (an {@link IndexOutOfBoundsException} naming the offending offset, count and
 * length), never per sample. Nothing allocates.
 */
public abstract sealed class G711Codec implements AudioCodec permits MuLawCodec, ALawCodec {
    private final String name;
    private final byte[] encodeTable = new byte[1 << Short.SIZE];
    private final short[] decodeTable = new short[256];
    private final byte silence;

    /**
     * Builds the law's tables.
     *
     * @param name     the RTP encoding name
     * @param compress G.191 compression of one 16-bit sample to its code (low 8 bits used)
     * @param expand   G.191 expansion of one code (0..255) to its 16-bit linear value
     */
    G711Codec(final String name, final IntUnaryOperator compress, final IntUnaryOperator expand) {
        this.name = name;
        for (int index = 0; index < encodeTable.length; index++) {
            encodeTable[index] = (byte) compress.applyAsInt((short) index);
        }
        for (int code = 0; code < decodeTable.length; code++) {
            decodeTable[code] = (short) expand.applyAsInt(code);
        }
        this.silence = encode((short) 0);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int bytesPerSample() {
        return 1;
    }

    @Override
    public final byte silenceByte() {
        return silence;
    }

    /** The code of one 16-bit linear sample. */
    public final byte encode(final short pcm) {
        return encodeTable[pcm & 0xFFFF];
    }

    /** The 16-bit linear value of one code. */
    public final short decode(final byte code) {
        return decodeTable[code & 0xFF];
    }

    /**
     * Encodes {@code samples} samples from {@code pcm[pcmOffset..]} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public final void encode(final short[] pcm, final int pcmOffset, final byte[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final byte[] table = encodeTable;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[pcm[pcmOffset + i] & 0xFFFF];
        }
    }

    /**
     * Decodes {@code samples} codes from {@code in[inOffset..]} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public final void decode(final byte[] in, final int inOffset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final short[] table = decodeTable;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[in[inOffset + i] & 0xFF];
        }
    }

    @Override
    public final void decode(final DirectBuffer in, final int inOffset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.capacity());
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        final short[] table = decodeTable;
        final byte[] base = in.byteArray();
        final long address = in.addressOffset() + inOffset;
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = table[UnsafeApi.getByte(base, address + i) & 0xFF];
        }
        // The raw address is only valid while the buffer (and any memory it wraps) is reachable.
        Reference.reachabilityFence(in);
    }

    @Override
    public final void encode(
        final short[] pcm, final int pcmOffset, final MutableDirectBuffer out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, samples, out.capacity());
        final byte[] table = encodeTable;
        final byte[] base = out.byteArray();
        final long address = out.addressOffset() + outOffset;
        for (int i = 0; i < samples; i++) {
            UnsafeApi.putByte(base, address + i, table[pcm[pcmOffset + i] & 0xFFFF]);
        }
        Reference.reachabilityFence(out);
    }

    @Override
    public final String toString() {
        return name;
    }
}
