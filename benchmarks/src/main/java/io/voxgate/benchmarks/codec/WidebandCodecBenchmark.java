package io.voxgate.benchmarks.codec;

import java.util.concurrent.TimeUnit;

import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.core.codec.OpusFrameDecoder;
import io.voxgate.core.codec.OpusFrameEncoder;
import org.agrona.concurrent.UnsafeBuffer;
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
 * One 20 ms frame through each wideband codec the SIP path runs per call and tick: G.722 encode and decode (320
 * samples at 16 kHz, 160 octets), Opus encode (32 kbit/s CBR, complexity 5, what the gateway sends) and decode (a
 * 48 kHz sender's hybrid packet decoded at the agent's rate, what the gateway receives), and each codec's encode
 * plus decode. Opus runs through both implementations ({@code implementation}: libopus, what calls run where it
 * loads, and Concentus, the fallback) at 16 and 8 kHz ({@code rateHz}). Read {@code gc.alloc.rate.norm} under
 * {@code -prof gc} for bytes per frame: G.722 is ours and libopus is called through direct buffers, and both
 * allocate nothing; Concentus' figure is reported as measured.
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
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES]);
    private G722Encoder g722Encoder;
    private G722Decoder g722Decoder;
    private int frame;

    /** One second of the signal, coded once as the far end would send it. */
    @Setup
    public void prepare() {
        fill(speech, RATE);
        final G722Encoder farG722 = new G722Encoder();
        farG722.encode(speech, 0, g722Frames, 0, speech.length);
        g722Encoder = new G722Encoder();
        g722Decoder = new G722Decoder();
    }

    private static void fill(final short[] pcm, final int rateHz) {
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (6_000 * Math.sin(2 * Math.PI * 1_000 * i / rateHz) + 2_000 * Math.sin(2 * Math.PI * 3_100 * i / rateHz));
        }
    }

    private int next() {
        frame = frame + 1 == FRAMES ? 0 : frame + 1;
        return frame;
    }

    /** One Opus stream's codec, by implementation and agent rate: only the Opus benchmarks take it. */
    @State(Scope.Thread)
    public static class Opus {
        /** {@code libopus} (fails the run where it does not load) or {@code concentus}. */
        @Param({"libopus", "concentus"})
        public String implementation;
        /** The agent's PCM rate, which Opus is encoded from and decoded to. */
        @Param({"16000", "8000"})
        public int rateHz;

        private int samples;
        private short[] speech;
        private short[] decoded;
        private final UnsafeBuffer packets = new UnsafeBuffer(new byte[OpusFrameEncoder.MAX_PACKET_BYTES * FRAMES]);
        private final int[] lengths = new int[FRAMES];
        private OpusFrameEncoder encoder;
        private OpusFrameDecoder decoder;

        /** The far end's packets (a 48 kHz sender, 64 kbit/s with FEC) and this stream's encoder and decoder. */
        @Setup
        public void prepare() {
            final OpusCodecs codecs = "libopus".equals(implementation) ? OpusCodecs.system() : OpusCodecs.concentus();
            if (!codecs.implementation().label().equals(implementation)) {
                throw new IllegalStateException(implementation + " is not available: " + codecs.fallbackReason().orElse(""));
            }
            samples = rateHz / 50;
            speech = new short[samples * FRAMES];
            decoded = new short[samples];
            fill(speech, rateHz);
            final short[] speech48 = new short[960 * FRAMES];
            fill(speech48, 48_000);
            // The same far-end packets for both implementations: Concentus codes them.
            final OpusFrameEncoder far = OpusCodecs.concentus().encoder(48_000, 64_000, true);
            for (int f = 0; f < FRAMES; f++) {
                lengths[f] = far.encode(speech48, f * 960, 960, packets, f * OpusFrameEncoder.MAX_PACKET_BYTES,
                    OpusFrameEncoder.MAX_PACKET_BYTES);
            }
            encoder = codecs.encoder(rateHz, OpusFrameEncoder.DEFAULT_BITRATE_BPS, false);
            decoder = codecs.decoder(rateHz);
        }
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

    /** Opus: one 20 ms frame at the agent's rate to one packet. */
    @Benchmark
    public int opusEncode(final Opus opus) {
        return opus.encoder.encode(opus.speech, next() * opus.samples, opus.samples, out, 0, out.capacity());
    }

    /** Opus: one 48 kHz sender's packet to one 20 ms frame at the agent's rate. */
    @Benchmark
    public short[] opusDecode(final Opus opus) {
        final int f = next();
        opus.decoder.decode(opus.packets, f * OpusFrameEncoder.MAX_PACKET_BYTES, opus.lengths[f], opus.decoded, 0, opus.samples);
        return opus.decoded;
    }

    /** Opus: our encode plus a far end's packet decoded, a call's codec cost per tick. */
    @Benchmark
    public short[] opusEncodeDecode(final Opus opus) {
        final int f = next();
        opus.encoder.encode(opus.speech, f * opus.samples, opus.samples, out, 0, out.capacity());
        opus.decoder.decode(opus.packets, f * OpusFrameEncoder.MAX_PACKET_BYTES, opus.lengths[f], opus.decoded, 0, opus.samples);
        return opus.decoded;
    }
}
