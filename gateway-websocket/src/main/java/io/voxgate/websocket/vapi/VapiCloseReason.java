package io.voxgate.websocket.vapi;

/**
 * Why a Vapi agent ended; each reason is counted in {@link VapiAgentStats} and its {@link #wireName()} is what
 * {@link io.voxgate.core.agent.AgentListener#onAgentClosed} receives (short, safe to log, no secrets).
 *
 * <p>Immutable; safe on any thread.
 */
public enum VapiCloseReason {
    /** The gateway ended the call (caller hung up, drain); not reported to the listener. */
    CALLER_HANGUP("caller-hangup"),
    /** Vapi said the call ended ({@code status-update} with status {@code ended}, or {@code end-call}). */
    VAPI_ENDED("vapi-ended"),
    /** Vapi closed the transport socket with a close frame. */
    SOCKET_CLOSED("vapi-socket-closed"),
    /** The transport socket went away without a close frame (TCP reset, network loss). */
    SOCKET_DROPPED("vapi-socket-dropped"),
    /** The transport socket sent something RFC 6455 forbids. */
    SOCKET_PROTOCOL_ERROR("vapi-socket-protocol-error"),
    /** The transport socket could not be opened (connect refused, upgrade refused). */
    SOCKET_FAILED("vapi-socket-failed"),
    /** {@code POST /call} answered 401 or 403: the API key is wrong or lacks rights. */
    CREATE_UNAUTHORIZED("vapi-unauthorized"),
    /** {@code POST /call} answered 404: the assistant does not exist. */
    CREATE_NOT_FOUND("vapi-assistant-not-found"),
    /** {@code POST /call} answered another 4xx: the request (assistant, format) was refused. */
    CREATE_REJECTED("vapi-create-rejected"),
    /** {@code POST /call} failed twice (5xx, timeout or connection failure). */
    CREATE_FAILED("vapi-create-failed"),
    /** {@code POST /call} answered 2xx without a usable {@code transport.websocketCallUrl}. */
    CREATE_BAD_RESPONSE("vapi-create-bad-response"),
    /** The call was not connected within the agent connect deadline. */
    CONNECT_TIMEOUT("vapi-connect-timeout");

    private final String wireName;

    VapiCloseReason(final String wireName) {
        this.wireName = wireName;
    }

    /**
     * Whether this is a failed connection rather than an ending (reported as {@code onAgentLost}, so the call may
     * reconnect): the socket dropped, broke the protocol or could not open, the create failed on 5xx or timeouts, the
     * connect deadline passed. A refusal (401, 404, other 4xx) is no failure a reconnect would cure.
     */
    public boolean lostConnection() {
        switch (this) {
            case SOCKET_DROPPED:
            case SOCKET_PROTOCOL_ERROR:
            case SOCKET_FAILED:
            case CREATE_FAILED:
            case CONNECT_TIMEOUT:
                return true;
            default:
                return false;
        }
    }

    /** The reason as given to the listener and used as a metrics label. */
    public String wireName() {
        return wireName;
    }
}
