package io.voxgate.sip.signaling;

/**
 * Receives a copy of every SIP message the stack sends or receives, for capture (HEP to Homer): where it came from
 * and went to, when, over which transport, and its octets.
 *
 * <p>Threading: called on jain-sip's threads (several at once), after the message was parsed or encoded; an
 * implementation must not block or throw, and hands the work to a thread of its own. Ownership: the arrays are the
 * mirror's to keep (each call gets new ones); the addresses are both 4 or both 16 octets.
 */
public interface SipMessageMirror {
    /** A mirror that keeps nothing. */
    SipMessageMirror NONE = (source, sourcePort, destination, destinationPort, tcp, epochMicros, callId, message) -> { };

    /**
     * One SIP message.
     *
     * @param source          source IP address octets
     * @param sourcePort      source port
     * @param destination     destination IP address octets
     * @param destinationPort destination port
     * @param tcp             whether it travelled over TCP or TLS (else UDP)
     * @param epochMicros     when it was captured, microseconds since 1970
     * @param callId          its Call-ID (US-ASCII), empty when it has none
     * @param message         the message octets
     */
    void onSipMessage(byte[] source, int sourcePort, byte[] destination, int destinationPort, boolean tcp, long epochMicros,
                      byte[] callId, byte[] message);
}
