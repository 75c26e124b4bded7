package io.voxgate.sip.rtcp;

/**
 * What a receiver reports about one RTP source (RFC 3550 §6.4.1): extended highest sequence number,
 * cumulative and fractional loss (Appendix A.1 and A.3) and interarrival jitter (Appendix A.8).
 *
 * <p>Fed with every accepted packet of the latched source, in arrival order (duplicates and reordering
 * included, as the RFC's estimators expect). A jump larger than {@link #MAX_DROPOUT} or a late packet older
 * than {@link #MAX_MISORDER} is treated as a restart of the sequence space after two consecutive packets
 * confirm it (Appendix A.1).
 *
 * <p>Threading: confined to the call's thread. Units: sequence numbers and RTP timestamp units; arrival times
 * are given in the same clock as the timestamps. Allocates nothing.
 */
public final class RtpReceptionStatistics {
    /** Largest forward jump still treated as loss rather than a restart (RFC 3550 A.1). */
    public static final int MAX_DROPOUT = 3000;
    /** Largest backward step still treated as reordering (RFC 3550 A.1). */
    public static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq = SEQ_MOD + 1;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long transit;
    private boolean haveTransit;
    private long jitterQ4;
    private long packetsRestarted;

    /**
     * Records one packet.
     *
     * @param sequenceNumber    its 16-bit sequence number
     * @param rtpTimestamp      its timestamp
     * @param arrivalRtpUnits   its arrival time in the timestamp clock (any origin)
     */
    public void onPacket(final int sequenceNumber, final long rtpTimestamp, final long arrivalRtpUnits) {
        final int seq = sequenceNumber & 0xFFFF;
        if (!started) {
            restart(seq);
            started = true;
        } else {
            final int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
            } else if (delta <= SEQ_MOD - MAX_MISORDER) {
                if (seq == badSeq) {
                    restart(seq);
                    packetsRestarted++;
                } else {
                    badSeq = (seq + 1) & 0xFFFF;
                    return;
                }
            }
        }
        received++;
        final long transitNow = arrivalRtpUnits - rtpTimestamp;
        if (haveTransit) {
            final long d = Math.abs(transitNow - transit);
            // RFC 3550 A.8: J += (|D| - J) / 16, kept scaled by 16 for integer precision.
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = transitNow;
        haveTransit = true;
    }

    /** Forgets the source: the next packet starts new statistics (a new SSRC, RFC 3550 §8.2). */
    public void reset() {
        started = false;
        jitterQ4 = 0;
    }

    private void restart(final int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
        haveTransit = false;
    }

    /** Whether any packet has been recorded. */
    public boolean started() {
        return started;
    }

    /** Sequence cycles (in units of 65536) plus the highest sequence number received. */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** Packets received (duplicates included, as RFC 3550 A.3 counts them). */
    public long received() {
        return received;
    }

    /** Packets expected minus received since the start, clamped to the signed 24-bit field of a report. */
    public int cumulativeLost() {
        final long lost = expected() - received;
        return (int) Math.max(-0x800000L, Math.min(0x7FFFFFL, lost));
    }

    /** Interarrival jitter in timestamp units. */
    public long jitter() {
        return jitterQ4 >> 4;
    }

    /** Times the sequence space restarted after a large jump. */
    public long packetsRestarted() {
        return packetsRestarted;
    }

    /**
     * The fraction of packets lost since the previous call, in 1/256 (RFC 3550 A.3); call once per report.
     */
    public int takeFractionLost() {
        final long expected = expected();
        final long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        final long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        final long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    private long expected() {
        return started ? extendedHighestSequence() - baseSeq + 1 : 0;
    }
}
