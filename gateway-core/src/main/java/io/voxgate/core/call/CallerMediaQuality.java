package io.voxgate.core.call;

/**
 * How the caller's media arrived, as the edge measured it: frames lost in transit, packets that came too late to
 * play, frames concealed, interarrival jitter and round-trip time. The SIP edge publishes its RTP figures here about
 * once a second and once more before the call ends; the Twilio edge (ordered TCP) publishes nothing and the figures
 * stay zero, with jitter and round-trip time unknown (-1).
 *
 * <p>Threading: {@link #publish} on the call's thread only (plain fields, single writer); readers on other threads
 * (the admin API) see each value untorn on a 64-bit JVM but possibly a second stale, and the set is not a snapshot.
 * The call report reads it on the call's thread after the edge's last publication. Allocation-free.
 */
public final class CallerMediaQuality {
    private long framesExpected;
    private long framesLost;
    private long lateDrops;
    private long concealed;
    private long jitterUs = -1;
    private long rttUs = -1;
    private long playoutDelayUs = -1;

    CallerMediaQuality() {
    }

    /**
     * Replaces the figures with the call's running totals.
     *
     * @param framesExpected caller frames the call should have received so far (received plus lost), for the loss ratio
     * @param framesLost     frames whose packets never arrived
     * @param lateDrops      packets that arrived too late to be played
     * @param concealed      frames filled in by loss concealment
     * @param jitterUs       interarrival jitter (RFC 3550 A.8), microseconds
     * @param rttUs          round-trip time from RTCP (RFC 3550 6.4.1), microseconds, or -1 while unknown
     * @param playoutDelayUs the jitter buffer's current delay, microseconds
     */
    public void publish(final long framesExpected, final long framesLost, final long lateDrops, final long concealed,
                        final long jitterUs, final long rttUs, final long playoutDelayUs) {
        this.framesExpected = framesExpected;
        this.framesLost = framesLost;
        this.lateDrops = lateDrops;
        this.concealed = concealed;
        this.jitterUs = jitterUs;
        this.rttUs = rttUs;
        this.playoutDelayUs = playoutDelayUs;
    }

    /** Whether an edge has published anything (SIP calls with media). */
    public boolean measured() {
        return jitterUs >= 0;
    }

    /** Caller frames expected so far: received plus lost. */
    public long framesExpected() {
        return framesExpected;
    }

    /** Caller frames lost in transit. */
    public long framesLost() {
        return framesLost;
    }

    /** Caller packets dropped for arriving too late. */
    public long lateDrops() {
        return lateDrops;
    }

    /** Caller frames concealed. */
    public long concealed() {
        return concealed;
    }

    /** Interarrival jitter in microseconds, or -1 when not measured. */
    public long jitterUs() {
        return jitterUs;
    }

    /** Round-trip time in microseconds, or -1 when unknown. */
    public long rttUs() {
        return rttUs;
    }

    /** The jitter buffer's delay in microseconds, or -1 when not measured. */
    public long playoutDelayUs() {
        return playoutDelayUs;
    }

    /** Fraction of the expected caller frames that were lost or came too late, 0 when nothing was expected. */
    public double lossRatio() {
        return framesExpected <= 0 ? 0.0 : Math.min(1.0, (double) (framesLost + lateDrops) / framesExpected);
    }
}
