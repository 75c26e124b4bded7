package io.voxgate.core.call;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the {@link CallRegistry} watches of one call to end it when it overstays: when it started, when caller
 * audio last arrived, its limits, and the proxy through which it is asked to end.
 *
 * <p>Threading: {@link #callerAudioAt} is called on the call's thread with an ordered store ({@code lazySet}: a
 * plain store on x86, so the media path pays nothing); the registry's sweep reads it from its own thread and may
 * see a value a few microseconds old, which is harmless against timeouts of seconds.
 */
final class CallLiveness {
    private final String callId;
    private final String edge;
    private final long startedNs;
    private final long maxDurationNs;
    private final long idleTimeoutNs;
    private final CallCommandProxy<CallCommand> proxy;
    private final CallStats stats;
    private final AtomicLong lastCallerAudioNs;
    private volatile CallCommand endRequested;

    CallLiveness(final String callId, final String edge, final long startedNs, final long maxDurationNs, final long idleTimeoutNs,
                 final CallCommandProxy<CallCommand> proxy, final CallStats stats) {
        this.callId = callId;
        this.edge = edge;
        this.startedNs = startedNs;
        this.maxDurationNs = maxDurationNs;
        this.idleTimeoutNs = idleTimeoutNs;
        this.proxy = proxy;
        this.stats = stats;
        this.lastCallerAudioNs = new AtomicLong(startedNs);
    }

    String callId() {
        return callId;
    }

    String edge() {
        return edge;
    }

    CallCommandProxy<CallCommand> proxy() {
        return proxy;
    }

    CallStats stats() {
        return stats;
    }

    void callerAudioAt(final long nowNs) {
        lastCallerAudioNs.lazySet(nowNs);
    }

    long lastCallerAudioNs() {
        return lastCallerAudioNs.get();
    }

    /** The command this call should get at {@code nowNs}, or {@code null} when it may run on. */
    CallCommand overdue(final long nowNs) {
        if (nowNs - startedNs >= maxDurationNs) {
            return CallCommand.HANG_UP_MAX_DURATION;
        }
        if (nowNs - lastCallerAudioNs.get() >= idleTimeoutNs) {
            return CallCommand.HANG_UP_IDLE;
        }
        return null;
    }

    /** Sends {@code command} unless it was already delivered; returns whether it is now on its way. */
    boolean requestEnd(final CallCommand command) {
        if (endRequested != null) {
            return false;
        }
        if (proxy.offer(command)) {
            endRequested = command;
            return true;
        }
        return false;
    }
}
