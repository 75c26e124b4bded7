package io.voxgate.core.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AudioFormatTest {

    @Test
    void shouldDescribeTwentyMillisecondsOfMuLawAsOneHundredSixtyBytes() {
        assertEquals(160, AudioFormat.MULAW_8K.samplesPerFrame());
        assertEquals(160, AudioFormat.MULAW_8K.bytesPerFrame());
    }

    @Test
    void shouldDescribeTwentyMillisecondsOfPcm16At16kHzAsSixHundredFortyBytes() {
        assertEquals(320, AudioFormat.PCM16_16K.samplesPerFrame());
        assertEquals(640, AudioFormat.PCM16_16K.bytesPerFrame());
    }

    @Test
    void shouldParseTheCliSpellings() {
        assertEquals(AudioFormat.MULAW_8K, AudioFormat.parse("mulaw/8000"));
        assertEquals(AudioFormat.PCM16_16K, AudioFormat.parse("pcm16/16000"));
        assertEquals(AudioFormat.PCM16_24K, AudioFormat.parse("pcm16/24000"));
        assertEquals(AudioFormat.ALAW_8K, AudioFormat.parse("alaw/8000"));
    }

    @Test
    void shouldPrintTheCliSpelling() {
        assertEquals("pcm16/16000", AudioFormat.PCM16_16K.toString());
    }

    @Test
    void shouldRejectAnUnsupportedRateNamingIt() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("pcm16/44100"));
        assertTrue(ex.getMessage().contains("44100"), ex.getMessage());
    }

    @Test
    void shouldRejectG711AtAWidebandRate() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("mulaw/16000"));
        assertTrue(ex.getMessage().contains("16000"), ex.getMessage());
    }

    @Test
    void shouldRejectAnUnknownEncodingNamingIt() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse("opus/8000"));
        assertTrue(ex.getMessage().contains("opus"), ex.getMessage());
    }

    @Test
    void shouldRejectStereo() {
        assertThrows(IllegalArgumentException.class, () -> AudioFormat.of(AudioEncoding.PCM16, 16_000, 2, 20));
    }

    @Test
    void shouldRejectAnOddPtime() {
        assertThrows(IllegalArgumentException.class, () -> AudioFormat.of(AudioEncoding.MULAW, 8_000, 1, 25));
    }

    @Test
    void shouldPassThroughOnlyBetweenIdenticalEncodingsAndRates() {
        assertTrue(AudioFormat.MULAW_8K.passesThroughTo(AudioFormat.parse("mulaw/8000")));
        assertFalse(AudioFormat.MULAW_8K.passesThroughTo(AudioFormat.ALAW_8K));
        assertFalse(AudioFormat.PCM16_16K.passesThroughTo(AudioFormat.PCM16_24K));
    }

    @Test
    void shouldConvertBytesToDuration() {
        assertEquals(20_000_000L, AudioFormat.MULAW_8K.durationNs(160));
        assertEquals(20_000_000L, AudioFormat.PCM16_16K.durationNs(640));
    }
}
