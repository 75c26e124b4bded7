package io.voxgate.sip.rtp;

import io.voxgate.core.jitter.JitterBufferStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * Node-wide RTP and jitter buffer figures of the SIP edge, summed over calls, for {@code /metrics}: what the
 * caller's packets became in the jitter buffer (late, lost, duplicate, reordered, flushed), what the playout filled
 * in (concealed, of which decoded from FEC; silence), what the gateway sent, the frame ticks skipped because an event
 * loop lagged, and what SRTP dropped, by reason.
 *
 * <p>A running call publishes what it counted since its last publication through its own {@link Share} about once a
 * second and a last time at teardown, so a scrape sees running calls at most a second late and the media path
 * writes the shared adders only once a second per call, never per packet.
 *
 * <p>Threading: {@link #add} from any call's event loop; the readers from any thread (a scraper). Each counter is
 * a {@link LongAdder}, so concurrent teardowns never contend on one cache line; two counters read one after the
 * other may straddle a teardown.
 */
public final class RtpTotals {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsLate = new LongAdder();
    private final LongAdder packetsLost = new LongAdder();
    private final LongAdder packetsDuplicate = new LongAdder();
    private final LongAdder packetsReordered = new LongAdder();
    private final LongAdder packetsFlushed = new LongAdder();
    private final LongAdder packetsDroppedInvalid = new LongAdder();
    private final LongAdder framesConcealed = new LongAdder();
    private final LongAdder framesFecDecoded = new LongAdder();
    private final LongAdder framesSilence = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder ticksSkipped = new LongAdder();
    private final LongAdder srtpAuthFailed = new LongAdder();
    private final LongAdder srtpReplayed = new LongAdder();
    private final LongAdder srtpTooOld = new LongAdder();
    private final LongAdder srtpMalformed = new LongAdder();
    private final LongAdder srtpNotEncrypted = new LongAdder();
    private final LongAdder srtpProtectRefused = new LongAdder();
    private final LongAdder srtpUnprotected = new LongAdder();

    /**
     * Adds one ended call's figures.
     *
     * @param jitter                 its jitter buffer's statistics
     * @param packetsDroppedInvalid  packets its receive stage dropped before the jitter buffer (wrong source, SSRC
     *                               or payload type, malformed, oversized, empty)
     * @param packetsSent            RTP packets it sent (agent audio, silence and telephone-events)
     */
    public void add(final JitterBufferStats jitter, final long packetsDroppedInvalid, final long packetsSent) {
        packetsReceived.add(jitter.packetsReceived());
        packetsLate.add(jitter.packetsLate());
        packetsLost.add(jitter.framesLost());
        packetsDuplicate.add(jitter.packetsDuplicate());
        packetsReordered.add(jitter.packetsReordered());
        packetsFlushed.add(jitter.packetsFlushed());
        framesConcealed.add(jitter.framesConcealed());
        framesSilence.add(jitter.framesSilence());
        this.packetsDroppedInvalid.add(packetsDroppedInvalid);
        this.packetsSent.add(packetsSent);
    }

    /** A new call's share: what it has published so far, so each publication adds only the difference. */
    public Share share() {
        return new Share();
    }

    /**
     * One call's published figures. Threading: confined to the call's event loop. Allocation-free.
     */
    public final class Share {
        private long received;
        private long late;
        private long lost;
        private long duplicate;
        private long reordered;
        private long flushed;
        private long concealed;
        private long fecDecoded;
        private long silence;
        private long invalid;
        private long sent;
        private long skipped;
        private long authFailed;
        private long replayed;
        private long tooOld;
        private long malformedSrtp;
        private long notEncrypted;
        private long protectRefused;
        private long unprotected;

        private Share() {
        }

        /**
         * Adds what the call's SRTP counted since its last publication: datagrams dropped by reason, packets it could
         * not protect, and packets authenticated (RTP and RTCP). A plain RTP call publishes zeros.
         */
        public void publishSrtp(final SrtpUnprotectStage srtp, final long packetsProtectRefused) {
            srtpAuthFailed.add(srtp.droppedAuthFailed() - authFailed);
            authFailed = srtp.droppedAuthFailed();
            srtpReplayed.add(srtp.droppedReplayed() - replayed);
            replayed = srtp.droppedReplayed();
            srtpTooOld.add(srtp.droppedTooOld() - tooOld);
            tooOld = srtp.droppedTooOld();
            srtpMalformed.add(srtp.droppedMalformed() - malformedSrtp);
            malformedSrtp = srtp.droppedMalformed();
            srtpNotEncrypted.add(srtp.droppedNotEncrypted() - notEncrypted);
            notEncrypted = srtp.droppedNotEncrypted();
            srtpProtectRefused.add(packetsProtectRefused - protectRefused);
            protectRefused = packetsProtectRefused;
            final long both = srtp.rtpUnprotected() + srtp.rtcpUnprotected();
            srtpUnprotected.add(both - unprotected);
            unprotected = both;
        }

        /** Adds the lost frames the call's playout decoded from in-band FEC since its last publication. */
        public void publishPlayout(final RtpPlayoutStage playout) {
            framesFecDecoded.add(playout.framesFecDecoded() - fecDecoded);
            fecDecoded = playout.framesFecDecoded();
        }

        /**
         * Adds to the node's totals what the call counted since its last publication; the arguments are the call's
         * running totals (as for {@link RtpTotals#add}, plus its skipped ticks).
         */
        public void publish(final JitterBufferStats jitter, final long packetsDroppedInvalid, final long packetsSent,
                            final long ticksSkipped) {
            packetsReceived.add(jitter.packetsReceived() - received);
            received = jitter.packetsReceived();
            packetsLate.add(jitter.packetsLate() - late);
            late = jitter.packetsLate();
            packetsLost.add(jitter.framesLost() - lost);
            lost = jitter.framesLost();
            packetsDuplicate.add(jitter.packetsDuplicate() - duplicate);
            duplicate = jitter.packetsDuplicate();
            packetsReordered.add(jitter.packetsReordered() - reordered);
            reordered = jitter.packetsReordered();
            packetsFlushed.add(jitter.packetsFlushed() - flushed);
            flushed = jitter.packetsFlushed();
            framesConcealed.add(jitter.framesConcealed() - concealed);
            concealed = jitter.framesConcealed();
            framesSilence.add(jitter.framesSilence() - silence);
            silence = jitter.framesSilence();
            RtpTotals.this.packetsDroppedInvalid.add(packetsDroppedInvalid - invalid);
            invalid = packetsDroppedInvalid;
            RtpTotals.this.packetsSent.add(packetsSent - sent);
            sent = packetsSent;
            RtpTotals.this.ticksSkipped.add(ticksSkipped - skipped);
            skipped = ticksSkipped;
        }
    }

    /**
     * Adds one ended call's skipped frame ticks: 20 ms ticks its event loop was too late to run, after which its
     * playout clock resynchronised to real time instead of falling further behind.
     */
    public void addTicksSkipped(final long ticks) {
        ticksSkipped.add(ticks);
    }

    /** Frame ticks skipped because a call's event loop ran too late (CPU shortage). */
    public long ticksSkipped() {
        return ticksSkipped.sum();
    }

    /** Audio packets offered to the jitter buffers. */
    public long packetsReceived() {
        return packetsReceived.sum();
    }

    /** Packets dropped because their playout slot had passed (late-drops). */
    public long packetsLate() {
        return packetsLate.sum();
    }

    /** Sequence numbers played past without their packet ever arriving. */
    public long packetsLost() {
        return packetsLost.sum();
    }

    /** Packets dropped as copies of one already stored or played. */
    public long packetsDuplicate() {
        return packetsDuplicate.sum();
    }

    /** Packets accepted out of order. */
    public long packetsReordered() {
        return packetsReordered.sum();
    }

    /** Stored packets discarded unplayed (resync, SSRC change, delay reduction). */
    public long packetsFlushed() {
        return packetsFlushed.sum();
    }

    /** Packets dropped before the jitter buffer as not belonging to the call or not valid RTP. */
    public long packetsDroppedInvalid() {
        return packetsDroppedInvalid.sum();
    }

    /** Frames the playout concealed for a missing packet. */
    public long framesConcealed() {
        return framesConcealed.sum();
    }

    /** Of the concealed frames, those the playout decoded from the next packet's in-band FEC (Opus). */
    public long framesFecDecoded() {
        return framesFecDecoded.sum();
    }

    /** Frames the playout filled with silence in a gap. */
    public long framesSilence() {
        return framesSilence.sum();
    }

    /** SRTP/SRTCP datagrams dropped because their authentication tag did not match. */
    public long srtpDroppedAuthFailed() {
        return srtpAuthFailed.sum();
    }

    /** SRTP/SRTCP datagrams dropped as replays of an index already received. */
    public long srtpDroppedReplayed() {
        return srtpReplayed.sum();
    }

    /** SRTP/SRTCP datagrams dropped because their index fell below the replay window. */
    public long srtpDroppedTooOld() {
        return srtpTooOld.sum();
    }

    /** Datagrams on SRTP calls too short, too long or not version 2. */
    public long srtpDroppedMalformed() {
        return srtpMalformed.sum();
    }

    /** Authentic SRTCP packets dropped because they were not encrypted. */
    public long srtpDroppedNotEncrypted() {
        return srtpNotEncrypted.sum();
    }

    /** Outgoing packets not sent because they could not be protected. */
    public long srtpProtectRefused() {
        return srtpProtectRefused.sum();
    }

    /** SRTP and SRTCP packets authenticated and decrypted. */
    public long srtpUnprotected() {
        return srtpUnprotected.sum();
    }

    /** RTP packets sent to callers. */
    public long packetsSent() {
        return packetsSent.sum();
    }
}
