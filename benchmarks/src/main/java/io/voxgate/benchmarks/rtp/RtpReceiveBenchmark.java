package io.voxgate.benchmarks.rtp;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import io.voxgate.sip.rtp.RtpPacketFlyweight;
import io.voxgate.sip.rtp.RtpPlayoutStage;
import io.voxgate.sip.rtp.RtpReceiveStage;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
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
 * One received RTP packet through the SIP edge's inbound path, as a call's loop runs it every 20 ms: datagram
 * validation ({@link RtpPacketFlyweight} via {@link RtpReceiveStage}: layout, source, SSRC, payload type, RFC
 * 3550 reception statistics), jitter buffer offer, one playout tick, and the G.711 decode of the played frame to
 * PCM16 (what an agent that wants linear audio gets). Sequence numbers and timestamps run on through wraps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RtpReceiveBenchmark {
    private static final long FRAME_NS = 20_000_000L;
    private static final int SSRC = 0x1234_5678;
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.10", 20_000);

    private RtpReceiveStage receive;
    private RtpPlayoutStage playout;
    private UnsafeBuffer datagram;
    private short[] pcm;
    private int packet;

    /** Builds the stages of one call and runs them into steady state. */
    @Setup(Level.Trial)
    public void setUp() {
        playout = new RtpPlayoutStage(JitterBufferConfig.defaults(), AudioFormat.MULAW_8K, AudioFormat.MULAW_8K);
        receive = new RtpReceiveStage(new RtpReceiveStage.Listener() {
            @Override
            public void onRtpAudio(final int ssrc, final int seq, final long ts, final boolean marker, final DirectBuffer payload,
                                   final int offset, final int length, final long nowNs) {
                playout.offer(ssrc, seq, ts, marker, payload, offset, length, nowNs);
            }

            @Override
            public void onCallerDigit(final char digit, final long nowNs) {
                throw new IllegalStateException("no digits in this benchmark");
            }

            @Override
            public void onRtcp(final DirectBuffer buffer, final int offset, final int length, final long nowNs) {
                throw new IllegalStateException("no RTCP in this benchmark");
            }
        }, new RtpReceptionStatistics(), false, 5 * FRAME_NS, 8000);
        receive.configure(PEER, 0, 101);
        datagram = new UnsafeBuffer(new byte[172]);
        for (int i = 12; i < 172; i++) {
            datagram.putByte(i, (byte) (0x20 + i));
        }
        pcm = new short[160];
        packet = 0;
        for (int i = 0; i < 10_000; i++) {
            receiveAndPlay();
        }
    }

    /** Receive one packet, play one frame, decode it to PCM16. */
    @Benchmark
    public short[] receiveAndPlay() {
        final int i = packet++;
        final long nowNs = i * FRAME_NS;
        RtpPacketFlyweight.writeHeader(datagram, 0, false, 0, i & 0xFFFF, i * 160L, SSRC);
        receive.onDatagram(datagram, 0, 172, PEER, nowNs);
        final int length = playout.poll(nowNs + FRAME_NS / 2);
        if (length > 0) {
            MuLawCodec.INSTANCE.decode(playout.frame(), 0, pcm, 0, length);
        }
        return pcm;
    }
}
