package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.app.metrics.GatewayMetrics;
import org.HdrHistogram.Histogram;

/**
 * The sections of {@code result.json} that both edges' load runs write the same way: latency percentiles, the
 * gateway's own per-direction latency, and the resources section (CPU per call, live heap and direct memory per call).
 *
 * <p>Stateless; safe on any thread. Units: latencies in µs, CPU in cores, memory in bytes.
 */
final class ResultJson {
    private static final long NS_PER_S = 1_000_000_000L;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};

    private ResultJson() {
    }

    /** Count, min, mean, p50 ... p99.99 and max of {@code h}; count alone when it is empty. */
    static ObjectNode percentiles(final ObjectMapper mapper, final Histogram h) {
        final ObjectNode node = mapper.createObjectNode();
        node.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return node;
        }
        node.put("min", h.getMinValue());
        node.put("mean", Math.round(h.getMean()));
        for (final double p : PERCENTILES) {
            node.put(p == 100 ? "max" : "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)),
                p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p));
        }
        return node;
    }

    /**
     * Puts the gateway's per-direction latency of the measured run into {@code own}: what its node-wide recorders
     * hold {@code now}, less what they held {@code before} the run (null: nothing to take off).
     */
    static void gatewayLatency(final ObjectNode own, final ObjectMapper mapper, final GatewayMetrics.EdgeLatency now,
                               final GatewayMetrics.EdgeLatency before) {
        final Histogram inboundUs = now.inboundUs();
        final Histogram outboundUs = now.outboundUs();
        if (before != null) {
            inboundUs.subtract(before.inboundUs());
            outboundUs.subtract(before.outboundUs());
        }
        own.set("inboundUs", percentiles(mapper, inboundUs));
        own.set("outboundUs", percentiles(mapper, outboundUs));
    }

    /** What the run's resource figures were measured on and how the live heap was taken. */
    record Scope(boolean external, boolean externalPidKnown) {
    }

    /** The live heap (bytes, -1 when unknown) before the calls, with every call up, and after them. */
    record LiveHeap(long beforeBytes, long steadyBytes, long afterBytes) {
    }

    /**
     * Writes the {@code resources} section: live heap and direct memory before, during and after, and, when a steady
     * window with {@code activeInWindow} calls up was measured, CPU (whole process, and in-process per thread group)
     * and heap and direct memory per call.
     *
     * @return the section, for callers that add to it
     */
    static ObjectNode resources(final ObjectNode json, final Scope scope, final LiveHeap heap, final ResourceSnapshot before,
                                final ResourceSnapshot after, final ResourceSnapshot windowStart, final ResourceSnapshot windowEnd,
                                final long activeInWindow) {
        final ObjectNode resources = json.putObject("resources");
        resources.put("scope", scope.external() ? "gateway process" : "whole JVM: gateway and generator");
        resources.put("liveHeapMethod", !scope.external() ? "System.gc() in this JVM"
            : scope.externalPidKnown() ? "jcmd GC.run, then /metrics" : "/metrics heap in use (not after a collection)");
        resources.put("liveHeapBeforeBytes", heap.beforeBytes());
        resources.put("liveHeapSteadyBytes", heap.steadyBytes());
        resources.put("liveHeapAfterBytes", heap.afterBytes());
        resources.put("directBeforeBytes", before.directUsedBytes());
        resources.put("directAfterBytes", after.directUsedBytes());
        resources.put("activeCallsInWindow", activeInWindow);
        if (windowStart == null || windowEnd == null || activeInWindow <= 0) {
            return resources;
        }
        final double seconds = (windowEnd.wallNs() - windowStart.wallNs()) / (double) NS_PER_S;
        resources.put("windowSeconds", seconds);
        resources.put("directSteadyBytes", windowEnd.directUsedBytes());
        putCores(resources, "process", windowStart.processCpuNs(), windowEnd.processCpuNs(), seconds, activeInWindow);
        if (!scope.external()) {
            putCores(resources, "gatewayThreads", windowStart.gatewayThreadCpuNs(), windowEnd.gatewayThreadCpuNs(), seconds,
                activeInWindow);
            putCores(resources, "generatorThreads", windowStart.generatorThreadCpuNs(), windowEnd.generatorThreadCpuNs(), seconds,
                activeInWindow);
        }
        if (heap.steadyBytes() >= 0 && heap.beforeBytes() >= 0) {
            resources.put("heapPerCallBytes", (heap.steadyBytes() - heap.beforeBytes()) / activeInWindow);
        }
        if (windowEnd.directUsedBytes() >= 0 && before.directUsedBytes() >= 0) {
            resources.put("directPerCallBytes", (windowEnd.directUsedBytes() - before.directUsedBytes()) / activeInWindow);
        }
        return resources;
    }

    private static void putCores(final ObjectNode node, final String name, final long startNs, final long endNs, final double seconds,
                                 final long calls) {
        if (startNs < 0 || endNs < 0) {
            return;
        }
        final double cores = (endNs - startNs) / (double) NS_PER_S / seconds;
        node.put(name + "Cores", cores);
        node.put(name + "PercentOfCorePerCall", 100 * cores / calls);
    }
}
