package io.voxgate.sip.signaling;

import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;

/**
 * jain-sip's NIO TCP listener with the {@link SourceGate} deciding on every accepted connection before a byte is
 * read, and channels that report message boundaries for the read deadline.
 *
 * <p>Threading: jain-sip's selector thread.
 */
final class GuardedTcpMessageProcessor extends NioTcpMessageProcessor {
    private final SourceGate gate;

    GuardedTcpMessageProcessor(final InetAddress address, final SIPTransactionStack stack, final int port, final SourceGate gate) {
        super(address, stack, port);
        this.gate = gate;
    }

    @Override
    public NioTcpMessageChannel createMessageChannel(final NioTcpMessageProcessor processor, final SocketChannel client)
        throws IOException {
        NioTcpMessageChannel channel = nioHandler.getMessageChannel(client);
        if (channel == null) {
            gate.admitConnection(client, System.nanoTime());
            channel = new GuardedTcpMessageChannel(processor, client, gate);
            nioHandler.putMessageChannel(client, channel);
        }
        return channel;
    }
}
