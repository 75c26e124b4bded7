package io.voxgate.sip.signaling;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.net.InetAddress;
import javax.sip.SipStack;
import javax.sip.message.Response;

/**
 * The allow list as jain-sip's message valve: a request from a source outside {@code --sip-allow} is dropped before
 * any transaction or dialog exists, with no answer, so a scanner learns nothing (counted as
 * {@link RejectReason#SOURCE_NOT_ALLOWED}). TCP and TLS connections from outside never get this far
 * ({@link SourceGate#admitConnection}); this is the gate for UDP.
 *
 * <p>Created by jain-sip by class name (stack property {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}). Threading:
 * called on jain-sip's receiving threads; the gate is thread-safe.
 */
public final class AllowListValve implements SIPMessageValve {
    private volatile SourceGate gate;

    /** Created by jain-sip. */
    public AllowListValve() {
        // Bound to its stack's gate in init.
    }

    @Override
    public void init(final SipStack stack) {
        gate = SourceGate.forStack(((SipStackImpl) stack).getStackName());
    }

    @Override
    public boolean processRequest(final SIPRequest request, final MessageChannel channel) {
        final SourceGate g = gate;
        if (g == null) {
            return false;
        }
        final InetAddress source = request.getPeerPacketSourceAddress() != null ? request.getPeerPacketSourceAddress()
            : request.getRemoteAddress();
        return g.admitsRequestFrom(source);
    }

    @Override
    public boolean processResponse(final Response response, final MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
        gate = null;
    }
}
