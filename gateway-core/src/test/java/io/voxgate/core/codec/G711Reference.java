package io.voxgate.core.codec;

/**
 * An independent G.711 reference for the tests, written as the segment search of the classic G.191-era C
 * tools rather than the bit-length arithmetic the codecs use: fold the sign, bias (mu-law), find the segment
 * by comparing against the table of segment end points, combine with the mantissa, then invert or toggle.
 *
 * <p>Input convention (the same as G.191 and the codecs): mu-law quantises the 14-bit value {@code pcm >> 2},
 * A-law the 13-bit value {@code pcm >> 3}, and a negative value {@code v} is folded to {@code -v - 1}
 * (one's complement). Expansions return values on the 16-bit scale.
 */
final class G711Reference {
    /** Last biased 14-bit magnitude of each mu-law segment. */
    private static final int[] MU_LAW_SEGMENT_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    /** Last 13-bit magnitude of each A-law segment. */
    private static final int[] A_LAW_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final int MU_LAW_BIAS_16 = 0x84;

    private G711Reference() {
    }

    static int linearToMuLaw(final int pcm) {
        int value = pcm >> 2;
        final int mask;
        if (value < 0) {
            value = -value - 1;
            mask = 0x7F;
        } else {
            mask = 0xFF;
        }
        value = Math.min(value + (MU_LAW_BIAS_16 >> 2), MU_LAW_SEGMENT_END[7]);
        final int segment = segmentOf(value, MU_LAW_SEGMENT_END);
        final int code = (segment << 4) | ((value >> (segment + 1)) & 0x0F);
        return code ^ mask;
    }

    static int linearToALaw(final int pcm) {
        int value = pcm >> 3;
        final int mask;
        if (value >= 0) {
            mask = 0xD5;
        } else {
            value = -value - 1;
            mask = 0x55;
        }
        final int segment = segmentOf(value, A_LAW_SEGMENT_END);
        final int shift = segment < 2 ? 1 : segment;
        final int code = (segment << 4) | ((value >> shift) & 0x0F);
        return code ^ mask;
    }

    static int muLawToLinear(final int code) {
        final int inverted = ~code & 0xFF;
        final int segment = (inverted >> 4) & 0x07;
        final int mantissa = inverted & 0x0F;
        final int magnitude = (((mantissa << 3) + MU_LAW_BIAS_16) << segment) - MU_LAW_BIAS_16;
        return (inverted & 0x80) != 0 ? -magnitude : magnitude;
    }

    static int aLawToLinear(final int code) {
        final int untoggled = (code ^ 0x55) & 0xFF;
        final int segment = (untoggled >> 4) & 0x07;
        int magnitude = ((untoggled & 0x0F) << 4) + 8;
        if (segment >= 1) {
            magnitude += 0x100;
        }
        if (segment >= 2) {
            magnitude <<= segment - 1;
        }
        return (untoggled & 0x80) != 0 ? magnitude : -magnitude;
    }

    /** Half the quantisation step (16-bit scale) of the segment a mu-law code lies in. */
    static int muLawHalfStep(final int code) {
        return 4 << ((~code >> 4) & 0x07);
    }

    /** Half the quantisation step (16-bit scale) of the segment an A-law code lies in. */
    static int aLawHalfStep(final int code) {
        final int segment = ((code ^ 0x55) >> 4) & 0x07;
        return segment < 2 ? 8 : 8 << (segment - 1);
    }

    private static int segmentOf(final int value, final int[] segmentEnd) {
        int segment = 0;
        while (segment < segmentEnd.length && value > segmentEnd[segment]) {
            segment++;
        }
        return segment;
    }
}
