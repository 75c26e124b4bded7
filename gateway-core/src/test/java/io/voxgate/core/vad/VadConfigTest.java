package io.voxgate.core.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class VadConfigTest {

    @Test
    void shouldDefaultToFortyMillisecondOnsetThreeHundredMillisecondHangoverAndTwentyMillisecondFrames() {
        final VadConfig config = VadConfig.defaults();
        assertEquals(20, config.frameMs());
        assertEquals(40, config.onsetMs());
        assertTrue(config.onsetMs() <= 60);
        assertEquals(300, config.hangoverMs());
        assertEquals(2, config.onsetFrames());
        assertEquals(15, config.hangoverFrames());
    }

    @Test
    void shouldReturnAChangedCopyAndLeaveTheOriginalAlone() {
        final VadConfig original = VadConfig.defaults();
        final VadConfig changed = original.withFrameMs(10).withOnsetMs(30).withHangoverMs(250).withPeriodicityThreshold(0.6)
            .withHoldThresholdDb(2).withSpeechThresholdDb(4).withMinSpeechDbfs(-60).withFloorRiseDbPerSecond(5)
            .withFloorFallDbPerSecond(50).withInitialFloorDbfs(-40);
        assertNotSame(original, changed);
        assertEquals(20, original.frameMs());
        assertEquals(10, changed.frameMs());
        assertEquals(30, changed.onsetMs());
        assertEquals(3, changed.onsetFrames());
        assertEquals(250, changed.hangoverMs());
        assertEquals(0.6, changed.periodicityThreshold());
        assertEquals(2.0, changed.holdThresholdDb());
        assertEquals(4.0, changed.speechThresholdDb());
        assertEquals(-60.0, changed.minSpeechDbfs());
        assertEquals(5.0, changed.floorRiseDbPerSecond());
        assertEquals(50.0, changed.floorFallDbPerSecond());
        assertEquals(-40.0, changed.initialFloorDbfs());
    }

    @Test
    void shouldRejectAnOnsetThatIsNotAMultipleOfTheFrame() {
        assertRejected(VadConfig.ONSET_MS_NAME, () -> VadConfig.defaults().withOnsetMs(50));
    }

    @Test
    void shouldRejectANegativeZeroOrTooLongOnset() {
        assertRejected(VadConfig.ONSET_MS_NAME, () -> VadConfig.defaults().withOnsetMs(-20));
        assertRejected(VadConfig.ONSET_MS_NAME, () -> VadConfig.defaults().withOnsetMs(0));
        assertRejected(VadConfig.ONSET_MS_NAME, () -> VadConfig.defaults().withOnsetMs(VadConfig.MAX_ONSET_MS + 20));
    }

    @Test
    void shouldRejectAHangoverThatIsNotAPositiveMultipleOfTheFrame() {
        assertRejected(VadConfig.HANGOVER_MS_NAME, () -> VadConfig.defaults().withHangoverMs(0));
        assertRejected(VadConfig.HANGOVER_MS_NAME, () -> VadConfig.defaults().withHangoverMs(-300));
        assertRejected(VadConfig.HANGOVER_MS_NAME, () -> VadConfig.defaults().withHangoverMs(310));
        assertRejected(VadConfig.HANGOVER_MS_NAME, () -> VadConfig.defaults().withHangoverMs(VadConfig.MAX_HANGOVER_MS + 20));
    }

    @Test
    void shouldAcceptTenAndTwentyMillisecondFramesOnly() {
        assertEquals(10, VadConfig.defaults().withFrameMs(10).frameMs());
        assertRejected(VadConfig.FRAME_MS_NAME, () -> VadConfig.defaults().withFrameMs(30));
        assertRejected(VadConfig.FRAME_MS_NAME, () -> VadConfig.defaults().withFrameMs(0));
    }

    @Test
    void shouldRejectAHoldMarginAboveTheOnsetMargin() {
        assertRejected(VadConfig.HOLD_THRESHOLD_DB_NAME, () -> VadConfig.defaults().withHoldThresholdDb(6));
    }

    @Test
    void shouldRejectOutOfRangeOrNanLevelsAndRates() {
        assertRejected(VadConfig.SPEECH_THRESHOLD_DB_NAME, () -> VadConfig.defaults().withSpeechThresholdDb(Double.NaN));
        assertRejected(VadConfig.SPEECH_THRESHOLD_DB_NAME, () -> VadConfig.defaults().withSpeechThresholdDb(0));
        assertRejected(VadConfig.MIN_SPEECH_DBFS_NAME, () -> VadConfig.defaults().withMinSpeechDbfs(3));
        assertRejected(VadConfig.PERIODICITY_THRESHOLD_NAME, () -> VadConfig.defaults().withPeriodicityThreshold(1.5));
        assertRejected(VadConfig.PERIODICITY_THRESHOLD_NAME, () -> VadConfig.defaults().withPeriodicityThreshold(-0.1));
        assertRejected(VadConfig.FLOOR_RISE_DB_PER_SECOND_NAME, () -> VadConfig.defaults().withFloorRiseDbPerSecond(0));
        assertRejected(VadConfig.FLOOR_FALL_DB_PER_SECOND_NAME,
            () -> VadConfig.defaults().withFloorFallDbPerSecond(Double.POSITIVE_INFINITY));
        assertRejected(VadConfig.INITIAL_FLOOR_DBFS_NAME, () -> VadConfig.defaults().withInitialFloorDbfs(-120));
    }

    private static void assertRejected(final String option, final Supplier<VadConfig> build) {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(ex.getMessage().startsWith(option + ": "), ex.getMessage());
    }
}
