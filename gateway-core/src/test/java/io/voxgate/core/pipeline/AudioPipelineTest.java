package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioEncoding;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.MuLawCodec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AudioPipelineTest {

    /** Collects what comes out of a pipeline. */
    private static final class Collector implements AudioSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<DirectBuffer> buffers = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public void onAudio(final DirectBuffer audio, final int offset, final int length, final long timestampNs) {
            final byte[] copy = new byte[length];
            audio.getBytes(offset, copy);
            bytes.write(copy, 0, length);
            buffers.add(audio);
            offsets.add(offset);
            timestamps.add(timestampNs);
        }
    }

    private static void feed(final AudioPipeline pipeline, final byte[] bytes, final int chunk) {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int at = 0; at < bytes.length; at += chunk) {
            pipeline.onAudio(buffer, at, Math.min(chunk, bytes.length - at), at);
        }
    }

    @Test
    void shouldPassMuLawThroughUntouchedWithoutACopy() {
        final Collector out = new Collector();
        final AudioPipeline pipeline = AudioPipeline.create(AudioFormat.MULAW_8K, AudioFormat.MULAW_8K, out);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
        frame.setMemory(0, 200, (byte) 0x5A);

        pipeline.onAudio(frame, 20, 160, 7L);

        assertTrue(pipeline.passesThrough());
        assertSame(frame, out.buffers.get(0), "the caller's own buffer is handed on: no copy, no transcoding");
        assertEquals(20, out.offsets.get(0));
        assertEquals(160, out.bytes.size());
        assertEquals(7L, out.timestamps.get(0));
    }

    @Test
    void shouldKeepAToneFromMuLaw8kThroughPcm16At16kAndBack() {
        final short[] tone = Signals.tone(8_000, 1_000, 1_000, 12_000);
        final byte[] caller = Signals.encode(AudioFormat.MULAW_8K, tone);
        final Collector back = new Collector();
        final AudioPipeline outbound = AudioPipeline.create(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K, back);
        final AudioPipeline inbound = AudioPipeline.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K, outbound);

        feed(inbound, caller, 160);

        assertFalse(inbound.passesThrough());
        assertTrue(inbound.resamples());
        assertEquals(32_000, inbound.bytesOut(), "16 kHz PCM16 is four bytes per mu-law byte");
        final short[] result = Signals.decode(AudioFormat.MULAW_8K, back.bytes.toByteArray());
        assertEquals(tone.length, result.length);
        final double snr = Signals.snrDb(tone, result, 80);
        assertTrue(snr > 30, "SNR " + snr + " dB");
    }

    @Test
    void shouldKeepAToneThroughPcm16At24k() {
        final short[] tone = Signals.tone(8_000, 1_000, 440, 12_000);
        final Collector back = new Collector();
        final AudioPipeline outbound = AudioPipeline.create(AudioFormat.PCM16_24K, AudioFormat.MULAW_8K, back);
        final AudioPipeline inbound = AudioPipeline.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_24K, outbound);

        feed(inbound, Signals.encode(AudioFormat.MULAW_8K, tone), 160);

        final double snr = Signals.snrDb(tone, Signals.decode(AudioFormat.MULAW_8K, back.bytes.toByteArray()), 80);
        assertTrue(snr > 30, "SNR " + snr + " dB");
    }

    @Test
    void shouldCarryAnOddPcm16ByteAcrossChunks() {
        final AudioFormat pcm8k = AudioFormat.of(AudioEncoding.PCM16, 8_000, 1, 20);
        final short[] samples = Signals.voiced(8_000, 100, 180, 9_000);
        final Collector out = new Collector();
        final AudioPipeline pipeline = AudioPipeline.create(pcm8k, AudioFormat.MULAW_8K, out);

        feed(pipeline, Signals.encode(pcm8k, samples), 7);

        final byte[] expected = new byte[samples.length];
        MuLawCodec.INSTANCE.encode(samples, 0, expected, 0, samples.length);
        assertArrayEquals(expected, out.bytes.toByteArray());
    }

    @Test
    void shouldTranscodeMuLawToALawWithoutResampling() {
        final short[] voice = Signals.voiced(8_000, 200, 150, 10_000);
        final Collector out = new Collector();
        final AudioPipeline pipeline = AudioPipeline.create(AudioFormat.MULAW_8K, AudioFormat.ALAW_8K, out);

        feed(pipeline, Signals.encode(AudioFormat.MULAW_8K, voice), 160);

        assertFalse(pipeline.resamples());
        final short[] result = Signals.decode(AudioFormat.ALAW_8K, out.bytes.toByteArray());
        assertTrue(Signals.snrDb(voice, result, 0) > 25);
    }

    @Test
    void shouldSplitAChunkLongerThanABlockAndLoseNothing() {
        final short[] tone = Signals.tone(16_000, 1_000, 500, 8_000);
        final Collector out = new Collector();
        final AudioPipeline pipeline = AudioPipeline.create(AudioFormat.PCM16_16K, AudioFormat.MULAW_8K, out);

        feed(pipeline, Signals.encode(AudioFormat.PCM16_16K, tone), 32_000);

        assertEquals(8_000, out.bytes.size());
        assertEquals(1, pipeline.chunksIn());
        assertTrue(pipeline.chunksOut() > 1);
    }
}
