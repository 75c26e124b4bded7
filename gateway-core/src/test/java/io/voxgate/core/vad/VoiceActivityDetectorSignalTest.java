package io.voxgate.core.vad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The detector against real (synthesized) speech mixed with seeded noise, and against noise, clicks and coughs
 * alone. Besides asserting, it writes the measured onset delays and false alarm counts to
 * {@code target/vad-report.txt}.
 */
class VoiceActivityDetectorSignalTest {
    private static final int FRAME_MS = 20;
    private static final int FRAME = FRAME_MS * Signals.SAMPLES_PER_MS;
    /** Noise alone before the speech: the agent's greeting during which the caller listens. */
    private static final int LEAD_IN_MS = 3_000;
    private static final int TAIL_MS = 1_000;
    private static final long[] SEEDS = {11, 22, 33, 44, 55};
    private static final long[] COUGH_SEEDS = {11, 22, 33, 44, 55, 66, 77, 88, 99, 111, 222, 333, 444, 555, 666};
    private static final List<String> REPORT = new ArrayList<>();

    @AfterAll
    static void writeReport() throws IOException {
        final Path dir = Path.of("target");
        Files.createDirectories(dir);
        Files.write(dir.resolve("vad-report.txt"), REPORT, StandardCharsets.UTF_8);
    }

    @Test
    void shouldConfirmSpeechWithinSixtyMillisecondsPlusOnsetAtTwentyDbSnr() {
        assertOnsetsWithinBound(onsetDelaysMs(20));
    }

    @Test
    void shouldConfirmSpeechWithinSixtyMillisecondsPlusOnsetAtTenDbSnr() {
        assertOnsetsWithinBound(onsetDelaysMs(10));
    }

    /**
     * At 0 dB SNR the detector still confirms every utterance, usually within a few hundred milliseconds, but
     * white noise can hide the first words' voicing entirely (worst case about 2.6 s, confirmed on a later word):
     * the assertion is that nothing is missed and half the runs confirm within 300 ms.
     */
    @Test
    void shouldStillConfirmEveryUtteranceAtZeroDbSnr() {
        final int[][] delays = onsetDelaysMs(0);
        final int[] all = Arrays.stream(delays).flatMapToInt(Arrays::stream).sorted().toArray();
        assertTrue(all[all.length - 1] < Integer.MAX_VALUE, "an utterance was missed at 0 dB SNR");
        assertTrue(all[all.length / 2] <= 300, "median onset delay at 0 dB SNR " + all[all.length / 2] + " ms");
    }

    @Test
    void shouldReportOneOnsetPerUtteranceAndEndEachAfterTheHangover() {
        // hello-can-you-hear-me has a 440 ms pause (two utterances at a 300 ms hangover); the others have none over 180 ms.
        final int[] utterances = {1, 1, 2};
        for (int c = 0; c < Signals.CLIPS.length; c++) {
            final double[] clean = Signals.clip(Signals.CLIPS[c]);
            final int at = LEAD_IN_MS * Signals.SAMPLES_PER_MS;
            final int total = at + clean.length + TAIL_MS * Signals.SAMPLES_PER_MS;
            for (final long seed : SEEDS) {
                final double[] bed = Signals.noise(Signals.Noise.PINK, total - total % FRAME, Signals.activeLevelDbfs(clean) - 30, seed);
                final short[] pcm = Signals.toPcm16(Signals.overlay(bed, clean, at));
                final VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), Signals.RATE_HZ);
                int lastLoudFrame = -1;
                int offsetFrame = -1;
                for (int f = 0; (f + 1) * FRAME <= pcm.length; f++) {
                    final VadState state = vad.onFrame(pcm, f * FRAME, FRAME);
                    if (state == VadState.OFFSET) {
                        offsetFrame = f;
                    }
                    final int inClip = f * FRAME - at;
                    if (inClip >= 0 && inClip + FRAME <= clean.length
                        && Signals.levelDbfs(clean, inClip, inClip + FRAME) > Signals.activeLevelDbfs(clean) - 20) {
                        lastLoudFrame = f;
                    }
                }
                assertEquals(utterances[c], vad.onsets(), Signals.CLIPS[c] + " seed " + seed);
                assertEquals(utterances[c], vad.offsets(), Signals.CLIPS[c] + " seed " + seed);
                // The last OFFSET comes one hangover after the last loud frame, give or take the word's quiet tail.
                final int hangoverFrames = VadConfig.DEFAULT_HANGOVER_MS / FRAME_MS;
                assertTrue(offsetFrame >= lastLoudFrame + hangoverFrames && offsetFrame <= lastLoudFrame + hangoverFrames + 4,
                    Signals.CLIPS[c] + " seed " + seed + ": offset at frame " + offsetFrame + ", last loud frame " + lastLoudFrame);
            }
        }
    }

    @Test
    void shouldNeverConfirmOnStationaryNoiseAtAnyLevel() {
        long onsets = 0;
        long rejected = 0;
        for (final Signals.Noise colour : Signals.Noise.values()) {
            for (final double level : new double[] {-70, -55, -40, -30, -20, -10}) {
                for (final long seed : SEEDS) {
                    final VoiceActivityDetector vad = run(Signals.toPcm16(Signals.noise(colour, 20 * Signals.RATE_HZ, level, seed)));
                    onsets += vad.onsets();
                    rejected += vad.framesRejectedAperiodic();
                }
            }
        }
        REPORT.add(String.format(Locale.ROOT, "stationary noise (white/pink/brown x -70..-10 dBFS x %d seeds, 20 s each = %d min): "
            + "onsets %d, loud frames rejected as aperiodic %d", SEEDS.length, 3 * 6 * SEEDS.length / 3, onsets, rejected));
        assertEquals(0, onsets);
    }

    @Test
    void shouldNeverConfirmOnASlowlyRisingNoiseFloor() {
        long onsets = 0;
        for (final Signals.Noise colour : Signals.Noise.values()) {
            for (final double dbPerSecond : new double[] {2, 8}) {
                for (final long seed : SEEDS) {
                    final double[] noise = Signals.noise(colour, 20 * Signals.RATE_HZ, -20, seed);
                    for (int i = 0; i < noise.length; i++) {
                        // From -60 dBFS upwards at the given rate, holding at -20 dBFS.
                        final double levelDb = Math.min(-20, -60 + dbPerSecond * i / Signals.RATE_HZ);
                        noise[i] *= Math.pow(10, (levelDb + 20) / 20);
                    }
                    onsets += run(Signals.toPcm16(noise)).onsets();
                }
            }
        }
        REPORT.add(String.format(Locale.ROOT, "noise rising from -60 to -20 dBFS at 2 and 8 dB/s (white/pink/brown x %d seeds): onsets %d",
            SEEDS.length, onsets));
        assertEquals(0, onsets);
    }

    @Test
    void shouldNeverConfirmOnClicks() {
        long onsets = 0;
        long clicks = 0;
        for (final long seed : SEEDS) {
            final double[] x = Signals.noise(Signals.Noise.WHITE, 20 * Signals.RATE_HZ, -55, seed);
            // Single-sample clicks every 250 ms plus 7 samples, so they land at every phase of the frame.
            for (int at = 1_000; at < x.length; at += 2_007) {
                x[at] += (at & 1) == 0 ? 30_000 : -30_000;
                clicks++;
            }
            onsets += run(Signals.toPcm16(x)).onsets();
        }
        REPORT.add(String.format(Locale.ROOT, "single-sample clicks (full scale, over -55 dBFS noise): %d clicks, onsets %d",
            clicks, onsets));
        assertEquals(0, onsets);
    }

    @Test
    void shouldNeverConfirmOnFiveMillisecondImpulses() {
        long onsets = 0;
        long impulses = 0;
        for (final long seed : SEEDS) {
            final double[] x = Signals.noise(Signals.Noise.PINK, 20 * Signals.RATE_HZ, -50, seed);
            final Random random = new Random(seed);
            for (int at = 1_000; at + 40 < x.length; at += 2_413) {
                // 5 ms: a rectangular pulse, a decaying 1 kHz ring or a noise burst, in turn.
                for (int k = 0; k < 40; k++) {
                    final double v;
                    switch ((int) (impulses % 3)) {
                        case 0:
                            v = 20_000;
                            break;
                        case 1:
                            v = 25_000 * Math.exp(-k / 10.0) * Math.sin(2 * Math.PI * 1_000 * k / Signals.RATE_HZ);
                            break;
                        default:
                            v = 12_000 * random.nextGaussian();
                            break;
                    }
                    x[at + k] += v;
                }
                impulses++;
            }
            onsets += run(Signals.toPcm16(x)).onsets();
        }
        REPORT.add(String.format(Locale.ROOT,
            "5 ms impulses (pulse / 1 kHz ring / noise burst over -50 dBFS pink noise): %d impulses, onsets %d", impulses, onsets));
        assertEquals(0, onsets);
    }

    @Test
    void shouldNeverConfirmOnOneFrameBursts() {
        long onsets = 0;
        long bursts = 0;
        for (final long seed : SEEDS) {
            final double[] x = Signals.noise(Signals.Noise.WHITE, 20 * Signals.RATE_HZ, -55, seed);
            final double[] burst = Signals.noise(Signals.Noise.WHITE, FRAME, -10, seed + 1);
            // Aligned with a frame and straddling two, alternately.
            for (int at = 1_600; at + FRAME < x.length; at += 2_400 + (bursts % 2 == 0 ? 80 : 0)) {
                for (int k = 0; k < FRAME; k++) {
                    x[at + k] += burst[k];
                }
                bursts++;
            }
            onsets += run(Signals.toPcm16(x)).onsets();
        }
        REPORT.add(String.format(Locale.ROOT, "20 ms broadband bursts at -10 dBFS over -55 dBFS noise: %d bursts, onsets %d",
            bursts, onsets));
        assertEquals(0, onsets);
    }

    @Test
    void shouldNeverConfirmOnCoughs() {
        long onsets = 0;
        long coughs = 0;
        long rejected = 0;
        for (final double backgroundDbfs : new double[] {-60, -45}) {
            for (final long seed : COUGH_SEEDS) {
                final double[] x = Signals.noise(Signals.Noise.PINK, 60 * Signals.RATE_HZ, backgroundDbfs, seed);
                final Random random = new Random(seed);
                for (int at = 8_000; at + 2_000 < x.length; at += 8_000 + random.nextInt(800)) {
                    final int durationMs = 150 + random.nextInt(101);
                    final double peakDbfs = -25 + 20 * random.nextDouble();
                    final double lowPass = 0.9 * random.nextDouble();
                    final double[] cough = Signals.cough(durationMs, peakDbfs, lowPass, seed * 1_000 + coughs);
                    for (int k = 0; k < cough.length; k++) {
                        x[at + k] += cough[k];
                    }
                    coughs++;
                }
                final VoiceActivityDetector vad = run(Signals.toPcm16(x));
                onsets += vad.onsets();
                rejected += vad.framesRejectedAperiodic();
            }
        }
        REPORT.add(String.format(Locale.ROOT, "cough-like bursts (150-250 ms, peak -25..-5 dBFS, 8 ms attack, exponential decay, "
            + "white to low-passed, over -60 and -45 dBFS pink noise): %d coughs, onsets %d, loud frames rejected as aperiodic %d",
            coughs, onsets, rejected));
        assertEquals(0, onsets);
    }

    private static VoiceActivityDetector run(final short[] pcm) {
        final VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), Signals.RATE_HZ);
        for (int f = 0; (f + 1) * FRAME <= pcm.length; f++) {
            vad.onFrame(pcm, f * FRAME, FRAME);
        }
        return vad;
    }

    /**
     * Onset delay bound: 60 ms plus the onset confirmation, measured from the first audible sound. "Hello" opens
     * with about 60 ms of unvoiced /h/ aspiration, which (like breath) is deliberately not speech to this
     * detector, so that clip gets one more frame.
     */
    private static void assertOnsetsWithinBound(final int[][] delaysByClip) {
        for (int c = 0; c < Signals.CLIPS.length; c++) {
            final int bound = 60 + VadConfig.DEFAULT_ONSET_MS + (Signals.CLIPS[c].startsWith("hello") ? FRAME_MS : 0);
            for (final int delay : delaysByClip[c]) {
                assertTrue(delay <= bound, Signals.CLIPS[c] + " onset delays " + Arrays.toString(delaysByClip[c]) + " ms, bound " + bound);
            }
        }
    }

    /**
     * Runs every clip in every noise colour and seed at one SNR, after {@link #LEAD_IN_MS} of noise alone.
     *
     * @return per clip, the delays (ms) from its first audible sound to the end of the ONSET frame; a miss is MAX_VALUE
     */
    private static int[][] onsetDelaysMs(final double snrDb) {
        final int[][] delays = new int[Signals.CLIPS.length][];
        int earlyOnsets = 0;
        final StringBuilder perClip = new StringBuilder();
        for (int c = 0; c < Signals.CLIPS.length; c++) {
            final double[] clean = Signals.clip(Signals.CLIPS[c]);
            final double noiseDbfs = Signals.activeLevelDbfs(clean) - snrDb;
            final int at = LEAD_IN_MS * Signals.SAMPLES_PER_MS;
            final int startSample = at + Signals.speechStartSample(clean);
            final int total = at + clean.length + TAIL_MS * Signals.SAMPLES_PER_MS;
            delays[c] = new int[Signals.Noise.values().length * SEEDS.length];
            int run = 0;
            for (final Signals.Noise colour : Signals.Noise.values()) {
                for (final long seed : SEEDS) {
                    final double[] bed = Signals.noise(colour, total - total % FRAME, noiseDbfs, seed);
                    final short[] pcm = Signals.toPcm16(Signals.overlay(bed, clean, at));
                    final VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), Signals.RATE_HZ);
                    int delay = Integer.MAX_VALUE;
                    for (int f = 0; (f + 1) * FRAME <= pcm.length; f++) {
                        if (vad.onFrame(pcm, f * FRAME, FRAME) == VadState.ONSET && delay == Integer.MAX_VALUE) {
                            final int endOfFrame = (f + 1) * FRAME;
                            if (endOfFrame <= startSample) {
                                earlyOnsets++;
                            } else {
                                delay = (endOfFrame - startSample) / Signals.SAMPLES_PER_MS;
                            }
                        }
                    }
                    delays[c][run++] = delay;
                }
            }
            perClip.append(String.format(Locale.ROOT, "%n    %-34s %s", Signals.CLIPS[c], summary(delays[c])));
            for (int n = 0; n < Signals.Noise.values().length; n++) {
                perClip.append(String.format(Locale.ROOT, "%n      %-5s %s", Signals.Noise.values()[n],
                    Arrays.toString(Arrays.copyOfRange(delays[c], n * SEEDS.length, (n + 1) * SEEDS.length))
                        .replace(String.valueOf(Integer.MAX_VALUE), "miss")));
            }
        }
        final int[] all = Arrays.stream(delays).flatMapToInt(Arrays::stream).toArray();
        REPORT.add(String.format(Locale.ROOT, "onset delay at %2.0f dB SNR, %d runs (3 clips x white/pink/brown noise x %d seeds), "
            + "from first audible sound to end of ONSET frame: %s; onsets during the %d ms noise lead-in: %d%s",
            snrDb, all.length, SEEDS.length, summary(all), LEAD_IN_MS, earlyOnsets, perClip));
        assertEquals(0, earlyOnsets, "onsets before the speech at " + snrDb + " dB SNR");
        return delays;
    }

    private static String summary(final int[] delays) {
        final int[] sorted = delays.clone();
        Arrays.sort(sorted);
        int misses = 0;
        for (final int d : sorted) {
            misses += d == Integer.MAX_VALUE ? 1 : 0;
        }
        final int detected = sorted.length - misses;
        if (detected == 0) {
            return "all missed";
        }
        return String.format(Locale.ROOT, "min %d ms, median %d ms, max %d ms, missed %d", sorted[0], sorted[detected / 2],
            sorted[detected - 1], misses);
    }
}
