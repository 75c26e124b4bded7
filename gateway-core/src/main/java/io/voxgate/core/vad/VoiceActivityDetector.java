package io.voxgate.core.vad;

import java.util.Arrays;

/**
 * Per-frame voice activity decision for barge-in: fires quickly when the caller starts to talk, and not on noise,
 * clicks or coughs.
 *
 * <p>How a frame is judged:
 * <ol>
 *   <li><b>Energy.</b> The frame's mean power with its DC removed, in dBFS (full-scale square wave = 0 dBFS),
 *       is compared with an adaptive noise floor. The floor follows the lower envelope of frame energies: it
 *       falls quickly (at most {@link VadConfig#floorFallDbPerSecond()}) and rises slowly (at most
 *       {@link VadConfig#floorRiseDbPerSecond()}), and never rises on a voiced frame, so speech does not
 *       raise it while stationary noise is absorbed within seconds.</li>
 *   <li><b>Periodicity.</b> Only when a frame is loud enough to start speech
 *       ({@link VadConfig#speechThresholdDb()} over the floor and at least {@link VadConfig#minSpeechDbfs()})
 *       is it tested for voicing: the signal is box-car decimated to 2 kHz, first-differenced (which whitens
 *       the rumble of brown noise) and the normalized autocorrelation of its last 20 ms is searched over pitch
 *       lags 2 to 16 ms (62 to 500 Hz) on a 1 ms grid refined to 0.5 ms around the best. Voiced speech scores
 *       high; noise, coughs (broadband, aperiodic) and clicks (one impulse, no repetition) score low.</li>
 *   <li><b>Onset.</b> {@link VadConfig#onsetMs()} of consecutive voiced frames confirm an utterance
 *       ({@link VadState#ONSET}) once the whole run, re-tested as one window (20 to 40 ms) at the pitch lag
 *       found, is still periodic and its older half holds at least 1/16 of its energy. A click (one frame)
 *       can never confirm; a cough is loud for long enough but is not voiced, and its attack puts its energy
 *       where too few samples remain to correlate by chance.</li>
 *   <li><b>Hangover.</b> An utterance continues while frames stay {@link VadConfig#holdThresholdDb()} plus
 *       twice the noise's mean excursion over the floor (voiced or not, so consonants count) and ends with
 *       {@link VadState#OFFSET} on the frame that completes {@link VadConfig#hangoverMs()} without such a
 *       frame.</li>
 * </ol>
 *
 * <p>Cost: one pass over the samples (sums for energy and decimation), one {@code log10}, and on loud frames
 * about 16 correlations of 40 points. Allocates nothing after construction, takes no lock and reads no clock:
 * the frame count is the time base.
 *
 * <p>Threading: confined to one thread (the call's event loop); not thread-safe. Ownership: {@link #onFrame}
 * borrows the caller's array for the duration of the call only and never writes to it.
 */
public final class VoiceActivityDetector {
    /** Rate the periodicity analysis runs at: pitch harmonics up to 1 kHz are enough to see voicing. */
    private static final int ANALYSIS_RATE_HZ = 2_000;
    /** Analysis window at 2 kHz: 20 ms, whatever the frame duration. */
    private static final int WINDOW = 40;
    /** Shortest pitch lag searched at 2 kHz (2 ms, 500 Hz). */
    private static final int MIN_LAG = 4;
    /** Longest pitch lag searched at 2 kHz (16 ms, 62.5 Hz). */
    private static final int MAX_LAG = 32;
    /** Coarse grid: odd lags from 5 to 31, then the best is refined by one sample either side. */
    private static final int COARSE_FIRST_LAG = MIN_LAG + 1;
    private static final int COARSE_LAST_LAG = MAX_LAG - 1;
    /** Longest window the onset confirmation re-tests at 2 kHz: 40 ms. */
    private static final int CONFIRM_WINDOW_MAX = 2 * WINDOW;
    /** Smoothing of the noise excursion estimate per frame (a time constant of 20 frames). */
    private static final double EXCURSION_SMOOTHING = 0.05;
    /** The older half of the onset span must hold at least 1/16 (-12 dB) of its energy. */
    private static final double SUSTAIN_RATIO = 16.0;
    /** Decimated, differenced history: the longest window plus the longest lag. */
    private static final int HISTORY = CONFIRM_WINDOW_MAX + MAX_LAG;
    private static final double FULL_SCALE_POWER = 32_768.0 * 32_768.0;

    private final VadConfig config;
    private final int sampleRateHz;
    private final int frameSamples;
    private final int decimation;
    private final int decimatedPerFrame;
    private final int onsetFrames;
    private final int hangoverFrames;
    private final double floorRisePerFrameDb;
    private final double floorFallPerFrameDb;
    private final int confirmWindow;
    private final double[] history = new double[HISTORY];

    private int previousBlockSum;
    private double noiseFloorDbfs;
    /** Mean excursion of non-speech frame energies above the floor, in dB. */
    private double noiseExcursionDb;
    private double lastEnergyDbfs;
    private double lastPeriodicity;
    /** Best lag (2 kHz samples) of the last {@link #periodicity()} search. */
    private int pitchLag;
    private boolean speaking;
    private int voicedRun;
    private int hangoverLeft;

    private long framesProcessed;
    private long framesMalformed;
    private long framesSpeaking;
    private long framesRejectedAperiodic;
    private long onsets;
    private long onsetsRejectedAperiodic;
    private long offsets;

    /**
     * Creates a detector for frames of {@code config.frameMs()} at the given rate.
     *
     * @throws IllegalArgumentException naming the rate when it is not 8000, 16000 or 24000 Hz
     */
    public VoiceActivityDetector(final VadConfig config, final int sampleRateHz) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (sampleRateHz != 8_000 && sampleRateHz != 16_000 && sampleRateHz != 24_000) {
            throw new IllegalArgumentException("sampleRateHz: " + sampleRateHz + " Hz is not supported (8000, 16000, 24000)");
        }
        this.config = config;
        this.sampleRateHz = sampleRateHz;
        this.frameSamples = sampleRateHz / 1_000 * config.frameMs();
        this.decimation = sampleRateHz / ANALYSIS_RATE_HZ;
        this.decimatedPerFrame = frameSamples / decimation;
        this.onsetFrames = config.onsetFrames();
        this.hangoverFrames = config.hangoverFrames();
        this.confirmWindow = Math.min(CONFIRM_WINDOW_MAX, Math.max(WINDOW, onsetFrames * decimatedPerFrame));
        this.floorRisePerFrameDb = config.floorRiseDbPerSecond() * config.frameMs() / 1_000.0;
        this.floorFallPerFrameDb = config.floorFallDbPerSecond() * config.frameMs() / 1_000.0;
        reset();
    }

    /**
     * Judges one frame of {@link VadConfig#frameMs()} of PCM16 samples and returns the state after it.
     *
     * <p>A frame of the wrong length or out of the array's bounds is not analysed: it is counted in
     * {@link #framesMalformed()} and the current steady state ({@link VadState#SPEECH} or
     * {@link VadState#SILENCE}) is returned, so an edge is never reported twice.
     *
     * @param pcm     samples, borrowed for this call only
     * @param offset  index of the frame's first sample
     * @param samples number of samples, which must be {@link #frameSamples()}
     */
    public VadState onFrame(final short[] pcm, final int offset, final int samples) {
        if (samples != frameSamples || offset < 0 || offset > pcm.length - samples) {
            framesMalformed++;
            return speaking ? VadState.SPEECH : VadState.SILENCE;
        }
        framesProcessed++;
        final double energyDbfs = analyse(pcm, offset);
        final boolean loud = energyDbfs >= noiseFloorDbfs + config.speechThresholdDb()
            && energyDbfs >= config.minSpeechDbfs();
        // The floor follows the noise's lower envelope, so the hold margin adds twice the noise's typical
        // excursion above it: a few tenths of a dB for white noise, several dB for pink or brown noise whose
        // 20 ms energies swing widely and would otherwise keep every hangover alive.
        final boolean active = energyDbfs >= noiseFloorDbfs + config.holdThresholdDb() + 2.0 * noiseExcursionDb
            && energyDbfs >= config.minSpeechDbfs();
        final double periodicity = loud ? periodicity() : 0.0;
        final boolean voiced = periodicity >= config.periodicityThreshold();
        lastEnergyDbfs = energyDbfs;
        lastPeriodicity = periodicity;
        if (!speaking) {
            final double excursion = Math.max(0.0, Math.min(config.speechThresholdDb(), energyDbfs - noiseFloorDbfs));
            noiseExcursionDb += EXCURSION_SMOOTHING * (excursion - noiseExcursionDb);
        }
        adaptFloor(energyDbfs, voiced);

        final VadState state;
        if (!speaking) {
            if (voiced) {
                voicedRun++;
            } else {
                voicedRun = 0;
                if (loud) {
                    framesRejectedAperiodic++;
                }
            }
            if (voicedRun >= onsetFrames && !confirmed()) {
                // Keep the run primed: the next voiced frame tries again with the window slid on.
                voicedRun = onsetFrames - 1;
                onsetsRejectedAperiodic++;
                state = VadState.SILENCE;
            } else if (voicedRun >= onsetFrames) {
                speaking = true;
                hangoverLeft = hangoverFrames;
                onsets++;
                state = VadState.ONSET;
            } else {
                state = VadState.SILENCE;
            }
        } else if (active) {
            hangoverLeft = hangoverFrames;
            state = VadState.SPEECH;
        } else if (--hangoverLeft > 0) {
            state = VadState.SPEECH;
        } else {
            speaking = false;
            voicedRun = 0;
            offsets++;
            state = VadState.OFFSET;
        }
        if (speaking) {
            framesSpeaking++;
        }
        return state;
    }

    /** True from the {@link VadState#ONSET} frame through the last hangover frame (false on the OFFSET frame). */
    public boolean speaking() {
        return speaking;
    }

    /**
     * True while an utterance is in progress and its last frame was still sound (the onset frame or a frame above the
     * hold threshold): false in the hangover, which only waits to see whether the sound comes back. So the time from
     * {@link VadState#ONSET} to the last frame with this true is how long the sound itself lasted.
     */
    public boolean soundActive() {
        return speaking && hangoverLeft == hangoverFrames;
    }

    /**
     * Returns the detector to its freshly constructed state: history, noise floor, utterance and counters,
     * so a pooled detector can serve a new call.
     */
    public void reset() {
        Arrays.fill(history, 0.0);
        previousBlockSum = 0;
        noiseFloorDbfs = config.initialFloorDbfs();
        noiseExcursionDb = 0.0;
        lastEnergyDbfs = VadConfig.SILENCE_DBFS;
        lastPeriodicity = 0.0;
        speaking = false;
        voicedRun = 0;
        hangoverLeft = 0;
        framesProcessed = 0;
        framesMalformed = 0;
        framesSpeaking = 0;
        framesRejectedAperiodic = 0;
        onsets = 0;
        onsetsRejectedAperiodic = 0;
        offsets = 0;
    }

    /** The configuration this detector runs with. */
    public VadConfig config() {
        return config;
    }

    /** Sample rate of the frames, in Hz. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Samples in one frame: sampleRateHz x frameMs / 1000. */
    public int frameSamples() {
        return frameSamples;
    }

    /** Current noise floor estimate, in dBFS. */
    public double noiseFloorDbfs() {
        return noiseFloorDbfs;
    }

    /** Energy of the last analysed frame, in dBFS (clamped at -100). */
    public double lastEnergyDbfs() {
        return lastEnergyDbfs;
    }

    /** Periodicity (best normalized autocorrelation) of the last analysed frame; 0 when it was not loud enough to test. */
    public double lastPeriodicity() {
        return lastPeriodicity;
    }

    /** Frames analysed. */
    public long framesProcessed() {
        return framesProcessed;
    }

    /** Frames refused because of their length or bounds (not analysed). */
    public long framesMalformed() {
        return framesMalformed;
    }

    /** Analysed frames on which {@link #speaking()} was true afterwards (ONSET and SPEECH frames). */
    public long framesSpeaking() {
        return framesSpeaking;
    }

    /** Frames outside an utterance loud enough to start one but rejected as not voiced (noise bursts, coughs, clicks). */
    public long framesRejectedAperiodic() {
        return framesRejectedAperiodic;
    }

    /** Utterances confirmed ({@link VadState#ONSET} frames). */
    public long onsets() {
        return onsets;
    }

    /**
     * Onset runs that reached {@link VadConfig#onsetMs()} of voiced frames but whose whole span was not periodic
     * at one pitch (chance correlations in noise or a cough).
     */
    public long onsetsRejectedAperiodic() {
        return onsetsRejectedAperiodic;
    }

    /** Utterances ended ({@link VadState#OFFSET} frames). */
    public long offsets() {
        return offsets;
    }

    /**
     * Computes the frame's DC-free energy and appends its decimated, differenced samples to the history.
     *
     * @return the energy in dBFS, at least {@link VadConfig#SILENCE_DBFS}
     */
    private double analyse(final short[] pcm, final int offset) {
        final double[] h = history;
        System.arraycopy(h, decimatedPerFrame, h, 0, HISTORY - decimatedPerFrame);
        final int write = HISTORY - decimatedPerFrame;
        final int step = decimation;
        int previous = previousBlockSum;
        long sum = 0;
        long sumOfSquares = 0;
        int p = offset;
        for (int j = 0; j < decimatedPerFrame; j++) {
            int block = 0;
            for (int k = 0; k < step; k++) {
                final int x = pcm[p + k];
                block += x;
                sumOfSquares += x * x;
            }
            p += step;
            sum += block;
            h[write + j] = block - previous;
            previous = block;
        }
        previousBlockSum = previous;
        final double n = frameSamples;
        final double power = ((double) sumOfSquares - (double) sum * (double) sum / n) / n;
        if (power <= 0.0) {
            return VadConfig.SILENCE_DBFS;
        }
        return Math.max(VadConfig.SILENCE_DBFS, 10.0 * Math.log10(power / FULL_SCALE_POWER));
    }

    /** Best normalized autocorrelation of the last 20 ms over pitch lags 2 to 16 ms; 0 when the window is silent. */
    private double periodicity() {
        final double[] h = history;
        final int windowStart = HISTORY - WINDOW;
        final double windowEnergy = energy(h, windowStart);
        if (windowEnergy <= 0.0) {
            return 0.0;
        }
        int start = windowStart - COARSE_FIRST_LAG;
        double lagEnergy = energy(h, start);
        double best = normalized(correlation(h, windowStart, COARSE_FIRST_LAG), windowEnergy, lagEnergy);
        int bestLag = COARSE_FIRST_LAG;
        double bestLagEnergy = lagEnergy;
        for (int lag = COARSE_FIRST_LAG + 2; lag <= COARSE_LAST_LAG; lag += 2) {
            // The lagged segment moves two samples back: gain two at its start, lose two at its end.
            start -= 2;
            lagEnergy += square(h[start]) + square(h[start + 1]) - square(h[start + WINDOW]) - square(h[start + WINDOW + 1]);
            final double r = normalized(correlation(h, windowStart, lag), windowEnergy, lagEnergy);
            if (r > best) {
                best = r;
                bestLag = lag;
                bestLagEnergy = lagEnergy;
            }
        }
        final int bestStart = windowStart - bestLag;
        final double shorterEnergy = bestLagEnergy - square(h[bestStart]) + square(h[bestStart + WINDOW]);
        final double shorter = normalized(correlation(h, windowStart, bestLag - 1), windowEnergy, shorterEnergy);
        final double longerEnergy = bestLagEnergy + square(h[bestStart - 1]) - square(h[bestStart + WINDOW - 1]);
        final double longer = normalized(correlation(h, windowStart, bestLag + 1), windowEnergy, longerEnergy);
        if (shorter > best && shorter >= longer) {
            pitchLag = bestLag - 1;
            return shorter;
        }
        if (longer > best) {
            pitchLag = bestLag + 1;
            return longer;
        }
        pitchLag = bestLag;
        return best;
    }

    private void adaptFloor(final double energyDbfs, final boolean voiced) {
        if (energyDbfs < noiseFloorDbfs) {
            noiseFloorDbfs = Math.max(energyDbfs, noiseFloorDbfs - floorFallPerFrameDb);
        } else if (!voiced) {
            noiseFloorDbfs = Math.min(energyDbfs, noiseFloorDbfs + floorRisePerFrameDb);
        }
    }

    /**
     * Re-tests the whole onset run as one window (20 to 40 ms) at the last frame's pitch lag
     * and its neighbours. Chance correlations of noise in two 20 ms windows at unrelated lags do not survive
     * one 40 ms window at one lag; a voice holds its pitch across it.
     */
    private boolean confirmed() {
        final double[] h = history;
        final int windowStart = HISTORY - confirmWindow;
        final double windowEnergy = energy(h, windowStart, confirmWindow);
        // An attack (a cough, a burst) puts nearly all of the span's energy in its newest part, leaving a handful
        // of samples to correlate by chance; a voice sustains its level across the span.
        if (energy(h, windowStart, confirmWindow / 2) * SUSTAIN_RATIO < windowEnergy) {
            return false;
        }
        final int first = Math.max(MIN_LAG, pitchLag - 1);
        final int last = Math.min(MAX_LAG, pitchLag + 1);
        double best = 0.0;
        for (int lag = first; lag <= last; lag++) {
            final double lagEnergy = energy(h, windowStart - lag, confirmWindow);
            best = Math.max(best, normalized(correlation(h, windowStart, lag, confirmWindow), windowEnergy, lagEnergy));
        }
        return best >= config.periodicityThreshold();
    }

    private static double energy(final double[] h, final int start) {
        return energy(h, start, WINDOW);
    }

    private static double energy(final double[] h, final int start, final int length) {
        double a0 = 0.0;
        double a1 = 0.0;
        for (int i = start; i < start + length; i += 2) {
            a0 += h[i] * h[i];
            a1 += h[i + 1] * h[i + 1];
        }
        return a0 + a1;
    }

    /** Sum of window x lagged window; four accumulators so the additions pipeline instead of chaining. */
    private static double correlation(final double[] h, final int windowStart, final int lag) {
        return correlation(h, windowStart, lag, WINDOW);
    }

    private static double correlation(final double[] h, final int windowStart, final int lag, final int length) {
        double a0 = 0.0;
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        final int end = windowStart + length;
        for (int i = windowStart; i < end; i += 4) {
            final int j = i - lag;
            a0 += h[i] * h[j];
            a1 += h[i + 1] * h[j + 1];
            a2 += h[i + 2] * h[j + 2];
            a3 += h[i + 3] * h[j + 3];
        }
        return (a0 + a1) + (a2 + a3);
    }

    private static double normalized(final double correlation, final double windowEnergy, final double lagEnergy) {
        final double product = windowEnergy * lagEnergy;
        return product > 0.0 ? correlation / Math.sqrt(product) : 0.0;
    }

    private static double square(final double x) {
        return x * x;
    }
}
