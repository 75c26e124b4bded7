package io.voxgate.core.audio;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One frame of audio bytes in a known format, owned by an {@link AudioFramePool}.
 *
 * <p>Ownership: whoever {@link AudioFramePool#acquire() acquired} a frame owns it until it hands it on or
 * calls {@link #release()}; a frame is never used after release. Threading: confined to the thread of the
 * call that owns its pool.
 */
public final class AudioFrame {
    private final AudioFramePool pool;
    private final byte[] bytes;
    private final UnsafeBuffer buffer;
    private AudioFormat format;
    private int length;
    private long timestampNs;
    private boolean pooled;

    AudioFrame(final AudioFramePool pool, final int capacity) {
        this.pool = pool;
        this.bytes = new byte[capacity];
        this.buffer = new UnsafeBuffer(bytes);
        this.pooled = true;
    }

    /** The backing array; bytes {@code [0, length())} are the audio. */
    public byte[] array() {
        return bytes;
    }

    /** The backing storage as an Agrona buffer over {@link #array()}. */
    public MutableDirectBuffer buffer() {
        return buffer;
    }

    /** How many bytes the frame can hold. */
    public int capacity() {
        return bytes.length;
    }

    /** Bytes of audio in the frame. */
    public int length() {
        return length;
    }

    /** The format of the audio bytes. */
    public AudioFormat format() {
        return format;
    }

    /** When the frame's first byte entered the gateway, for latency accounting (monotonic ns). */
    public long timestampNs() {
        return timestampNs;
    }

    /**
     * Copies {@code length} bytes from {@code src} into the frame, replacing its content.
     *
     * @return this frame
     * @throws IllegalArgumentException when {@code length} exceeds {@link #capacity()}
     */
    public AudioFrame set(final AudioFormat format, final DirectBuffer src, final int offset, final int length,
                          final long timestampNs) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("frame length " + length + " outside [0, " + bytes.length + "]");
        }
        src.getBytes(offset, bytes, 0, length);
        return fill(format, length, timestampNs);
    }

    /**
     * Declares that the first {@code length} bytes of {@link #array()} were written by the caller.
     *
     * @return this frame
     * @throws IllegalArgumentException when {@code length} exceeds {@link #capacity()}
     */
    public AudioFrame fill(final AudioFormat format, final int length, final long timestampNs) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("frame length " + length + " outside [0, " + bytes.length + "]");
        }
        this.format = format;
        this.length = length;
        this.timestampNs = timestampNs;
        return this;
    }

    /** Returns the frame to its pool; the caller must not touch it afterwards. */
    public void release() {
        pool.giveBack(this);
    }

    boolean markPooled() {
        final boolean wasPooled = pooled;
        pooled = true;
        length = 0;
        return wasPooled;
    }

    void markAcquired() {
        pooled = false;
    }
}
