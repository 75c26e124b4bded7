package io.voxgate.core.pipeline;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.audio.AudioFrame;
import io.voxgate.core.audio.AudioFramePool;
import org.agrona.DirectBuffer;

/**
 * Holds the caller's audio while the agent is still connecting, then hands it on in order, frame by frame.
 *
 * <p>Storage: pooled {@link AudioFrame}s from a pool of {@code maxFrames} frames of {@code frameCapacityBytes}
 * each that this buffer owns, queued in a preallocated ring of frame references. A caller frame up to
 * {@code frameCapacityBytes} keeps its boundaries; a longer one is split across consecutive pooled frames (each
 * carrying the frame's arrival time) and is handed on as those pieces, still in order and without a gap.
 *
 * <p>Bound and drop policy: lossless up to {@code capacityBytes} and {@code maxFrames} pooled frames; past that
 * it keeps the <em>oldest</em> audio and drops every later frame until it is drained (counted in
 * {@link #framesDropped()}). A frame is kept whole or not at all. A connect that outlasts the bound loses either
 * the start or the end of what the caller said, and the start is worth more: it carries the caller's opening
 * words and intent ("I'm calling about my order"), it is a coherent stretch of speech that the agent's
 * recogniser can use, while dropping the oldest would hand the agent an utterance that starts mid-word. The end
 * of a long wait is typically the caller pausing or repeating "hello?", which they will repeat again once the
 * agent answers. Once a frame was dropped, later smaller frames are dropped too, so the agent never receives a
 * gappy sequence that looks continuous.
 *
 * <p>Storage is needed only until the agent connects: {@link #release} gives it up for good, so a running call
 * keeps none of it (16 KiB of mu-law for the default 2 s, 27 KiB with the pooled frames' objects). A buffer
 * released is empty and drops, counted, anything still offered.
 *
 * <p>Threading: confined to the call's thread. Ownership: {@link #offer} copies the borrowed bytes into pooled
 * frames; {@link #drainTo} lends each frame to the sink for the duration of one sink call and returns it to the
 * pool right after, and {@link #clear} returns every held frame. Allocates nothing after construction.
 */
public final class PreConnectBuffer {
    private final AudioFormat format;
    private final int capacityBytes;
    private final int frameCapacityBytes;
    private AudioFramePool pool;
    private AudioFrame[] ring;
    private boolean[] endsCallerFrame;
    private boolean released;
    private int head;
    private int size;
    private int frameCount;
    private int usedBytes;
    private boolean overflowed;
    private long framesBuffered;
    private long framesDropped;
    private long bytesDropped;

    /**
     * A buffer of {@code capacityBytes} of audio in at most {@code maxFrames} pooled frames of
     * {@code frameCapacityBytes} each, all allocated here. A capacity of 0 keeps nothing: every frame is dropped
     * and counted.
     *
     * @param format             the format of the audio offered, stamped on every pooled frame
     * @param capacityBytes      audio bytes held at most
     * @param maxFrames          pooled frames held at most (a caller frame longer than one pooled frame takes several)
     * @param frameCapacityBytes bytes per pooled frame: the longest caller frame kept with its boundaries
     * @throws IllegalArgumentException naming the value when the format is null, the capacity is negative or
     *                                  {@code maxFrames} or {@code frameCapacityBytes} is not positive
     */
    public PreConnectBuffer(final AudioFormat format, final int capacityBytes, final int maxFrames,
                            final int frameCapacityBytes) {
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacityBytes must not be negative, was " + capacityBytes);
        }
        if (maxFrames <= 0) {
            throw new IllegalArgumentException("maxFrames must be positive, was " + maxFrames);
        }
        if (frameCapacityBytes <= 0) {
            throw new IllegalArgumentException("frameCapacityBytes must be positive, was " + frameCapacityBytes);
        }
        this.format = format;
        this.capacityBytes = capacityBytes;
        this.frameCapacityBytes = frameCapacityBytes;
        this.pool = new AudioFramePool(maxFrames, frameCapacityBytes);
        this.ring = new AudioFrame[maxFrames];
        this.endsCallerFrame = new boolean[maxFrames];
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
        final int frameCapacity = frameCapacityBytes;
        final int pieces = (length - 1) / frameCapacity + 1;
        if (released || overflowed || pieces > ring.length - size || length > capacityBytes - usedBytes) {
            return drop(length);
        }
        int copied = 0;
        for (int piece = 0; piece < pieces; piece++) {
            final AudioFrame frame = pool.acquire();
            if (frame == null) {
                // Only possible while a drain lends the frame it just took out to a sink that offers again: the
                // ring has a slot but the pool is one frame short. The miss is counted by the pool; the frame is
                // dropped whole, like any frame past the bound.
                releaseNewest(piece);
                return drop(length);
            }
            final int pieceLength = Math.min(frameCapacity, length - copied);
            frame.set(format, audio, offset + copied, pieceLength, nowNs);
            copied += pieceLength;
            final int tail = slot(size);
            ring[tail] = frame;
            endsCallerFrame[tail] = copied == length;
            size++;
        }
        frameCount++;
        usedBytes += length;
        framesBuffered++;
        return true;
    }

    private boolean drop(final int length) {
        overflowed = true;
        framesDropped++;
        bytesDropped += length;
        return false;
    }

    private void releaseNewest(final int count) {
        for (int i = 0; i < count; i++) {
            size--;
            final int tail = slot(size);
            ring[tail].release();
            ring[tail] = null;
        }
    }

    private int slot(final int fromHead) {
        final int index = head + fromHead;
        return index >= ring.length ? index - ring.length : index;
    }

    private AudioFrame takeOldest() {
        final AudioFrame frame = ring[head];
        ring[head] = null;
        head = slot(1);
        size--;
        return frame;
    }

    /**
     * Hands every kept frame to {@code sink} in arrival order with its original boundaries and arrival time,
     * then empties the buffer; a frame longer than one pooled frame is handed on as its consecutive pieces. Each
     * pooled frame goes back to the pool as soon as its sink call returns. A sink that calls {@link #clear()}
     * stops the drain.
     *
     * @return caller frames delivered
     */
    public int drainTo(final AudioSink sink) {
        int delivered = 0;
        while (size > 0) {
            final boolean last = endsCallerFrame[head];
            final AudioFrame frame = takeOldest();
            usedBytes -= frame.length();
            if (last) {
                frameCount--;
                delivered++;
            }
            try {
                sink.onAudio(frame.buffer(), 0, frame.length(), frame.timestampNs());
            } finally {
                frame.release();
            }
        }
        overflowed = false;
        return delivered;
    }

    /** Forgets everything held and returns its frames to the pool (the call ended before the agent connected). */
    public void clear() {
        while (size > 0) {
            takeOldest().release();
        }
        frameCount = 0;
        usedBytes = 0;
        overflowed = false;
    }

    /**
     * Empties the buffer (as {@link #clear}) and gives up its storage for good, once the agent is connected and
     * nothing will be buffered again; later offers are dropped and counted. Idempotent.
     */
    public void release() {
        clear();
        released = true;
        pool = null;
        ring = null;
        endsCallerFrame = null;
    }

    /** Whether {@link #release} gave up the storage. */
    public boolean released() {
        return released;
    }

    /** Caller frames held now. */
    public int frameCount() {
        return frameCount;
    }

    /** Bytes held now. */
    public int byteCount() {
        return usedBytes;
    }

    /** Bytes it can hold. */
    public int capacityBytes() {
        return capacityBytes;
    }

    /** Bytes per pooled frame: the longest caller frame kept with its boundaries. */
    public int frameCapacityBytes() {
        return frameCapacityBytes;
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

    /** The pool this buffer owns, for tests proving that it is sized right and that every frame comes back. */
    AudioFramePool pool() {
        return pool;
    }
}
