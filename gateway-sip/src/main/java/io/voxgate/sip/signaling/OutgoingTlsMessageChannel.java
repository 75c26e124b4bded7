package io.voxgate.sip.signaling;

import gov.nist.javax.sip.stack.NioTcpMessageProcessor;
import gov.nist.javax.sip.stack.NioTlsMessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP-over-TLS connection the gateway opens itself: a BYE, re-INVITE, REFER or answer towards a peer that is
 * reachable only by a new connection (it closed the one it called on, or asked to be reached at its Contact). It
 * names the host it set out to reach to the {@link ServerIdentityTrustManager} while its engine reads the server's
 * handshake, so the server's certificate is checked against that host inside the handshake. A refused certificate
 * ends the connection before the request leaves: counted ({@link RejectReason#TLS_PEER_CERTIFICATE}) and logged once.
 *
 * <p>jain-sip drives the engine from two threads: reads on its selector thread, writes on the thread that sends. The
 * certificate check runs on whichever of them finds the engine's delegated task waiting, and JSSE rethrows a failed
 * task from whichever calls the engine next; so both paths name the target and both count a refusal, once per
 * connection.
 *
 * <p>Created by {@link GuardedTlsMessageProcessor} in place of jain-sip's client channel. Threading: bytes arrive on
 * jain-sip's selector thread; requests are sent from jain-sip's and the signalling threads.
 */
final class OutgoingTlsMessageChannel extends NioTlsMessageChannel {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingTlsMessageChannel.class);
    /** How deep the causes of a failed handshake are searched for the gateway's refusal (JSSE wraps it once or twice). */
    private static final int MAX_CAUSE_DEPTH = 8;
    private static final byte[] NOTHING = new byte[0];

    private final String targetHost;
    private final SipCounters counters;
    private final AtomicBoolean refusalCounted = new AtomicBoolean();
    /** Confined to the selector thread, which alone calls {@link #addBytes}. */
    private boolean flushedAfterHandshake;

    /**
     * Connects to {@code address}:{@code port} (blocking, as jain-sip does, up to 10 s).
     *
     * @param targetHost the host as the request named it (a DNS name or an IP literal), which the certificate must name
     */
    OutgoingTlsMessageChannel(final InetAddress address, final int port, final SIPTransactionStack stack,
                              final NioTcpMessageProcessor processor, final String targetHost, final SipCounters counters)
        throws IOException {
        super(address, port, stack, processor);
        this.targetHost = targetHost;
        this.counters = counters;
        // jain-sip's processor marks its client channels cached once stored; ours are stored the same way.
        this.isCached = true;
    }

    @Override
    protected void addBytes(final byte[] bytes) throws Exception {
        final String previous = ServerIdentityTrustManager.expecting(targetHost);
        try {
            super.addBytes(bytes);
            if (!flushedAfterHandshake && isHandshakeCompleted()) {
                flushedAfterHandshake = true;
                // jain-sip sends what waited for the handshake only when a read after it ends the handshake; a TLS 1.3
                // client's handshake ends on its own write, so with a server that sends nothing more (no session
                // ticket) the request would wait for ever. An empty send pushes the queue out.
                sendMessage(NOTHING, true);
            }
        } catch (final IOException ex) {
            countIfRefused(ex);
            throw ex;
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    @Override
    protected void sendMessage(final byte[] message, final boolean retry) throws IOException {
        final String previous = ServerIdentityTrustManager.expecting(targetHost);
        try {
            super.sendMessage(message, retry);
        } catch (final IOException ex) {
            countIfRefused(ex);
            throw ex;
        } finally {
            ServerIdentityTrustManager.restore(previous);
        }
    }

    private void countIfRefused(final IOException failure) {
        final ServerIdentityTrustManager.RefusedPeerCertificate refused = refusal(failure);
        if (refused != null && refusalCounted.compareAndSet(false, true)) {
            counters.reject(RejectReason.TLS_PEER_CERTIFICATE);
            LOG.warn("SIP over TLS to {}:{} refused: {}; the request is not sent", targetHost, getPeerPort(),
                refused.getMessage());
        }
    }

    /**
     * Sends on this channel's own connection. jain-sip 1.3.0-91 forgets a socket it has just opened (its
     * {@code NIOHandler} drops a new socket from its connection table on the way out of the connect), so a send
     * addressed by host and port found no connection, opened a second one, swapped it in and re-created the TLS engine
     * ({@link #onNewSocket}): the request was lost and the first engine's ClientHello went out as application data.
     * jain-sip's other send path, used for a connection it holds, puts the channel's socket back under its key first.
     */
    @Override
    public void sendMessage(final byte[] message, final InetAddress receiverAddress, final int receiverPort, final boolean retry)
        throws IOException {
        if (receiverAddress.equals(peerAddress) && receiverPort == peerPort) {
            sendMessage(message, true);
        } else {
            super.sendMessage(message, receiverAddress, receiverPort, retry);
        }
    }

    /**
     * jain-sip replaced this channel's socket with another one to the same peer (the first one had failed). The TLS
     * session begun on the old socket cannot go on over the new one, and jain-sip's answer (a new engine fed the old
     * engine's encrypted bytes as data) sends garbage: the connection is closed instead, and the request fails as
     * any request over a lost connection does (its transaction times out).
     */
    @Override
    public void onNewSocket(final byte[] message) {
        LOG.info("SIP over TLS to {}:{}: the connection was replaced mid-handshake; closed", targetHost, getPeerPort());
        close();
    }

    /** The gateway's own refusal among the causes of a failed handshake, or null for any other failure. */
    private static ServerIdentityTrustManager.RefusedPeerCertificate refusal(final Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof ServerIdentityTrustManager.RefusedPeerCertificate) {
                return (ServerIdentityTrustManager.RefusedPeerCertificate) t;
            }
            t = t.getCause();
        }
        return null;
    }
}
