package io.voxgate.sip.signaling;

import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;

/**
 * jain-sip's NIO TLS listener with the {@link SourceGate} deciding on every accepted connection before the
 * handshake, and channels that report message boundaries for the read deadline (a handshake that never yields a
 * message is held no longer than one).
 *
 * <p>Threading: jain-sip's selector thread.
 */
final class GuardedTlsMessageProcessor extends NioTlsMessageProcessor {
    private final SourceGate gate;

    GuardedTlsMessageProcessor(final InetAddress address, final SIPTransactionStack stack, final int port, final SourceGate gate) {
        super(address, stack, port);
        this.gate = gate;
    }

    @Override
    public NioTcpMessageChannel createMessageChannel(final NioTcpMessageProcessor processor, final SocketChannel client)
        throws IOException {
        NioTcpMessageChannel channel = nioHandler.getMessageChannel(client);
        if (channel == null) {
            gate.admitConnection(client, System.nanoTime());
            channel = new GuardedTlsMessageChannel(processor, client, gate);
            nioHandler.putMessageChannel(client, channel);
        }
        return channel;
    }
}
