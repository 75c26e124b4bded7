package io.voxgate.sip.srtp;

/**
 * The receiver's replay list for one SSRC (RFC 3711 §3.3.2): the highest index accepted and a bitmap of which of
 * the {@code size} indices below it were seen. A bit per index modulo the size, cleared as the top moves up, so
 * sliding never shifts words.
 *
 * <p>Threading: confined to one thread. Allocates only at construction.
 */
final class ReplayWindow {
    /** Indices remembered below the highest; libsrtp's default too, twice the RFC's minimum of 64. */
    static final int DEFAULT_SIZE = 128;

    /** The index is new: above the top, or inside the window and not seen. */
    static final int FRESH = 0;
    /** The index is inside the window and was seen. */
    static final int DUPLICATE = 1;
    /** The index is below the window: it can no longer be told apart from a replay. */
    static final int TOO_OLD = 2;

    private final long[] seen;
    private final int size;
    private long highest = -1;

    /** A window of {@code size} indices, a positive multiple of 64. */
    ReplayWindow(final int size) {
        if (size <= 0 || size % Long.SIZE != 0) {
            throw new IllegalArgumentException("the replay window is a positive multiple of 64");
        }
        this.size = size;
        this.seen = new long[size / Long.SIZE];
    }

    /** Whether {@code index} may be accepted: {@link #FRESH}, {@link #DUPLICATE} or {@link #TOO_OLD}. */
    int check(final long index) {
        if (index < 0) {
            return TOO_OLD;
        }
        if (highest < 0 || index > highest) {
            return FRESH;
        }
        if (highest - index >= size) {
            return TOO_OLD;
        }
        return isSet(index) ? DUPLICATE : FRESH;
    }

    /** Records an authenticated {@code index} that {@link #check} found fresh. */
    void accept(final long index) {
        if (index > highest) {
            if (highest < 0 || index - highest >= size) {
                java.util.Arrays.fill(seen, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    clear(i);
                }
            }
            highest = index;
        }
        set(index);
    }

    /** The highest index accepted, or -1 before the first. */
    long highest() {
        return highest;
    }

    /** Forgets everything, for a slot that now serves another SSRC. */
    void reset() {
        java.util.Arrays.fill(seen, 0L);
        highest = -1;
    }

    private boolean isSet(final long index) {
        final int bit = (int) (index % size);
        return (seen[bit >>> 6] & 1L << (bit & 63)) != 0;
    }

    private void set(final long index) {
        final int bit = (int) (index % size);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private void clear(final long index) {
        final int bit = (int) (index % size);
        seen[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
