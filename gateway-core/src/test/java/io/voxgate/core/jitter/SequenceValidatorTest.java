package io.voxgate.core.jitter;

import static io.voxgate.core.jitter.SequenceValidator.Verdict.BAD_JUMP;
import static io.voxgate.core.jitter.SequenceValidator.Verdict.MISORDERED;
import static io.voxgate.core.jitter.SequenceValidator.Verdict.PROBATION;
import static io.voxgate.core.jitter.SequenceValidator.Verdict.RESTARTED;
import static io.voxgate.core.jitter.SequenceValidator.Verdict.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SequenceValidatorTest {

    private static SequenceValidator validAt(final int first) {
        final SequenceValidator v = new SequenceValidator();
        v.start(first);
        assertEquals(PROBATION, v.update(first));
        assertEquals(VALID, v.update((first + 1) & 0xFFFF));
        return v;
    }

    @Test
    void shouldHoldANewSourceOnProbationUntilTwoPacketsInSequence() {
        final SequenceValidator v = new SequenceValidator();
        v.start(100);
        assertEquals(PROBATION, v.update(100));
        assertTrue(v.onProbation());
        assertEquals(VALID, v.update(101));
        assertFalse(v.onProbation());
    }

    @Test
    void shouldRestartProbationWhenTheSecondPacketIsOutOfSequence() {
        final SequenceValidator v = new SequenceValidator();
        v.start(100);
        assertEquals(PROBATION, v.update(100));
        assertEquals(PROBATION, v.update(500));
        assertEquals(VALID, v.update(501));
        assertEquals(501, v.baseSequence());
    }

    @Test
    void shouldCountACycleAtEveryWrap() {
        final SequenceValidator v = validAt(65_534);
        for (int i = 0; i < 65_536 * 2; i++) {
            assertEquals(VALID, v.update((65_536 + i) & 0xFFFF));
        }
        assertEquals(65_536L * 2, v.cycles());
        assertEquals(65_536L * 2 + 65_535, v.extendedHighest());
    }

    @Test
    void shouldAcceptAForwardGapBelowMaxDropoutAsLoss() {
        final SequenceValidator v = validAt(65_000);
        assertEquals(VALID, v.update((65_001 + SequenceValidator.MAX_DROPOUT - 1) & 0xFFFF));
        assertEquals(65_536L, v.cycles());
        // 65,002 .. 65,001 + MAX_DROPOUT - 2 never arrived.
        assertEquals(SequenceValidator.MAX_DROPOUT - 2, v.cumulativeLost());
    }

    @Test
    void shouldClassifyPacketsUpToMaxMisorderBehindAsMisordered() {
        final SequenceValidator v = validAt(10);
        for (int i = 12; i < 300; i++) {
            v.update(i);
        }
        assertEquals(MISORDERED, v.update(299 - SequenceValidator.MAX_MISORDER + 1));
        assertEquals(BAD_JUMP, v.update(299 - SequenceValidator.MAX_MISORDER));
    }

    @Test
    void shouldRejectABigJumpThenRestartWhenTheNextPacketContinuesIt() {
        final SequenceValidator v = validAt(1000);
        assertEquals(BAD_JUMP, v.update(1001 + SequenceValidator.MAX_DROPOUT));
        assertEquals(RESTARTED, v.update(1002 + SequenceValidator.MAX_DROPOUT));
        assertEquals(1002 + SequenceValidator.MAX_DROPOUT, v.baseSequence());
        assertEquals(1, v.received());
        assertEquals(VALID, v.update(1003 + SequenceValidator.MAX_DROPOUT));
    }

    @Test
    void shouldKeepTheSourceWhenAJumpIsNotFollowedUp() {
        final SequenceValidator v = validAt(1000);
        assertEquals(BAD_JUMP, v.update(20_000));
        assertEquals(VALID, v.update(1002));
        assertEquals(BAD_JUMP, v.update(30_000));
        assertEquals(1002, v.extendedHighest());
    }

    @Test
    void shouldReportDuplicatesAsNegativeLossPerRfc3550() {
        final SequenceValidator v = validAt(7);
        // A copy of the highest packet has a zero forward distance: A.1 counts it as in order.
        assertEquals(VALID, v.update(8));
        assertEquals(MISORDERED, v.update(7));
        assertEquals(1, v.expected());
        assertEquals(3, v.received());
        assertEquals(-2, v.cumulativeLost());
    }
}
