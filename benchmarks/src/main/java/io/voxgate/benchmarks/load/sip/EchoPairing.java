package io.voxgate.benchmarks.load.sip;

/**
 * Pairs one call's echoed tone frames with the tone frames it sent, first in first out: each non-silent frame
 * received is the echo of the oldest tone frame not yet echoed. Exact while nothing is lost; a lost frame shifts
 * the pairing of every later frame of the call by one frame (20 ms), which is why loss is counted apart.
 *
 * <p>Threading: confined to the call's media event loop. Preallocated ring of send times; allocates nothing.
 */
final class EchoPairing {
    private final long[] sentNs;
    private final int mask;
    private long head;
    private long tail;
    private long toneSent;
    private long echoed;
    private long unpaired;
    private long overrun;

    /** A pairing that keeps up to {@code capacity} (a power of two) unechoed frames in flight. */
    EchoPairing(final int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        this.sentNs = new long[capacity];
        this.mask = capacity - 1;
    }

    /** A tone frame was sent at {@code nowNs}; counted even when the ring is full (then it can never pair). */
    void sent(final long nowNs) {
        toneSent++;
        if (tail - head == sentNs.length) {
            overrun++;
            return;
        }
        sentNs[(int) (tail++ & mask)] = nowNs;
    }

    /**
     * A non-silent frame arrived at {@code nowNs}.
     *
     * @return its round trip in ns, or -1 when no sent frame was waiting (counted as unpaired)
     */
    long echoed(final long nowNs) {
        if (head == tail) {
            unpaired++;
            return -1;
        }
        echoed++;
        return nowNs - sentNs[(int) (head++ & mask)];
    }

    /** Tone frames sent. */
    long toneSent() {
        return toneSent;
    }

    /** Non-silent frames paired with a sent tone frame. */
    long echoed() {
        return echoed;
    }

    /** Non-silent frames that arrived with no sent frame waiting. */
    long unpaired() {
        return unpaired;
    }

    /** Tone frames sent while the ring was full (never paired). */
    long overrun() {
        return overrun;
    }
}
