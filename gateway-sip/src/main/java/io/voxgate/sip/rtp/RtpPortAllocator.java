package io.voxgate.sip.rtp;

/**
 * Hands out RTP/RTCP port pairs from an inclusive range: RTP on an even port, RTCP on the next odd port, both
 * inside the range (RFC 3550 §11 recommends the even/odd pairing; RFC 3264 §5.1 puts RTCP at RTP + 1).
 *
 * <p>A released pair is quarantined for a while before it is handed out again, so late packets of an ended
 * call never land in a new one. Allocation walks the range round-robin from where it last stopped, which
 * also spreads reuse.
 *
 * <p>Threading: safe on any thread (signalling threads allocate, call loops release); methods are
 * synchronized because allocation happens at call setup, never on the media path. Time is an argument.
 */
public final class RtpPortAllocator {
    /** Returned by {@link #allocate} when every pair is in use or quarantined. */
    public static final int NO_PORT = -1;

    private static final byte FREE = 0;
    private static final byte IN_USE = 1;
    private static final byte QUARANTINED = 2;

    private final int firstRtpPort;
    private final long quarantineNs;
    private final byte[] state;
    private final long[] releasedAtNs;
    private int cursor;
    private int inUse;

    /**
     * A range of ports.
     *
     * @param lowPort      first port of the range (inclusive)
     * @param highPort     last port of the range (inclusive)
     * @param quarantineNs how long a released pair rests before reuse
     * @throws IllegalArgumentException when the range holds no even/odd pair or is outside 1024-65535
     */
    public RtpPortAllocator(final int lowPort, final int highPort, final long quarantineNs) {
        if (lowPort < 1024 || highPort > 65535 || lowPort > highPort) {
            throw new IllegalArgumentException("rtp port range " + lowPort + "-" + highPort
                + " must lie within 1024-65535 with low <= high");
        }
        if (quarantineNs < 0) {
            throw new IllegalArgumentException("quarantineNs must not be negative, was " + quarantineNs);
        }
        this.firstRtpPort = (lowPort & 1) == 0 ? lowPort : lowPort + 1;
        final int pairs = (highPort - firstRtpPort + 1) / 2;
        if (pairs <= 0) {
            throw new IllegalArgumentException("rtp port range " + lowPort + "-" + highPort
                + " holds no even RTP port with its odd RTCP port");
        }
        this.quarantineNs = quarantineNs;
        this.state = new byte[pairs];
        this.releasedAtNs = new long[pairs];
    }

    /** A free RTP port (even; RTCP is the port after it), or {@link #NO_PORT}. */
    public synchronized int allocate(final long nowNs) {
        final int pairs = state.length;
        for (int i = 0; i < pairs; i++) {
            final int index = (cursor + i) % pairs;
            final byte s = state[index];
            if (s == FREE || s == QUARANTINED && nowNs - releasedAtNs[index] >= quarantineNs) {
                state[index] = IN_USE;
                cursor = (index + 1) % pairs;
                inUse++;
                return firstRtpPort + 2 * index;
            }
        }
        return NO_PORT;
    }

    /**
     * Returns a pair taken by {@link #allocate}; it can be handed out again once the quarantine has passed.
     *
     * @throws IllegalArgumentException when {@code rtpPort} was not allocated from this range (a bug)
     */
    public synchronized void release(final int rtpPort, final long nowNs) {
        final int index = indexOf(rtpPort);
        if (state[index] != IN_USE) {
            throw new IllegalArgumentException("rtp port " + rtpPort + " is not in use");
        }
        state[index] = QUARANTINED;
        releasedAtNs[index] = nowNs;
        inUse--;
    }

    /** Pairs currently handed out. */
    public synchronized int inUse() {
        return inUse;
    }

    /** Pairs in the range. */
    public int capacity() {
        return state.length;
    }

    private int indexOf(final int rtpPort) {
        final int delta = rtpPort - firstRtpPort;
        if (delta < 0 || (delta & 1) != 0 || delta / 2 >= state.length) {
            throw new IllegalArgumentException("rtp port " + rtpPort + " is not an RTP port of this range");
        }
        return delta / 2;
    }
}
