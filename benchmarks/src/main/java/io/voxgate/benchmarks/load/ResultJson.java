package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.app.metrics.GatewayMetrics;
import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The sections of {@code result.json} that both edges' load runs write the same way (latency percentiles, the
 * gateway's own per-direction latency, resources: CPU, live heap and direct memory per call, and GC), and the summary
 * lines printed from them.
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

    /** Writes the {@code gc} section: this JVM's collectors and pauses, {@code scope} saying whose they are. */
    static void gc(final ObjectNode json, final JvmResources jvm, final String scope) {
        final ObjectNode gc = json.putObject("gc");
        gc.put("scope", scope);
        final ArrayNode collectors = gc.putArray("collectors");
        jvm.collectors().forEach(collectors::add);
        gc.put("pauses", jvm.pauses());
        gc.put("pauseMaxMs", jvm.pauseMaxMs());
        gc.put("pauseTotalMs", jvm.pauseTotalMs());
        gc.put("pausesOver1Ms", jvm.pausesOver1Ms());
        gc.put("pausesOver5Ms", jvm.pausesOver5Ms());
        gc.put("requestedCollections", jvm.requestedCollections());
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

    /**
     * Prints the summary's cpu, heap, direct memory and GC lines from the {@code resources} and {@code gc} sections of
     * {@code json}; {@code generatorThreads} names the generator's thread group in the CPU split.
     */
    static void printResources(final PrintStream out, final ObjectNode json, final String generatorThreads) {
        final ObjectNode res = (ObjectNode) json.get("resources");
        final ObjectNode gc = (ObjectNode) json.get("gc");
        if (res.has("processCores")) {
            out.printf(Locale.ROOT, "cpu         %.2f cores for %d calls = %.3f %% of a core per call (%s)%n",
                res.get("processCores").asDouble(), res.get("activeCallsInWindow").asLong(),
                res.get("processPercentOfCorePerCall").asDouble(), res.get("scope").asText());
        }
        if (res.has("gatewayThreadsCores")) {
            out.printf(Locale.ROOT, "            gateway threads %.2f cores (%.3f %%/call), %s %.2f cores%n",
                res.get("gatewayThreadsCores").asDouble(), res.get("gatewayThreadsPercentOfCorePerCall").asDouble(), generatorThreads,
                res.get("generatorThreadsCores").asDouble());
        }
        if (res.has("heapPerCallBytes")) {
            out.printf(Locale.ROOT, "heap        live %.1f MiB before, %.1f MiB steady, %.1f MiB after; %.1f KiB per call%n",
                res.get("liveHeapBeforeBytes").asLong() / 1048576.0, res.get("liveHeapSteadyBytes").asLong() / 1048576.0,
                res.get("liveHeapAfterBytes").asLong() / 1048576.0, res.get("heapPerCallBytes").asLong() / 1024.0);
        }
        if (res.has("directPerCallBytes")) {
            out.printf(Locale.ROOT, "direct      %.1f MiB steady, %.1f KiB per call%n", res.get("directSteadyBytes").asLong() / 1048576.0,
                res.get("directPerCallBytes").asLong() / 1024.0);
        }
        out.printf(Locale.ROOT, "gc          %d pauses, max %d ms, total %d ms (%s)%n", gc.get("pauses").asLong(),
            gc.get("pauseMaxMs").asLong(), gc.get("pauseTotalMs").asLong(), gc.get("scope").asText());
    }
}
