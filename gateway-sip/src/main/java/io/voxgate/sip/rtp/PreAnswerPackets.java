package io.voxgate.sip.rtp;

import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * RTP that reaches a call's port after the gateway sent its answer but before the call's media starts (at the ACK):
 * a caller may send as soon as it has the 200 OK (RFC 3264 §5.2), so the first packets of its stream routinely
 * arrive first. They are held, in arrival order, and replayed into the inbound chain when media starts, so the
 * stream is decoded from its first packet.
 *
 * <p>Why it matters beyond 20-40 ms of audio: a stateful decoder (G.722's ADPCM) that misses a stream's first
 * packets starts from its reset state while the far encoder has already adapted, and its output is distorted
 * until the two converge again, about 150 ms of a loud, broken onset the echo agent sends straight back.
 *
 * <p>Bounded: at most {@link #CAPACITY} packets of up to {@link RtpPacketFlyweight#MAX_PACKET_LENGTH} octets; more,
 * or longer ones, are dropped and counted. The storage is made at the first held packet and let go after the
 * replay, so a call keeps none of it once media runs.
 *
 * <p>Threading: confined to the call's event loop. Ownership: held packets are copies; the replayed views are
 * this object's, valid during the handler's call only.
 */
public final class PreAnswerPackets {
    /** Packets held at most: 160 ms of 20 ms packets, longer than an ACK takes on any sane path. */
    public static final int CAPACITY = 8;
    private static final int SLOT = RtpPacketFlyweight.MAX_PACKET_LENGTH;

    private final int[] lengths = new int[CAPACITY];
    private final long[] arrivals = new long[CAPACITY];
    private final InetSocketAddress[] senders = new InetSocketAddress[CAPACITY];
    private byte[] storage;
    private int count;
    private long held;
    private long dropped;

    /**
     * Holds a copy of one datagram received at {@code nowNs}.
     *
     * @return false when it was dropped (full, or longer than an RTP packet can be)
     */
    public boolean hold(final DirectBuffer buffer, final int offset, final int length, final InetSocketAddress sender,
                        final long nowNs) {
        if (count == CAPACITY || length > SLOT || length <= 0) {
            dropped++;
            return false;
        }
        if (storage == null) {
            storage = new byte[CAPACITY * SLOT];
        }
        buffer.getBytes(offset, storage, count * SLOT, length);
        lengths[count] = length;
        arrivals[count] = nowNs;
        senders[count] = sender;
        count++;
        held++;
        return true;
    }

    /** Hands every held packet to {@code handler} in arrival order, with its arrival time, then lets them go. */
    public void replay(final DatagramHandler handler) {
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        for (int i = 0; i < count; i++) {
            view.wrap(storage, i * SLOT, lengths[i]);
            handler.onDatagram(view, 0, lengths[i], senders[i], arrivals[i]);
            senders[i] = null;
        }
        clear();
    }

    /** Lets every held packet go unreplayed (the call ended before its media started). */
    public void clear() {
        java.util.Arrays.fill(senders, null);
        count = 0;
        storage = null;
    }

    /** Packets held before the answer (replayed, unless the call ended first). */
    public long held() {
        return held;
    }

    /** Packets dropped before the answer: beyond {@link #CAPACITY}, or oversized. */
    public long dropped() {
        return dropped;
    }
}
