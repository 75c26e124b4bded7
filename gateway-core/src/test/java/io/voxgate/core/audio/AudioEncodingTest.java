package io.voxgate.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16Codec;
import org.junit.jupiter.api.Test;

class AudioEncodingTest {

    @Test
    void shouldHandOutOneCodecPerEncoding() {
        assertSame(MuLawCodec.INSTANCE, AudioEncoding.MULAW.codec());
        assertSame(ALawCodec.INSTANCE, AudioEncoding.ALAW.codec());
        assertSame(Pcm16Codec.INSTANCE, AudioEncoding.PCM16.codec());
    }

    @Test
    void shouldTakeNameSilenceAndSampleWidthFromTheCodec() {
        assertEquals("PCMU", AudioEncoding.MULAW.codec().name());
        assertEquals("PCMA", AudioEncoding.ALAW.codec().name());
        assertEquals((byte) 0xFF, AudioEncoding.MULAW.codec().silenceByte());
        assertEquals((byte) 0xD5, AudioEncoding.ALAW.codec().silenceByte());
        assertEquals(0, AudioEncoding.PCM16.codec().silenceByte());
        assertEquals(1, AudioEncoding.MULAW.bytesPerSample());
        assertEquals(1, AudioEncoding.ALAW.bytesPerSample());
        assertEquals(2, AudioEncoding.PCM16.bytesPerSample());
    }
}
