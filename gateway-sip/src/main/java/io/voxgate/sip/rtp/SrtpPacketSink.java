package io.voxgate.sip.rtp;

import io.voxgate.sip.srtp.SrtpContext;
import org.agrona.MutableDirectBuffer;

/**
 * Protects what a send stage or the RTCP reporter wrote before it leaves: {@link #claim} asks the next sink for room
 * for the packet and the SRTP trailer, {@link #commit} encrypts and authenticates the packet in place (RFC 3711 §3.3
 * for RTP, §3.4 for RTCP) and commits the longer packet. Without a context (plain RTP) it passes packets through.
 *
 * <p>Threading: confined to the call's event loop, like the sink it wraps. Allocates nothing per packet; ownership
 * of the claimed buffer is the wrapped sink's.
 */
public final class SrtpPacketSink implements RtpSendStage.PacketSink {
    /** Which half of SRTP a sink applies. */
    public enum Kind {
        /** SRTP: the payload encrypted, the tag appended. */
        RTP,
        /** SRTCP: all after the first header and SSRC encrypted, E flag and index then the tag appended. */
        RTCP
    }

    private final RtpSendStage.PacketSink next;
    private final Kind kind;
    private SrtpContext context;
    private MutableDirectBuffer claimed;
    private long packetsRefused;

    /** Wraps {@code next}, protecting as {@code kind}; set the {@link #context} for SRTP. */
    public SrtpPacketSink(final RtpSendStage.PacketSink next, final Kind kind) {
        this.next = next;
        this.kind = kind;
    }

    /** Sets the context keyed with our master key, or {@code null} for plain RTP. */
    public void context(final SrtpContext value) {
        this.context = value;
    }

    @Override
    public MutableDirectBuffer claim(final int length) {
        claimed = next.claim(context == null ? length : length + overhead());
        return claimed;
    }

    @Override
    public void commit(final int length) {
        if (context == null || claimed == null) {
            next.commit(length);
            return;
        }
        final int n = kind == Kind.RTP ? context.protectRtp(claimed, 0, length) : context.protectRtcp(claimed, 0, length);
        claimed = null;
        if (n < 0) {
            // Never sent in the clear; the wrapped sink releases the unsent buffer at its next claim.
            packetsRefused++;
            return;
        }
        next.commit(n);
    }

    /** Packets not sent because they could not be protected (malformed, or the SRTCP index ran out). */
    public long packetsRefused() {
        return packetsRefused;
    }

    private int overhead() {
        return kind == Kind.RTP ? context.suite().srtpAuthTagLength() : context.suite().srtcpOverhead();
    }
}
