package io.voxgate.sip.rtp;

import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;

/**
 * Receives the datagrams of one UDP socket of a call.
 *
 * <p>Threading: called on the call's event loop. Ownership: the bytes are borrowed for the call only; the
 * socket's handler releases the underlying buffer when the call returns.
 */
@FunctionalInterface
public interface DatagramHandler {

    /** One datagram of {@code length} bytes at {@code offset}, from {@code sender}, received at {@code nowNs}. */
    void onDatagram(DirectBuffer buffer, int offset, int length, InetSocketAddress sender, long nowNs);
}
