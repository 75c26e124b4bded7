package io.voxgate.sip.signaling;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.MessageChannel;
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
 * message is held no longer than one). Connections the gateway opens itself are {@link OutgoingTlsMessageChannel}s,
 * whose server certificate must be trusted and name the host the request is for.
 *
 * <p>Threading: accepted connections on jain-sip's selector thread; outgoing ones on whichever thread sends the
 * request (jain-sip's or a signalling timer thread), kept in jain-sip's channel table as its own client channels are.
 */
final class GuardedTlsMessageProcessor extends NioTlsMessageProcessor {
    private static final String TRANSPORT = "TLS";

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

    /** A connection to the request's next hop; the certificate must name the hop's host as the request gave it. */
    @Override
    public MessageChannel createMessageChannel(final HostPort target) throws IOException {
        return outgoing(MessageChannel.getKey(target, TRANSPORT), target.getInetAddress(), target.getPort(),
            target.getHost().getHostname());
    }

    /** A connection to an address (jain-sip's retransmitted ACK); the certificate must name that address. */
    @Override
    public MessageChannel createMessageChannel(final InetAddress address, final int port) throws IOException {
        return outgoing(MessageChannel.getKey(address, port, TRANSPORT), address, port, address.getHostAddress());
    }

    private MessageChannel outgoing(final String key, final InetAddress address, final int port, final String host)
        throws IOException {
        final ConnectionOrientedMessageChannel cached = messageChannels.get(key);
        if (cached != null) {
            return cached;
        }
        final OutgoingTlsMessageChannel channel = new OutgoingTlsMessageChannel(address, port, sipStack, this, host,
            gate.counters());
        synchronized (messageChannels) {
            messageChannels.put(key, channel);
        }
        selector.wakeup();
        return channel;
    }
}
