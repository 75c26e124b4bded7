package io.voxgate.benchmarks.resample;

import io.voxgate.core.resample.PolyphaseResampler;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of resampling one 20 ms frame of speech-like audio (noise plus a tone) with {@link PolyphaseResampler}, as a
 * call's pipeline does every 20 ms. The resampler's history carries over from frame to frame, as in a call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class ResamplerBenchmark {
    /** Input and output rates in Hz, as {@code in->out}. */
    @Param({"8000->16000", "16000->8000", "8000->24000", "24000->8000", "16000->24000", "24000->16000"})
    public String conversion;

    private PolyphaseResampler resampler;
    private short[] in;
    private short[] out;

    /** Builds the resampler and one frame of input at the input rate. */
    @Setup
    public void setup() {
        final String[] rates = conversion.split("->");
        final int inputRateHz = Integer.parseInt(rates[0]);
        final int outputRateHz = Integer.parseInt(rates[1]);
        resampler = PolyphaseResampler.create(inputRateHz, outputRateHz);
        in = new short[inputRateHz / 50];
        final Random random = new Random(42);
        for (int n = 0; n < in.length; n++) {
            in[n] = (short) (8_000 * Math.sin(2 * Math.PI * 440.0 * n / inputRateHz) + random.nextInt(8_000) - 4_000);
        }
        out = new short[resampler.maxOutputSamples(in.length)];
    }

    /** Resamples one 20 ms frame; returns the sample count so the work cannot be eliminated. */
    @Benchmark
    public int resample20msFrame() {
        return resampler.process(in, 0, in.length, out, 0);
    }
}
