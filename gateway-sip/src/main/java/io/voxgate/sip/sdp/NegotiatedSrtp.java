package io.voxgate.sip.sdp;

import io.voxgate.sip.srtp.SrtpContext;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;

/**
 * The SRTP an offer/answer exchange settled on (RFC 4568): the suite, the tag of the accepted {@code a=crypto}
 * line, our master key (we protect what we send with it) and the peer's (it protects what we receive).
 *
 * <p>Immutable; safe on any thread; handed from signalling to the call's thread, which builds its two
 * {@link SrtpContext}s from it once. Never prints the keys.
 */
public final class NegotiatedSrtp {
    private final SrtpCryptoSuite suite;
    private final int tag;
    private final SrtpMasterKey localKey;
    private final SrtpMasterKey remoteKey;

    /**
     * The settled SRTP.
     *
     * @param suite     the accepted crypto suite
     * @param tag       the accepted attribute's tag
     * @param localKey  our master key, sent in our SDP
     * @param remoteKey the peer's master key, from its SDP
     */
    public NegotiatedSrtp(final SrtpCryptoSuite suite, final int tag, final SrtpMasterKey localKey,
            final SrtpMasterKey remoteKey) {
        this.suite = suite;
        this.tag = tag;
        this.localKey = localKey;
        this.remoteKey = remoteKey;
    }

    /** The crypto suite both directions use. */
    public SrtpCryptoSuite suite() {
        return suite;
    }

    /** The tag of the accepted {@code a=crypto} line. */
    public int tag() {
        return tag;
    }

    /** Our master key. */
    public SrtpMasterKey localKey() {
        return localKey;
    }

    /** The peer's master key. */
    public SrtpMasterKey remoteKey() {
        return remoteKey;
    }

    /** A new context that protects what we send (RTP and RTCP). */
    public SrtpContext newSendContext() {
        return new SrtpContext(suite, localKey);
    }

    /** A new context that unprotects what we receive (SRTP and SRTCP). */
    public SrtpContext newReceiveContext() {
        return new SrtpContext(suite, remoteKey);
    }

    @Override
    public String toString() {
        return suite.sdesName() + " tag=" + tag + " keys redacted";
    }
}
