package io.voxgate.core.codec;

import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * ITU-T G.722 decoder, 64 kbit/s mode (mode 1): one octet in, two 16 kHz 16-bit linear PCM samples out, written
 * from the Recommendation's algorithm. The lower band's 6-bit code is inverse-quantised in full (block INVQBL) for
 * the output while the predictor adapts on its 4-bit truncation (INVQAL), exactly as the encoder did; the higher
 * band's 2-bit code likewise (INVQAH); the receive quadrature mirror filter joins the two 8 kHz bands into 16 kHz.
 *
 * <p>Threading: one decoder per stream, confined to its thread; state carries across calls. Ownership: reads and
 * writes only the given ranges. Nothing allocates after construction.
 */
public final class G722Decoder implements FrameDecoder {
    private final int[] sumHistory = new int[G722Tables.TAPS / 2];
    private final int[] differenceHistory = new int[G722Tables.TAPS / 2];
    private final G722SubBand lowerBand = new G722SubBand(true);
    private final G722SubBand higherBand = new G722SubBand(false);

    /** A decoder in the Recommendation's reset state. */
    public G722Decoder() {
        reset();
    }

    @Override
    public int sampleRateHz() {
        return G722Encoder.SAMPLE_RATE_HZ;
    }

    /**
     * One payload as a {@link FrameDecoder}: every octet is a valid code, so only a payload longer than
     * {@code maxSamples / 2} octets is refused.
     */
    @Override
    public int decode(final DirectBuffer in, final int offset, final int length, final short[] pcm, final int pcmOffset,
                      final int maxSamples) {
        if (length * 2 > maxSamples) {
            return -1;
        }
        return decode(in, offset, length, pcm, pcmOffset);
    }

    /** G.722 has no concealment of its own; the playout repeats and fades the last frame on PCM instead. */
    @Override
    public boolean concealsLoss() {
        return false;
    }

    @Override
    public int conceal(final short[] pcm, final int pcmOffset, final int samples) {
        return -1;
    }

    /** G.722 carries no redundancy for an earlier frame. */
    @Override
    public int recover(final DirectBuffer next, final int offset, final int length, final short[] pcm,
                       final int pcmOffset, final int samples) {
        return -1;
    }

    /** Returns to the reset state (§6.2.1.1). */
    @Override
    public void reset() {
        Arrays.fill(sumHistory, 0);
        Arrays.fill(differenceHistory, 0);
        lowerBand.reset();
        higherBand.reset();
    }

    /**
     * Decodes {@code octets} octets from {@code in} at {@code inOffset} into {@code 2 * octets} samples of
     * {@code out[outOffset..]}.
     *
     * @return the samples written
     * @throws IndexOutOfBoundsException when either range does not fit
     */
    public int decode(final DirectBuffer in, final int inOffset, final int octets, final short[] out, final int outOffset) {
        Objects.checkFromIndexSize(inOffset, octets, in.capacity());
        Objects.checkFromIndexSize(outOffset, octets * 2, out.length);
        for (int i = 0; i < octets; i++) {
            decodeOctet(in.getByte(inOffset + i) & 0xFF, out, outOffset + 2 * i);
        }
        return octets * 2;
    }

    private void decodeOctet(final int octet, final short[] out, final int at) {
        final int lower = decodeLower(octet & 0x3F);
        final int higher = decodeHigher(octet >> 6);
        final int[] d = differenceHistory;
        final int[] s = sumHistory;
        System.arraycopy(d, 0, d, 1, d.length - 1);
        System.arraycopy(s, 0, s, 1, s.length - 1);
        d[0] = lower - higher;
        s[0] = lower + higher;
        int first = 0;
        int second = 0;
        for (int i = 0; i < d.length; i++) {
            first += G722Tables.QMF[2 * i] * d[i];
            second += G722Tables.QMF[2 * i + 1] * s[i];
        }
        out[at] = (short) G722SubBand.saturate(first >> (G722Tables.SYNTHESIS_SHIFT - G722Tables.INPUT_SHIFT));
        out[at + 1] = (short) G722SubBand.saturate(second >> (G722Tables.SYNTHESIS_SHIFT - G722Tables.INPUT_SHIFT));
    }

    /** INVQBL for the output, INVQAL for the adaptation. */
    private int decodeLower(final int code) {
        final G722SubBand band = lowerBand;
        final int scale = band.scale();
        final int truncated = code >> 2;
        final int output = G722SubBand.saturate(band.estimate() + ((G722Tables.LOWER_INVERSE_6BIT[code] * scale) >> 15));
        band.update((G722Tables.LOWER_INVERSE_4BIT[truncated] * scale) >> 15, truncated);
        return output;
    }

    /** INVQAH: output and adaptation share the 2-bit inverse quantiser. */
    private int decodeHigher(final int code) {
        final G722SubBand band = higherBand;
        final int dq = (G722Tables.HIGHER_INVERSE[code] * band.scale()) >> 15;
        final int output = G722SubBand.saturate(band.estimate() + dq);
        band.update(dq, code);
        return output;
    }
}
