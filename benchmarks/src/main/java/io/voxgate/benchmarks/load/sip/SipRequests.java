package io.voxgate.benchmarks.load.sip;

import io.voxgate.sip.srtp.SdesCryptoAttribute;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import io.voxgate.sip.srtp.SrtpMasterKey;
import java.util.Locale;

/**
 * The UAC's SIP messages, built by hand per RFC 3261 for UDP: INVITE with an SDP offer, ACK for a 2xx (§13.2.2.4,
 * a new transaction) and for a non-2xx (§17.1.1.3, same branch as the INVITE), BYE (§15.1.1), and the 200 OK a
 * UAS sends to a BYE (§15.1.2) or the responses to other requests (§8.2.6: Via, From, To, Call-ID and CSeq copied).
 *
 * <p>Branches start with the magic cookie {@code z9hG4bK} (§8.1.1.7); Via carries {@code rport} (RFC 3581) so a
 * gateway behind its own NAT rules would still answer to the source. Stateless; safe on any thread.
 */
final class SipRequests {
    static final String CRLF = "\r\n";
    static final String BRANCH_COOKIE = "z9hG4bK";
    private static final String USER_AGENT = "voxgate-load";

    private SipRequests() {
    }

    /**
     * An INVITE.
     *
     * @param requestUri  {@code sip:user@host:port} of the gateway
     * @param local       this UAC's {@code host:port} (Via and Contact)
     * @param branch      transaction branch, with the cookie
     * @param callId      the call's Call-ID
     * @param fromTag     this UAC's dialog tag
     * @param sdp         the offer
     */
    static String invite(final String requestUri, final String local, final String branch, final String callId, final String fromTag,
                         final String sdp) {
        return "INVITE " + requestUri + " SIP/2.0" + CRLF
            + via(local, branch)
            + "Max-Forwards: 70" + CRLF
            + "From: <sip:load@" + hostOf(local) + ">;tag=" + fromTag + CRLF
            + "To: <" + requestUri + ">" + CRLF
            + "Call-ID: " + callId + CRLF
            + "CSeq: 1 INVITE" + CRLF
            + "Contact: <sip:load@" + local + ">" + CRLF
            + "User-Agent: " + USER_AGENT + CRLF
            + "Content-Type: application/sdp" + CRLF
            + "Content-Length: " + sdp.length() + CRLF
            + CRLF
            + sdp;
    }

    /**
     * The ACK for a 2xx: a new transaction to the remote target (the 200's Contact) with a new branch and the
     * INVITE's CSeq number (§13.2.2.4).
     *
     * @param to the To header of the 200, with the gateway's tag
     */
    static String ackFor2xx(final String remoteTarget, final String local, final String branch, final String callId,
                            final String fromTag, final String to) {
        return inDialog("ACK", remoteTarget, local, branch, callId, fromTag, to, 1);
    }

    /**
     * The ACK for a non-2xx final response: part of the INVITE transaction, so the INVITE's Request-URI and branch,
     * with the response's To (§17.1.1.3).
     */
    static String ackForFailure(final String requestUri, final String local, final String inviteBranch, final String callId,
                                final String fromTag, final String to) {
        return inDialog("ACK", requestUri, local, inviteBranch, callId, fromTag, to, 1);
    }

    /** A BYE in the dialog, CSeq 2 (the INVITE had 1). */
    static String bye(final String remoteTarget, final String local, final String branch, final String callId, final String fromTag,
                      final String to) {
        return inDialog("BYE", remoteTarget, local, branch, callId, fromTag, to, 2);
    }

    private static String inDialog(final String method, final String uri, final String local, final String branch, final String callId,
                                   final String fromTag, final String to, final int cseq) {
        return method + " " + uri + " SIP/2.0" + CRLF
            + via(local, branch)
            + "Max-Forwards: 70" + CRLF
            + "From: <sip:load@" + hostOf(local) + ">;tag=" + fromTag + CRLF
            + "To: " + to + CRLF
            + "Call-ID: " + callId + CRLF
            + "CSeq: " + cseq + " " + method + CRLF
            + "User-Agent: " + USER_AGENT + CRLF
            + "Content-Length: 0" + CRLF
            + CRLF;
    }

    /** A body-less response to {@code request} with {@code status} and {@code reason} (§8.2.6.2). */
    static String response(final SipMessage request, final int status, final String reason) {
        final StringBuilder out = new StringBuilder(512);
        out.append("SIP/2.0 ").append(status).append(' ').append(reason).append(CRLF);
        for (final String via : request.headers("Via")) {
            out.append("Via: ").append(via).append(CRLF);
        }
        out.append("From: ").append(request.header("From")).append(CRLF)
            .append("To: ").append(request.header("To")).append(CRLF)
            .append("Call-ID: ").append(request.callId()).append(CRLF)
            .append("CSeq: ").append(request.header("CSeq")).append(CRLF)
            .append("User-Agent: ").append(USER_AGENT).append(CRLF)
            .append("Content-Length: 0").append(CRLF)
            .append(CRLF);
        return out.toString();
    }

    /**
     * The SDP offer (RFC 4566, RFC 3264 §5): PCMU/8000 (PT 0) and telephone-event/8000 (PT 101, events 0-15),
         * 20 ms packets, sendrecv, on {@code host:rtpPort}; with a {@code key} (else null), RTP/SAVP with one SDES
     * {@code a=crypto} line (RFC 4568).
     */
    static String offer(final String host, final int rtpPort, final long sessionId) {
        return offer(host, rtpPort, sessionId, null);
    }

    /** As above, RTP/SAVP with {@code key} (AES_CM_128_HMAC_SHA1_80) when it is set. */
    static String offer(final String host, final int rtpPort, final long sessionId, final SrtpMasterKey key) {
        return offer(host, rtpPort, sessionId, SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80, key);
    }

    /** As above, RTP/SAVP with {@code key} in {@code suite} when the key is set. */
    static String offer(final String host, final int rtpPort, final long sessionId, final SrtpCryptoSuite suite,
                        final SrtpMasterKey key) {
        return "v=0" + CRLF
            + "o=load " + sessionId + " " + sessionId + " IN IP4 " + host + CRLF
            + "s=voxgate-load" + CRLF
            + "c=IN IP4 " + host + CRLF
            + "t=0 0" + CRLF
            + String.format(Locale.ROOT, "m=audio %d %s 0 101", rtpPort, key == null ? "RTP/AVP" : "RTP/SAVP") + CRLF
            + (key == null ? "" : "a=crypto:" + SdesCryptoAttribute.of(1, suite, key).sdpValue()
                + CRLF)
            + "a=rtpmap:0 PCMU/8000" + CRLF
            + "a=rtpmap:101 telephone-event/8000" + CRLF
            + "a=fmtp:101 0-15" + CRLF
            + "a=ptime:20" + CRLF
            + "a=sendrecv" + CRLF;
    }

    private static String via(final String local, final String branch) {
        return "Via: SIP/2.0/UDP " + local + ";branch=" + branch + ";rport" + CRLF;
    }

    private static String hostOf(final String hostPort) {
        final int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
}
