package io.voxgate.sip.rtp;

import java.net.InetSocketAddress;
import org.agrona.MutableDirectBuffer;

/**
 * Receives the datagrams of one UDP socket of a call.
 *
 * <p>Threading: called on the call's event loop. Ownership: the bytes are borrowed for the call only, which may
 * transform them in place (SRTP decrypts there); the socket's handler releases the underlying buffer when the call
 * returns.
 */
@FunctionalInterface
public interface DatagramHandler {

    /** One datagram of {@code length} bytes at {@code offset}, from {@code sender}, received at {@code nowNs}. */
    void onDatagram(MutableDirectBuffer buffer, int offset, int length, InetSocketAddress sender, long nowNs);
}
