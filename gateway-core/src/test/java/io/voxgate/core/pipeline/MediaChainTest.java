package io.voxgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.voxgate.core.audio.AudioFormat;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MediaChainTest {

    private static MediaStage stage(final String name, final long value) {
        return new MediaStage() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void counters(final CounterVisitor visitor) {
                visitor.counter("frames", value);
            }
        };
    }

    @Test
    void shouldListItsStagesInTheOrderDeclared() {
        final MediaStage first = stage("first", 1);
        final MediaStage second = stage("second", 2);
        final MediaChain chain = MediaChain.of("path", first, second);
        assertEquals(2, chain.size());
        assertSame(first, chain.stage(0));
        assertSame(second, chain.stage(1));
        assertEquals("path: first -> second", chain.toString());
    }

    @Test
    void shouldVisitEveryCounterStageByStage() {
        final List<String> seen = new ArrayList<>();
        MediaChain.of("path", stage("first", 1), stage("second", 2))
            .counters((stage, counter, value) -> seen.add(stage + "." + counter + "=" + value));
        assertEquals(List.of("first.frames=1", "second.frames=2"), seen);
        assertEquals("path: first{frames=1} -> second{frames=2}",
            MediaChain.of("path", stage("first", 1), stage("second", 2)).describeCounters());
    }

    @Test
    void shouldRefuseAChainWithoutStages() {
        assertThrows(IllegalArgumentException.class, () -> MediaChain.of("path"));
    }

    @Test
    void shouldCountWhatEachInnerStageOfATranscodingPipelineDid() {
        final AudioPipeline pipeline = AudioPipeline.create(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K, (a, o, l, t) -> { });
        pipeline.onAudio(new UnsafeBuffer(new byte[160]), 0, 160, 0);
        final List<String> seen = new ArrayList<>();
        MediaChain.of("inbound", pipeline).counters((stage, counter, value) -> seen.add(stage + "." + counter + "=" + value));
        assertEquals("transcode", pipeline.name());
        assertEquals(true, seen.contains("transcode.decode.bytes_in=160"), seen.toString());
        assertEquals(true, seen.contains("transcode.resample.samples_in=160"), seen.toString());
        assertEquals(true, seen.contains("transcode.encode.bytes_out=" + pipeline.bytesOut()), seen.toString());
    }
}
