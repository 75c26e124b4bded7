package io.voxgate.benchmarks.twilio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.voxgate.websocket.frame.WebSocketFrameReader;
import io.voxgate.websocket.twilio.wire.Base64Decoder;
import io.voxgate.websocket.twilio.wire.Base64Encoder;
import io.voxgate.websocket.twilio.wire.MediaMessageFlyweight;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

/**
 * One inbound Twilio media frame from the wire to the call's audio: a masked RFC 6455 text frame (as Twilio, a
 * client, sends it) of one 20 ms {@code media} message (160 bytes of mu-law) in a received direct buffer, read, its
 * JSON scanned, its streamSid checked and its payload base64-decoded into the stream's audio buffer.
 *
 * <ul>
 *   <li>{@link #nettyDecoderThenFlyweight}, the path before issue 17's cut: Netty's {@code WebSocket08FrameDecoder}
 *       copies the payload into a new pooled buffer, unmasks it there and wraps it in a {@code TextWebSocketFrame},
 *       which the handler views, scans and releases. Its handler hops (protocol handler, aggregator, two limit
 *       handlers) are not counted: the figure is a lower bound of the old path;</li>
 *   <li>{@link #inPlaceReaderThenFlyweight}, the path now: {@link WebSocketFrameReader} unmasks the payload where it
 *       was received and hands a view of it to the same scan and decode.</li>
 * </ul>
 *
 * {@link #nettyDecoderOnly} and {@link #inPlaceReaderOnly} measure the frame step alone, without the scan and decode.
 * Each operation first refills the received buffer with the frame's masked bytes (one ~330-byte copy, the same for
 * both, standing in for the socket read). Leak detection is off in the fork, as in production.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class MediaFrameInboundBenchmark {
    private static final String STREAM_SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private static final int MAX_FRAME_BYTES = 64 * 1024;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer nettyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer audio = new UnsafeBuffer(new byte[4096]);
    private final byte[] streamSid = STREAM_SID.getBytes(StandardCharsets.US_ASCII);
    private final WebSocketFrameReader reader = WebSocketFrameReader.clientFrames(MAX_FRAME_BYTES);
    private final List<Object> decoded = new ArrayList<>(4);
    private final ToAudio toAudio = new ToAudio();
    private final ViewOnly viewOnly = new ViewOnly();
    private byte[] maskedFrame;
    private ByteBuf received;
    private EmbeddedChannel nettyChannel;
    private ExposedNettyDecoder nettyDecoder;
    private ChannelHandlerContext nettyContext;

    /** One masked media frame as Twilio sends it, and a pooled direct buffer to receive it into. */
    @Setup
    public void setup() {
        final byte[] mulaw = new byte[160];
        new Random(1).nextBytes(mulaw);
        final ByteBuf json = alloc.heapBuffer(512);
        json.writeCharSequence("{\"event\":\"media\",\"sequenceNumber\":\"925\",\"media\":{\"track\":\"inbound\",\"chunk\":\"924\","
            + "\"timestamp\":\"18553\",\"payload\":\"", StandardCharsets.US_ASCII);
        Base64Encoder.encode(new UnsafeBuffer(mulaw), 0, 160, json);
        json.writeCharSequence("\"},\"streamSid\":\"" + STREAM_SID + "\"}", StandardCharsets.US_ASCII);
        maskedFrame = mask(json);
        json.release();
        received = alloc.directBuffer(1024);
        nettyDecoder = new ExposedNettyDecoder();
        nettyChannel = new EmbeddedChannel(nettyDecoder);
        nettyContext = nettyChannel.pipeline().context(nettyDecoder);
    }

    /** Releases the receive buffer and the channel. */
    @TearDown
    public void tearDown() {
        received.release();
        nettyChannel.finishAndReleaseAll();
    }

    /** Before: Netty's decoder copies the frame into a new buffer and a {@code TextWebSocketFrame}; then scan + decode. */
    @Benchmark
    public int nettyDecoderThenFlyweight() throws Exception {
        received.clear().writeBytes(maskedFrame);
        nettyDecoder.decodeFrame(nettyContext, received, decoded);
        final TextWebSocketFrame frame = (TextWebSocketFrame) decoded.get(0);
        decoded.clear();
        try {
            // As the stream handler viewed it: in place, off-heap or on-heap as the decoder's allocator gave it.
            final ByteBuf content = frame.content();
            final int length = content.readableBytes();
            if (content.hasMemoryAddress()) {
                nettyView.wrap(content.memoryAddress() + content.readerIndex(), length);
            } else {
                nettyView.wrap(content.array(), content.arrayOffset() + content.readerIndex(), length);
            }
            return toAudio(nettyView, 0, length);
        } finally {
            frame.release();
        }
    }

    /** After: the frame is unmasked where it was received and its view scanned + decoded. */
    @Benchmark
    public int inPlaceReaderThenFlyweight() {
        received.clear().writeBytes(maskedFrame);
        reader.read(received, toAudio);
        return toAudio.decodedLength;
    }

    /** The frame step alone, before: Netty's decoder to a released {@code TextWebSocketFrame}. */
    @Benchmark
    public int nettyDecoderOnly() throws Exception {
        received.clear().writeBytes(maskedFrame);
        nettyDecoder.decodeFrame(nettyContext, received, decoded);
        final TextWebSocketFrame frame = (TextWebSocketFrame) decoded.get(0);
        decoded.clear();
        final int length = frame.content().readableBytes();
        frame.release();
        return length;
    }

    /** The frame step alone, after: the in-place reader to the view. */
    @Benchmark
    public int inPlaceReaderOnly() {
        received.clear().writeBytes(maskedFrame);
        return reader.read(received, viewOnly);
    }

    private int toAudio(final DirectBuffer text, final int offset, final int length) {
        frameView.wrap(text, offset, length);
        if (!message.wrap(frameView, 0, length) || !message.streamSidEquals(streamSid)) {
            return -1;
        }
        return Base64Decoder.decode(frameView, message.payloadOffset(), message.payloadLength(), audio, 0, audio.capacity());
    }

    /** A client text frame of {@code json}, masked with a fixed key (RFC 6455 §5.3). */
    private static byte[] mask(final ByteBuf json) {
        final int length = json.readableBytes();
        final int key = 0x5A17C0DE;
        final byte[] frame = new byte[4 + 4 + length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | 126);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        for (int i = 0; i < 4; i++) {
            frame[4 + i] = (byte) (key >>> (24 - 8 * i));
        }
        for (int i = 0; i < length; i++) {
            frame[8 + i] = (byte) (json.getByte(json.readerIndex() + i) ^ (key >>> (24 - 8 * (i & 3))));
        }
        return frame;
    }

    /** The stream handler's text callback, reduced to the media path. */
    private final class ToAudio implements WebSocketFrameReader.FrameSink {
        private int decodedLength;

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            decodedLength = toAudio(utf8, offset, length);
        }

        @Override
        public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
            decodedLength = -1;
        }

        @Override
        public void onClose(final int statusCode) {
            decodedLength = -1;
        }

        @Override
        public void onPing(final DirectBuffer payload, final int offset, final int length) {
            decodedLength = -1;
        }
    }

    /** Takes the text view and reads its last byte, as any reader of it would touch it. */
    private static final class ViewOnly implements WebSocketFrameReader.FrameSink {
        private int last;

        @Override
        public void onText(final DirectBuffer utf8, final int offset, final int length) {
            last = utf8.getByte(offset + length - 1);
        }

        @Override
        public void onBinary(final DirectBuffer payload, final int offset, final int length, final boolean last) {
            this.last = -1;
        }

        @Override
        public void onClose(final int statusCode) {
            last = -1;
        }

        @Override
        public void onPing(final DirectBuffer payload, final int offset, final int length) {
            last = -1;
        }
    }

    /** Netty's server-side frame decoder as the media stream was configured before, its decode step callable. */
    private static final class ExposedNettyDecoder extends WebSocket08FrameDecoder {
        ExposedNettyDecoder() {
            super(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(MAX_FRAME_BYTES).allowExtensions(false)
                .closeOnProtocolViolation(false).withUTF8Validator(false).build());
        }

        void decodeFrame(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }
}
