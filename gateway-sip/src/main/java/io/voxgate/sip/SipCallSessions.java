package io.voxgate.sip;

import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallerLeg;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Makes and registers the call session of a new SIP call: the core call model in production, a scripted one in
 * tests.
 *
 * <p>Threading: {@link #open} is called on the new call's event loop; implementations must be safe to call
 * from several loops at once.
 */
interface SipCallSessions {

    /** Why a session could not be opened. */
    enum Refusal {
        /** The node carries its maximum number of calls. */
        FULL,
        /** The node is draining. */
        DRAINING,
        /** A call with this id already runs. */
        DUPLICATE
    }

    /** The outcome of {@link #open}: a session, or why there is none. */
    final class Opened {
        final SipCallSession session;
        final Refusal refusal;

        private Opened(final SipCallSession session, final Refusal refusal) {
            this.session = session;
            this.refusal = refusal;
        }

        static Opened accepted(final SipCallSession session) {
            return new Opened(session, null);
        }

        static Opened refused(final Refusal refusal) {
            return new Opened(null, refusal);
        }
    }

    /**
     * Builds the session of call {@code callId} (not started) and registers it against the node's call limit.
     *
     * @param metadata     From, To, Call-ID, Diversion and X- headers, for the agent
     * @param callerFormat the caller's G.711 format
     * @param leg          the RTP side of the call
     * @param executor     the call's event loop
     */
    Opened open(String callId, Map<String, String> metadata, AudioFormat callerFormat, CallerLeg leg, Executor executor,
                long nowNs);
}
