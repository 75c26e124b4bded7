package io.voxgate.benchmarks.rtp;

import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.sip.rtp.RtpSendStage;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One agent frame out through the SIP edge's outbound path, as a call's loop runs it every 20 ms: G.711 encode of
 * 20 ms of PCM16 (an agent speaking linear audio), then the RTP tick that builds the packet (header with
 * sequence, timestamp, SSRC and marker, payload copy) into the transport's buffer. The socket write is not
 * measured: the sink is a preallocated buffer, as a pooled Netty buffer would be.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RtpSendBenchmark {
    private RtpSendStage send;
    private short[] pcm;
    private byte[] encoded;
    private UnsafeBuffer frame;
    private UnsafeBuffer wire;
    private int committed;

    /** Builds one call's send stage over a preallocated sink. */
    @Setup(Level.Trial)
    public void setUp() {
        wire = new UnsafeBuffer(new byte[1500]);
        send = new RtpSendStage(new RtpSendStage.PacketSink() {
            @Override
            public MutableDirectBuffer claim(final int length) {
                return wire;
            }

            @Override
            public void commit(final int length) {
                committed = length;
            }
        }, RtpSendStage.IdlePolicy.SEND_SILENCE, 0x0BAD_CAFE, 65_000, 0xFFFF_0000L, 160, 0, MuLawCodec.INSTANCE.silenceByte());
        pcm = new short[160];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        encoded = new byte[160];
        frame = new UnsafeBuffer(encoded);
    }

    /** Encode one frame and send it as one RTP packet. */
    @Benchmark
    public int encodeAndPacketize() {
        MuLawCodec.INSTANCE.encode(pcm, 0, encoded, 0, 160);
        send.beginTick();
        send.sendAudio(frame, 0, 160);
        send.endTick();
        return committed;
    }
}
