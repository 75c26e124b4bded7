package io.voxgate.sip.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.jitter.JitterBufferConfig;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RtpPlayoutStageTest {
    private static final long FRAME_NS = 20_000_000L;

    private static UnsafeBuffer frame(final int index) {
        final byte[] b = new byte[160];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0x20 + (index + i) % 64);
        }
        return new UnsafeBuffer(b);
    }

    private static int runUntilPlaying(final RtpPlayoutStage stage, final int frames, final int skip) {
        int played = 0;
        for (int i = 0; i < frames; i++) {
            final long now = i * FRAME_NS;
            if (i != skip) {
                stage.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, now);
            }
            if (stage.poll(now + FRAME_NS / 2) > 0) {
                played++;
            }
        }
        return played;
    }

    @Test
    void shouldMoveTheJitterBufferOnSkippedTicksExactlyAsPlayedTicksWithoutPlayingThem() {
        final RtpPlayoutStage skipping = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        final RtpPlayoutStage playing = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        for (int i = 0; i < 40; i++) {
            final long now = i * FRAME_NS;
            skipping.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, now);
            playing.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, now);
            if (i >= 20 && i < 29) {
                skipping.skip(now + FRAME_NS / 2);
            } else {
                skipping.poll(now + FRAME_NS / 2);
            }
            playing.poll(now + FRAME_NS / 2);
        }
        assertEquals(playing.jitter().lastSequenceNumber(), skipping.jitter().lastSequenceNumber());
        assertEquals(playing.jitter().stats().packetsFlushed(), skipping.jitter().stats().packetsFlushed());
        assertEquals(9, skipping.framesSkipped());
        assertEquals(playing.framesPlayed() - 9, skipping.framesPlayed());
    }

    @Test
    void shouldPassPcmuThroughByteForByte() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        boolean matched = false;
        for (int i = 0; i < 20 && !matched; i++) {
            stage.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, i * FRAME_NS);
            final int n = stage.poll(i * FRAME_NS + FRAME_NS / 2);
            if (n == 160) {
                final byte[] out = new byte[160];
                stage.frame().getBytes(0, out);
                final byte[] expected = new byte[160];
                frame(stage.jitter().lastSequenceNumber()).getBytes(0, expected);
                assertEquals(Arrays.toString(expected), Arrays.toString(out));
                matched = true;
            }
        }
        assertTrue(matched, "playout started");
    }

    @Test
    void shouldConcealALostFrameAndKeepTheCadence() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        runUntilPlaying(stage, 60, 30);
        assertEquals(1, stage.framesConcealed());
        assertTrue(stage.framesPlayed() >= 55);
    }

    @Test
    void shouldHandOnAPlayedFrameInPlaceWhenTheLawsMatch() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        for (int i = 0; i < 20; i++) {
            stage.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, i * FRAME_NS);
            if (stage.poll(i * FRAME_NS + FRAME_NS / 2) == 160) {
                assertSame(stage.jitter().payload(), stage.frame());
                assertEquals(frame(stage.jitter().lastSequenceNumber()).getByte(5), stage.frame().getByte(5));
                return;
            }
        }
        throw new AssertionError("playout never started");
    }

    @Test
    void shouldTranscodeAlawWireAudioForAMulawSession() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.ALAW_8K, AudioFormat.MULAW_8K);
        final G711Transcoder aLawToMuLaw = G711Transcoder.between(ALawCodec.INSTANCE, MuLawCodec.INSTANCE);
        for (int i = 0; i < 20; i++) {
            stage.offer(7, i, i * 160L, i == 0, frame(i), 0, 160, i * FRAME_NS);
            if (stage.poll(i * FRAME_NS + FRAME_NS / 2) == 160) {
                final int seq = stage.jitter().lastSequenceNumber();
                assertEquals(aLawToMuLaw.convert(frame(seq).getByte(5)), stage.frame().getByte(5));
                return;
            }
        }
        throw new AssertionError("playout never started");
    }

    @Test
    void shouldPlayMulawSilenceInAGap() {
        final RtpPlayoutStage stage = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        runUntilPlaying(stage, 20, -1);
        int silent = 0;
        for (int i = 20; i < 40; i++) {
            if (stage.poll(i * FRAME_NS + FRAME_NS / 2) == 160 && stage.frame().getByte(0) == MuLawCodec.INSTANCE.silenceByte()) {
                silent++;
            }
        }
        assertTrue(silent > 10, "silence after the stream stopped: " + silent);
    }
}
