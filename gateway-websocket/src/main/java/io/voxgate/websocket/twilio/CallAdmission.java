package io.voxgate.websocket.twilio;

import io.voxgate.core.call.CallRegistry;

/**
 * Decides, at the voice webhook, whether a new call may be answered with a stream. The launcher implements it over
 * its call registry and drain state: a refused call gets 503 (Twilio then plays its failure message or fetches the
 * number's fallback URL) instead of TwiML.
 *
 * <p>Threading: called on event loops, possibly several at once; must not block. The final word is the registry at
 * {@code start}: a call admitted here may still be refused there if capacity ran out in between.
 */
@FunctionalInterface
public interface CallAdmission {
    /** Admits every call. */
    CallAdmission ALWAYS = callSid -> Decision.ADMIT;

    /** What the webhook does with a new call. */
    enum Decision {
        /** Answer with the stream TwiML. */
        ADMIT,
        /** Refuse: at the concurrent-call limit. */
        FULL,
        /** Refuse: the gateway is draining for shutdown. */
        DRAINING
    }

    /**
     * The usual check over the node's registry: {@link Decision#DRAINING} while it drains, {@link Decision#FULL} at
     * its call limit, else {@link Decision#ADMIT}.
     */
    static CallAdmission of(final CallRegistry registry) {
        return callSid -> registry.isDraining() ? Decision.DRAINING
            : registry.size() >= registry.maxCalls() ? Decision.FULL
            : Decision.ADMIT;
    }

    /** The decision for the call {@code callSid}, which has not been registered yet. */
    Decision admit(String callSid);
}
