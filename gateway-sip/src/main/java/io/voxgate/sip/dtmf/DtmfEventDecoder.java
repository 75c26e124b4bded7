package io.voxgate.sip.dtmf;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * Turns RFC 4733 telephone-event packets into digits, each reported once.
 *
 * <p>An event is keyed by (SSRC, RTP timestamp, event code): the sender keeps the timestamp of an event's
 * first packet on every packet of that event (RFC 4733 §2.5.1.2), so every later packet with the same key
 * (continuations and the three end packets of §2.5.1.4) is a repeat. The digit is reported on the first
 * packet seen of a new key, whatever its marker bit: the marked first packet may be lost, and some senders
 * never set it. A zero-duration end packet of an unseen event is ignored, as common implementations do.
 *
 * <p>Threading: confined to the call's thread. Allocates nothing.
 */
public final class DtmfEventDecoder {
    private boolean haveLast;
    private int lastSsrc;
    private long lastTimestamp;
    private int lastEvent;
    private long digitsDecoded;
    private long packetsRepeated;
    private long packetsMalformed;
    private long packetsUnsupportedEvent;
    private long packetsZeroDuration;

    /**
     * Decodes one telephone-event payload.
     *
     * @return the digit when this packet starts a new event, else {@link DtmfEvents#NO_DIGIT}
     */
    public char onPacket(final int ssrc, final long rtpTimestamp, final DirectBuffer payload, final int offset, final int length) {
        if (length < DtmfEvents.PAYLOAD_LENGTH) {
            packetsMalformed++;
            return DtmfEvents.NO_DIGIT;
        }
        final int event = payload.getByte(offset + DtmfEvents.EVENT_OFFSET) & 0xFF;
        final boolean end = (payload.getByte(offset + DtmfEvents.FLAGS_VOLUME_OFFSET) & 0x80) != 0;
        final int duration = payload.getShort(offset + DtmfEvents.DURATION_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (event > DtmfEvents.MAX_DTMF_EVENT) {
            packetsUnsupportedEvent++;
            return DtmfEvents.NO_DIGIT;
        }
        if (haveLast && ssrc == lastSsrc && rtpTimestamp == lastTimestamp && event == lastEvent) {
            packetsRepeated++;
            return DtmfEvents.NO_DIGIT;
        }
        if (end && duration == 0) {
            packetsZeroDuration++;
            return DtmfEvents.NO_DIGIT;
        }
        haveLast = true;
        lastSsrc = ssrc;
        lastTimestamp = rtpTimestamp;
        lastEvent = event;
        digitsDecoded++;
        return DtmfEvents.digitOf(event);
    }

    /** Digits reported. */
    public long digitsDecoded() {
        return digitsDecoded;
    }

    /** Packets of an event already reported (continuations and repeated end packets). */
    public long packetsRepeated() {
        return packetsRepeated;
    }

    /** Payloads shorter than four octets. */
    public long packetsMalformed() {
        return packetsMalformed;
    }

    /** Events other than DTMF 0-15 (e.g. fax tones), ignored. */
    public long packetsUnsupportedEvent() {
        return packetsUnsupportedEvent;
    }

    /** End packets of an unseen event with zero duration, ignored. */
    public long packetsZeroDuration() {
        return packetsZeroDuration;
    }
}
