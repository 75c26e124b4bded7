package io.voxgate.core.agent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What an agent is told about the call it serves: its id, the edge it came in on, the metadata the edge
 * gathered (Twilio custom parameters, SIP From/To/Diversion/X- headers) and the executor of the call's thread.
 *
 * <p>Immutable; safe on any thread.
 */
public final class AgentCall {
    private final String callId;
    private final String edge;
    private final Map<String, String> metadata;
    private final Executor executor;

    /**
     * Describes a call.
     *
     * @param callId   the call's id (Twilio CallSid or SIP Call-ID)
     * @param edge     {@code twilio} or {@code sip}
     * @param metadata what the edge knows of the call; copied
     * @param executor runs tasks on the call's thread
     */
    public AgentCall(final String callId, final String edge, final Map<String, String> metadata, final Executor executor) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.edge = Objects.requireNonNull(edge, "edge");
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** The call's id. */
    public String callId() {
        return callId;
    }

    /** The edge the call came in on. */
    public String edge() {
        return edge;
    }

    /** Read-only call metadata, in the order the edge gathered it. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Runs tasks on the call's thread; agents with threads of their own deliver callbacks through it. */
    public Executor executor() {
        return executor;
    }
}
