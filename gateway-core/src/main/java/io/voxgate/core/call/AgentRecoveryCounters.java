package io.voxgate.core.call;

import java.util.concurrent.atomic.LongAdder;

/**
 * The node's agent-failure outcomes for {@code /metrics}: agent connections lost mid-call, reconnects that worked
 * and that did not, and each fallback taken.
 *
 * <p>Threading: counted on the calls' threads, read on any thread.
 */
public final class AgentRecoveryCounters {
    private final LongAdder lost = new LongAdder();
    private final LongAdder reconnected = new LongAdder();
    private final LongAdder reconnectsFailed = new LongAdder();
    private final LongAdder fallbackHangUps = new LongAdder();
    private final LongAdder fallbackTransfers = new LongAdder();
    private final LongAdder fallbackAgents = new LongAdder();
    private final LongAdder fallbackAgentsConnected = new LongAdder();

    void countLost() {
        lost.increment();
    }

    void countReconnected() {
        reconnected.increment();
    }

    void countReconnectFailed() {
        reconnectsFailed.increment();
    }

    void countFallback(final AgentRecovery.Fallback fallback) {
        switch (fallback) {
            case TRANSFER:
                fallbackTransfers.increment();
                break;
            case AGENT:
                fallbackAgents.increment();
                break;
            default:
                fallbackHangUps.increment();
                break;
        }
    }

    void countFallbackAgentConnected() {
        fallbackAgentsConnected.increment();
    }

    /** Agent connections that failed mid-call (the agent did not hang up). */
    public long lost() {
        return lost.sum();
    }

    /** Calls whose agent came back within the reconnect window. */
    public long reconnected() {
        return reconnected.sum();
    }

    /** Calls whose agent did not come back within the window. */
    public long reconnectsFailed() {
        return reconnectsFailed.sum();
    }

    /** Fallbacks taken of kind {@code fallback}. */
    public long fallbacks(final AgentRecovery.Fallback fallback) {
        switch (fallback) {
            case TRANSFER:
                return fallbackTransfers.sum();
            case AGENT:
                return fallbackAgents.sum();
            default:
                return fallbackHangUps.sum();
        }
    }

    /** Fallback agents that connected. */
    public long fallbackAgentsConnected() {
        return fallbackAgentsConnected.sum();
    }
}
