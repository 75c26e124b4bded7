package io.voxgate.benchmarks.jitter;

import java.util.concurrent.TimeUnit;

import io.voxgate.core.jitter.JitterBuffer;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.core.jitter.PlayoutStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet through the jitter buffer: {@code offer} of a 160-byte PCMU payload plus one playout {@code poll},
 * as the SIP edge does every 20 ms per call. {@code order=REORDERED} swaps every pair of packets, so every other
 * packet arrives after its successor. Sequence numbers and timestamps run on through their wraps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JitterBufferBenchmark {
    private static final long FRAME_NS = 20_000_000L;
    private static final int SSRC = 0x1234_5678;

    /** Arrival order of the packets. */
    @Param({"IN_ORDER", "REORDERED"})
    public String order;

    private JitterBuffer buffer;
    private UnsafeBuffer payload;
    private boolean reordered;
    private int packet;

    /** Builds a buffer with the defaults and plays it into steady state. */
    @Setup(Level.Trial)
    public void setUp() {
        buffer = new JitterBuffer(JitterBufferConfig.defaults());
        payload = new UnsafeBuffer(new byte[160]);
        reordered = "REORDERED".equals(order);
        packet = 0;
        for (int i = 0; i < 10_000; i++) {
            offerAndPoll();
        }
    }

    /** Offer one packet and poll one tick. */
    @Benchmark
    public PlayoutStatus offerAndPoll() {
        final int i = packet++;
        final int sent = reordered ? i ^ 1 : i;
        final long arrivalNs = i * FRAME_NS;
        buffer.offer(SSRC, sent, sent * 160L, false, payload, 0, 160, arrivalNs);
        return buffer.poll(arrivalNs + FRAME_NS / 2);
    }
}
