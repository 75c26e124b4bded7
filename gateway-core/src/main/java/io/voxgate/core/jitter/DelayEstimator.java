package io.voxgate.core.jitter;

import java.util.Arrays;

/**
 * Turns packet transit times into the jitter buffer's target delay, and keeps the RFC 3550 interarrival jitter.
 *
 * <p>Transit is {@code arrivalNs - timestampNs}; its absolute value is meaningless (sender and receiver clocks
 * differ) but its variation is the network's delay variation. The <em>baseline</em> is the minimum transit over
 * the last two to four seconds (two alternating windows), so it follows clock skew and lasting route changes. A
 * packet's <em>relative delay</em> is its transit above the baseline: how long the playout must wait for it.
 *
 * <p>The target delay is the larger of two estimates, clamped to the configured bounds:
 * <ul>
 *   <li>the configured quantile (default 97 %) of relative delay, from a 1 ms-bucket histogram whose weights
 *       decay with a half-life of {@link #HISTORY_HALF_LIFE_PACKETS} packets (about 5 s of speech); the quantile
 *       bucket is tracked incrementally, so an update is O(1) amortised;</li>
 *   <li>a peak tracker: fast attack (a larger relative delay is taken at once), slow decay (halves every
 *       {@link #PEAK_HALF_LIFE_PACKETS} packets), so a delay spike raises the target at once and lets it fall
 *       back within seconds.</li>
 * </ul>
 * Until {@link #WARM_UP_PACKETS} packets have been seen the target is at least the initial delay.
 *
 * <p>Threading: confined to the owning jitter buffer's thread. Allocation-free after construction.
 */
final class DelayEstimator {
    /** Packets after which a relative-delay sample weighs half as much in the quantile (5 s at 20 ms). */
    static final int HISTORY_HALF_LIFE_PACKETS = 250;
    /** Packets after which the peak tracker has decayed halfway (2 s at 20 ms). */
    static final int PEAK_HALF_LIFE_PACKETS = 100;
    /** Packets before the estimate replaces the initial delay as a floor (1 s at 20 ms). */
    static final int WARM_UP_PACKETS = 50;
    /** Length of each of the two baseline windows. */
    static final long BASELINE_WINDOW_NS = 2_000_000_000L;

    private static final long BUCKET_NS = 1_000_000L;
    private static final double RESCALE_ABOVE = 1e150;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final long minDelayNs;
    private final long maxDelayNs;
    private final long initialDelayNs;
    private final int clockRateHz;
    private final double quantile;
    private final double growth;
    private final double peakDecay;
    private final double[] mass;

    private double weight;
    private double total;
    private double below;
    private int quantileBucket;
    private double peakNs;
    private long packets;

    private boolean hasBaseline;
    private long windowStartNs;
    private long currentWindowMinNs;
    private long previousWindowMinNs;
    private long baselineNs;

    private boolean hasPreviousTransit;
    private long previousTransitNs;
    private long jitterNsTimes16;

    private long targetDelayNs;

    DelayEstimator(final JitterBufferConfig config) {
        this.minDelayNs = config.minDelayMs() * 1_000_000L;
        this.maxDelayNs = config.maxDelayMs() * 1_000_000L;
        this.initialDelayNs = config.initialDelayMs() * 1_000_000L;
        this.clockRateHz = config.clockRateHz();
        this.quantile = config.delayQuantile();
        this.growth = Math.pow(2.0, 1.0 / HISTORY_HALF_LIFE_PACKETS);
        this.peakDecay = Math.pow(0.5, 1.0 / PEAK_HALF_LIFE_PACKETS);
        // One bucket per ms up to the maximum delay, and one for everything beyond it.
        this.mass = new double[(int) (maxDelayNs / BUCKET_NS) + 2];
        clear();
    }

    /** Forgets everything, as at construction. */
    void clear() {
        Arrays.fill(mass, 0.0);
        weight = 1.0;
        total = 0.0;
        below = 0.0;
        quantileBucket = 0;
        peakNs = 0.0;
        packets = 0;
        resetSource();
        targetDelayNs = initialDelayNs;
    }

    /**
     * A new source (SSRC): the baseline and the RFC 3550 jitter restart (§6.4.1 keeps jitter per source); the
     * delay history is a property of the network path and is kept.
     */
    void resetSource() {
        resetTimeline();
        jitterNsTimes16 = 0;
    }

    /** A new timestamp timeline on the same source (resync): transit jumps, so the baseline restarts. */
    void resetTimeline() {
        hasBaseline = false;
        hasPreviousTransit = false;
    }

    /** Takes one packet's transit ({@code arrivalNs - timestampNs}) into account. */
    void onPacket(final long transitNs, final long arrivalNs) {
        if (!hasBaseline) {
            hasBaseline = true;
            windowStartNs = arrivalNs;
            currentWindowMinNs = transitNs;
            previousWindowMinNs = transitNs;
        } else {
            final long elapsedNs = arrivalNs - windowStartNs;
            if (elapsedNs >= BASELINE_WINDOW_NS) {
                // After a silence longer than both windows the old minimum is stale (skew moved it): drop it.
                previousWindowMinNs = elapsedNs >= 2 * BASELINE_WINDOW_NS ? transitNs : currentWindowMinNs;
                currentWindowMinNs = transitNs;
                windowStartNs = arrivalNs;
            } else if (transitNs < currentWindowMinNs) {
                currentWindowMinNs = transitNs;
            }
        }
        baselineNs = Math.min(currentWindowMinNs, previousWindowMinNs);

        if (hasPreviousTransit) {
            // RFC 3550 §6.4.1 / A.8: J += (|D| - J) / 16, kept scaled by 16 in integers.
            final long d = Math.abs(transitNs - previousTransitNs);
            jitterNsTimes16 += d - ((jitterNsTimes16 + 8) >> 4);
        }
        hasPreviousTransit = true;
        previousTransitNs = transitNs;

        final long relativeNs = transitNs - baselineNs;
        addToHistogram(relativeNs);
        peakNs = Math.max(peakNs * peakDecay, relativeNs);
        packets++;
        targetDelayNs = computeTarget();
    }

    private void addToHistogram(final long relativeNs) {
        weight *= growth;
        if (weight > RESCALE_ABOVE) {
            rescale();
        }
        final int bucket = (int) Math.min(relativeNs / BUCKET_NS, mass.length - 1);
        mass[bucket] += weight;
        total += weight;
        if (bucket < quantileBucket) {
            below += weight;
        }
        final double wanted = quantile * total;
        final int last = mass.length - 1;
        while (quantileBucket < last && below + mass[quantileBucket] < wanted) {
            below += mass[quantileBucket];
            quantileBucket++;
        }
        while (quantileBucket > 0 && below >= wanted) {
            quantileBucket--;
            below -= mass[quantileBucket];
        }
        if (below < 0.0) {
            below = 0.0;
        }
    }

    private void rescale() {
        final double inverse = 1.0 / weight;
        double sumBelow = 0.0;
        total = 0.0;
        for (int i = 0; i < mass.length; i++) {
            mass[i] *= inverse;
            total += mass[i];
            if (i < quantileBucket) {
                sumBelow += mass[i];
            }
        }
        below = sumBelow;
        weight = 1.0;
    }

    private long computeTarget() {
        final long quantileNs = (quantileBucket + 1) * BUCKET_NS;
        long estimateNs = Math.max(quantileNs, (long) peakNs);
        if (packets < WARM_UP_PACKETS) {
            estimateNs = Math.max(estimateNs, initialDelayNs);
        }
        return Math.max(minDelayNs, Math.min(maxDelayNs, estimateNs));
    }

    /** Whether a packet has set the baseline since the last reset. */
    boolean hasBaseline() {
        return hasBaseline;
    }

    /** Minimum recent transit, in ns; meaningful once {@link #hasBaseline()}. */
    long baselineNs() {
        return baselineNs;
    }

    /** Delay the playout should add above the baseline, in ns, within the configured bounds. */
    long targetDelayNs() {
        return targetDelayNs;
    }

    /** The quantile estimate alone, in ns (upper edge of its 1 ms bucket). */
    long quantileDelayNs() {
        return (quantileBucket + 1) * BUCKET_NS;
    }

    /** RFC 3550 interarrival jitter in ns. */
    long jitterNs() {
        return jitterNsTimes16 >> 4;
    }

    /** RFC 3550 interarrival jitter in RTP timestamp ticks. */
    long jitterTicks() {
        return jitterNs() * clockRateHz / NS_PER_SECOND;
    }
}
