package io.voxgate.benchmarks.vad;

import io.voxgate.core.vad.VadConfig;
import io.voxgate.core.vad.VadState;
import io.voxgate.core.vad.VoiceActivityDetector;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Cost of one 20 ms frame at 8 kHz (160 samples) through {@link VoiceActivityDetector#onFrame}.
 *
 * <p>{@code speech}: a voice-like signal (harmonics of a gliding 100-140 Hz pitch over -60 dBFS noise), so
 * every frame is loud and runs the pitch-lag search, the expensive path. {@code noise}: stationary noise at the
 * floor, the common path while the caller listens (energy only). The detector is primed for 2 s of its input
 * before measuring, so it is in the steady state of that input (speaking, or silent with a settled floor).
 * Target: at most 500 ns per frame and 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One array element per JVM argument: "--add-exports java.base/..." as a single element is refused by the JVM.
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class VadBenchmark {
    private static final int RATE_HZ = 8_000;
    private static final int FRAME = 160;
    /** 64 distinct frames (1.28 s), cycled, so branch predictors do not learn one frame. */
    private static final int FRAMES = 64;

    /** Which input the detector judges. */
    @Param({"speech", "noise"})
    public String input;

    private short[] pcm;
    private VoiceActivityDetector detector;
    private int frame;

    /** Builds the input and primes the detector on it. */
    @Setup(Level.Trial)
    public void setUp() {
        final Random random = new Random(42);
        pcm = new short[FRAMES * FRAME];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double x = 33 * random.nextGaussian();
            if ("speech".equals(input)) {
                final double pitchHz = 120 + 20 * Math.sin(2 * Math.PI * i / pcm.length);
                phase += 2 * Math.PI * pitchHz / RATE_HZ;
                for (int k = 1; k <= 25; k++) {
                    x += 2_500.0 / k * Math.sin(k * phase);
                }
            }
            pcm[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(x)));
        }
        detector = new VoiceActivityDetector(VadConfig.defaults(), RATE_HZ);
        for (int f = 0; f < 100; f++) {
            detector.onFrame(pcm, (f % FRAMES) * FRAME, FRAME);
        }
        final boolean speaking = detector.speaking();
        if (speaking != "speech".equals(input)) {
            throw new IllegalStateException("primed detector is " + (speaking ? "" : "not ") + "speaking on " + input);
        }
    }

    /** One frame. */
    @Benchmark
    public VadState onFrame() {
        final int f = frame;
        frame = f + 1 == FRAMES ? 0 : f + 1;
        return detector.onFrame(pcm, f * FRAME, FRAME);
    }
}
