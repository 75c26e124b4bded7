package io.voxgate.app.cluster;

/**
 * The names of everything the nodes share in Redis, in one place so every node agrees on them.
 *
 * <ul>
 *   <li>{@code voxgate:node:{node}}: the node's liveness and readiness (JSON), expiring unless refreshed</li>
 *   <li>{@code voxgate:call:{edge}:{call id}}: the node that owns the call, expiring unless refreshed</li>
 *   <li>{@code voxgate:seats}: a hash of node to cluster seats held (the cluster call limit's ledger)</li>
 *   <li>{@code voxgate:commands:{node}}: the channel a node receives forwarded commands on</li>
 *   <li>{@code voxgate:replies:{node}}: the channel a node receives the answers to its forwarded commands on</li>
 * </ul>
 *
 * <p>Stateless; safe on any thread.
 */
public final class ClusterKeys {
    /** Prefix of the nodes' liveness keys; the seat script finds a node's key by appending its id. */
    public static final String NODE_PREFIX = "voxgate:node:";
    /** The hash of seats held per node. */
    public static final String SEATS = "voxgate:seats";

    private ClusterKeys() {
    }

    /** The liveness key of {@code node}. */
    public static String node(final String node) {
        return NODE_PREFIX + node;
    }

    /** The ownership key of call {@code callId} on {@code edge}. */
    public static String call(final String edge, final String callId) {
        return "voxgate:call:" + edge + ":" + callId;
    }

    /** The channel {@code node} receives commands on. */
    public static String commands(final String node) {
        return "voxgate:commands:" + node;
    }

    /** The channel {@code node} receives answers on. */
    public static String replies(final String node) {
        return "voxgate:replies:" + node;
    }
}
