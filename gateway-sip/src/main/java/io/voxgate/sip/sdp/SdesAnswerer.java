package io.voxgate.sip.sdp;

import io.voxgate.sip.srtp.SdesCryptoAttribute;
import io.voxgate.sip.srtp.SrtpMasterKey;

/**
 * Picks the SDES key of an {@code RTP/SAVP} stream (RFC 4568 §7.1.2): the first {@code a=crypto} line, in the
 * offerer's order of preference, that we can honour; our answer repeats its tag and suite with our own key.
 *
 * <p>Stateless; runs on signalling threads.
 */
final class SdesAnswerer {
    private SdesAnswerer() {
    }

    /**
     * The SRTP for {@code offered}, keyed with {@code localKey} on our side.
     *
     * @return the settled SRTP and our attribute, or the reason no line could be used
     */
    static Result answer(final MediaDescription offered, final SrtpMasterKey localKey) {
        String firstRefusal = null;
        for (final String value : offered.cryptoAttributes()) {
            final SdesCryptoAttribute.Parsed parsed = SdesCryptoAttribute.parse(value);
            if (parsed.accepted()) {
                final SdesCryptoAttribute theirs = parsed.attribute();
                final SrtpMasterKey ourKey = localKey.forSuite(theirs.suite());
                final SdesCryptoAttribute ours = SdesCryptoAttribute.of(theirs.tag(), theirs.suite(), ourKey);
                return new Result(new NegotiatedSrtp(theirs.suite(), theirs.tag(), ourKey, theirs.masterKey()),
                    ours.sdpValue(), null);
            }
            if (firstRefusal == null) {
                firstRefusal = parsed.refusal();
            }
        }
        return new Result(null, null, firstRefusal == null ? "RTP/SAVP offered without a=crypto (SDES)"
            : "no usable a=crypto: " + firstRefusal);
    }

    /**
     * What {@link #answer} found.
     *
     * @param srtp      the settled SRTP, or {@code null}
     * @param attribute our {@code a=crypto} value, or {@code null}
     * @param refusal   why no line was usable, or {@code null}; never contains the offer's text
     */
    record Result(NegotiatedSrtp srtp, String attribute, String refusal) {
    }
}
