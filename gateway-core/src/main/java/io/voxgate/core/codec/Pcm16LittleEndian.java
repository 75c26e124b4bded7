package io.voxgate.core.codec;

import java.lang.ref.Reference;
import java.util.Objects;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Linear 16-bit signed little-endian PCM on the wire (Vapi's {@code pcm_s16le}): moves samples between
 * {@code short[]} and bytes, two per sample, low byte first, whatever the platform's own byte order.
 *
 * <p>Counts in the transfer methods are in samples. A byte count coming from the wire becomes a sample count
 * through {@link #samplesIn(int)}, which rejects an odd count: half a sample means the stream is misframed,
 * and silently dropping the stray byte would shift every later sample by one byte.
 *
 * <p>Threading: stateless; every method may be called from any thread. Ownership: the methods read and write
 * only the given ranges and keep no reference to them. Range checks happen once per call (an
 * {@link IndexOutOfBoundsException} naming the offending offset, count and length). Nothing allocates.
 */
public final class Pcm16LittleEndian {
    /** Bytes one sample takes on the wire. */
    public static final int BYTES_PER_SAMPLE = 2;

    /** The largest sample count whose byte count still fits an {@code int}. */
    private static final int MAX_SAMPLES = Integer.MAX_VALUE / BYTES_PER_SAMPLE;
    private static final long BYTE_ARRAY_BASE = BufferUtil.ARRAY_BASE_OFFSET;
    private static final boolean BIG_ENDIAN = false;

    private Pcm16LittleEndian() {
    }

    /**
     * The number of samples {@code byteCount} bytes hold.
     *
     * @throws IllegalArgumentException when {@code byteCount} is negative or odd
     */
    public static int samplesIn(final int byteCount) {
        if (byteCount < 0 || (byteCount & 1) != 0) {
            throw new IllegalArgumentException(
                "pcm_s16le byte count must be a non-negative multiple of " + BYTES_PER_SAMPLE + ", was " + byteCount);
        }
        return byteCount / BYTES_PER_SAMPLE;
    }

    /**
     * Reads {@code samples} samples from {@code src} starting at byte {@code offset} into {@code out[outOffset..]};
     * {@code src} may wrap heap or off-heap memory, read in place without a copy.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its buffer or array
     */
    public static void read(final DirectBuffer src, final int offset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        Objects.checkFromIndexSize(offset, byteCount(samples), src.capacity());
        readFrom(src.byteArray(), src.addressOffset() + offset, out, outOffset, samples);
        // The raw address is only valid while the buffer (and any memory it wraps) is reachable.
        Reference.reachabilityFence(src);
    }

    /**
     * Reads {@code samples} samples from {@code src} starting at byte {@code offset} into {@code out[outOffset..]}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void read(final byte[] src, final int offset, final short[] out, final int outOffset, final int samples) {
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        Objects.checkFromIndexSize(offset, byteCount(samples), src.length);
        readFrom(src, BYTE_ARRAY_BASE + offset, out, outOffset, samples);
    }

    /**
     * Writes {@code samples} samples from {@code in[inOffset..]} into {@code dst} starting at byte {@code offset};
     * {@code dst} may wrap heap or off-heap memory, written in place without a copy.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array or buffer
     */
    public static void write(final short[] in, final int inOffset, final MutableDirectBuffer dst, final int offset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(offset, byteCount(samples), dst.capacity());
        writeTo(in, inOffset, dst.byteArray(), dst.addressOffset() + offset, samples);
        Reference.reachabilityFence(dst);
    }

    /**
     * Writes {@code samples} samples from {@code in[inOffset..]} into {@code dst} starting at byte {@code offset}.
     *
     * @throws IndexOutOfBoundsException when either range is negative or does not fit its array
     */
    public static void write(final short[] in, final int inOffset, final byte[] dst, final int offset, final int samples) {
        Objects.checkFromIndexSize(inOffset, samples, in.length);
        Objects.checkFromIndexSize(offset, byteCount(samples), dst.length);
        writeTo(in, inOffset, dst, BYTE_ARRAY_BASE + offset, samples);
    }

    /** Byte count of an already range-checked sample count (so 0..MAX_ARRAY), refusing one past int range. */
    private static int byteCount(final int samples) {
        if (samples > MAX_SAMPLES) {
            throw new IndexOutOfBoundsException("samples " + samples + " exceed the " + MAX_SAMPLES + " an int byte count can address");
        }
        return samples * BYTES_PER_SAMPLE;
    }

    private static void readFrom(final byte[] base, final long address, final short[] out, final int outOffset, final int samples) {
        for (int i = 0; i < samples; i++) {
            out[outOffset + i] = UnsafeApi.getShortUnaligned(base, address + (long) i * BYTES_PER_SAMPLE, BIG_ENDIAN);
        }
    }

    private static void writeTo(final short[] in, final int inOffset, final byte[] base, final long address, final int samples) {
        for (int i = 0; i < samples; i++) {
            UnsafeApi.putShortUnaligned(base, address + (long) i * BYTES_PER_SAMPLE, in[inOffset + i], BIG_ENDIAN);
        }
    }
}
