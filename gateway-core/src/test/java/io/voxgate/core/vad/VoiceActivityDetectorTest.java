package io.voxgate.core.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Behaviour of the detector on synthetic signals whose frames are speech-like or not by construction. */
class VoiceActivityDetectorTest {
    private static final VadConfig CONFIG = VadConfig.defaults();

    /** A frame source: quiet white noise, or a 125 Hz harmonic-rich voice-like tone (20 harmonics, 1/k) on top of it. */
    private static final class Source {
        private final int rateHz;
        private final int frameSamples;
        private final Random random = new Random(7);
        private long sample;

        Source(final int rateHz, final int frameMs) {
            this.rateHz = rateHz;
            this.frameSamples = rateHz / 1_000 * frameMs;
        }

        short[] frame(final boolean voiced) {
            final short[] out = new short[frameSamples];
            for (int i = 0; i < frameSamples; i++, sample++) {
                double x = 30 * random.nextGaussian();
                if (voiced) {
                    for (int k = 1; k <= 20 && 125 * k < rateHz / 2; k++) {
                        x += 3_000.0 / k * Math.sin(2 * Math.PI * 125 * k * sample / rateHz);
                    }
                }
                out[i] = (short) Math.round(x);
            }
            return out;
        }
    }

    @Test
    void shouldConfirmOnTheOnsetMsThVoicedFrame() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 50);
        assertEquals(VadState.SILENCE, onFrame(vad, source.frame(true)));
        assertFalse(vad.speaking());
        assertEquals(VadState.ONSET, onFrame(vad, source.frame(true)));
        assertTrue(vad.speaking());
        assertEquals(VadState.SPEECH, onFrame(vad, source.frame(true)));
        assertEquals(1, vad.onsets());
    }

    @Test
    void shouldNotConfirmOnASingleVoicedFrame() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        for (int i = 0; i < 20; i++) {
            feed(vad, source, false, 10);
            feed(vad, source, true, 1);
        }
        feed(vad, source, false, 10);
        assertEquals(0, vad.onsets());
    }

    @Test
    void shouldReportOffsetOnTheFrameThatCompletesTheHangover() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 50);
        feed(vad, source, true, 25);
        final List<VadState> after = new ArrayList<>();
        for (int i = 0; i < CONFIG.hangoverFrames() + 5; i++) {
            after.add(onFrame(vad, source.frame(false)));
        }
        for (int i = 0; i < CONFIG.hangoverFrames() - 1; i++) {
            assertEquals(VadState.SPEECH, after.get(i), "hangover frame " + i);
        }
        assertEquals(VadState.OFFSET, after.get(CONFIG.hangoverFrames() - 1));
        assertEquals(VadState.SILENCE, after.get(CONFIG.hangoverFrames()));
        assertFalse(vad.speaking());
        assertEquals(1, vad.offsets());
    }

    @Test
    void shouldStaySpeakingThroughPausesShorterThanTheHangover() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 50);
        for (int word = 0; word < 5; word++) {
            feed(vad, source, true, 15);
            for (int i = 0; i < CONFIG.hangoverFrames() - 2; i++) {
                assertEquals(VadState.SPEECH, onFrame(vad, source.frame(false)));
            }
        }
        assertEquals(1, vad.onsets());
        assertEquals(0, vad.offsets());
    }

    @Test
    void shouldReportOneOnsetAndOneOffsetPerUtterance() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 50);
        for (int utterance = 0; utterance < 3; utterance++) {
            feed(vad, source, true, 40);
            feed(vad, source, false, CONFIG.hangoverFrames() + 10);
        }
        assertEquals(3, vad.onsets());
        assertEquals(3, vad.offsets());
        assertEquals(3 * (40 - 1 + CONFIG.hangoverFrames() - 1), vad.framesSpeaking());
    }

    @Test
    void shouldNotRaiseTheNoiseFloorDuringVoicedSpeech() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 100);
        final double before = vad.noiseFloorDbfs();
        feed(vad, source, true, 250);
        assertEquals(before, vad.noiseFloorDbfs(), 0.5);
    }

    @Test
    void shouldFallQuicklyToAQuieterLineAndRiseAtMostAtTheConfiguredRate() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Random random = new Random(3);
        final short[] loud = new short[160];
        for (int f = 0; f < 50; f++) {
            for (int i = 0; i < loud.length; i++) {
                loud[i] = (short) Math.round(1_000 * random.nextGaussian());
            }
            vad.onFrame(loud, 0, loud.length);
        }
        // 1 s of -30 dBFS noise after a -50 dBFS start: the floor may climb 10 dB (less if a frame happened to
        // look voiced), not reach the noise.
        final double risen = vad.noiseFloorDbfs();
        assertTrue(risen <= CONFIG.initialFloorDbfs() + CONFIG.floorRiseDbPerSecond() + 1e-9, "floor " + risen);
        assertTrue(risen > CONFIG.initialFloorDbfs() + CONFIG.floorRiseDbPerSecond() - 1, "floor " + risen);
        final short[] quiet = new short[160];
        for (int f = 0; f < 10; f++) {
            for (int i = 0; i < quiet.length; i++) {
                quiet[i] = (short) Math.round(10 * random.nextGaussian());
            }
            vad.onFrame(quiet, 0, quiet.length);
        }
        // -70 dBFS: the floor falls 2 dB per frame towards it.
        assertEquals(risen - 10 * CONFIG.floorFallDbPerSecond() * CONFIG.frameMs() / 1_000.0, vad.noiseFloorDbfs(), 1e-9);
        assertEquals(0, vad.onsets());
    }

    @Test
    void shouldLowerTheFloorByOneFallStepOnAFrameOfDigitalSilence() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 100);
        final double before = vad.noiseFloorDbfs();
        assertEquals(VadState.SILENCE, vad.onFrame(new short[160], 0, 160));
        assertEquals(VadConfig.SILENCE_DBFS, vad.lastEnergyDbfs());
        assertEquals(before - CONFIG.floorFallDbPerSecond() * CONFIG.frameMs() / 1_000.0, vad.noiseFloorDbfs(), 1e-9);
    }

    @Test
    void shouldBehaveAsNewAfterReset() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source first = new Source(8_000, 20);
        feed(vad, first, false, 50);
        feed(vad, first, true, 10);
        assertTrue(vad.speaking());
        vad.reset();
        assertFalse(vad.speaking());
        assertEquals(0, vad.framesProcessed());
        assertEquals(0, vad.onsets());
        assertEquals(CONFIG.initialFloorDbfs(), vad.noiseFloorDbfs());

        final VoiceActivityDetector fresh = new VoiceActivityDetector(CONFIG, 8_000);
        final Source a = new Source(8_000, 20);
        final Source b = new Source(8_000, 20);
        for (int f = 0; f < 200; f++) {
            final boolean voiced = f % 50 >= 20;
            assertEquals(onFrame(fresh, a.frame(voiced)), onFrame(vad, b.frame(voiced)), "frame " + f);
        }
    }

    @Test
    void shouldCountAndSkipMalformedFramesWithoutRepeatingAnEdge() {
        final VoiceActivityDetector vad = new VoiceActivityDetector(CONFIG, 8_000);
        final Source source = new Source(8_000, 20);
        feed(vad, source, false, 50);
        feed(vad, source, true, 1);
        assertEquals(VadState.ONSET, onFrame(vad, source.frame(true)));
        final short[] pcm = new short[320];
        assertEquals(VadState.SPEECH, vad.onFrame(pcm, 0, 80));
        assertEquals(VadState.SPEECH, vad.onFrame(pcm, -1, 160));
        assertEquals(VadState.SPEECH, vad.onFrame(pcm, 161, 160));
        assertEquals(3, vad.framesMalformed());
        assertEquals(52, vad.framesProcessed());
        assertEquals(VadState.SPEECH, vad.onFrame(pcm, 160, 160));
    }

    @Test
    void shouldConfirmAtEverySupportedRateAndFrameSize() {
        for (final int rateHz : new int[] {8_000, 16_000, 24_000}) {
            for (final int frameMs : new int[] {10, 20}) {
                final VadConfig config = CONFIG.withFrameMs(frameMs);
                final VoiceActivityDetector vad = new VoiceActivityDetector(config, rateHz);
                assertEquals(rateHz / 1_000 * frameMs, vad.frameSamples());
                final Source source = new Source(rateHz, frameMs);
                feed(vad, source, false, 1_000 / frameMs);
                // Confirmed after onsetMs of voicing, plus at most the 20 ms analysis window still filling with it.
                final int onsetFrames = config.onsetMs() / frameMs;
                int voicedFrames = 0;
                VadState state = VadState.SILENCE;
                while (state != VadState.ONSET && voicedFrames < 100) {
                    state = onFrame(vad, source.frame(true));
                    voicedFrames++;
                }
                assertTrue(voicedFrames >= onsetFrames && voicedFrames * frameMs <= config.onsetMs() + 20,
                    rateHz + " Hz, " + frameMs + " ms: ONSET after " + voicedFrames + " voiced frames");
                feed(vad, source, false, config.hangoverMs() / frameMs);
                assertEquals(1, vad.offsets(), rateHz + " Hz, " + frameMs + " ms");
            }
        }
    }

    @Test
    void shouldRejectAnUnsupportedRateNamingIt() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new VoiceActivityDetector(CONFIG, 44_100));
        assertTrue(ex.getMessage().contains("sampleRateHz") && ex.getMessage().contains("44100"), ex.getMessage());
    }

    private static VadState onFrame(final VoiceActivityDetector vad, final short[] frame) {
        return vad.onFrame(frame, 0, frame.length);
    }

    private static void feed(final VoiceActivityDetector vad, final Source source, final boolean voiced, final int frames) {
        for (int i = 0; i < frames; i++) {
            onFrame(vad, source.frame(voiced));
        }
    }
}
