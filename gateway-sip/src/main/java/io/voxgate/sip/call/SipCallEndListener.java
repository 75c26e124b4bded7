package io.voxgate.sip.call;

import io.voxgate.core.transfer.TransferRequest;

/**
 * Told when a SIP call has ended, so its owner frees what the call held outside itself (the RTP port pair, its
 * place in the edge's call table) and hangs up the SIP side when asked, and sends a call's REFER. The narrow view of the edge a call keeps,
 * instead of a pointer to the edge.
 *
 * <p>Threading: called on the call's event loop, once per call.
 */
public interface SipCallEndListener {

    /**
     * Call {@code call} ended for {@code reason}.
     *
     * @param signalHangUp whether the SIP side must still be hung up (BYE or an error response)
     */
    void onCallEnded(SipCall call, String reason, boolean signalHangUp, long nowNs);

    /**
     * Call {@code call} asks to be transferred by REFER as {@code request} says; progress comes back through the call's
     * ring ({@link SipCallCommand#transferProgress}). The default cannot transfer.
     *
     * @return whether the REFER was handed to signalling
     */
    default boolean refer(final SipCall call, final TransferRequest request) {
        return false;
    }
}
