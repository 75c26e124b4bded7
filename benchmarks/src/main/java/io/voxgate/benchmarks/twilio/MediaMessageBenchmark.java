package io.voxgate.benchmarks.twilio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.voxgate.websocket.twilio.wire.Base64Decoder;
import io.voxgate.websocket.twilio.wire.Base64Encoder;
import io.voxgate.websocket.twilio.wire.MediaMessageEncoder;
import io.voxgate.websocket.twilio.wire.MediaMessageFlyweight;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Per-frame cost of the Twilio Media Streams wire path for one 20 ms frame (160 bytes of mu-law):
 *
 * <ul>
 *   <li>{@link #parseAndDecodeInbound}: what the stream handler does with each inbound text frame: view the pooled
 *       direct frame buffer in place, scan the JSON for event, streamSid and payload, check the streamSid and
 *       base64-decode the payload into the stream's preallocated buffer;</li>
 *   <li>{@link #encodeOutbound}: what the caller leg does with each outbound frame: one pooled buffer holding the
 *       whole WebSocket frame (header, preassembled JSON, base64 payload), released as Netty would after the write.</li>
 * </ul>
 *
 * Leak detection is off in the fork, as it is in production (it samples buffers and allocates for them).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class MediaMessageBenchmark {
    private static final String STREAM_SID = "MZ18ad3ab5a668481ce02b83e7395059f0";

    private final MediaMessageFlyweight message = new MediaMessageFlyweight();
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer decoded = new UnsafeBuffer(new byte[4096]);
    private final byte[] streamSid = STREAM_SID.getBytes(StandardCharsets.US_ASCII);
    private final MediaMessageEncoder encoder = new MediaMessageEncoder(STREAM_SID);
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final UnsafeBuffer audio = new UnsafeBuffer(new byte[160]);
    private ByteBuf inbound;
    private UnsafeBuffer payload;

    /** One inbound media message as Twilio sends it, in a pooled direct buffer like the WebSocket decoder's. */
    @Setup
    public void setup() {
        final byte[] mulaw = new byte[160];
        new Random(1).nextBytes(mulaw);
        audio.putBytes(0, mulaw);
        final UnsafeBuffer source = new UnsafeBuffer(mulaw);
        final ByteBuf json = alloc.directBuffer(512);
        json.writeCharSequence("{\"event\":\"media\",\"sequenceNumber\":\"925\",\"media\":{\"track\":\"inbound\",\"chunk\":\"924\","
            + "\"timestamp\":\"18553\",\"payload\":\"", StandardCharsets.US_ASCII);
        Base64Encoder.encode(source, 0, 160, json);
        json.writeCharSequence("\"},\"streamSid\":\"" + STREAM_SID + "\"}", StandardCharsets.US_ASCII);
        inbound = json;
        final byte[] base64 = new byte[Base64Encoder.encodedLength(160)];
        payload = new UnsafeBuffer(base64);
        Base64Encoder.encode(source, 0, 160, payload, 0);
    }

    /** Releases the inbound buffer. */
    @TearDown
    public void tearDown() {
        inbound.release();
    }

    /** Scan + streamSid check + base64 decode of one inbound media message; returns the decoded length. */
    @Benchmark
    public int parseAndDecodeInbound() {
        frameView.wrap(inbound.memoryAddress() + inbound.readerIndex(), inbound.readableBytes());
        if (!message.wrap(frameView, 0, inbound.readableBytes()) || !message.streamSidEquals(streamSid)) {
            return -1;
        }
        return Base64Decoder.decode(frameView, message.payloadOffset(), message.payloadLength(), decoded, 0, decoded.capacity());
    }

    /** The JSON scan alone (the first half of {@link #parseAndDecodeInbound}). */
    @Benchmark
    public int scanInbound() {
        frameView.wrap(inbound.memoryAddress() + inbound.readerIndex(), inbound.readableBytes());
        return message.wrap(frameView, 0, inbound.readableBytes()) ? message.payloadLength() : -1;
    }

    /** The base64 decode alone of the 216-character payload (the second half of {@link #parseAndDecodeInbound}). */
    @Benchmark
    public int decodeBase64() {
        return Base64Decoder.decode(payload, 0, payload.capacity(), decoded, 0, decoded.capacity());
    }

    /** Encode and serialize one outbound media frame into a pooled buffer, then release it as the write would. */
    @Benchmark
    public int encodeOutbound() {
        final ByteBuf frame = encoder.media(alloc, audio, 0, 160);
        final int length = frame.readableBytes();
        frame.release();
        return length;
    }
}
