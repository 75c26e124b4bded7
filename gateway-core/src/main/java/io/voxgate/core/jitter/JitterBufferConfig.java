package io.voxgate.core.jitter;

/**
 * Validated settings of one {@link JitterBuffer}. Built once at call setup through {@link #builder()}; every
 * option has a name constant (used in error messages and by configuration loaders) and a default.
 *
 * <p>Units are in the names: milliseconds for delays and intervals, hertz for the RTP clock, bytes for the slot
 * size. The buffer assumes each RTP packet carries exactly one frame of {@link #ptimeMs()}: an edge that
 * negotiated another packetisation repacketises before the buffer. Threading: immutable, safe to share.
 */
public final class JitterBufferConfig {
    /** Name of the RTP clock rate option. */
    public static final String CLOCK_RATE_HZ = "clockRateHz";
    /** G.711 and the narrowband payload types use an 8 kHz RTP clock (RFC 3551 §4.5). */
    public static final int CLOCK_RATE_HZ_DEFAULT = 8000;

    /** Name of the packetisation interval option. */
    public static final String PTIME_MS = "ptimeMs";
    /** RFC 3551 §4.2 default packetisation, and what Twilio's trunks send. */
    public static final int PTIME_MS_DEFAULT = 20;

    /** Name of the lower bound of the target delay. */
    public static final String MIN_DELAY_MS = "minDelayMs";
    /** One frame: below that a packet arriving a few ms late already misses its slot. */
    public static final int MIN_DELAY_MS_DEFAULT = 20;

    /** Name of the upper bound of the target delay. */
    public static final String MAX_DELAY_MS = "maxDelayMs";
    /** Beyond 200 ms one-way the added latency hurts a conversation with a voice agent more than the odd loss. */
    public static final int MAX_DELAY_MS_DEFAULT = 200;

    /** Name of the delay used until the buffer has seen enough packets to estimate jitter. */
    public static final String INITIAL_DELAY_MS = "initialDelayMs";
    /** Two frames: covers the ordinary jitter of a carrier trunk before the estimate exists. */
    public static final int INITIAL_DELAY_MS_DEFAULT = 40;

    /** Name of the slot size option. */
    public static final String SLOT_CAPACITY_BYTES = "slotCapacityBytes";
    /** Twice a 20 ms G.711 payload (160 bytes), so a 40 ms packet or a 16-bit PCM frame still fits. */
    public static final int SLOT_CAPACITY_BYTES_DEFAULT = 320;

    /** Name of the cap on consecutive concealed frames before the buffer reports silence. */
    public static final String MAX_CONCEALED_FRAMES = "maxConcealedFrames";
    /** 60 ms of fading repetition bridges a short loss; longer repetition sounds robotic, so silence follows. */
    public static final int MAX_CONCEALED_FRAMES_DEFAULT = 3;

    /** Name of the shortest interval between two delay changes made while speech is playing. */
    public static final String SPEECH_ADAPT_INTERVAL_MS = "speechAdaptIntervalMs";
    /** One 20 ms change per second is inaudible in practice and still outruns a 0.1 % clock skew 50-fold. */
    public static final int SPEECH_ADAPT_INTERVAL_MS_DEFAULT = 1000;

    /** Name of the quantile of recent relative delay the target delay covers. */
    public static final String DELAY_QUANTILE = "delayQuantile";
    /** Covering 97 % of recent delay keeps late loss near 1 %, and the frame-granular playout rounds it up. */
    public static final double DELAY_QUANTILE_DEFAULT = 0.97;

    private static final int MAX_DELAY_MS_LIMIT = 2000;
    private static final int MAX_SLOT_CAPACITY_BYTES = 65_536;

    private final int clockRateHz;
    private final int ptimeMs;
    private final int minDelayMs;
    private final int maxDelayMs;
    private final int initialDelayMs;
    private final int slotCapacityBytes;
    private final int maxConcealedFrames;
    private final int speechAdaptIntervalMs;
    private final double delayQuantile;

    private JitterBufferConfig(final Builder builder) {
        this.clockRateHz = builder.clockRateHz;
        this.ptimeMs = builder.ptimeMs;
        this.minDelayMs = builder.minDelayMs;
        this.maxDelayMs = builder.maxDelayMs;
        this.initialDelayMs = builder.initialDelayMs;
        this.slotCapacityBytes = builder.slotCapacityBytes;
        this.maxConcealedFrames = builder.maxConcealedFrames;
        this.speechAdaptIntervalMs = builder.speechAdaptIntervalMs;
        this.delayQuantile = builder.delayQuantile;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: PCMU/PCMA at 20 ms, delay 20-200 ms starting at 40 ms. */
    public static JitterBufferConfig defaults() {
        return builder().build();
    }

    /** RTP clock rate in Hz. */
    public int clockRateHz() {
        return clockRateHz;
    }

    /** Packetisation interval (one frame) in ms. */
    public int ptimeMs() {
        return ptimeMs;
    }

    /** Lower bound of the target delay in ms. */
    public int minDelayMs() {
        return minDelayMs;
    }

    /** Upper bound of the target delay in ms. */
    public int maxDelayMs() {
        return maxDelayMs;
    }

    /** Delay used until the jitter estimate has enough packets, in ms. */
    public int initialDelayMs() {
        return initialDelayMs;
    }

    /** Payload bytes each slot holds; longer payloads are dropped and counted. */
    public int slotCapacityBytes() {
        return slotCapacityBytes;
    }

    /** Consecutive missing frames reported as concealed before the buffer reports silence. */
    public int maxConcealedFrames() {
        return maxConcealedFrames;
    }

    /** Shortest interval between two one-frame delay changes while speech plays, in ms. */
    public int speechAdaptIntervalMs() {
        return speechAdaptIntervalMs;
    }

    /** Quantile of recent relative transit delay that the target delay covers, in (0, 1). */
    public double delayQuantile() {
        return delayQuantile;
    }

    /** RTP timestamp ticks per frame ({@code clockRateHz * ptimeMs / 1000}). */
    public int frameTicks() {
        return (int) ((long) clockRateHz * ptimeMs / 1000);
    }

    /** Slots preallocated: the power of two covering twice the maximum delay plus a margin for bursts. */
    public int capacityFrames() {
        final int maxDelayFrames = (maxDelayMs + ptimeMs - 1) / ptimeMs;
        final int needed = Math.max(16, 2 * maxDelayFrames + 8);
        return Integer.highestOneBit(needed - 1) << 1;
    }

    @Override
    public String toString() {
        return "JitterBufferConfig{" + CLOCK_RATE_HZ + '=' + clockRateHz + ", " + PTIME_MS + '=' + ptimeMs
            + ", " + MIN_DELAY_MS + '=' + minDelayMs + ", " + MAX_DELAY_MS + '=' + maxDelayMs
            + ", " + INITIAL_DELAY_MS + '=' + initialDelayMs + ", " + SLOT_CAPACITY_BYTES + '=' + slotCapacityBytes
            + ", " + MAX_CONCEALED_FRAMES + '=' + maxConcealedFrames
            + ", " + SPEECH_ADAPT_INTERVAL_MS + '=' + speechAdaptIntervalMs + ", " + DELAY_QUANTILE + '=' + delayQuantile
            + '}';
    }

    /** Mutable collector of options; {@link #build()} validates them together. Threading: one thread. */
    public static final class Builder {
        private int clockRateHz = CLOCK_RATE_HZ_DEFAULT;
        private int ptimeMs = PTIME_MS_DEFAULT;
        private int minDelayMs = MIN_DELAY_MS_DEFAULT;
        private int maxDelayMs = MAX_DELAY_MS_DEFAULT;
        private int initialDelayMs = INITIAL_DELAY_MS_DEFAULT;
        private int slotCapacityBytes = SLOT_CAPACITY_BYTES_DEFAULT;
        private int maxConcealedFrames = MAX_CONCEALED_FRAMES_DEFAULT;
        private int speechAdaptIntervalMs = SPEECH_ADAPT_INTERVAL_MS_DEFAULT;
        private double delayQuantile = DELAY_QUANTILE_DEFAULT;

        private Builder() {
        }

        /** Sets {@value #CLOCK_RATE_HZ}. */
        public Builder clockRateHz(final int value) {
            clockRateHz = value;
            return this;
        }

        /** Sets {@value #PTIME_MS}. */
        public Builder ptimeMs(final int value) {
            ptimeMs = value;
            return this;
        }

        /** Sets {@value #MIN_DELAY_MS}. */
        public Builder minDelayMs(final int value) {
            minDelayMs = value;
            return this;
        }

        /** Sets {@value #MAX_DELAY_MS}. */
        public Builder maxDelayMs(final int value) {
            maxDelayMs = value;
            return this;
        }

        /** Sets {@value #INITIAL_DELAY_MS}. */
        public Builder initialDelayMs(final int value) {
            initialDelayMs = value;
            return this;
        }

        /** Sets {@value #SLOT_CAPACITY_BYTES}. */
        public Builder slotCapacityBytes(final int value) {
            slotCapacityBytes = value;
            return this;
        }

        /** Sets {@value #MAX_CONCEALED_FRAMES}. */
        public Builder maxConcealedFrames(final int value) {
            maxConcealedFrames = value;
            return this;
        }

        /** Sets {@value #SPEECH_ADAPT_INTERVAL_MS}. */
        public Builder speechAdaptIntervalMs(final int value) {
            speechAdaptIntervalMs = value;
            return this;
        }

        /** Sets {@value #DELAY_QUANTILE}. */
        public Builder delayQuantile(final double value) {
            delayQuantile = value;
            return this;
        }

        /**
         * Validates the options together.
         *
         * @throws IllegalArgumentException naming the first option out of range
         */
        public JitterBufferConfig build() {
            requireRange(CLOCK_RATE_HZ, clockRateHz, 1000, 192_000);
            requireRange(PTIME_MS, ptimeMs, 5, 120);
            if ((long) clockRateHz * ptimeMs % 1000 != 0) {
                throw new IllegalArgumentException(PTIME_MS + " (" + ptimeMs + ") must be a whole number of "
                    + CLOCK_RATE_HZ + " (" + clockRateHz + ") ticks");
            }
            requireRange(MIN_DELAY_MS, minDelayMs, 0, MAX_DELAY_MS_LIMIT);
            requireRange(MAX_DELAY_MS, maxDelayMs, 0, MAX_DELAY_MS_LIMIT);
            if (minDelayMs > maxDelayMs) {
                throw new IllegalArgumentException(MIN_DELAY_MS + " (" + minDelayMs + ") must not exceed "
                    + MAX_DELAY_MS + " (" + maxDelayMs + ")");
            }
            if (initialDelayMs < minDelayMs || initialDelayMs > maxDelayMs) {
                throw new IllegalArgumentException(INITIAL_DELAY_MS + " (" + initialDelayMs + ") must lie within "
                    + MIN_DELAY_MS + " (" + minDelayMs + ") and " + MAX_DELAY_MS + " (" + maxDelayMs + ")");
            }
            requireRange(SLOT_CAPACITY_BYTES, slotCapacityBytes, 1, MAX_SLOT_CAPACITY_BYTES);
            requireRange(MAX_CONCEALED_FRAMES, maxConcealedFrames, 0, 50);
            requireRange(SPEECH_ADAPT_INTERVAL_MS, speechAdaptIntervalMs, 0, 60_000);
            if (!(delayQuantile > 0.0 && delayQuantile < 1.0)) {
                throw new IllegalArgumentException(DELAY_QUANTILE + " (" + delayQuantile + ") must lie in (0, 1)");
            }
            return new JitterBufferConfig(this);
        }

        private static void requireRange(final String name, final int value, final int min, final int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " (" + value + ") must lie in [" + min + ", " + max + "]");
            }
        }
    }
}
