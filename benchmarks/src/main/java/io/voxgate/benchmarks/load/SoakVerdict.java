package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Whether a sustained run's memory stayed flat: the least-squares slope of heap-after-collection and of direct memory
 * over the second half of the samples (after the ramp and the JIT's and the pools' one-off growth), the mean of the
 * first and of the last minute, and the gateway's registry size once every call has ended.
 *
 * <p>Only the samples taken while the calls were kept up count (not the drain after). Thresholds, per minute of run,
 * {@code max(floor, bytes per ended call x calls ended per minute)}:
 * <ul>
 *   <li>Heap: 1 KiB per ended call (1 % of the 100 KiB per-call heap budget: a call leaking less than that is below
 *       what ten minutes of post-collection samples can tell from noise), at least 1 MiB/min (the collector leaves
 *       what was allocated during its concurrent cycle in the "after" figure; with 10 s samples the slope of that
 *       scatter over five minutes stays within a few hundred KiB/min when nothing leaks).</li>
 *   <li>Direct: the same 1 KiB per ended call, at least 2 MiB/min, because Netty's pooled allocator grows in whole
 *       chunks (4 MiB on Netty 4.1): one more chunk taken halfway through a five-minute half already reads as about
 *       1 MiB/min without any leak.</li>
 *   <li>Registry: exactly 0 once the calls have ended; anything left is a call the gateway never released.</li>
 * </ul>
 * Fewer than {@value #MIN_SAMPLES_IN_HALF} samples in the second half (under about a minute), or a heap-after-collection
 * figure that never changed in it (no collection ran: ZGC may not collect for minutes on a large, quiet heap), give no
 * verdict: {@code inconclusive}.
 *
 * <p>Stateless computations on the caller's data; safe on any thread.
 *
 * @param samples              samples taken
 * @param halfFromSeconds      where the second half starts
 * @param heapSlopeBytesPerMin least-squares slope of heap after collection over the second half (NaN when unknown)
 * @param directSlopeBytesPerMin least-squares slope of direct memory over the second half (NaN when unknown)
 * @param heapFirstMinuteBytes mean heap after collection in the first minute of samples (-1 when unknown)
 * @param heapLastMinuteBytes  mean heap after collection in the last minute of samples (-1 when unknown)
 * @param directFirstMinuteBytes mean direct memory in the first minute (-1 when unknown)
 * @param directLastMinuteBytes  mean direct memory in the last minute (-1 when unknown)
 * @param heapLimitBytesPerMin   the heap threshold used
 * @param directLimitBytesPerMin the direct threshold used
 * @param registryAtEnd        calls the gateway still held after every call ended (-1 when unknown)
 * @param verdict              {@code pass}, {@code fail} or {@code inconclusive}
 * @param reason               why, in words
 */
record SoakVerdict(int samples, double halfFromSeconds, double heapSlopeBytesPerMin, double directSlopeBytesPerMin,
                   long heapFirstMinuteBytes, long heapLastMinuteBytes, long directFirstMinuteBytes, long directLastMinuteBytes,
                   double heapLimitBytesPerMin, double directLimitBytesPerMin, long registryAtEnd, String verdict, String reason) {
    static final int MIN_SAMPLES_IN_HALF = 6;
    static final double LEAK_BYTES_PER_ENDED_CALL = 1_024;
    static final double HEAP_FLOOR_BYTES_PER_MIN = 1_048_576;
    static final double DIRECT_FLOOR_BYTES_PER_MIN = 2 * 1_048_576;

    /**
     * Judges {@code all} samples (in time order) of a run that kept its calls up until {@code sustainedSeconds} (later
     * samples, taken while the last calls drain, are left out), in which {@code callsEndedPerMinute} calls ended per
     * minute on average, with {@code registryAtEnd} calls left in the gateway at the end.
     */
    static SoakVerdict judge(final List<SoakSample> all, final double sustainedSeconds, final double callsEndedPerMinute,
                             final long registryAtEnd) {
        final List<SoakSample> samples = all.stream().filter(s -> s.seconds() <= sustainedSeconds).toList();
        final double endSeconds = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds();
        final double halfFrom = endSeconds / 2;
        final List<SoakSample> half = samples.stream().filter(s -> s.seconds() >= halfFrom).toList();
        final double heapSlope = slopePerMinute(half, SoakSample::heapAfterGcBytes);
        final double directSlope = slopePerMinute(half, SoakSample::directUsedBytes);
        final double perCall = LEAK_BYTES_PER_ENDED_CALL * Math.max(0, callsEndedPerMinute);
        final double heapLimit = Math.max(HEAP_FLOOR_BYTES_PER_MIN, perCall);
        final double directLimit = Math.max(DIRECT_FLOOR_BYTES_PER_MIN, perCall);
        final String verdict;
        final StringBuilder reason = new StringBuilder();
        // A slope of a handful of samples says nothing; calls left behind are a leak however short the run.
        final boolean enough = half.size() >= MIN_SAMPLES_IN_HALF;
        if (registryAtEnd > 0) {
            reason.append(registryAtEnd).append(" calls left in the registry; ");
        }
        if (enough && heapSlope > heapLimit) {
            reason.append("heap after collection grows ").append(Math.round(heapSlope)).append(" B/min; ");
        }
        if (enough && directSlope > directLimit) {
            reason.append("direct memory grows ").append(Math.round(directSlope)).append(" B/min; ");
        }
        if (reason.length() > 0) {
            verdict = "fail";
        } else if (enough && half.stream().mapToLong(SoakSample::heapAfterGcBytes).distinct().count() == 1) {
            // The same figure to the byte at every sample: no collection ran in the second half, so it says nothing.
            verdict = "inconclusive";
            reason.append("heap after collection never changed in the second half: no collection ran (start the gateway with "
                + "-XX:ZCollectionInterval=" + SoakMonitor.INTERVAL_SECONDS + ", as load.sh does for a sustained run)");
        } else if (!enough || Double.isNaN(heapSlope) || Double.isNaN(directSlope) || registryAtEnd < 0) {
            verdict = "inconclusive";
            reason.append(half.size()).append(" samples in the second half (at least ").append(MIN_SAMPLES_IN_HALF)
                .append(" needed), heap ").append(Double.isNaN(heapSlope) ? "unknown" : "known").append(", direct ")
                .append(Double.isNaN(directSlope) ? "unknown" : "known").append(", registry ")
                .append(registryAtEnd < 0 ? "unknown" : "known");
        } else {
            verdict = "pass";
            reason.append("heap and direct memory flat within the limits, registry empty");
        }
        final String why = reason.toString().replaceAll("; $", "");
        final double lastFrom = endSeconds - 60;
        return new SoakVerdict(samples.size(), halfFrom, heapSlope, directSlope,
            meanOver(samples, 0, 60, SoakSample::heapAfterGcBytes), meanOver(samples, lastFrom, endSeconds, SoakSample::heapAfterGcBytes),
            meanOver(samples, 0, 60, SoakSample::directUsedBytes), meanOver(samples, lastFrom, endSeconds, SoakSample::directUsedBytes),
            heapLimit, directLimit, registryAtEnd, verdict, why);
    }

    /**
     * Least-squares slope of {@code value} against time, in bytes per minute, over the samples where it is known
     * (not negative); NaN with fewer than two such samples or no spread in time.
     */
    static double slopePerMinute(final List<SoakSample> samples, final ToLongFunction<SoakSample> value) {
        int n = 0;
        double sumT = 0;
        double sumV = 0;
        for (final SoakSample s : samples) {
            final long v = value.applyAsLong(s);
            if (v >= 0) {
                n++;
                sumT += s.seconds() / 60;
                sumV += v;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        final double meanT = sumT / n;
        final double meanV = sumV / n;
        double covariance = 0;
        double variance = 0;
        for (final SoakSample s : samples) {
            final long v = value.applyAsLong(s);
            if (v >= 0) {
                final double dt = s.seconds() / 60 - meanT;
                covariance += dt * (v - meanV);
                variance += dt * dt;
            }
        }
        return variance == 0 ? Double.NaN : covariance / variance;
    }

    /** Mean of {@code value} over the samples with {@code fromSeconds <= seconds <= toSeconds} where it is known, or -1. */
    static long meanOver(final List<SoakSample> samples, final double fromSeconds, final double toSeconds,
                         final ToLongFunction<SoakSample> value) {
        long sum = 0;
        int n = 0;
        for (final SoakSample s : samples) {
            final long v = value.applyAsLong(s);
            if (v >= 0 && s.seconds() >= fromSeconds && s.seconds() <= toSeconds) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? -1 : sum / n;
    }

    /** Whether the run failed the soak (an inconclusive one did not). */
    boolean failed() {
        return "fail".equals(verdict);
    }

    /** This verdict and its thresholds as JSON. */
    ObjectNode toJson(final ObjectMapper mapper) {
        final ObjectNode node = mapper.createObjectNode();
        node.put("verdict", verdict);
        node.put("reason", reason);
        node.put("samples", samples);
        node.put("secondHalfFromSeconds", halfFromSeconds);
        putFinite(node, "heapAfterGcSlopeBytesPerMin", heapSlopeBytesPerMin);
        putFinite(node, "directSlopeBytesPerMin", directSlopeBytesPerMin);
        node.put("heapAfterGcFirstMinuteMeanBytes", heapFirstMinuteBytes);
        node.put("heapAfterGcLastMinuteMeanBytes", heapLastMinuteBytes);
        node.put("directFirstMinuteMeanBytes", directFirstMinuteBytes);
        node.put("directLastMinuteMeanBytes", directLastMinuteBytes);
        node.put("registryAtEnd", registryAtEnd);
        final ObjectNode limits = node.putObject("thresholds");
        limits.put("heapSlopeLimitBytesPerMin", Math.round(heapLimitBytesPerMin));
        limits.put("directSlopeLimitBytesPerMin", Math.round(directLimitBytesPerMin));
        limits.put("rule", "slope over the second half <= max(floor, " + Math.round(LEAK_BYTES_PER_ENDED_CALL)
            + " B x calls ended per minute); heap floor " + Math.round(HEAP_FLOOR_BYTES_PER_MIN) + " B/min, direct floor "
            + Math.round(DIRECT_FLOOR_BYTES_PER_MIN) + " B/min; registry 0 at the end; at least " + MIN_SAMPLES_IN_HALF
            + " samples in the second half");
        return node;
    }

    private static void putFinite(final ObjectNode node, final String name, final double value) {
        if (Double.isFinite(value)) {
            node.put(name, Math.round(value));
        } else {
            node.putNull(name);
        }
    }
}
