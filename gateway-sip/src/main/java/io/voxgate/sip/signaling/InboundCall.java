package io.voxgate.sip.signaling;

import io.voxgate.core.audio.AudioFormat;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new inbound call as signalling presents it to the edge, free of jain-sip types: its Call-ID, where it
 * came from, and the metadata an agent may use (From, To, Call-ID, Diversion and every {@code X-} header,
 * e.g. {@code X-Twilio-CallSid}).
 *
 * <p>Immutable; safe on any thread.
 */
public final class InboundCall {
    private final String callId;
    private final InetSocketAddress source;
    private final String transport;
    private final Map<String, String> metadata;
    private final AudioFormat callerFormat;

    InboundCall(final String callId, final InetSocketAddress source, final String transport, final Map<String, String> metadata,
                final AudioFormat callerFormat) {
        this.callId = callId;
        this.callerFormat = callerFormat;
        this.source = source;
        this.transport = transport;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The SIP Call-ID. */
    public String callId() {
        return callId;
    }

    /** Where the INVITE came from. */
    public InetSocketAddress source() {
        return source;
    }

    /** {@code udp}, {@code tcp} or {@code tls}. */
    public String transport() {
        return transport;
    }

    /**
     * The caller's audio format the offer will settle on (PCMU preferred); for an INVITE without SDP, PCMU, which
     * the gateway's own offer prefers.
     */
    public AudioFormat callerFormat() {
        return callerFormat;
    }

    /** From, To, Call-ID, Diversion and X- headers by name, in message order; read-only. */
    public Map<String, String> metadata() {
        return metadata;
    }
}
