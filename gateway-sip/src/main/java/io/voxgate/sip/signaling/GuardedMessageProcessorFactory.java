package io.voxgate.sip.signaling;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.NioMessageProcessorFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;

/**
 * jain-sip's transports with the {@link SourceGate} in front: UDP as jain-sip has it (its datagrams meet the gate in
 * {@link AllowListValve}), TCP and TLS as NIO processors whose accepted connections pass the gate first
 * ({@link GuardedTcpMessageProcessor}, {@link GuardedTlsMessageProcessor}). jain-sip's own NIO processors apply
 * neither {@code MAX_CONNECTIONS} nor {@code READ_TIMEOUT}; these add both.
 *
 * <p>Created by jain-sip by class name (stack property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}).
 * Stateless; safe on any thread.
 */
public final class GuardedMessageProcessorFactory implements MessageProcessorFactory {

    /** Created by jain-sip. */
    public GuardedMessageProcessorFactory() {
        // The gate is found per stack, at each processor's creation.
    }

    @Override
    public MessageProcessor createMessageProcessor(final SIPTransactionStack stack, final InetAddress address, final int port,
                                                   final String transport) throws IOException {
        final SourceGate gate = SourceGate.forStack(((SipStackImpl) stack).getStackName());
        switch (transport.toLowerCase(Locale.ROOT)) {
            case "udp":
                return new NioMessageProcessorFactory().createMessageProcessor(stack, address, port, transport);
            case "tcp":
                return new GuardedTcpMessageProcessor(address, stack, port, gate);
            case "tls":
                return new GuardedTlsMessageProcessor(address, stack, port, gate);
            default:
                throw new IllegalArgumentException("SIP transport " + transport + " is not offered (udp, tcp, tls)");
        }
    }
}
