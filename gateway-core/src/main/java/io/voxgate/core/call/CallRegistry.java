package io.voxgate.core.call;

import io.voxgate.core.transfer.TransferCounters;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls running on this node, shared by every event loop: admission against the call limit, lookup by id,
 * graceful drain, and the sweep that ends calls which ran too long or went silent.
 *
 * <p>Threading: every method is safe on any thread (a {@link ConcurrentHashMap} and atomics). It is touched at call
 * setup and teardown and by the periodic {@link #expire} sweep, never per frame. The sweep never touches call state:
 * it asks an overdue call to end through the call's {@link CallCommandProxy}. Units: monotonic nanoseconds from the
 * same clock the calls use.
 */
public final class CallRegistry {
    /**
     * Shown a call's identity and statistics: by {@link #forEachCall} for every running call, and, as the end
     * observer, for every call as it leaves the registry, so totals (frames, drops, latency) can outlive the call.
     *
     * <p>Threading: as an end observer it is called on the ending call's thread, once per call, off the media
     * path; implementations must be safe when several calls end at once on different threads. Ownership:
     * {@code stats} is readable for the duration of the call only.
     */
    @FunctionalInterface
    public interface CallVisitor {
        /** A visitor that does nothing. */
        CallVisitor NONE = (callId, edge, stats) -> { };

        /** Call {@code callId} on {@code edge} ({@code twilio} or {@code sip}) with its {@code stats}. */
        void visit(String callId, String edge, CallStats stats);
    }

    private final int maxCalls;
    private final CallVisitor endObserver;
    private final CallAdmissionGate gate;
    /** Keyed by edge and id: a SIP Call-ID can never collide with (and block) a Twilio CallSid. */
    private final ConcurrentHashMap<CallKey, CallLiveness> calls;
    private final AtomicInteger active = new AtomicInteger();
    private final CallLatencyRecorders latency = new CallLatencyRecorders();
    private final TransferCounters transfers = new TransferCounters();
    private final AgentRecoveryCounters agentRecovery = new AgentRecoveryCounters();
    private volatile boolean draining;
    private volatile long drainDeadlineNs = Long.MAX_VALUE;

    private final AtomicLong callsAccepted = new AtomicLong();
    private final AtomicLong callsRejectedFull = new AtomicLong();
    private final AtomicLong callsRejectedDraining = new AtomicLong();
    private final AtomicLong callsRejectedDuplicate = new AtomicLong();
    private final AtomicLong callsEnded = new AtomicLong();
    private final AtomicLong callsExpiredMaxDuration = new AtomicLong();
    private final AtomicLong callsExpiredIdle = new AtomicLong();
    private final AtomicLong callsEndedByDrain = new AtomicLong();
    private final AtomicLong callsFailed = new AtomicLong();

    /**
     * A registry admitting at most {@code maxCalls} calls at once.
     *
     * @throws IllegalArgumentException naming the value when it is not positive
     */
    public CallRegistry(final int maxCalls) {
        this(maxCalls, CallVisitor.NONE);
    }

    /**
     * A registry admitting at most {@code maxCalls} calls at once and telling {@code endObserver} about each call
     * that leaves it.
     *
     * @throws IllegalArgumentException naming the value when it is not positive or the observer is null
     */
    public CallRegistry(final int maxCalls, final CallVisitor endObserver) {
        this(maxCalls, endObserver, CallAdmissionGate.OPEN);
    }

    /**
     * A registry as above whose admissions also need {@code gate}'s consent (a cluster's shared limit and ownership
     * record); a call the gate refuses is refused as {@link CallAdmission.Verdict#FULL}.
     *
     * @throws IllegalArgumentException naming the value when it is not positive or the observer or gate is null
     */
    public CallRegistry(final int maxCalls, final CallVisitor endObserver, final CallAdmissionGate gate) {
        if (gate == null) {
            throw new IllegalArgumentException("gate must not be null");
        }
        this.gate = gate;
        if (endObserver == null) {
            throw new IllegalArgumentException("endObserver must not be null");
        }
        this.endObserver = endObserver;
        if (maxCalls <= 0) {
            throw new IllegalArgumentException("maxCalls must be positive, was " + maxCalls);
        }
        this.maxCalls = maxCalls;
        this.calls = new ConcurrentHashMap<>(Math.min(maxCalls, 1 << 16) * 2);
    }

    /** The key of call {@code callId} on {@code edge}. */
    private record CallKey(String edge, String callId) {
    }

    /**
     * Admits {@code session} unless the node is draining, full, or its edge already has a call with its id. Only the
     * {@link CallOpener} registers calls.
     */
    CallAdmission.Verdict tryRegister(final CallSession session) {
        return tryRegister(session.liveness());
    }

    CallAdmission.Verdict tryRegister(final CallLiveness call) {
        return tryRegister(call, false);
    }

    /**
     * Admits {@code call} as {@link #tryRegister(CallLiveness)} does, except that a call this node {@code promised}
     * before it began draining (a Twilio stream whose webhook it answered) is not refused for the drain: refusing it
     * would fail a call the node had already taken. Capacity, the gate and duplicates still apply.
     */
    CallAdmission.Verdict tryRegister(final CallLiveness call, final boolean promised) {
        if (draining && !promised) {
            callsRejectedDraining.incrementAndGet();
            return CallAdmission.Verdict.DRAINING;
        }
        int current;
        do {
            current = active.get();
            if (current >= maxCalls) {
                callsRejectedFull.incrementAndGet();
                return CallAdmission.Verdict.FULL;
            }
        } while (!active.compareAndSet(current, current + 1));
        // The gate last: a call this node refuses anyway never takes a cluster seat.
        if (!gate.admit(call.edge(), call.callId())) {
            active.decrementAndGet();
            callsRejectedFull.incrementAndGet();
            return CallAdmission.Verdict.FULL;
        }
        if (calls.putIfAbsent(new CallKey(call.edge(), call.callId()), call) != null) {
            active.decrementAndGet();
            gate.released(call.edge(), call.callId());
            callsRejectedDuplicate.incrementAndGet();
            return CallAdmission.Verdict.DUPLICATE;
        }
        callsAccepted.incrementAndGet();
        return CallAdmission.Verdict.ACCEPTED;
    }

    /**
     * What {@link CallOpener#open} would answer now for a new call, without registering anything or counting a
     * refusal: {@code DRAINING}, {@code FULL} or {@code ACCEPTED}. An edge's early check (the Twilio webhook); the
     * final word is the opener's, as capacity may run out in between.
     */
    public CallAdmission.Verdict precheck() {
        return draining ? CallAdmission.Verdict.DRAINING
            : active.get() >= maxCalls || !gate.hasRoom() ? CallAdmission.Verdict.FULL
            : CallAdmission.Verdict.ACCEPTED;
    }

    /** Forgets {@code session} when it is the call registered under its id; returns whether it was. */
    public boolean remove(final CallSession session) {
        return remove(session.liveness());
    }

    boolean remove(final CallLiveness call) {
        if (calls.remove(new CallKey(call.edge(), call.callId()), call)) {
            active.decrementAndGet();
            gate.released(call.edge(), call.callId());
            callsEnded.incrementAndGet();
            endObserver.visit(call.callId(), call.edge(), call.stats());
            return true;
        }
        return false;
    }

    /** Agent connections lost mid-call on this node and what became of them (for the metrics). */
    public AgentRecoveryCounters agentRecovery() {
        return agentRecovery;
    }

    /** Transfers of every call on this node, started and per outcome (for the metrics). */
    public TransferCounters transfers() {
        return transfers;
    }

    /** Gateway-added latency of every call on this node, per edge, recorded per call thread (for the metrics). */
    public CallLatencyRecorders latency() {
        return latency;
    }

    /**
     * Shows {@code visitor} the id and live statistics of every call running now (for a metrics scrape). The
     * statistics are written by each call's own thread and read here racily: each value is untorn but the set is
     * not a snapshot. Allocates an iterator; never called per frame.
     */
    public void forEachCall(final CallVisitor visitor) {
        for (final CallLiveness call : calls.values()) {
            visitor.visit(call.callId(), call.edge(), call.stats());
        }
    }

    /** The command proxy of call {@code callId} on {@code edge}, or {@code null} when no such call runs here. */
    public CallCommandProxy<CallCommand> proxy(final String edge, final String callId) {
        final CallLiveness call = calls.get(new CallKey(edge, callId));
        return call == null ? null : call.proxy();
    }

    /**
     * The live statistics of call {@code callId} on {@code edge}, or {@code null} when no such call runs here. Written by
     * the call's thread; read racily as in {@link #forEachCall}.
     */
    public CallStats stats(final String edge, final String callId) {
        final CallLiveness call = calls.get(new CallKey(edge, callId));
        return call == null ? null : call.stats();
    }

    /**
     * Stops admitting calls; calls still running at {@code drainDeadlineNs} are asked to hang up by {@link #expire}.
     */
    public void beginDrain(final long drainDeadlineNs) {
        this.drainDeadlineNs = drainDeadlineNs;
        this.draining = true;
    }

    /** Whether {@link #beginDrain} was called. */
    public boolean isDraining() {
        return draining;
    }

    /** Whether the node is draining and no call is left. */
    public boolean isDrained() {
        return draining && active.get() == 0;
    }

    /**
     * The sweep: asks every call past its maximum duration, idle past its idle timeout, or still running at the
     * drain deadline to hang up. A call is asked once; if its ring was full it is asked again on the next sweep.
     * Called periodically from one timer thread; allocates only the map iterator.
     *
     * @return calls asked to end by this sweep
     */
    public int expire(final long nowNs) {
        final boolean drainOver = draining && nowNs - drainDeadlineNs >= 0;
        int asked = 0;
        for (final CallLiveness call : calls.values()) {
            final CallCommand command = drainOver ? CallCommand.HANG_UP_DRAIN : call.overdue(nowNs);
            if (command != null && call.requestEnd(command)) {
                asked++;
                if (command == CallCommand.HANG_UP_MAX_DURATION) {
                    callsExpiredMaxDuration.incrementAndGet();
                } else if (command == CallCommand.HANG_UP_IDLE) {
                    callsExpiredIdle.incrementAndGet();
                } else {
                    callsEndedByDrain.incrementAndGet();
                }
            }
        }
        return asked;
    }

    /** Calls running now. */
    public int size() {
        return active.get();
    }

    /** The admission limit. */
    public int maxCalls() {
        return maxCalls;
    }

    /** Calls admitted since start. */
    public long callsAccepted() {
        return callsAccepted.get();
    }

    /** Calls refused because the node was full. */
    public long callsRejectedFull() {
        return callsRejectedFull.get();
    }

    /** Calls refused because the node was draining. */
    public long callsRejectedDraining() {
        return callsRejectedDraining.get();
    }

    /** Calls refused because their id was already registered. */
    public long callsRejectedDuplicate() {
        return callsRejectedDuplicate.get();
    }

    /** Calls that ended and left the registry. */
    public long callsEnded() {
        return callsEnded.get();
    }

    /** Calls asked to end for running past the maximum duration. */
    public long callsExpiredMaxDuration() {
        return callsExpiredMaxDuration.get();
    }

    /** Calls asked to end because the caller sent no audio for the idle timeout. */
    public long callsExpiredIdle() {
        return callsExpiredIdle.get();
    }

    /** A call ended because a bug surfaced in it ({@link CallSession#fail}); any thread. */
    void callFailed() {
        callsFailed.incrementAndGet();
    }

    /** Calls ended because a command or a tick threw in them. */
    public long callsFailed() {
        return callsFailed.get();
    }

    /** Calls asked to end because they were still running at the drain deadline. */
    public long callsEndedByDrain() {
        return callsEndedByDrain.get();
    }
}
