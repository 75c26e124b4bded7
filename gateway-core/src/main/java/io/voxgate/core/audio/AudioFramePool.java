package io.voxgate.core.audio;

/**
 * A fixed set of {@link AudioFrame}s allocated at call setup, so the media path allocates nothing.
 *
 * <p>An empty pool does not grow: {@link #acquire()} returns {@code null} and counts a miss, and the caller
 * drops the audio and counts that drop. {@link #misses()} staying at zero in a test is the proof that the
 * pool was sized right. Threading: confined to the owning call's thread.
 */
public final class AudioFramePool {
    private final AudioFrame[] free;
    private final int frameCapacity;
    private int freeCount;
    private long misses;
    private long doubleReleases;

    /**
     * Allocates {@code frameCount} frames of {@code frameCapacity} bytes each.
     *
     * @throws IllegalArgumentException when either count is not positive
     */
    public AudioFramePool(final int frameCount, final int frameCapacity) {
        if (frameCount <= 0) {
            throw new IllegalArgumentException("frameCount must be positive, was " + frameCount);
        }
        if (frameCapacity <= 0) {
            throw new IllegalArgumentException("frameCapacity must be positive, was " + frameCapacity);
        }
        this.frameCapacity = frameCapacity;
        this.free = new AudioFrame[frameCount];
        for (int i = 0; i < frameCount; i++) {
            free[i] = new AudioFrame(this, frameCapacity);
        }
        this.freeCount = frameCount;
    }

    /** A free frame, or {@code null} (counted in {@link #misses()}) when all are in use. */
    public AudioFrame acquire() {
        if (freeCount == 0) {
            misses++;
            return null;
        }
        final AudioFrame frame = free[--freeCount];
        free[freeCount] = null;
        frame.markAcquired();
        return frame;
    }

    void giveBack(final AudioFrame frame) {
        if (frame.markPooled()) {
            doubleReleases++;
            return;
        }
        free[freeCount++] = frame;
    }

    /** Bytes each frame holds. */
    public int frameCapacity() {
        return frameCapacity;
    }

    /** Frames in the pool in total. */
    public int size() {
        return free.length;
    }

    /** Frames currently free. */
    public int available() {
        return freeCount;
    }

    /** Times {@link #acquire()} found the pool empty. */
    public long misses() {
        return misses;
    }

    /** Times a frame already in the pool was released again (a bug in the caller; ignored safely). */
    public long doubleReleases() {
        return doubleReleases;
    }
}
