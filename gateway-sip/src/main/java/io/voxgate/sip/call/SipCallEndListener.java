package io.voxgate.sip.call;

/**
 * Told when a SIP call has ended, so its owner frees what the call held outside itself (the RTP port pair, its
 * place in the edge's call table) and hangs up the SIP side when asked. The narrow view of the edge a call keeps,
 * instead of a pointer to the edge.
 *
 * <p>Threading: called on the call's event loop, once per call.
 */
@FunctionalInterface
public interface SipCallEndListener {

    /**
     * Call {@code call} ended for {@code reason}.
     *
     * @param signalHangUp whether the SIP side must still be hung up (BYE or an error response)
     */
    void onCallEnded(SipCall call, String reason, boolean signalHangUp, long nowNs);
}
