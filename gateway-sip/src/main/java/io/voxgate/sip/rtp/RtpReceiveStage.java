package io.voxgate.sip.rtp;

import io.voxgate.core.pipeline.MediaStage;
import io.voxgate.sip.dtmf.DtmfEventDecoder;
import io.voxgate.sip.dtmf.DtmfEvents;
import io.voxgate.sip.rtcp.RtpReceptionStatistics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;

/**
 * The first node of a call's inbound media path: validates each datagram that reached the call's RTP port
 * and routes it to audio, DTMF or RTCP, counting every discard by reason.
 *
 * <p>Order of checks: layout ({@link RtpPacketFlyweight}), source, RTCP demultiplexing (second octet
 * 192-223, RFC 5761 §4), SSRC, payload type. Source rule: with symmetric latching off (the default, as
 * Twilio recommends, protocols.md §4.5) a packet must come from the IP address the peer's SDP named; the port
 * is not checked because carriers may send from another port than they receive on. With latching on, the
 * first valid packet fixes the source address and port, and later packets must match it. SSRC rule: the
 * first accepted packet latches the SSRC; another SSRC is dropped while the latched one is live, and replaces
 * it once the latched one has been silent for {@code relatchAfterNs} (a carrier switching media servers,
 * RFC 3550 §8.2).
 *
 * <p>Threading: confined to the call's thread. Ownership: the datagram is borrowed for the call only.
 * Allocates nothing.
 */
public final class RtpReceiveStage implements MediaStage {

    /** Where accepted packets go. Called on the call's thread with borrowed buffers. */
    public interface Listener {
        /** One audio packet from the latched source, in arrival order. */
        void onRtpAudio(int ssrc, int sequenceNumber, long rtpTimestamp, boolean marker, DirectBuffer payload,
                        int offset, int length, long nowNs);

        /** A DTMF digit the caller pressed (RFC 4733), reported once per key press. */
        void onCallerDigit(char digit, long nowNs);

        /** An RTCP packet multiplexed on the RTP port. */
        void onRtcp(DirectBuffer buffer, int offset, int length, long nowNs);
    }

    private final Listener listener;
    private final RtpPacketFlyweight packet = new RtpPacketFlyweight();
    private final RtpReceptionStatistics statistics;
    private final DtmfEventDecoder dtmf = new DtmfEventDecoder();
    private final boolean symmetricLatching;
    private final long relatchAfterNs;
    private final int clockRateHz;

    private InetAddress expectedAddress;
    private InetSocketAddress latchedSource;
    private int audioPayloadType = -1;
    private int telephoneEventPayloadType = -1;
    private boolean ssrcLatched;
    private int ssrc;
    private long lastAcceptedNs;
    private boolean anyAccepted;

    private long packetsAccepted;
    private long packetsDroppedMalformed;
    private long packetsDroppedOversized;
    private long packetsDroppedWrongSource;
    private long packetsDroppedWrongSsrc;
    private long packetsDroppedWrongPayloadType;
    private long packetsDroppedEmpty;
    private long packetsDroppedUnconfigured;
    private long rtcpDroppedWrongSource;
    private long ssrcChanges;
    private long digitsReceived;

    /**
     * A stage for one call.
     *
     * @param listener          receives accepted audio, digits and muxed RTCP
     * @param statistics        RFC 3550 reception statistics fed with every accepted packet
     * @param symmetricLatching whether the source address is learnt from the first packet
     * @param relatchAfterNs    how long the latched SSRC must be silent before another one replaces it
     * @param clockRateHz       RTP clock of the negotiated audio (8000 for G.711)
     */
    public RtpReceiveStage(final Listener listener, final RtpReceptionStatistics statistics, final boolean symmetricLatching,
                           final long relatchAfterNs, final int clockRateHz) {
        this.listener = listener;
        this.statistics = statistics;
        this.symmetricLatching = symmetricLatching;
        this.relatchAfterNs = relatchAfterNs;
        this.clockRateHz = clockRateHz;
    }

    /**
     * Sets (or, after a re-INVITE, replaces) what the negotiated session allows.
     *
     * @param remote                    the peer's RTP address from its SDP
     * @param audioPayloadType          the negotiated audio payload type
     * @param telephoneEventPayloadType the negotiated telephone-event payload type, or -1
     */
    public void configure(final InetSocketAddress remote, final int audioPayloadType, final int telephoneEventPayloadType) {
        final InetAddress address = remote.getAddress();
        if (expectedAddress != null && !expectedAddress.equals(address)) {
            latchedSource = null;
        }
        this.expectedAddress = address;
        this.audioPayloadType = audioPayloadType;
        this.telephoneEventPayloadType = telephoneEventPayloadType;
    }

    /** Handles one datagram received on the RTP port. */
    public void onDatagram(final DirectBuffer buffer, final int offset, final int length, final InetSocketAddress sender,
                           final long nowNs) {
        if (expectedAddress == null) {
            packetsDroppedUnconfigured++;
            return;
        }
        final int result = packet.wrap(buffer, offset, length);
        if (result != RtpPacketFlyweight.VALID) {
            if (result == RtpPacketFlyweight.OVERSIZED) {
                packetsDroppedOversized++;
            } else {
                packetsDroppedMalformed++;
            }
            return;
        }
        if (!sourceAllowed(sender)) {
            packetsDroppedWrongSource++;
            return;
        }
        final int secondOctet = buffer.getByte(offset + RtpPacketFlyweight.MPT_OFFSET) & 0xFF;
        if (secondOctet >= 192 && secondOctet <= 223) {
            listener.onRtcp(buffer, offset, length, nowNs);
            return;
        }
        final int packetSsrc = packet.ssrc();
        if (ssrcLatched && packetSsrc != ssrc) {
            if (nowNs - lastAcceptedNs < relatchAfterNs) {
                packetsDroppedWrongSsrc++;
                return;
            }
            ssrcChanges++;
            ssrcLatched = false;
        }
        final int payloadType = packet.payloadType();
        final boolean audio = payloadType == audioPayloadType;
        if (!audio && (telephoneEventPayloadType < 0 || payloadType != telephoneEventPayloadType)) {
            packetsDroppedWrongPayloadType++;
            return;
        }
        if (packet.payloadLength() == 0) {
            packetsDroppedEmpty++;
            return;
        }
        if (!ssrcLatched) {
            ssrcLatched = true;
            ssrc = packetSsrc;
            // A new source restarts the RFC 3550 statistics: its sequence space is unrelated (§8.2).
            statistics.reset();
        }
        if (symmetricLatching && latchedSource == null) {
            latchedSource = sender;
        }
        anyAccepted = true;
        lastAcceptedNs = nowNs;
        packetsAccepted++;
        statistics.onPacket(packet.sequenceNumber(), packet.timestamp(), arrivalRtpUnits(nowNs));
        if (audio) {
            listener.onRtpAudio(packetSsrc, packet.sequenceNumber(), packet.timestamp(), packet.marker(), buffer,
                packet.payloadOffset(), packet.payloadLength(), nowNs);
        } else {
            final char digit = dtmf.onPacket(packetSsrc, packet.timestamp(), buffer, packet.payloadOffset(),
                packet.payloadLength());
            if (digit != DtmfEvents.NO_DIGIT) {
                digitsReceived++;
                listener.onCallerDigit(digit, nowNs);
            }
        }
    }

    private boolean sourceAllowed(final InetSocketAddress sender) {
        if (latchedSource != null) {
            return latchedSource.equals(sender);
        }
        return symmetricLatching || expectedAddress.equals(sender.getAddress());
    }

    /**
     * Whether a datagram that reached the RTCP port comes from the RTP peer: the peer's address (the latched source's
     * once latched, else the one its SDP named) and the port paired with its RTP port (the RTCP port its SDP named, or
     * the latched RTP port + 1). Anything else, a stranger or a spoofed report, is dropped and counted.
     *
     * @param signalledRtcp the peer's RTCP address from its SDP ({@code a=rtcp}, else its RTP port + 1)
     */
    public boolean acceptsRtcpFrom(final InetSocketAddress sender, final InetSocketAddress signalledRtcp) {
        final boolean allowed;
        if (latchedSource != null) {
            allowed = latchedSource.getAddress().equals(sender.getAddress())
                && (sender.getPort() == latchedSource.getPort() + 1 || sender.getPort() == signalledRtcp.getPort());
        } else {
            allowed = expectedAddress != null && expectedAddress.equals(sender.getAddress())
                && sender.getPort() == signalledRtcp.getPort();
        }
        if (!allowed) {
            rtcpDroppedWrongSource++;
        }
        return allowed;
    }

    /** RTCP datagrams dropped for not coming from the RTP peer's address and RTCP port. */
    public long rtcpDroppedWrongSource() {
        return rtcpDroppedWrongSource;
    }

    private long arrivalRtpUnits(final long nowNs) {
        return nowNs / (1_000_000_000L / clockRateHz);
    }

    /**
     * Where the gateway should send RTP: the latched source with symmetric latching once a packet arrived,
     * else {@code signalled} (the address in the peer's SDP).
     */
    public InetSocketAddress sendTarget(final InetSocketAddress signalled) {
        return latchedSource != null ? latchedSource : signalled;
    }

    /** When the last packet was accepted (monotonic ns), or {@code Long.MIN_VALUE} before the first. */
    public long lastAcceptedNs() {
        return anyAccepted ? lastAcceptedNs : Long.MIN_VALUE;
    }

    /** The DTMF decoder and its counters. */
    public DtmfEventDecoder dtmf() {
        return dtmf;
    }

    /** Packets accepted (audio and DTMF). */
    public long packetsAccepted() {
        return packetsAccepted;
    }

    /** Packets too short for their header or with version other than 2 or bad padding. */
    public long packetsDroppedMalformed() {
        return packetsDroppedMalformed;
    }

    /** Packets longer than {@link RtpPacketFlyweight#MAX_PACKET_LENGTH}. */
    public long packetsDroppedOversized() {
        return packetsDroppedOversized;
    }

    /** Packets from an address other than the peer's. */
    public long packetsDroppedWrongSource() {
        return packetsDroppedWrongSource;
    }

    /** Packets from another SSRC while the latched one is live. */
    public long packetsDroppedWrongSsrc() {
        return packetsDroppedWrongSsrc;
    }

    /** Packets with a payload type that was not negotiated. */
    public long packetsDroppedWrongPayloadType() {
        return packetsDroppedWrongPayloadType;
    }

    /** Packets without payload. */
    public long packetsDroppedEmpty() {
        return packetsDroppedEmpty;
    }

    /** Packets before the session was negotiated. */
    public long packetsDroppedUnconfigured() {
        return packetsDroppedUnconfigured;
    }

    /** Times a new SSRC replaced a silent latched one. */
    public long ssrcChanges() {
        return ssrcChanges;
    }

    /** Digits reported to the listener. */
    public long digitsReceived() {
        return digitsReceived;
    }

    /** The latched SSRC (meaningful once a packet was accepted). */
    public int ssrc() {
        return ssrc;
    }

    /** Packets discarded as invalid: malformed, oversized, wrong source, SSRC or payload type, empty. */
    public long packetsInvalid() {
        return packetsDroppedMalformed + packetsDroppedOversized + packetsDroppedWrongSource + packetsDroppedWrongSsrc
            + packetsDroppedWrongPayloadType + packetsDroppedEmpty;
    }

    @Override
    public String name() {
        return "rtp-receive";
    }

    @Override
    public void counters(final CounterVisitor visitor) {
        visitor.counter("packets_accepted", packetsAccepted);
        visitor.counter("dropped_malformed", packetsDroppedMalformed);
        visitor.counter("dropped_oversized", packetsDroppedOversized);
        visitor.counter("dropped_wrong_source", packetsDroppedWrongSource);
        visitor.counter("dropped_wrong_ssrc", packetsDroppedWrongSsrc);
        visitor.counter("dropped_wrong_payload_type", packetsDroppedWrongPayloadType);
        visitor.counter("dropped_empty", packetsDroppedEmpty);
        visitor.counter("dropped_unconfigured", packetsDroppedUnconfigured);
        visitor.counter("rtcp_dropped_wrong_source", rtcpDroppedWrongSource);
        visitor.counter("ssrc_changes", ssrcChanges);
        visitor.counter("digits", digitsReceived);
    }
}
