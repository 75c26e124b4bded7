package io.voxgate.sip.signaling;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.NioTcpMessageChannel;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;

/**
 * An accepted SIP-over-TCP connection that tells the {@link SourceGate} when a message starts (first bytes after the
 * last whole message; bare CRLF keep-alives do not count, RFC 5626 §4.4.1) and when one is complete, and closes itself
 * at a message over the size cap ({@link SipStreamFramer}) before jain-sip buffers it.
 *
 * <p>Threading: bytes arrive on jain-sip's selector thread, whole messages on its parser threads; the gate's
 * bookkeeping is thread-safe.
 */
final class GuardedTcpMessageChannel extends NioTcpMessageChannel {
    private final SourceGate gate;
    private final SocketChannel client;
    private final SipStreamFramer framer = new SipStreamFramer(JainSipStack.MAX_MESSAGE_SIZE);

    GuardedTcpMessageChannel(final NioTcpMessageProcessor processor, final SocketChannel client, final SourceGate gate)
        throws IOException {
        super(processor, client);
        this.messageProcessor = processor;
        this.myClientInputStream = client.socket().getInputStream();
        this.gate = gate;
        this.client = client;
    }

    @Override
    protected void addBytes(final byte[] bytes) throws Exception {
        if (!isKeepAlive(bytes)) {
            gate.bytesArrived(client, System.nanoTime());
        }
        if (!framer.accept(bytes)) {
            throw gate.messageTooLarge(peerAddress, JainSipStack.MAX_MESSAGE_SIZE);
        }
        super.addBytes(bytes);
    }

    @Override
    public void processMessage(final SIPMessage message) throws Exception {
        gate.messageCompleted(client);
        super.processMessage(message);
    }

    @Override
    public void processMessage(final SIPMessage message, final InetAddress address) {
        gate.messageCompleted(client);
        super.processMessage(message, address);
    }

    /** Whether a read holds nothing but CR and LF (a keep-alive ping or the tail of the last message). */
    static boolean isKeepAlive(final byte[] bytes) {
        for (final byte b : bytes) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
