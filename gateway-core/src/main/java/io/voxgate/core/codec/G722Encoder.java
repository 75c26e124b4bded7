package io.voxgate.core.codec;

import java.util.Arrays;
import java.util.Objects;
import org.agrona.MutableDirectBuffer;

/**
 * ITU-T G.722 encoder, 64 kbit/s mode (mode 1): 16 kHz 16-bit linear PCM in, one octet per two samples out,
 * written from the Recommendation's algorithm. The transmit quadrature mirror filter (24 taps) splits each pair of
 * samples into a lower and a higher sub-band sample at 8 kHz; the lower band is coded by a 6-bit adaptive quantiser
 * (block QUANTL), the higher band by a 2-bit one (QUANTH), each followed by its band's adaptation
 * ({@link G722SubBand}). The octet is {@code IH << 6 | IL}, the higher band's two bits first, as RTP carries it
 * (RFC 3551 §4.5.2).
 *
 * <p>Samples enter on the 16-bit scale: the codec works on 15 bits, one more than the Recommendation's 14-bit
 * interface, as common 16-bit implementations do, so a stream from either decodes at its own level in the other.
 *
 * <p>Threading: one encoder per stream, confined to its thread; it keeps the filter and ADPCM state between
 * calls, so a stream encoded in any chunking gives the same octets. Ownership: reads and writes only the given
 * ranges, keeps no reference to them. Nothing allocates after construction.
 */
public final class G722Encoder implements FrameEncoder {
    /** Octets per 20 ms frame of 320 samples. */
    public static final int BYTES_PER_20MS = 160;

    private final int[] history = new int[G722Tables.TAPS];
    private final G722SubBand lowerBand = new G722SubBand(true);
    private final G722SubBand higherBand = new G722SubBand(false);

    /** An encoder in the Recommendation's reset state. */
    public G722Encoder() {
        reset();
    }

    /** The G.722 sampling rate. */
    public static final int SAMPLE_RATE_HZ = 16_000;

    @Override
    public int sampleRateHz() {
        return SAMPLE_RATE_HZ;
    }

    /**
     * One frame as a {@link FrameEncoder}: {@code samples / 2} octets.
     *
     * @return the octets written, or -1 when {@code maxBytes} cannot hold them or the count is odd
     */
    @Override
    public int encode(final short[] pcm, final int pcmOffset, final int samples, final MutableDirectBuffer out,
                      final int outOffset, final int maxBytes) {
        if ((samples & 1) != 0 || samples / 2 > maxBytes) {
            return -1;
        }
        return encode(pcm, pcmOffset, out, outOffset, samples);
    }

    /** Returns to the reset state (§6.2.1.1): empty filter, reset predictors and scale factors. */
    @Override
    public void reset() {
        Arrays.fill(history, 0);
        lowerBand.reset();
        higherBand.reset();
    }

    /**
     * Encodes {@code samples} samples (an even count) from {@code pcm[pcmOffset..]} into {@code samples / 2} octets
     * of {@code out} at {@code outOffset}.
     *
     * @return the octets written
     * @throws IndexOutOfBoundsException when either range does not fit
     * @throws IllegalArgumentException  when {@code samples} is odd
     */
    public int encode(final short[] pcm, final int pcmOffset, final MutableDirectBuffer out, final int outOffset,
                      final int samples) {
        if ((samples & 1) != 0) {
            throw new IllegalArgumentException("G.722 encodes sample pairs; " + samples + " samples is odd");
        }
        final int octets = samples >> 1;
        Objects.checkFromIndexSize(pcmOffset, samples, pcm.length);
        Objects.checkFromIndexSize(outOffset, octets, out.capacity());
        for (int i = 0; i < octets; i++) {
            out.putByte(outOffset + i, (byte) encodePair(pcm[pcmOffset + 2 * i], pcm[pcmOffset + 2 * i + 1]));
        }
        return octets;
    }

    /** One octet from two consecutive samples, {@code first} the earlier. */
    private int encodePair(final short first, final short second) {
        final int[] x = history;
        System.arraycopy(x, 0, x, 2, G722Tables.TAPS - 2);
        x[1] = first;
        x[0] = second;
        int even = 0;
        int odd = 0;
        for (int i = 0; i < G722Tables.TAPS; i += 2) {
            even += G722Tables.QMF[i] * x[i];
            odd += G722Tables.QMF[i + 1] * x[i + 1];
        }
        final int lower = G722SubBand.saturate((even + odd) >> (G722Tables.ANALYSIS_SHIFT + G722Tables.INPUT_SHIFT));
        final int higher = G722SubBand.saturate((even - odd) >> (G722Tables.ANALYSIS_SHIFT + G722Tables.INPUT_SHIFT));
        return encodeHigher(higher) << 6 | encodeLower(lower);
    }

    /** QUANTL and INVQAL: the 6-bit lower band code; the band adapts on its 4-bit truncation. */
    private int encodeLower(final int sample) {
        final G722SubBand band = lowerBand;
        final int difference = G722SubBand.saturate(sample - band.estimate());
        final int magnitude = difference >= 0 ? difference : -(difference + 1);
        final int scale = band.scale();
        int level = 1;
        while (level < G722Tables.LOWER_DECISION.length && magnitude >= (G722Tables.LOWER_DECISION[level] * scale) >> 12) {
            level++;
        }
        final int code = difference < 0 ? G722Tables.LOWER_NEGATIVE_CODE[level] : G722Tables.LOWER_POSITIVE_CODE[level];
        final int truncated = code >> 2;
        band.update((G722Tables.LOWER_INVERSE_4BIT[truncated] * scale) >> 15, truncated);
        return code;
    }

    /** QUANTH and INVQAH: the 2-bit higher band code. */
    private int encodeHigher(final int sample) {
        final G722SubBand band = higherBand;
        final int difference = G722SubBand.saturate(sample - band.estimate());
        final int magnitude = difference >= 0 ? difference : -(difference + 1);
        final int scale = band.scale();
        final boolean large = magnitude >= (G722Tables.HIGHER_DECISION * scale) >> 12;
        final int code = difference < 0 ? (large ? 0 : 1) : (large ? 2 : 3);
        band.update((G722Tables.HIGHER_INVERSE[code] * scale) >> 15, code);
        return code;
    }
}
