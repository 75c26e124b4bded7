package io.voxgate.websocket.vapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.MuLawCodec;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class FailurePromptTest {

    @Test
    void shouldLastAboutOneSecondInEveryVapiFormat() {
        for (final AudioFormat format : new AudioFormat[] {AudioFormat.MULAW_8K, AudioFormat.PCM16_16K, AudioFormat.PCM16_24K}) {
            final byte[] prompt = FailurePrompt.specialInformationTone(format);

            assertEquals(TimeUnit.MILLISECONDS.toNanos(276 + 276 + 380 + 120), format.durationNs(prompt.length), format.toString());
        }
    }

    @Test
    void shouldBeAudibleAndEndInSilence() {
        final byte[] prompt = FailurePrompt.specialInformationTone(AudioFormat.MULAW_8K);
        int peak = 0;
        for (final byte code : prompt) {
            peak = Math.max(peak, Math.abs(MuLawCodec.INSTANCE.decode(code)));
        }

        assertTrue(peak > 6_000, "peak " + peak);
        assertEquals(MuLawCodec.INSTANCE.silenceByte(), prompt[prompt.length - 1]);
    }

    @Test
    void shouldRefuseALaw() {
        assertThrows(IllegalArgumentException.class, () -> FailurePrompt.specialInformationTone(AudioFormat.ALAW_8K));
    }
}
