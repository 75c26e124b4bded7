package io.voxgate.core.jitter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceNumbersTest {

    @Test
    void shouldGiveTheSignedDistanceForEveryPairAroundTheWrapAndHalfway() {
        final int[] anchors = {0, 1, 32_767, 32_768, 65_534, 65_535};
        for (final int b : anchors) {
            for (int delta = -32_768; delta <= 32_767; delta++) {
                final int a = (b + delta) & 0xFFFF;
                assertEquals(delta, SequenceNumbers.difference16(a, b), "a=" + a + " b=" + b);
            }
        }
    }

    @Test
    void shouldOrderEverySequenceNumberAgainstItsNeighboursAcrossTheWrap() {
        for (int s = 0; s < 65_536; s++) {
            final int next = (s + 1) & 0xFFFF;
            assertTrue(SequenceNumbers.isNewer16(next, s), "next of " + s);
            assertFalse(SequenceNumbers.isNewer16(s, next), "previous of " + next);
            assertFalse(SequenceNumbers.isNewer16(s, s));
        }
    }

    @Test
    void shouldLeaveExactlyHalfTheSpaceApartUndefinedInBothDirections() {
        assertFalse(SequenceNumbers.isNewer16(32_768, 0));
        assertFalse(SequenceNumbers.isNewer16(0, 32_768));
        assertFalse(SequenceNumbers.isNewer32(1L << 31, 0));
        assertFalse(SequenceNumbers.isNewer32(0, 1L << 31));
    }

    @Test
    void shouldCompareTimestampsAcrossTheThirtyTwoBitWrap() {
        final long[] anchors = {0, 1, (1L << 31) - 1, 1L << 31, (1L << 32) - 160, (1L << 32) - 1};
        final int[] deltas = {-Integer.MAX_VALUE, -160_000, -160, -1, 0, 1, 160, 160_000, Integer.MAX_VALUE};
        for (final long b : anchors) {
            for (final int delta : deltas) {
                final long a = (b + delta) & SequenceNumbers.TIMESTAMP_MASK;
                assertEquals(delta, SequenceNumbers.difference32(a, b), "a=" + a + " b=" + b);
                assertEquals(delta > 0, SequenceNumbers.isNewer32(a, b));
            }
        }
    }

    @Test
    void shouldAcceptSignExtendedTimestamps() {
        assertEquals(160, SequenceNumbers.difference32(80, -80));
        assertTrue(SequenceNumbers.isNewer32(80, (int) 0xFFFF_FFB0L));
    }

    @Test
    void shouldExtendSequenceNumbersMonotonicallyThroughManyWraps() {
        long extended = 65_530;
        for (long expected = 65_531; expected < 65_536L * 5; expected++) {
            extended = SequenceNumbers.extend16((int) (expected & 0xFFFF), extended);
            assertEquals(expected, extended);
        }
    }

    @Test
    void shouldExtendALateSequenceNumberBehindTheWrapToThePreviousCycle() {
        final long highest = 65_536L * 3 + 2;
        assertEquals(65_536L * 3 - 3, SequenceNumbers.extend16(65_533, highest));
        assertEquals(65_536L * 3 + 40, SequenceNumbers.extend16(40, highest));
    }

    @Test
    void shouldExtendTimestampsThroughTheWrapBothWays() {
        final long reference = (1L << 32) - 80;
        assertEquals((1L << 32) + 80, SequenceNumbers.extend32(80, reference));
        assertEquals((1L << 32) - 240, SequenceNumbers.extend32((1L << 32) - 240, reference));
        assertEquals((1L << 33) + 5, SequenceNumbers.extend32(5, (1L << 33) - 5));
    }
}
