package io.voxgate.benchmarks.vapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import io.voxgate.websocket.vapi.VapiFrameEncoder;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Vapi transport's binary frame path for one 20 ms mu-law frame (160 B), both ways:
 * <ul>
 *   <li>caller to Vapi: the decoded Twilio {@code media.payload} bytes (on-heap, as base64 decoding leaves them,
 *       and off-heap) become one masked RFC 6455 binary frame in a pooled {@code ByteBuf}, which is then released
 *       as the channel would after writing it;</li>
 *   <li>Vapi to agent: one unmasked server binary frame in a received {@code ByteBuf} is decoded into the view
 *       handed to {@code AgentListener.onAgentAudio}.</li>
 * </ul>
 * Target: at most 1 us per frame each way and 0 B/op under {@code -prof gc}.
 *
 * <p>Netty's leak detector is off in the fork, as in production: at its default level it samples one pooled
 * buffer in 128 and records a stack trace for it, about 6.5 B/op on the encode side that is not the frame
 * path's own allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class VapiFrameBenchmark {
    private static final int FRAME_BYTES = 160;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final VapiFrameEncoder encoder = new VapiFrameEncoder();
    private final WebSocketFrameReader reader = WebSocketFrameReader.serverFrames(1 << 20);
    private final UnsafeBuffer twilioPayload = new UnsafeBuffer(new byte[FRAME_BYTES]);
    private final UnsafeBuffer twilioPayloadOffHeap = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_BYTES));
    private final SplittableRandom maskKeys = new SplittableRandom(6455);
    private ByteBuf vapiFrame;
    private ViewSink sink;

    /** Fills the payloads with seeded random codes and builds one received server frame. */
    @Setup
    public void setUp(final Blackhole blackhole) {
        final byte[] codes = new byte[FRAME_BYTES];
        new SplittableRandom(711).nextBytes(codes);
        twilioPayload.putBytes(0, codes);
        twilioPayloadOffHeap.putBytes(0, codes);
        // RFC 6455 §5.2: FIN + binary, unmasked, 16-bit extended length (160 > 125), then the payload.
        vapiFrame = alloc.directBuffer(4 + FRAME_BYTES);
        vapiFrame.writeByte(0x82).writeByte(126).writeShort(FRAME_BYTES).writeBytes(codes);
        sink = new ViewSink(blackhole);
        if (reader.read(vapiFrame, sink) != 1 || vapiFrame.isReadable()) {
            throw new IllegalStateException("the prepared Vapi frame must decode as exactly one frame");
        }
    }

    /** Releases the received frame. */
    @TearDown
    public void tearDown() {
        vapiFrame.release();
    }

    /** Caller audio (on-heap decoded payload) to a masked binary frame. */
    @Benchmark
    public int callerToVapiFrame() {
        final ByteBuf frame = encoder.binaryFrame(alloc, twilioPayload, 0, FRAME_BYTES, maskKeys.nextInt());
        final int size = frame.readableBytes();
        frame.release();
        return size;
    }

    /** Caller audio (off-heap) to a masked binary frame. */
    @Benchmark
    public int callerOffHeapToVapiFrame() {
        final ByteBuf frame = encoder.binaryFrame(alloc, twilioPayloadOffHeap, 0, FRAME_BYTES, maskKeys.nextInt());
        final int size = frame.readableBytes();
        frame.release();
        return size;
    }

    /** A received Vapi binary frame to the agent-audio view. */
    @Benchmark
    public int vapiFrameToAgentView() {
        vapiFrame.readerIndex(0);
        return reader.read(vapiFrame, sink);
    }

    /** Stands in for the agent listener: consumes the borrowed view. */
    private static final class ViewSink implements WebSocketFrameReader.FrameSink {
        private final Blackhole blackhole;

        ViewSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onBinary(final DirectBuffer audio, final int offset, final int length, final boolean last) {
            blackhole.consume(audio.getByte(offset + length - 1));
            blackhole.consume(audio);
        }

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            blackhole.consume(utf8);
        }

        @Override
        public void onClose(final int statusCode) {
            blackhole.consume(statusCode);
        }

        @Override
        public void onPing(final DirectBuffer payload, final int offset, final int length) {
            blackhole.consume(payload);
        }
    }
}
