package io.voxgate.benchmarks.codec;

import java.util.concurrent.TimeUnit;

import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.OpusFrameDecoder;
import io.voxgate.core.codec.OpusFrameEncoder;
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
 * One 20 ms frame through each wideband codec the SIP path runs per call and tick: G.722 encode and decode (320
 * samples at 16 kHz, 160 octets), Opus encode at 16 kHz (32 kbit/s CBR, complexity 5, what the gateway sends) and
 * decode (a 48 kHz sender's hybrid packet decoded at 48 kHz and decimated to 16 kHz, what the gateway receives),
 * and each codec's encode plus decode. Read {@code gc.alloc.rate.norm} under {@code -prof gc} for bytes per frame:
 * G.722 is ours and allocates nothing; Concentus' figure is reported as measured.
 *
 * <p>The signal is a 1 kHz tone plus a 3.1 kHz tone at speech level, so the ADPCM quantisers and Opus' SILK and
 * CELT layers all work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class WidebandCodecBenchmark {
    private static final int RATE = 16_000;
    private static final int FRAME = 320;
    private static final int FRAMES = 50;

    private final short[] speech = new short[FRAME * FRAMES];
    private final short[] decoded = new short[FRAME];
    private final UnsafeBuffer g722Frames = new UnsafeBuffer(new byte[FRAME / 2 * FRAMES]);
    private final UnsafeBuffer opusPackets = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES * FRAMES]);
    private final int[] opusLengths = new int[FRAMES];
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
    private G722Encoder g722Encoder;
    private G722Decoder g722Decoder;
    private OpusFrameEncoder opusEncoder;
    private OpusFrameDecoder opusDecoder;
    private int frame;

    /** One second of the signal, coded once by each codec as the far end would send it. */
    @Setup
    public void prepare() {
        for (int i = 0; i < speech.length; i++) {
            speech[i] = (short) (6_000 * Math.sin(2 * Math.PI * 1_000 * i / RATE) + 2_000 * Math.sin(2 * Math.PI * 3_100 * i / RATE));
        }
        final G722Encoder farG722 = new G722Encoder();
        farG722.encode(speech, 0, g722Frames, 0, speech.length);
        final short[] speech48 = new short[960 * FRAMES];
        for (int i = 0; i < speech48.length; i++) {
            speech48[i] = (short) (6_000 * Math.sin(2 * Math.PI * 1_000 * i / 48_000.0)
                + 2_000 * Math.sin(2 * Math.PI * 3_100 * i / 48_000.0));
        }
        final OpusFrameEncoder farOpus = new OpusFrameEncoder(48_000, 64_000, true);
        for (int f = 0; f < FRAMES; f++) {
            opusLengths[f] = farOpus.encode(speech48, f * 960, 960, opusPackets, f * OpusFrameEncoder.MAX_PACKET_BYTES,
                OpusFrameEncoder.MAX_PACKET_BYTES);
        }
        g722Encoder = new G722Encoder();
        g722Decoder = new G722Decoder();
        opusEncoder = new OpusFrameEncoder(RATE, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
        opusDecoder = new OpusFrameDecoder(RATE);
    }

    private int next() {
        frame = frame + 1 == FRAMES ? 0 : frame + 1;
        return frame;
    }

    /** G.722: 320 samples to 160 octets. */
    @Benchmark
    public int g722Encode() {
        return g722Encoder.encode(speech, next() * FRAME, FRAME, out, 0, out.capacity());
    }

    /** G.722: 160 octets to 320 samples. */
    @Benchmark
    public short[] g722Decode() {
        g722Decoder.decode(g722Frames, next() * (FRAME / 2), FRAME / 2, decoded, 0);
        return decoded;
    }

    /** G.722 encode then decode of one frame: a call's codec cost per tick. */
    @Benchmark
    public short[] g722EncodeDecode() {
        final int n = g722Encoder.encode(speech, next() * FRAME, FRAME, out, 0, out.capacity());
        g722Decoder.decode(out, 0, n, decoded, 0);
        return decoded;
    }

    /** Opus: 320 samples at 16 kHz to one packet. */
    @Benchmark
    public int opusEncode() {
        return opusEncoder.encode(speech, next() * FRAME, FRAME, out, 0, out.capacity());
    }

    /** Opus: one 48 kHz sender's packet to 320 samples at 16 kHz. */
    @Benchmark
    public short[] opusDecode() {
        final int f = next();
        opusDecoder.decode(opusPackets, f * OpusFrameEncoder.MAX_PACKET_BYTES, opusLengths[f], decoded, 0, FRAME);
        return decoded;
    }

    /** Opus: our encode plus a far end's packet decoded, a call's codec cost per tick. */
    @Benchmark
    public short[] opusEncodeDecode() {
        final int f = next();
        opusEncoder.encode(speech, f * FRAME, FRAME, out, 0, out.capacity());
        opusDecoder.decode(opusPackets, f * OpusFrameEncoder.MAX_PACKET_BYTES, opusLengths[f], decoded, 0, FRAME);
        return decoded;
    }
}
