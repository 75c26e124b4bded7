package io.voxgate.benchmarks.load.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.voxgate.core.codec.MuLawCodec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SilenceDetectorTest {
    private static final int AMPLITUDE = 8_000;
    private final SilenceDetector detector = new SilenceDetector(AMPLITUDE);

    private boolean silent(final byte[] frame) {
        final ByteBuf b = Unpooled.wrappedBuffer(frame);
        try {
            return detector.silent(b, 0, frame.length);
        } finally {
            b.release();
        }
    }

    @Test
    void shouldTakeBothMuLawZeroCodesForSilence() {
        final byte[] frame = new byte[160];
        Arrays.fill(frame, (byte) 0xFF);
        assertTrue(silent(frame));
        Arrays.fill(frame, (byte) 0x7F);
        assertTrue(silent(frame));
    }

    @Test
    void shouldTakeEveryFrameOfTheToneForSound() {
        final PcmuTone tone = new PcmuTone(440, AMPLITUDE);
        for (int i = 0; i < 50; i++) {
            assertFalse(silent(tone.frame(i).clone()), "frame " + i);
        }
    }

    @Test
    void shouldTakeATwelveDecibelQuieterToneForSound() {
        final PcmuTone quieter = new PcmuTone(440, AMPLITUDE / 4);
        assertFalse(silent(quieter.frame(3).clone()));
    }

    @Test
    void shouldTakeTheFewTrailingToneSamplesOfATranscodedEchoForSilence() {
        final byte[] frame = new byte[160];
        Arrays.fill(frame, MuLawCodec.INSTANCE.silenceByte());
        for (int i = 0; i < 12; i++) {
            frame[i] = MuLawCodec.INSTANCE.encode((short) AMPLITUDE);
        }
        assertTrue(silent(frame));
    }

    @Test
    void shouldTakeLowNoiseForSilence() {
        final byte[] frame = new byte[160];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = MuLawCodec.INSTANCE.encode((short) (i % 2 == 0 ? 300 : -300));
        }
        assertTrue(silent(frame));
    }

    @Test
    void shouldTakeAnEmptyPayloadForSilence() {
        assertTrue(silent(new byte[0]));
    }
}
