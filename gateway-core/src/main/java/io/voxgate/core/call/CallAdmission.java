package io.voxgate.core.call;

import java.util.Objects;

/**
 * The one answer to "may this call run here?", for every edge: accepted with its {@link CallSession}, or refused
 * with the reason. Each edge translates a refusal into its own wire answer (SIP 503 or 482, WebSocket close 1013
 * or 1008, webhook 503).
 *
 * <p>Immutable; safe on any thread. Refusals are shared constants, so refusing allocates nothing.
 */
public final class CallAdmission {
    /** Why a call was or was not admitted. */
    public enum Verdict {
        /** Admitted and registered; the edge starts the call. */
        ACCEPTED,
        /** The node carries its maximum number of calls ({@code --max-calls}, all edges together). */
        FULL,
        /** The node is draining and takes no new calls. */
        DRAINING,
        /** A call with this id already runs on this edge. */
        DUPLICATE
    }

    /** Refused: the node is full. */
    public static final CallAdmission FULL = new CallAdmission(Verdict.FULL, null);
    /** Refused: the node is draining. */
    public static final CallAdmission DRAINING = new CallAdmission(Verdict.DRAINING, null);
    /** Refused: the call already runs on this edge. */
    public static final CallAdmission DUPLICATE = new CallAdmission(Verdict.DUPLICATE, null);

    private final Verdict verdict;
    private final CallSession session;

    private CallAdmission(final Verdict verdict, final CallSession session) {
        this.verdict = verdict;
        this.session = session;
    }

    static CallAdmission accepted(final CallSession session) {
        return new CallAdmission(Verdict.ACCEPTED, Objects.requireNonNull(session, "session"));
    }

    static CallAdmission refused(final Verdict verdict) {
        switch (verdict) {
            case FULL:
                return FULL;
            case DRAINING:
                return DRAINING;
            case DUPLICATE:
                return DUPLICATE;
            default:
                throw new IllegalArgumentException("not a refusal: " + verdict);
        }
    }

    /** Why. */
    public Verdict verdict() {
        return verdict;
    }

    /** Whether the call was admitted. */
    public boolean accepted() {
        return verdict == Verdict.ACCEPTED;
    }

    /** The admitted call's session, registered and not yet started; {@code null} when refused. */
    public CallSession session() {
        return session;
    }

    @Override
    public String toString() {
        return verdict.name();
    }
}
