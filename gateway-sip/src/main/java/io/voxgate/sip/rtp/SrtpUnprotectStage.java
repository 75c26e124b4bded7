package io.voxgate.sip.rtp;

import io.voxgate.core.pipeline.MediaStage;
import io.voxgate.sip.srtp.SrtpContext;
import org.agrona.MutableDirectBuffer;

/**
 * The first node of an SRTP call's inbound path: authenticates, checks for replay and decrypts each datagram in
 * place (RFC 3711 §3.3, §3.4) before anything parses it, and drops what fails, counted by reason. SRTCP that reaches
 * the RTP port multiplexed (second octet 192-223, RFC 5761 §4) is unprotected as SRTCP. On a plain RTP call (no
 * context) every datagram passes unchanged.
 *
 * <p>The peer's source address is checked by the next node, after this one: a stranger's datagram costs one HMAC
 * and is counted here as an authentication failure, and, unauthenticated, changes no SRTP state.
 *
 * <p>A re-INVITE that changes the peer's key replaces the {@link #context}; counters run on across it.
 *
 * <p>Threading: confined to the call's thread. Allocates nothing per packet.
 */
public final class SrtpUnprotectStage implements MediaStage {
    private SrtpContext context;
    private long rtpUnprotected;
    private long rtcpUnprotected;
    private long droppedAuthFailed;
    private long droppedReplayed;
    private long droppedTooOld;
    private long droppedMalformed;
    private long droppedNotEncrypted;
    private long rekeys;

    /**
     * Sets the context keyed with the peer's master key, or {@code null} for plain RTP. A new context is a rekey:
     * its replay windows and rollover counters start afresh.
     */
    public void context(final SrtpContext value) {
        if (context != null && value != null && value != context) {
            rekeys++;
        }
        this.context = value;
    }

    /** Whether datagrams are unprotected (the call is SRTP). */
    public boolean active() {
        return context != null;
    }

    /**
     * One datagram that reached the RTP port: SRTP, or SRTCP multiplexed on it.
     *
     * @return the plain packet's length at {@code offset}, or -1 when it was dropped (and counted)
     */
    public int onRtpPort(final MutableDirectBuffer buffer, final int offset, final int length) {
        if (context == null) {
            return length;
        }
        if (length >= 2) {
            final int secondOctet = buffer.getByte(offset + 1) & 0xFF;
            if (secondOctet >= 192 && secondOctet <= 223) {
                return onRtcpPort(buffer, offset, length);
            }
        }
        final int n = context.unprotectRtp(buffer, offset, length);
        if (n < 0) {
            return refuse(n);
        }
        rtpUnprotected++;
        return n;
    }

    /**
     * One datagram that reached the RTCP port (its source already checked).
     *
     * @return the plain RTCP packet's length at {@code offset}, or -1 when it was dropped (and counted)
     */
    public int onRtcpPort(final MutableDirectBuffer buffer, final int offset, final int length) {
        if (context == null) {
            return length;
        }
        final int n = context.unprotectRtcp(buffer, offset, length);
        if (n < 0) {
            return refuse(n);
        }
        rtcpUnprotected++;
        return n;
    }

    private int refuse(final int result) {
        switch (result) {
            case SrtpContext.AUTH_FAILED:
                droppedAuthFailed++;
                break;
            case SrtpContext.REPLAYED:
                droppedReplayed++;
                break;
            case SrtpContext.TOO_OLD:
                droppedTooOld++;
                break;
            case SrtpContext.NOT_ENCRYPTED:
                droppedNotEncrypted++;
                break;
            default:
                droppedMalformed++;
                break;
        }
        return -1;
    }

    /** SRTP packets authenticated and decrypted. */
    public long rtpUnprotected() {
        return rtpUnprotected;
    }

    /** SRTCP packets authenticated and decrypted (either port). */
    public long rtcpUnprotected() {
        return rtcpUnprotected;
    }

    /** Datagrams whose authentication tag did not match: tampered, forged, a stranger's, or under another key. */
    public long droppedAuthFailed() {
        return droppedAuthFailed;
    }

    /** Datagrams whose index had already been received. */
    public long droppedReplayed() {
        return droppedReplayed;
    }

    /** Datagrams whose index fell below the replay window. */
    public long droppedTooOld() {
        return droppedTooOld;
    }

    /** Datagrams too short, too long or not RTP/RTCP version 2 to be SRTP/SRTCP. */
    public long droppedMalformed() {
        return droppedMalformed;
    }

    /** Authentic SRTCP packets sent unencrypted, which we never agree to. */
    public long droppedNotEncrypted() {
        return droppedNotEncrypted;
    }

    /** Times a re-INVITE replaced the peer's key. */
    public long rekeys() {
        return rekeys;
    }

    @Override
    public String name() {
        return "srtp-unprotect";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("rtp_unprotected", rtpUnprotected);
        visitor.counter("rtcp_unprotected", rtcpUnprotected);
        visitor.counter("dropped_auth_failed", droppedAuthFailed);
        visitor.counter("dropped_replayed", droppedReplayed);
        visitor.counter("dropped_too_old", droppedTooOld);
        visitor.counter("dropped_malformed", droppedMalformed);
        visitor.counter("dropped_not_encrypted", droppedNotEncrypted);
        visitor.counter("rekeys", rekeys);
    }
}
