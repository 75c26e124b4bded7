package io.voxgate.testkit.hep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A HEP3 capture node on a loopback UDP port, as Homer's heplify-server would be: every datagram is decoded into a
 * {@link Hep3Packet}; one that does not decode fails the collection.
 *
 * <p>Threading: one test thread. {@link #collect} blocks for at most its quiet time after the last datagram.
 */
public final class Hep3Listener implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;

    /** A listener on a free port of {@code address} (127.0.0.1 or ::1). */
    public Hep3Listener(final String address) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The {@code --hep-url} that reaches this listener. */
    public String url() {
        final String host = socket.getLocalAddress().getHostAddress();
        return "udp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + socket.getLocalPort();
    }

    /** The bound address and port. */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Every packet that arrives until none has for {@code quietMs}.
     *
     * @throws IllegalArgumentException when a datagram is not a valid HEP3 packet
     */
    public List<Hep3Packet> collect(final int quietMs) throws IOException {
        final List<Hep3Packet> packets = new ArrayList<>();
        final byte[] buffer = new byte[MAX_DATAGRAM];
        socket.setSoTimeout(quietMs);
        while (true) {
            final DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(datagram);
            } catch (final SocketTimeoutException quiet) {
                return packets;
            }
            packets.add(Hep3Packet.decode(datagram.getData(), datagram.getLength()));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
