package io.voxgate.core.call;

/**
 * A say beyond this node in which calls it may take, and where it reports the calls it took and ended: a cluster's
 * shared control state (call ownership, a cluster-wide call limit). A single node has none ({@link #OPEN}).
 *
 * <p>The registry asks {@link #admit} after its own checks passed (not draining, below {@code --max-calls}, not a
 * duplicate) and tells {@link #released} once for every admitted call that leaves it, including one the gate admitted
 * but the registry then refused.
 *
 * <p>Threading: every method is called on whatever thread admits or ends a call, which may be a media event loop:
 * implementations answer from local state at once and never wait (no network I/O, no blocking lock). They are called
 * at call setup and teardown only, never per frame.
 */
public interface CallAdmissionGate {
    /** No gate: every call the node itself admits may run (today's single node). */
    CallAdmissionGate OPEN = new CallAdmissionGate() {
        @Override
        public boolean admit(final String edge, final String callId) {
            return true;
        }

        @Override
        public void released(final String edge, final String callId) {
        }

        @Override
        public boolean hasRoom() {
            return true;
        }
    };

    /**
     * Whether call {@code callId} on {@code edge} may run here; {@code true} takes a seat that {@link #released}
     * gives back. Answers at once.
     */
    boolean admit(String edge, String callId);

    /** Call {@code callId} on {@code edge}, admitted by {@link #admit}, no longer runs here. */
    void released(String edge, String callId);

    /** Whether {@link #admit} would admit a new call now (an early check; never takes a seat). */
    boolean hasRoom();
}
