package io.voxgate.testkit.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds loopback ports free for the tests' listeners. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port free for both UDP and TCP on 127.0.0.1, from a range away from the RTP test ranges. */
    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = 21_000 + ThreadLocalRandom.current().nextInt(9_000);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP+TCP port found on 127.0.0.1");
    }

    /** A free even port whose successor is free too, for an RTP/RTCP pair, in 30000-39999. */
    public static int rtpPair() {
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = 30_000 + 2 * ThreadLocalRandom.current().nextInt(4_900);
            if (isFree(port) && isFree(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free RTP port pair found on 127.0.0.1");
    }

    private static boolean isFree(final int port) {
        try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
             ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return udp.isBound() && tcp.isBound();
        } catch (final IOException ex) {
            return false;
        }
    }
}
