package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.vad.VadConfig;
import io.voxgate.core.vad.VadState;
import java.util.EnumMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VadTapStageTest {

    private static Map<VadState, Integer> run(final AudioFormat format, final short[] pcm, final int chunkBytes) {
        final VadTapStage tap = new VadTapStage(format, VadConfig.defaults());
        final byte[] bytes = Signals.encode(format, pcm);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Map<VadState, Integer> seen = new EnumMap<>(VadState.class);
        for (int at = 0; at < bytes.length; at += chunkBytes) {
            seen.merge(tap.onAudio(buffer, at, Math.min(chunkBytes, bytes.length - at)), 1, Integer::sum);
        }
        return seen;
    }

    private static short[] utterance(final int rateHz) {
        return Signals.concat(Signals.noise(rateHz, 500, 30, 1), Signals.voiced(rateHz, 800, 160, 9_000),
            Signals.noise(rateHz, 800, 30, 2));
    }

    @Test
    void shouldReportOneOnsetAndOneOffsetForAnUtteranceInTwentyMillisecondFrames() {
        final Map<VadState, Integer> seen = run(AudioFormat.MULAW_8K, utterance(8_000), 160);

        assertEquals(1, seen.get(VadState.ONSET));
        assertEquals(1, seen.get(VadState.OFFSET));
    }

    @Test
    void shouldReportOneOnsetWhateverTheChunkSize() {
        assertEquals(1, run(AudioFormat.MULAW_8K, utterance(8_000), 37).get(VadState.ONSET));
        assertEquals(1, run(AudioFormat.MULAW_8K, utterance(8_000), 1_000).get(VadState.ONSET));
    }

    @Test
    void shouldListenToPcm16AtTheAgentsRateWithOddChunks() {
        assertEquals(1, run(AudioFormat.PCM16_16K, utterance(16_000), 333).get(VadState.ONSET));
        assertEquals(1, run(AudioFormat.PCM16_24K, utterance(24_000), 960).get(VadState.ONSET));
    }

    @Test
    void shouldNotReportAnOnsetForACough() {
        final short[] cough = Signals.concat(Signals.noise(8_000, 500, 30, 3), Signals.cough(8_000, 200, 20_000, 4),
            Signals.noise(8_000, 500, 30, 5));

        assertEquals(null, run(AudioFormat.MULAW_8K, cough, 160).get(VadState.ONSET));
    }
}
