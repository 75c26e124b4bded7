package io.voxgate.app.cluster;

import java.util.Objects;

/**
 * How a node takes part in a cluster: where the shared state lives, the node's name in it, the cluster-wide call
 * limit and the timings of its leases.
 *
 * @param redis           where the shared state lives and how to reach it (its {@code toString} hides the password)
 * @param nodeId          this node's name, unique in the cluster
 * @param maxCallsCluster calls at once over every node, 0 for no cluster limit
 * @param heartbeatMs     how often the node refreshes its keys and its seats
 * @param nodeTtlMs       how long the node's liveness key outlives its last heartbeat
 * @param ownershipTtlMs  how long a call's ownership key outlives its node's last heartbeat
 * @param commandTimeoutMs how long a command forwarded to another node waits for its answer (then 504)
 * <p>Immutable; safe on any thread.
 */
public record ClusterSettings(RedisEndpoint redis, String nodeId, int maxCallsCluster, long heartbeatMs, long nodeTtlMs,
                              long ownershipTtlMs, long commandTimeoutMs) {
    /** Heartbeat every second; a dead node leaves the set after 5 s, its calls' ownership after 10 s. */
    public static final long DEFAULT_HEARTBEAT_MS = 1_000;
    /** A node whose heartbeat stopped (kill -9, lost network) counts as gone after this long. */
    public static final long DEFAULT_NODE_TTL_MS = 5_000;
    /** Twice the node's: a call's owner is never forgotten while its node may still be alive. */
    public static final long DEFAULT_OWNERSHIP_TTL_MS = 10_000;
    /** A forwarded command's answer comes within milliseconds on a LAN; 2 s leaves room for a busy node. */
    public static final long DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

    /** Validates the settings. */
    public ClusterSettings {
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isEmpty() || nodeId.length() > 64 || !nodeId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("node id must be 1-64 characters of A-Z a-z 0-9 . _ -, was " + nodeId);
        }
        if (maxCallsCluster < 0 || heartbeatMs <= 0 || nodeTtlMs <= heartbeatMs || ownershipTtlMs < nodeTtlMs
            || commandTimeoutMs <= 0) {
            throw new IllegalArgumentException("cluster timings out of order: heartbeat < node TTL <= ownership TTL");
        }
    }

    /** Settings with the default timings. */
    public static ClusterSettings of(final RedisEndpoint redis, final String nodeId, final int maxCallsCluster) {
        return new ClusterSettings(redis, nodeId, maxCallsCluster, DEFAULT_HEARTBEAT_MS, DEFAULT_NODE_TTL_MS,
            DEFAULT_OWNERSHIP_TTL_MS, DEFAULT_COMMAND_TIMEOUT_MS);
    }

    /** Whether a cluster-wide call limit is configured. */
    public boolean limited() {
        return maxCallsCluster > 0;
    }
}
