package io.voxgate.core.pipeline;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Holds the caller's audio while the agent is still connecting, then hands it on in order, frame by frame.
 *
 * <p>Bound and drop policy: lossless up to {@code capacityBytes} and {@code maxFrames}; past that it keeps the
 * <em>oldest</em> audio and drops every later frame until it is drained (counted in {@link #framesDropped()}).
 * A connect that outlasts the bound loses either the start or the end of what the caller said, and the start
 * is worth more: it carries the caller's opening words and intent ("I'm calling about my order"), it is a
 * coherent stretch of speech that the agent's recogniser can use, while dropping the oldest would hand the
 * agent an utterance that starts mid-word. The end of a long wait is typically the caller pausing or
 * repeating "hello?", which they will repeat again once the agent answers. Once a frame was dropped, later
 * smaller frames are dropped too, so the agent never receives a gappy sequence that looks continuous.
 *
 * <p>Threading: confined to the call's thread. Ownership: {@link #offer} copies the borrowed bytes;
 * {@link #drainTo} lends them to the sink for the duration of each sink call. Allocates nothing after
 * construction.
 */
public final class PreConnectBuffer {
    private final byte[] data;
    private final UnsafeBuffer dataBuffer;
    private final int[] frameOffsets;
    private final int[] frameLengths;
    private final long[] frameTimestampsNs;
    private int usedBytes;
    private int frameCount;
    private boolean overflowed;
    private long framesBuffered;
    private long framesDropped;
    private long bytesDropped;

    /**
     * A buffer of {@code capacityBytes} of audio in at most {@code maxFrames} frames. A capacity of 0 keeps
     * nothing: every frame is dropped and counted.
     *
     * @throws IllegalArgumentException naming the value when the capacity is negative or {@code maxFrames} is
     *                                  not positive
     */
    public PreConnectBuffer(final int capacityBytes, final int maxFrames) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must not be negative, was " + capacityBytes);
        }
        if (maxFrames <= 0) {
            throw new IllegalArgumentException("maxFrames must be positive, was " + maxFrames);
        }
        this.data = new byte[capacityBytes];
        this.dataBuffer = new UnsafeBuffer(data);
        this.frameOffsets = new int[maxFrames];
        this.frameLengths = new int[maxFrames];
        this.frameTimestampsNs = new long[maxFrames];
    }

    /**
     * Keeps a copy of one frame.
     *
     * @return whether it was kept; {@code false} means it was dropped and counted
     */
    public boolean offer(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        if (length <= 0) {
            return true;
        }
        if (overflowed || frameCount == frameOffsets.length || length > data.length - usedBytes) {
            overflowed = true;
            framesDropped++;
            bytesDropped += length;
            return false;
        }
        audio.getBytes(offset, data, usedBytes, length);
        frameOffsets[frameCount] = usedBytes;
        frameLengths[frameCount] = length;
        frameTimestampsNs[frameCount] = nowNs;
        frameCount++;
        usedBytes += length;
        framesBuffered++;
        return true;
    }

    /**
     * Hands every kept frame to {@code sink} in arrival order with its original boundaries and arrival time,
     * then empties the buffer.
     *
     * @return frames delivered
     */
    public int drainTo(final AudioSink sink) {
        final int frames = frameCount;
        for (int i = 0; i < frames; i++) {
            sink.onAudio(dataBuffer, frameOffsets[i], frameLengths[i], frameTimestampsNs[i]);
        }
        clear();
        return frames;
    }

    /** Forgets everything held (the call ended before the agent connected). */
    public void clear() {
        frameCount = 0;
        usedBytes = 0;
        overflowed = false;
    }

    /** Frames held now. */
    public int frameCount() {
        return frameCount;
    }

    /** Bytes held now. */
    public int byteCount() {
        return usedBytes;
    }

    /** Bytes it can hold. */
    public int capacityBytes() {
        return data.length;
    }

    /** Frames ever kept. */
    public long framesBuffered() {
        return framesBuffered;
    }

    /** Frames dropped because the buffer was full. */
    public long framesDropped() {
        return framesDropped;
    }

    /** Bytes dropped because the buffer was full. */
    public long bytesDropped() {
        return bytesDropped;
    }
}
