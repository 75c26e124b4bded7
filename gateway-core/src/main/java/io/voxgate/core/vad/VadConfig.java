package io.voxgate.core.vad;

import java.util.Locale;

/**
 * Tuning of a {@link VoiceActivityDetector}: frame size, onset confirmation, hangover and the thresholds of the
 * energy and periodicity tests.
 *
 * <p>Immutable and validated when built: {@link #defaults()} gives the values barge-in is tuned for and each
 * {@code withX} method returns a validated copy with one option changed. An invalid value is rejected with an
 * {@link IllegalArgumentException} whose message starts with the option's name (the constants {@code *_NAME}).
 * Safe to share between threads and detectors.
 *
 * <p>Units: durations in milliseconds, levels in dBFS (0 dBFS = a full-scale square wave), margins in dB,
 * adaptation rates in dB per second, periodicity as a normalized autocorrelation in (0, 1).
 */
public final class VadConfig {
    /** Name of the frame duration option. */
    public static final String FRAME_MS_NAME = "frameMs";
    /** 20 ms: the packetization of G.711 over RTP and Twilio Media Streams. 10 ms is also accepted. */
    public static final int DEFAULT_FRAME_MS = 20;

    /** Name of the onset confirmation option. */
    public static final String ONSET_MS_NAME = "onsetMs";
    /**
     * 40 ms: two voiced 20 ms frames in a row. Long enough that a single click or a chance correlation in one
     * noise frame never confirms, short enough that barge-in reacts within a syllable.
     */
    public static final int DEFAULT_ONSET_MS = 40;
    /** Longest onset confirmation accepted; beyond this barge-in stops feeling immediate. */
    public static final int MAX_ONSET_MS = 200;

    /** Name of the hangover option. */
    public static final String HANGOVER_MS_NAME = "hangoverMs";
    /**
     * 300 ms: bridges the pauses between words and short phrase breaks (typically 100 to 250 ms), so one
     * utterance yields one onset.
     */
    public static final int DEFAULT_HANGOVER_MS = 300;
    /** Longest hangover accepted. */
    public static final int MAX_HANGOVER_MS = 2_000;

    /** Name of the onset energy margin option. */
    public static final String SPEECH_THRESHOLD_DB_NAME = "speechThresholdDb";
    /**
     * 5 dB above the noise floor: low enough that speech at 0 dB SNR still lifts its louder frames over it. The
     * 20 ms energies of white noise stay within about 1 dB of the floor, those of pink or brown noise swing by
     * several dB and do cross it; the periodicity test, not this margin, is what rejects loud noise.
     */
    public static final double DEFAULT_SPEECH_THRESHOLD_DB = 5.0;

    /** Name of the continuation energy margin option. */
    public static final String HOLD_THRESHOLD_DB_NAME = "holdThresholdDb";
    /**
     * 3 dB above the floor (plus twice the noise's measured excursion above it, which the detector adds) keeps
     * unvoiced consonants and word tails inside the utterance.
     */
    public static final double DEFAULT_HOLD_THRESHOLD_DB = 3.0;

    /** Name of the absolute speech level option. */
    public static final String MIN_SPEECH_DBFS_NAME = "minSpeechDbfs";
    /** -55 dBFS: telephone speech sits around -20 to -30 dBFS; anything quieter than this is not a caller. */
    public static final double DEFAULT_MIN_SPEECH_DBFS = -55.0;

    /** Name of the periodicity threshold option. */
    public static final String PERIODICITY_THRESHOLD_NAME = "periodicityThreshold";
    /**
     * 0.55: voiced frames of clean speech score 0.7 to 0.95 (median about 0.75, still about 0.6 at 5 dB SNR), while
     * frames of white, pink and brown noise and of cough-like bursts score a median of 0.2 to 0.3 and exceed 0.55
     * in about 1 % of 20 ms windows, which two frames in a row and the 40 ms re-test then reject.
     */
    public static final double DEFAULT_PERIODICITY_THRESHOLD = 0.55;

    /** Name of the noise floor rise rate option. */
    public static final String FLOOR_RISE_DB_PER_SECOND_NAME = "floorRiseDbPerSecond";
    /**
     * 10 dB/s: a floor that rises slowly follows a noisier line within seconds but cannot climb into a
     * sentence; it never rises on a periodic (voiced) frame.
     */
    public static final double DEFAULT_FLOOR_RISE_DB_PER_SECOND = 10.0;

    /** Name of the noise floor fall rate option. */
    public static final String FLOOR_FALL_DB_PER_SECOND_NAME = "floorFallDbPerSecond";
    /**
     * 100 dB/s: falls to a quieter line within a few frames, yet one lost frame of digital silence lowers it
     * by only 2 dB (at 20 ms frames) instead of dropping it to -100 dBFS.
     */
    public static final double DEFAULT_FLOOR_FALL_DB_PER_SECOND = 100.0;

    /** Name of the initial noise floor option. */
    public static final String INITIAL_FLOOR_DBFS_NAME = "initialFloorDbfs";
    /**
     * -50 dBFS: a typical quiet telephone line. Speech from the first frame is still detected, a quieter line is
     * reached within a few frames and a noisier one within a few seconds.
     */
    public static final double DEFAULT_INITIAL_FLOOR_DBFS = -50.0;

    /** Lowest level the detector reports; digital silence is clamped here. */
    static final double SILENCE_DBFS = -100.0;

    private static final VadConfig DEFAULTS = new VadConfig(DEFAULT_FRAME_MS, DEFAULT_ONSET_MS, DEFAULT_HANGOVER_MS,
        DEFAULT_SPEECH_THRESHOLD_DB, DEFAULT_HOLD_THRESHOLD_DB, DEFAULT_MIN_SPEECH_DBFS, DEFAULT_PERIODICITY_THRESHOLD,
        DEFAULT_FLOOR_RISE_DB_PER_SECOND, DEFAULT_FLOOR_FALL_DB_PER_SECOND, DEFAULT_INITIAL_FLOOR_DBFS);

    private final int frameMs;
    private final int onsetMs;
    private final int hangoverMs;
    private final double speechThresholdDb;
    private final double holdThresholdDb;
    private final double minSpeechDbfs;
    private final double periodicityThreshold;
    private final double floorRiseDbPerSecond;
    private final double floorFallDbPerSecond;
    private final double initialFloorDbfs;

    private VadConfig(final int frameMs, final int onsetMs, final int hangoverMs, final double speechThresholdDb,
        final double holdThresholdDb, final double minSpeechDbfs, final double periodicityThreshold,
        final double floorRiseDbPerSecond, final double floorFallDbPerSecond, final double initialFloorDbfs) {
        if (frameMs != 10 && frameMs != 20) {
            throw invalid(FRAME_MS_NAME, frameMs + " ms is not supported (10 or 20)");
        }
        if (onsetMs < frameMs || onsetMs > MAX_ONSET_MS || onsetMs % frameMs != 0) {
            throw invalid(ONSET_MS_NAME, onsetMs + " ms must be a multiple of " + FRAME_MS_NAME + " (" + frameMs
                + " ms) between " + frameMs + " and " + MAX_ONSET_MS + " ms");
        }
        if (hangoverMs < frameMs || hangoverMs > MAX_HANGOVER_MS || hangoverMs % frameMs != 0) {
            throw invalid(HANGOVER_MS_NAME, hangoverMs + " ms must be a multiple of " + FRAME_MS_NAME + " (" + frameMs
                + " ms) between " + frameMs + " and " + MAX_HANGOVER_MS + " ms");
        }
        requireRange(SPEECH_THRESHOLD_DB_NAME, speechThresholdDb, 0.5, 40.0, "dB");
        requireRange(HOLD_THRESHOLD_DB_NAME, holdThresholdDb, 0.5, 40.0, "dB");
        if (holdThresholdDb > speechThresholdDb) {
            throw invalid(HOLD_THRESHOLD_DB_NAME, format(holdThresholdDb) + " dB must not exceed "
                + SPEECH_THRESHOLD_DB_NAME + " (" + format(speechThresholdDb) + " dB): an utterance must be able to "
                + "continue on any frame that could start one");
        }
        requireRange(MIN_SPEECH_DBFS_NAME, minSpeechDbfs, -90.0, -10.0, "dBFS");
        requireRange(PERIODICITY_THRESHOLD_NAME, periodicityThreshold, 0.05, 0.99, "");
        requireRange(FLOOR_RISE_DB_PER_SECOND_NAME, floorRiseDbPerSecond, 0.1, 200.0, "dB/s");
        requireRange(FLOOR_FALL_DB_PER_SECOND_NAME, floorFallDbPerSecond, 1.0, 2_000.0, "dB/s");
        requireRange(INITIAL_FLOOR_DBFS_NAME, initialFloorDbfs, -90.0, -10.0, "dBFS");
        this.frameMs = frameMs;
        this.onsetMs = onsetMs;
        this.hangoverMs = hangoverMs;
        this.speechThresholdDb = speechThresholdDb;
        this.holdThresholdDb = holdThresholdDb;
        this.minSpeechDbfs = minSpeechDbfs;
        this.periodicityThreshold = periodicityThreshold;
        this.floorRiseDbPerSecond = floorRiseDbPerSecond;
        this.floorFallDbPerSecond = floorFallDbPerSecond;
        this.initialFloorDbfs = initialFloorDbfs;
    }

    /** The values barge-in detection is tuned for (see each {@code DEFAULT_*} constant for why). */
    public static VadConfig defaults() {
        return DEFAULTS;
    }

    /** Returns a copy with {@link #frameMs()} changed; onset and hangover must stay multiples of it. */
    public VadConfig withFrameMs(final int value) {
        return new VadConfig(value, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #onsetMs()} changed. */
    public VadConfig withOnsetMs(final int value) {
        return new VadConfig(frameMs, value, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #hangoverMs()} changed. */
    public VadConfig withHangoverMs(final int value) {
        return new VadConfig(frameMs, onsetMs, value, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #speechThresholdDb()} changed. */
    public VadConfig withSpeechThresholdDb(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, value, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #holdThresholdDb()} changed. */
    public VadConfig withHoldThresholdDb(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, value, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #minSpeechDbfs()} changed. */
    public VadConfig withMinSpeechDbfs(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, value,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #periodicityThreshold()} changed. */
    public VadConfig withPeriodicityThreshold(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            value, floorRiseDbPerSecond, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #floorRiseDbPerSecond()} changed. */
    public VadConfig withFloorRiseDbPerSecond(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, value, floorFallDbPerSecond, initialFloorDbfs);
    }

    /** Returns a copy with {@link #floorFallDbPerSecond()} changed. */
    public VadConfig withFloorFallDbPerSecond(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, value, initialFloorDbfs);
    }

    /** Returns a copy with {@link #initialFloorDbfs()} changed. */
    public VadConfig withInitialFloorDbfs(final double value) {
        return new VadConfig(frameMs, onsetMs, hangoverMs, speechThresholdDb, holdThresholdDb, minSpeechDbfs,
            periodicityThreshold, floorRiseDbPerSecond, floorFallDbPerSecond, value);
    }

    /** Duration of one frame given to {@link VoiceActivityDetector#onFrame}, 10 or 20 ms. */
    public int frameMs() {
        return frameMs;
    }

    /** How long speech must be seen, in consecutive voiced frames, before it is confirmed (a multiple of frameMs). */
    public int onsetMs() {
        return onsetMs;
    }

    /** How long an utterance lasts past its last active frame before it ends (a multiple of frameMs). */
    public int hangoverMs() {
        return hangoverMs;
    }

    /** Margin above the noise floor a frame needs, in dB, to count towards an onset. */
    public double speechThresholdDb() {
        return speechThresholdDb;
    }

    /**
     * Margin above the noise floor a frame needs, in dB, to keep an utterance going (no more than the onset margin);
     * the detector adds twice the noise's typical excursion above the floor.
     */
    public double holdThresholdDb() {
        return holdThresholdDb;
    }

    /** Absolute level, in dBFS, below which a frame is never speech. */
    public double minSpeechDbfs() {
        return minSpeechDbfs;
    }

    /** Normalized autocorrelation at the best pitch lag a frame needs to count as voiced. */
    public double periodicityThreshold() {
        return periodicityThreshold;
    }

    /** Fastest upward adaptation of the noise floor, in dB per second (never on voiced frames). */
    public double floorRiseDbPerSecond() {
        return floorRiseDbPerSecond;
    }

    /** Fastest downward adaptation of the noise floor, in dB per second. */
    public double floorFallDbPerSecond() {
        return floorFallDbPerSecond;
    }

    /** Noise floor, in dBFS, assumed before the first frame. */
    public double initialFloorDbfs() {
        return initialFloorDbfs;
    }

    /** Onset confirmation in frames. */
    int onsetFrames() {
        return onsetMs / frameMs;
    }

    /** Hangover in frames. */
    int hangoverFrames() {
        return hangoverMs / frameMs;
    }

    @Override
    public String toString() {
        return "VadConfig{" + FRAME_MS_NAME + '=' + frameMs + ", " + ONSET_MS_NAME + '=' + onsetMs + ", "
            + HANGOVER_MS_NAME + '=' + hangoverMs + ", " + SPEECH_THRESHOLD_DB_NAME + '=' + format(speechThresholdDb)
            + ", " + HOLD_THRESHOLD_DB_NAME + '=' + format(holdThresholdDb) + ", " + MIN_SPEECH_DBFS_NAME + '='
            + format(minSpeechDbfs) + ", " + PERIODICITY_THRESHOLD_NAME + '=' + format(periodicityThreshold) + ", "
            + FLOOR_RISE_DB_PER_SECOND_NAME + '=' + format(floorRiseDbPerSecond) + ", " + FLOOR_FALL_DB_PER_SECOND_NAME
            + '=' + format(floorFallDbPerSecond) + ", " + INITIAL_FLOOR_DBFS_NAME + '=' + format(initialFloorDbfs) + '}';
    }

    private static void requireRange(final String name, final double value, final double min, final double max,
        final String unit) {
        // Written so that NaN fails too.
        if (!(value >= min && value <= max)) {
            final String suffix = unit.isEmpty() ? "" : " " + unit;
            throw invalid(name, format(value) + suffix + " is outside [" + format(min) + ", " + format(max) + "]" + suffix);
        }
    }

    private static IllegalArgumentException invalid(final String name, final String detail) {
        return new IllegalArgumentException(name + ": " + detail);
    }

    private static String format(final double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
