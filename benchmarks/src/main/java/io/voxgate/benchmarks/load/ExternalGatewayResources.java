package io.voxgate.benchmarks.load;

import static io.voxgate.benchmarks.load.MetricsEndpoint.gauge;
import static io.voxgate.benchmarks.load.MetricsEndpoint.value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Resources of a gateway running in its own process on 127.0.0.1: heap and direct memory from its {@code /metrics}
 * (the standard {@code jvm_memory_used_bytes{area="heap"}} and Netty's allocator's
 * {@code voxgate_netty_direct_memory_used_bytes}) and, when its process id is given, its
 * CPU time from {@code /proc/<pid>/stat} (Linux; utime + stime in clock ticks, taken as the usual 100 per second)
 * and its live heap after a full collection asked for with {@code jcmd <pid> GC.run} (the JDK's own tool, next to
 * the {@code java} running this generator).
 *
 * <p>Threading: any one thread at a time per method call (the control thread, and the soak sampler's thread for
 * {@link #soakSample}); it keeps no state besides its metrics endpoint. Figures it cannot read are -1.
 */
final class ExternalGatewayResources {
    /** USER_HZ on every mainstream Linux build; /proc reports CPU time in these ticks. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final int UTIME_FIELD = 13;
    private static final String HEAP_USED = "jvm_memory_used_bytes{area=\"heap\"}";
    /** Netty's own count: from JDK 24 its direct memory is outside the JDK's direct buffer pool. */
    private static final String DIRECT_USED = "voxgate_netty_direct_memory_used_bytes";

    private final MetricsEndpoint metrics;
    private final OptionalInt pid;

    ExternalGatewayResources(final int port, final OptionalInt pid) {
        this.metrics = new MetricsEndpoint(port);
        this.pid = pid;
    }

    /** The gateway's CPU and memory now. */
    ResourceSnapshot snapshot() throws InterruptedException {
        final String scrape = scrape();
        return new ResourceSnapshot(System.nanoTime(), cpuNs(), -1, -1, gauge(scrape, HEAP_USED),
            gauge(scrape, DIRECT_USED));
    }

    /**
     * Heap in use after a full collection of the gateway ({@code jcmd GC.run}, needs the pid); without the pid, heap
     * in use now, garbage included.
     */
    long liveHeapBytes() throws InterruptedException {
        if (pid.isPresent()) {
            final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            try {
                final Process process = new ProcessBuilder(jcmd.toString(), Integer.toString(pid.getAsInt()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return -1;
                }
            } catch (final IOException ex) {
                return -1;
            }
        }
        return gauge(scrape(), HEAP_USED);
    }

    /**
     * The gateway's Twilio-edge frame counters now: {@code [from caller, to caller, held at hang-up]}, the last being
     * agent frames still queued for paced playout when a call ended ({@code pending_at_end} plus {@code call_ended}).
     * Every figure is -1 when {@code /metrics} cannot be read.
     */
    long[] frameCounters() throws InterruptedException {
        final String scrape = scrape();
        final long pending = gauge(scrape, "voxgate_frames_dropped_total{edge=\"twilio\",reason=\"pending_at_end\"}");
        final long ended = gauge(scrape, "voxgate_frames_dropped_total{edge=\"twilio\",reason=\"call_ended\"}");
        return new long[] {gauge(scrape, "voxgate_frames_from_caller_total{edge=\"twilio\"}"),
            gauge(scrape, "voxgate_frames_to_caller_total{edge=\"twilio\"}"), pending < 0 || ended < 0 ? -1 : pending + ended};
    }

    /** Calls, heap (now and after the last collection), direct memory and, with the pid, RSS of the gateway now. */
    SoakSample soakSample(final double seconds) throws InterruptedException {
        final String scrape = scrape();
        return new SoakSample(seconds, gauge(scrape, "voxgate_calls_active{edge=\"twilio\"}"), gauge(scrape, HEAP_USED),
            gauge(scrape, "voxgate_jvm_heap_after_gc_bytes"), gauge(scrape, DIRECT_USED),
            pid.isPresent() ? JvmResources.rssBytes(Path.of("/proc", Integer.toString(pid.getAsInt()), "status")) : -1);
    }

    /** Twilio calls the gateway holds now, or -1. */
    long activeCalls() throws InterruptedException {
        return gauge(scrape(), "voxgate_calls_active{edge=\"twilio\"}");
    }

    /**
     * The gateway's latency summaries of the Twilio edge now, per direction: {@code [inbound, outbound]}, each
     * {@code [count, sum s, p50 s, p90 s, p99 s, p99.9 s]} (NaN where unreadable). The gateway exports HdrHistogram
     * quantiles over every call that ended since it started, not buckets, so only count and sum can be differenced
     * over a run; the quantiles include whatever ran before (the warm-up).
     */
    double[][] latencySummaries() throws InterruptedException {
        final String scrape = scrape();
        final double[][] out = new double[2][];
        final String[] names = {"voxgate_gateway_latency_inbound_seconds", "voxgate_gateway_latency_outbound_seconds"};
        for (int d = 0; d < 2; d++) {
            final String n = names[d];
            out[d] = new double[] {value(scrape, n + "_count{edge=\"twilio\"}"), value(scrape, n + "_sum{edge=\"twilio\"}"),
                value(scrape, n + "{edge=\"twilio\",quantile=\"0.5\"}"), value(scrape, n + "{edge=\"twilio\",quantile=\"0.9\"}"),
                value(scrape, n + "{edge=\"twilio\",quantile=\"0.99\"}"), value(scrape, n + "{edge=\"twilio\",quantile=\"0.999\"}")};
        }
        return out;
    }

    /** Waits up to {@code timeoutMs} for the gateway to report no active Twilio call (its counters are final then). */
    void awaitNoCalls(final long timeoutMs) throws InterruptedException {
        final long giveUpNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (gauge(scrape(), "voxgate_calls_active{edge=\"twilio\"}") > 0 && System.nanoTime() - giveUpNs < 0) {
            Thread.sleep(50);
        }
    }

    private String scrape() throws InterruptedException {
        return metrics.scrape();
    }

    private long cpuNs() {
        if (pid.isEmpty()) {
            return -1;
        }
        try {
            final String stat = Files.readString(Path.of("/proc", Integer.toString(pid.getAsInt()), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final int utime = UTIME_FIELD - 2;
            final long ticks = Long.parseLong(fields[utime]) + Long.parseLong(fields[utime + 1]);
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (final IOException | NumberFormatException | IndexOutOfBoundsException ex) {
            return -1;
        }
    }
}
