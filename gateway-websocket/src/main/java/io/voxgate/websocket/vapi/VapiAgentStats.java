package io.voxgate.websocket.vapi;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counters of every Vapi agent a factory made, for the launcher's metrics.
 *
 * <p>Threading: updated from many event loops, read from any thread; every counter is a {@link LongAdder} or an
 * atomic. Per-frame counts are kept per agent as plain fields and added here once, when the agent ends, so the
 * media path never touches shared memory. Units: counts, bytes, nanoseconds as named.
 */
public final class VapiAgentStats {
    private static final LongConsumer IGNORE = ns -> { };

    private final LongAdder agentsCreated = new LongAdder();
    private final LongAdder agentsConnected = new LongAdder();
    private final LongAdder createAttempts = new LongAdder();
    private final LongAdder createRetries = new LongAdder();
    private final LongAdder createsLost = new LongAdder();
    private final LongAdder apiConnectionsOpened = new LongAdder();
    private final LongAdder apiConnectionsReused = new LongAdder();
    private final LongAdder orphanCalls = new LongAdder();
    private final LongAdder orphanCallsEnded = new LongAdder();
    private final LongAdder[] closedByReason = new LongAdder[VapiCloseReason.values().length];
    private final LongAdder promptsPlayed = new LongAdder();
    private final LongAdder controlMessagesReceived = new LongAdder();
    private final LongAdder controlMessagesUnknown = new LongAdder();
    private final LongAdder controlMessagesMalformed = new LongAdder();
    private final LongAdder interruptionsReceived = new LongAdder();
    private final LongAdder digitsForwarded = new LongAdder();
    private final LongAdder transfersRequested = new LongAdder();
    private final LongAdder transfersRefusedInvalid = new LongAdder();
    private final LongAdder transferFailuresTold = new LongAdder();
    private final LongAdder callerFramesSent = new LongAdder();
    private final LongAdder callerBytesSent = new LongAdder();
    private final LongAdder callerFramesDroppedNotOpen = new LongAdder();
    private final LongAdder callerFramesDroppedUnwritable = new LongAdder();
    private final LongAdder agentFramesReceived = new LongAdder();
    private final LongAdder agentBytesReceived = new LongAdder();
    private final LongAdder connectCount = new LongAdder();
    private final LongAdder connectTotalNs = new LongAdder();
    private final AtomicLong connectMaxNs = new AtomicLong();
    private final LongConsumer connectTimeListener;

    /** Stats with no connect-time listener. */
    public VapiAgentStats() {
        this(IGNORE);
    }

    /**
     * Stats that also hand every agent connect time (ns, from {@code connect()} to the socket being open) to
     * {@code connectTimeListener}, e.g. a latency histogram; it is called on the call's event loop and must be
     * quick and thread-safe.
     */
    public VapiAgentStats(final LongConsumer connectTimeListener) {
        this.connectTimeListener = connectTimeListener == null ? IGNORE : connectTimeListener;
        for (int i = 0; i < closedByReason.length; i++) {
            closedByReason[i] = new LongAdder();
        }
    }

    /** Agents made by the factory. */
    public long agentsCreated() {
        return agentsCreated.sum();
    }

    /** Agents whose transport socket opened. */
    public long agentsConnected() {
        return agentsConnected.sum();
    }

    /** {@code POST /call} requests sent, retries included. */
    public long createAttempts() {
        return createAttempts.sum();
    }

    /** {@code POST /call} retries after a 5xx, timeout or connection failure. */
    public long createRetries() {
        return createRetries.sum();
    }

    /**
     * {@code POST /call} requests whose outcome is unknown (timeout, connection lost after sending): never repeated,
     * since a repeat could create a second call; the caller hears the failure prompt.
     */
    public long createsLost() {
        return createsLost.sum();
    }

    void createLost() {
        createsLost.increment();
    }

    /** Connections opened to the Vapi API (each a TCP, and with https a TLS, handshake). */
    public long apiConnectionsOpened() {
        return apiConnectionsOpened.sum();
    }

    /** API exchanges that reused a kept-alive connection, skipping the handshakes. */
    public long apiConnectionsReused() {
        return apiConnectionsReused.sum();
    }

    /**
     * Orphan Vapi calls: created for a caller who hung up before their socket was open (while {@code POST /call} or
     * the socket's handshake was in flight).
     */
    public long orphanCalls() {
        return orphanCalls.sum();
    }

    /** Of {@link #orphanCalls()}: ended at once over their transport socket. */
    public long orphanCallsEnded() {
        return orphanCallsEnded.sum();
    }

    void apiConnectionOpened() {
        apiConnectionsOpened.increment();
    }

    void apiConnectionReused() {
        apiConnectionsReused.increment();
    }

    void orphanCall() {
        orphanCalls.increment();
    }

    void orphanCallEnded() {
        orphanCallsEnded.increment();
    }

    /** Agents that ended for {@code reason}. */
    public long closed(final VapiCloseReason reason) {
        return closedByReason[reason.ordinal()].sum();
    }

    /** Failure prompts played to callers. */
    public long promptsPlayed() {
        return promptsPlayed.sum();
    }

    /** JSON control messages received on transport sockets. */
    public long controlMessagesReceived() {
        return controlMessagesReceived.sum();
    }

    /** Control messages of a type the adapter does not act on (ignored). */
    public long controlMessagesUnknown() {
        return controlMessagesUnknown.sum();
    }

    /** Text frames that were not a JSON object with a {@code type} (ignored). */
    public long controlMessagesMalformed() {
        return controlMessagesMalformed.sum();
    }

    /** Barge-in signals from Vapi passed on as interruptions. */
    public long interruptionsReceived() {
        return interruptionsReceived.sum();
    }

    /** Caller digits forwarded to Vapi. */
    public long digitsForwarded() {
        return digitsForwarded.sum();
    }

    /** Transfers the assistant asked for ({@code transfer-update} to a number or SIP URI) and handed to the call. */
    public long transfersRequested() {
        return transfersRequested.sum();
    }

    /** Transfers the assistant asked for with a target that is no usable URI (the assistant is told). */
    public long transfersRefusedInvalid() {
        return transfersRefusedInvalid.sum();
    }

    /** Failed transfers the assistant was told about (a system message asking it to respond). */
    public long transferFailuresTold() {
        return transferFailuresTold.sum();
    }

    /** Caller audio frames written to Vapi (added when an agent ends). */
    public long callerFramesSent() {
        return callerFramesSent.sum();
    }

    /** Caller audio bytes written to Vapi (added when an agent ends). */
    public long callerBytesSent() {
        return callerBytesSent.sum();
    }

    /** Caller frames dropped because the socket was not open (added when an agent ends). */
    public long callerFramesDroppedNotOpen() {
        return callerFramesDroppedNotOpen.sum();
    }

    /** Caller frames dropped because the socket's outbound buffer was full (added when an agent ends). */
    public long callerFramesDroppedUnwritable() {
        return callerFramesDroppedUnwritable.sum();
    }

    /** Binary frames received from Vapi (added when an agent ends). */
    public long agentFramesReceived() {
        return agentFramesReceived.sum();
    }

    /** Audio bytes received from Vapi (added when an agent ends). */
    public long agentBytesReceived() {
        return agentBytesReceived.sum();
    }

    /** Connect times recorded. */
    public long connectCount() {
        return connectCount.sum();
    }

    /** Sum of connect times, ns. */
    public long connectTotalNs() {
        return connectTotalNs.sum();
    }

    /** Longest connect time seen, ns. */
    public long connectMaxNs() {
        return connectMaxNs.get();
    }

    void agentCreated() {
        agentsCreated.increment();
    }

    void createAttempted(final boolean retry) {
        createAttempts.increment();
        if (retry) {
            createRetries.increment();
        }
    }

    void connected(final long connectNs) {
        agentsConnected.increment();
        connectCount.increment();
        connectTotalNs.add(connectNs);
        connectMaxNs.accumulateAndGet(connectNs, Math::max);
        connectTimeListener.accept(connectNs);
    }

    void recordClosed(final VapiCloseReason reason) {
        closedByReason[reason.ordinal()].increment();
    }

    void promptPlayed() {
        promptsPlayed.increment();
    }

    void controlMessage(final boolean known, final boolean malformed) {
        controlMessagesReceived.increment();
        if (malformed) {
            controlMessagesMalformed.increment();
        } else if (!known) {
            controlMessagesUnknown.increment();
        }
    }

    void interruption() {
        interruptionsReceived.increment();
    }

    void digitForwarded() {
        digitsForwarded.increment();
    }

    void transferRequested() {
        transfersRequested.increment();
    }

    void transferRefusedInvalid() {
        transfersRefusedInvalid.increment();
    }

    void transferFailureTold() {
        transferFailuresTold.increment();
    }

    void addFrameCounts(final long framesSent, final long bytesSent, final long droppedNotOpen, final long droppedUnwritable,
                        final long framesReceived, final long bytesReceived) {
        callerFramesSent.add(framesSent);
        callerBytesSent.add(bytesSent);
        callerFramesDroppedNotOpen.add(droppedNotOpen);
        callerFramesDroppedUnwritable.add(droppedUnwritable);
        agentFramesReceived.add(framesReceived);
        agentBytesReceived.add(bytesReceived);
    }
}
