package io.voxgate.sip.signaling;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first gate in front of the jain-sip stack, shared by the pieces jain-sip builds by class name
 * ({@link AllowListValve}, {@link GuardedMessageProcessorFactory}): drops requests from outside the allow list before
 * any transaction exists, refuses TCP/TLS connections from outside it or over the caps at accept, and closes
 * connections that hold an incomplete message past the read deadline or send one over the size cap.
 *
 * <p>jain-sip instantiates those pieces with no arguments, so they find their gate by the stack's name
 * ({@link #forStack}); {@link JainSipStack} registers the gate before creating the stack and removes it at stop.
 * Threading: safe on any thread; connection bookkeeping is a concurrent map walked by one sweeper.
 */
final class SourceGate {
    private static final Logger LOG = LoggerFactory.getLogger(SourceGate.class);
    private static final Map<String, SourceGate> BY_STACK = new ConcurrentHashMap<>();

    private final SourceAllowList allowList;
    private final SipCounters counters;
    private final int maxConnections;
    private final int maxConnectionsPerSource;
    private final long readDeadlineNs;
    private final Map<SocketChannel, Connection> connections = new ConcurrentHashMap<>();

    SourceGate(final SourceAllowList allowList, final SignalingPolicy policy, final SipCounters counters) {
        this.allowList = allowList;
        this.counters = counters;
        this.maxConnections = policy.maxConnections();
        this.maxConnectionsPerSource = policy.maxConnectionsPerSource();
        this.readDeadlineNs = policy.readDeadlineMs() * 1_000_000L;
    }

    static void register(final String stackName, final SourceGate gate) {
        BY_STACK.put(stackName, gate);
    }

    static void unregister(final String stackName) {
        BY_STACK.remove(stackName);
    }

    /** The gate of the stack called {@code stackName}; fails loudly, since a stack without its gate would be open. */
    static SourceGate forStack(final String stackName) {
        final SourceGate gate = BY_STACK.get(stackName);
        if (gate == null) {
            throw new IllegalStateException("no source gate registered for SIP stack " + stackName);
        }
        return gate;
    }

    /** Whether {@code source} may signal; a refusal is counted (the caller drops the request without an answer). */
    boolean admitsRequestFrom(final InetAddress source) {
        if (source != null && allowList.allows(source)) {
            return true;
        }
        counters.reject(RejectReason.SOURCE_NOT_ALLOWED);
        return false;
    }

    /**
     * Decides on a freshly accepted TCP/TLS connection: outside the allow list or over a cap it is closed at once
     * and counted, and {@link RefusedConnectionException} is thrown so jain-sip never reads from it.
     */
    void admitConnection(final SocketChannel client, final long nowNs) throws IOException {
        final InetAddress peer = client.socket().getInetAddress();
        RejectReason refusal = null;
        if (peer == null || !allowList.allows(peer)) {
            refusal = RejectReason.CONNECTION_NOT_ALLOWED;
        } else {
            int total = 0;
            int fromPeer = 0;
            for (final Map.Entry<SocketChannel, Connection> e : connections.entrySet()) {
                if (!e.getKey().isOpen()) {
                    connections.remove(e.getKey(), e.getValue());
                    continue;
                }
                total++;
                if (peer.equals(e.getValue().peer)) {
                    fromPeer++;
                }
            }
            if (total >= maxConnections || fromPeer >= maxConnectionsPerSource) {
                refusal = RejectReason.CONNECTION_LIMIT;
            }
        }
        if (refusal != null) {
            counters.reject(refusal);
            client.close();
            throw new RefusedConnectionException(refusal);
        }
        connections.put(client, new Connection(peer));
    }

    /** Bytes arrived on {@code client}: starts the read deadline when no message was in progress. */
    void bytesArrived(final SocketChannel client, final long nowNs) {
        final Connection c = connections.get(client);
        if (c != null && c.messageStartNs == 0) {
            c.messageStartNs = nowNs == 0 ? 1 : nowNs;
        }
    }

    /** A whole message was parsed from {@code client}: no message is in progress. */
    void messageCompleted(final SocketChannel client) {
        final Connection c = connections.get(client);
        if (c != null) {
            c.messageStartNs = 0;
        }
    }

    /**
     * A message from {@code peer} grew past the size cap: counted and logged, and the exception that makes jain-sip
     * close the connection without parsing what it holds (not an {@code IOException}, which jain-sip answers by
     * ending the partial message and parsing it).
     */
    MessageTooLargeException messageTooLarge(final InetAddress peer, final int maxBytes) {
        counters.reject(RejectReason.MESSAGE_TOO_LARGE);
        LOG.info("SIP connection from {} closed: a message over {} bytes", peer, maxBytes);
        return new MessageTooLargeException(maxBytes);
    }

    /** Closes connections whose message in progress is older than the read deadline; forgets closed ones. */
    void sweep(final long nowNs) {
        for (final Map.Entry<SocketChannel, Connection> e : connections.entrySet()) {
            final SocketChannel channel = e.getKey();
            if (!channel.isOpen()) {
                connections.remove(channel, e.getValue());
                continue;
            }
            final long start = e.getValue().messageStartNs;
            if (start != 0 && nowNs - start > readDeadlineNs) {
                counters.reject(RejectReason.READ_DEADLINE);
                LOG.info("SIP connection from {} closed: message incomplete after {} ms", e.getValue().peer,
                    readDeadlineNs / 1_000_000L);
                try {
                    channel.close();
                } catch (final IOException ex) {
                    LOG.debug("closing {} failed: {}", e.getValue().peer, ex.toString());
                }
                connections.remove(channel, e.getValue());
            }
        }
    }

    /** The counters refusals go to, also those of the gateway's own outgoing TLS connections. */
    SipCounters counters() {
        return counters;
    }

    /** Open TCP/TLS connections tracked now. */
    int openConnections() {
        return connections.size();
    }

    /** One accepted connection. */
    private static final class Connection {
        final InetAddress peer;
        /** When the first byte of the message in progress came (nanoTime), or 0 when none is in progress. */
        volatile long messageStartNs;

        Connection(final InetAddress peer) {
            this.peer = peer;
        }
    }

    /** Thrown from a connection's read when a message is over the cap: jain-sip closes the connection. */
    static final class MessageTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        MessageTooLargeException(final int maxBytes) {
            super("SIP message over " + maxBytes + " bytes");
        }
    }

    /** Thrown at accept for a refused connection; jain-sip logs it, our stack logger keeps it at debug. */
    static final class RefusedConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedConnectionException(final RejectReason reason) {
            super("SIP connection refused: " + reason.label());
        }
    }
}
