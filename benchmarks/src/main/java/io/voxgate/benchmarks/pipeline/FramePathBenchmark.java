package io.voxgate.benchmarks.pipeline;

import io.voxgate.core.agent.AgentCall;
import io.voxgate.core.agent.AgentListener;
import io.voxgate.core.agent.VoiceAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.core.codec.MuLawCodec;
import io.voxgate.core.codec.Pcm16LittleEndian;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.agrona.DirectBuffer;
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
 * One 20 ms frame through a whole {@link CallSession}, as an edge drives it:
 * <ul>
 *   <li>{@code inbound}: caller mu-law 160 B -> VAD tap -> decode -> resample 8 -> 16 kHz -> PCM16 640 B -> agent;</li>
 *   <li>{@code outbound}: agent PCM16 16 kHz 640 B -> decode -> resample 16 -> 8 kHz -> mu-law -> paced queue ->
 *       caller leg (the frame is due at once, as an agent streaming at real time makes it);</li>
 *   <li>the same two with {@code agentFormat = mulaw/8000}: the pass-through path (VAD tap only).</li>
 * </ul>
 * Caller audio cycles through a second of voiced sound and a second of quiet noise, so the VAD's periodicity
 * search (its expensive branch) runs on half the frames. Target: at most 3 us per frame and 0 B/op under
 * {@code -prof gc}. The agent and the leg only fold one byte into a checksum, so the figures are the gateway's own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class FramePathBenchmark {
    private static final long PTIME_NS = 20_000_000L;
    private static final int CALLER_FRAME = 160;
    private static final int FRAMES_IN_LOOP = 100;

    /** The agent's format: PCM16 16 kHz (transcoding) or mu-law 8 kHz (pass-through). */
    @Param({"pcm16/16000", "mulaw/8000"})
    public String agentFormat;

    private CallSession session;
    private AgentListener agentSide;
    private UnsafeBuffer callerAudio;
    private UnsafeBuffer agentAudio;
    private int agentFrameBytes;
    private int frame;
    private long nowNs;
    private long checksum;

    /** A sink agent: takes each frame and keeps nothing. */
    private final class SinkAgent implements VoiceAgent {
        private final AudioFormat format;

        SinkAgent(final AudioFormat format) {
            this.format = format;
        }

        @Override
        public AudioFormat audioFormat() {
            return format;
        }

        @Override
        public void connect(final AgentCall call, final AgentListener listener, final long now) {
            agentSide = listener;
            listener.onAgentConnected(now);
        }

        @Override
        public void onCallerAudio(final DirectBuffer audio, final int offset, final int length, final long now) {
            checksum += audio.getByte(offset + length - 1);
        }

        @Override
        public void onCallerDigit(final char digit, final long now) {
            checksum += digit;
        }

        @Override
        public void close(final String reason, final long now) {
            checksum++;
        }
    }

    /** A caller leg that takes each frame and keeps nothing. */
    private final class SinkLeg implements CallerLeg {
        @Override
        public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long now) {
            checksum += audio.getByte(offset + length - 1);
        }

        @Override
        public void clearCallerPlayback(final long now) {
            checksum++;
        }

        @Override
        public boolean sendDigits(final String digits, final long now) {
            checksum += digits.length();
            return true;
        }

        @Override
        public void hangUp(final String reason, final long now) {
            checksum++;
        }
    }

    /** Builds one call with a connected agent and a loop of caller and agent audio. */
    @Setup(Level.Trial)
    public void setUp() {
        final AudioFormat agent = AudioFormat.parse(agentFormat);
        nowNs = 1_000_000_000L;
        session = new CallOpener(new CallRegistry(1), call -> new SinkAgent(agent),
            CallSessionConfig.defaults().withBargeInVad(false), () -> nowNs).forEdge("twilio", UnaryOperator.identity())
            .open("CA-bench", Map.of(), AudioFormat.MULAW_8K, new SinkLeg(), Runnable::run, nowNs).session();
        session.start(nowNs);

        final short[] caller = new short[FRAMES_IN_LOOP * CALLER_FRAME];
        for (int i = 0; i < caller.length; i++) {
            final double t = i / 8_000.0;
            caller[i] = i < caller.length / 2
                ? (short) (6_000 * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)))
                : (short) ((i * 7919 % 61) - 30);
        }
        final byte[] callerBytes = new byte[caller.length];
        MuLawCodec.INSTANCE.encode(caller, 0, callerBytes, 0, caller.length);
        callerAudio = new UnsafeBuffer(callerBytes);

        agentFrameBytes = agent.bytesPerFrame();
        final short[] speech = new short[FRAMES_IN_LOOP * agent.samplesPerFrame()];
        for (int i = 0; i < speech.length; i++) {
            speech[i] = (short) (8_000 * Math.sin(2 * Math.PI * 220 * i / agent.sampleRateHz()));
        }
        final byte[] agentBytes = new byte[FRAMES_IN_LOOP * agentFrameBytes];
        if (agentFrameBytes == agent.samplesPerFrame()) {
            MuLawCodec.INSTANCE.encode(speech, 0, agentBytes, 0, speech.length);
        } else {
            Pcm16LittleEndian.write(speech, 0, agentBytes, 0, speech.length);
        }
        agentAudio = new UnsafeBuffer(agentBytes);
    }

    /** Caller frame to the agent: VAD tap plus, unless passing through, decode, resample and encode. */
    @Benchmark
    public long inbound() {
        session.onCallerAudio(callerAudio, frame * CALLER_FRAME, CALLER_FRAME, nowNs);
        frame = frame + 1 == FRAMES_IN_LOOP ? 0 : frame + 1;
        nowNs += PTIME_NS;
        return checksum;
    }

    /** Agent frame to the caller: decode, resample and encode unless passing through, then pacing and release. */
    @Benchmark
    public long outbound() {
        session.onAgentAudio(agentAudio, frame * agentFrameBytes, agentFrameBytes, nowNs);
        session.onTick(nowNs);
        frame = frame + 1 == FRAMES_IN_LOOP ? 0 : frame + 1;
        nowNs += PTIME_NS;
        return checksum;
    }
}
