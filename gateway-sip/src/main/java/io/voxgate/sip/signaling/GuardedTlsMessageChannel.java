package io.voxgate.sip.signaling;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;

/**
 * An accepted SIP-over-TLS connection that tells the {@link SourceGate} when encrypted bytes start a message (or a
 * handshake) and when a message is complete, and closes itself at a decrypted message over the size cap, as
 * {@link GuardedTcpMessageChannel} does for TCP.
 *
 * <p>Threading: bytes arrive on jain-sip's selector thread, whole messages on its parser threads.
 */
final class GuardedTlsMessageChannel extends NioTlsMessageChannel {
    private final SourceGate gate;
    private final SocketChannel client;
    private final SipStreamFramer framer = new SipStreamFramer(JainSipStack.MAX_MESSAGE_SIZE);

    GuardedTlsMessageChannel(final NioTcpMessageProcessor processor, final SocketChannel client, final SourceGate gate)
        throws IOException {
        super(processor, client);
        this.gate = gate;
        this.client = client;
    }

    @Override
    protected void addBytes(final byte[] bytes) throws Exception {
        gate.bytesArrived(client, System.nanoTime());
        super.addBytes(bytes);
    }

    /** Decrypted bytes: bounded per message as over TCP. */
    @Override
    public void addPlaintextBytes(final byte[] bytes) throws Exception {
        if (!framer.accept(bytes)) {
            throw gate.messageTooLarge(peerAddress, JainSipStack.MAX_MESSAGE_SIZE);
        }
        super.addPlaintextBytes(bytes);
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
}
