package io.voxgate.benchmarks.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free ports on 127.0.0.1 for a gateway started in this JVM by a load run or a footprint measurement, found by
 * binding port 0 and letting it go (another process may take the port in between; the gateway then fails to start
 * and says which port).
 *
 * <p>Stateless; safe on any thread.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A TCP port free now. */
    public static int tcp() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A UDP port free now. */
    public static int udp() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
