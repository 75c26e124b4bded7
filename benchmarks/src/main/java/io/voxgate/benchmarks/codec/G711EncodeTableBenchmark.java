package io.voxgate.benchmarks.codec;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.voxgate.core.codec.MuLawCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The evidence for the G.711 encode table layout: one 160-sample mu-law frame encoded through a full 16-bit
 * table ({@code pcm & 0xFFFF}, 64 KiB, what {@link MuLawCodec} uses) and through a 14-bit table
 * ({@code (pcm & 0xFFFF) >>> 2}, 16 KiB). Both tables hold the codec's own codes, so only the indexing differs.
 * Rerun it when changing the layout or the target JDK.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class G711EncodeTableBenchmark {
    private static final int FRAME_SAMPLES = 160;
    private static final byte[] FULL_TABLE = new byte[1 << 16];
    private static final byte[] FOURTEEN_BIT_TABLE = new byte[1 << 14];

    static {
        for (int index = 0; index < FULL_TABLE.length; index++) {
            FULL_TABLE[index] = MuLawCodec.INSTANCE.encode((short) index);
        }
        for (int index = 0; index < FOURTEEN_BIT_TABLE.length; index++) {
            FOURTEEN_BIT_TABLE[index] = MuLawCodec.INSTANCE.encode((short) (index << 2));
        }
    }

    private final short[] pcm = new short[FRAME_SAMPLES];
    private final byte[] encoded = new byte[FRAME_SAMPLES];

    /** Fills the frame with seeded random samples over the full 16-bit range. */
    @Setup
    public void fill() {
        final SplittableRandom random = new SplittableRandom(711);
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            pcm[i] = (short) random.nextInt();
        }
    }

    /** Indexed by the whole sample. */
    @Benchmark
    public byte[] fullTable() {
        final byte[] table = FULL_TABLE;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            encoded[i] = table[pcm[i] & 0xFFFF];
        }
        return encoded;
    }

    /** Indexed by the 14 bits mu-law quantises. */
    @Benchmark
    public byte[] fourteenBitTable() {
        final byte[] table = FOURTEEN_BIT_TABLE;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            encoded[i] = table[(pcm[i] & 0xFFFF) >>> 2];
        }
        return encoded;
    }
}
