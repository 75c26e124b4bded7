package io.voxgate.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.voxgate.core.codec.ALawCodec;
import io.voxgate.core.codec.G711Transcoder;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16LittleEndian;
import org.agrona.concurrent.UnsafeBuffer;
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
 * One 20 ms frame at 8 kHz (160 samples) through each G.711 operation the media path uses: encode and decode
 * with both laws in array form and in {@code DirectBuffer} form over off-heap memory (the shape of a wrapped
 * Netty buffer), mu-law/A-law transcoding, and pcm_s16le transfer. Target: at most 80 ns per frame and
 * 0 B/op under {@code -prof gc}.
 *
 * <p>Samples are uniformly random over the full 16-bit range, so every table entry is equally likely: the
 * worst case for cache residency, where speech would mostly touch the small-amplitude entries.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class G711Benchmark {
    private static final int FRAME_SAMPLES = 160;
    private static final G711Transcoder MU_TO_A = G711Transcoder.between(MuLawCodec.INSTANCE, ALawCodec.INSTANCE);
    private static final G711Transcoder A_TO_MU = G711Transcoder.between(ALawCodec.INSTANCE, MuLawCodec.INSTANCE);

    private final short[] pcm = new short[FRAME_SAMPLES];
    private final short[] decoded = new short[FRAME_SAMPLES];
    private final byte[] codes = new byte[FRAME_SAMPLES];
    private final byte[] encoded = new byte[FRAME_SAMPLES];
    private final UnsafeBuffer codesOffHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_SAMPLES));
    private final UnsafeBuffer encodedOffHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_SAMPLES));
    private final UnsafeBuffer pcm16OffHeap =
        new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_SAMPLES * Pcm16LittleEndian.BYTES_PER_SAMPLE));

    /** Fills the frames with seeded random samples and codes. */
    @Setup
    public void fill() {
        final SplittableRandom random = new SplittableRandom(711);
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            pcm[i] = (short) random.nextInt();
        }
        random.nextBytes(codes);
        codesOffHeap.putBytes(0, codes);
        Pcm16LittleEndian.write(pcm, 0, pcm16OffHeap, 0, FRAME_SAMPLES);
    }

    /** Mu-law encode, array to array. */
    @Benchmark
    public byte[] muLawEncodeArray() {
        MuLawCodec.INSTANCE.encode(pcm, 0, encoded, 0, FRAME_SAMPLES);
        return encoded;
    }

    /** Mu-law decode, array to array. */
    @Benchmark
    public short[] muLawDecodeArray() {
        MuLawCodec.INSTANCE.decode(codes, 0, decoded, 0, FRAME_SAMPLES);
        return decoded;
    }

    /** Mu-law encode into off-heap memory. */
    @Benchmark
    public UnsafeBuffer muLawEncodeDirectBuffer() {
        MuLawCodec.INSTANCE.encode(pcm, 0, encodedOffHeap, 0, FRAME_SAMPLES);
        return encodedOffHeap;
    }

    /** Mu-law decode from off-heap memory. */
    @Benchmark
    public short[] muLawDecodeDirectBuffer() {
        MuLawCodec.INSTANCE.decode(codesOffHeap, 0, decoded, 0, FRAME_SAMPLES);
        return decoded;
    }

    /** A-law encode, array to array. */
    @Benchmark
    public byte[] aLawEncodeArray() {
        ALawCodec.INSTANCE.encode(pcm, 0, encoded, 0, FRAME_SAMPLES);
        return encoded;
    }

    /** A-law decode, array to array. */
    @Benchmark
    public short[] aLawDecodeArray() {
        ALawCodec.INSTANCE.decode(codes, 0, decoded, 0, FRAME_SAMPLES);
        return decoded;
    }

    /** A-law encode into off-heap memory. */
    @Benchmark
    public UnsafeBuffer aLawEncodeDirectBuffer() {
        ALawCodec.INSTANCE.encode(pcm, 0, encodedOffHeap, 0, FRAME_SAMPLES);
        return encodedOffHeap;
    }

    /** A-law decode from off-heap memory. */
    @Benchmark
    public short[] aLawDecodeDirectBuffer() {
        ALawCodec.INSTANCE.decode(codesOffHeap, 0, decoded, 0, FRAME_SAMPLES);
        return decoded;
    }

    /** Mu-law to A-law, array to array. */
    @Benchmark
    public byte[] muLawToALawArray() {
        MU_TO_A.convert(codes, 0, encoded, 0, FRAME_SAMPLES);
        return encoded;
    }

    /** A-law to mu-law, array to array. */
    @Benchmark
    public byte[] aLawToMuLawArray() {
        A_TO_MU.convert(codes, 0, encoded, 0, FRAME_SAMPLES);
        return encoded;
    }

    /** Mu-law to A-law, off-heap to off-heap. */
    @Benchmark
    public UnsafeBuffer muLawToALawDirectBuffer() {
        MU_TO_A.convert(codesOffHeap, 0, encodedOffHeap, 0, FRAME_SAMPLES);
        return encodedOffHeap;
    }

    /** pcm_s16le read of one frame from off-heap memory. */
    @Benchmark
    public short[] pcm16ReadDirectBuffer() {
        Pcm16LittleEndian.read(pcm16OffHeap, 0, decoded, 0, FRAME_SAMPLES);
        return decoded;
    }

    /** pcm_s16le write of one frame into off-heap memory. */
    @Benchmark
    public UnsafeBuffer pcm16WriteDirectBuffer() {
        Pcm16LittleEndian.write(pcm, 0, pcm16OffHeap, 0, FRAME_SAMPLES);
        return pcm16OffHeap;
    }
}
