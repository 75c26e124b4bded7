package io.voxgate.core.jitter;

/**
 * Serial-number arithmetic for RTP's 16-bit sequence numbers and 32-bit timestamps (RFC 3550 §5.1, with the
 * comparison rule of RFC 1982 §3.2), and extension of either into a monotonic {@code long} that survives
 * wrap-around.
 *
 * <p>Two values exactly half the number space apart (32,768 sequence numbers or 2<sup>31</sup> timestamp ticks)
 * are undefined under RFC 1982: neither {@code isNewer} direction holds. Timestamp arguments are taken as
 * {@code long} and only their low 32 bits are used, so callers may pass an unsigned value or a sign-extended
 * {@code int}. Threading: stateless, safe from any thread; allocation-free.
 */
public final class SequenceNumbers {
    /** Number of distinct RTP sequence numbers (RFC 3550 A.1 {@code RTP_SEQ_MOD}). */
    public static final int SEQUENCE_MODULUS = 1 << 16;

    /** Mask of a 16-bit RTP sequence number. */
    public static final int SEQUENCE_MASK = SEQUENCE_MODULUS - 1;

    /** Mask of a 32-bit RTP timestamp held in a {@code long}. */
    public static final long TIMESTAMP_MASK = 0xFFFF_FFFFL;

    private SequenceNumbers() {
    }

    /**
     * The signed distance {@code a - b} between two 16-bit sequence numbers, in [-32768, 32767].
     * Positive means {@code a} is newer.
     */
    public static int difference16(final int a, final int b) {
        return (short) (a - b);
    }

    /** Whether 16-bit sequence number {@code a} comes after {@code b} under serial-number arithmetic. */
    public static boolean isNewer16(final int a, final int b) {
        return difference16(a, b) > 0;
    }

    /**
     * The signed distance {@code a - b} between two 32-bit RTP timestamps, in [-2<sup>31</sup>, 2<sup>31</sup>-1]
     * clock ticks. Positive means {@code a} is later.
     */
    public static int difference32(final long a, final long b) {
        return (int) (a - b);
    }

    /** Whether 32-bit timestamp {@code a} is later than {@code b} under serial-number arithmetic. */
    public static boolean isNewer32(final long a, final long b) {
        return difference32(a, b) > 0;
    }

    /**
     * Extends a 16-bit sequence number to the extended value nearest to {@code referenceExtended} (for example
     * the highest extended sequence number seen so far), so that a packet up to 32,767 behind or 32,767 ahead
     * of the reference gets a consistent ordering across wrap-around. The result may be negative for packets
     * that precede a reference still in its first cycle.
     */
    public static long extend16(final int sequenceNumber, final long referenceExtended) {
        return referenceExtended + difference16(sequenceNumber, (int) referenceExtended);
    }

    /**
     * Extends a 32-bit RTP timestamp to the extended value nearest to {@code referenceExtended}: the timestamp
     * counterpart of {@link #extend16(int, long)}.
     */
    public static long extend32(final long rtpTimestamp, final long referenceExtended) {
        return referenceExtended + difference32(rtpTimestamp, referenceExtended);
    }
}
