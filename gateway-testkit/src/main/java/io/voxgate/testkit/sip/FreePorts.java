package io.voxgate.testkit.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds loopback ports free for the tests' listeners.
 *
 * <p>A port is free when this JVM can bind it, yet the listener that will use it may be a child process that binds it
 * only seconds later: two nodes, a proxy and Redis are often given their ports before any of them listens. So a port
 * handed out is not handed out again until {@value #REMEMBERED} others have been, whether or not it is bound yet.
 *
 * <p>Threading: safe on any thread.
 */
public final class FreePorts {
    /** How many recently handed-out ports are never handed out again; far fewer than either range holds. */
    private static final int REMEMBERED = 1_000;
    /** The ports handed out lately, oldest first. */
    private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>(2 * REMEMBERED);

    private FreePorts() {
    }

    /** A port free for both UDP and TCP on 127.0.0.1, from a range away from the RTP test ranges. */
    public static int udpAndTcp() {
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = 21_000 + ThreadLocalRandom.current().nextInt(9_000);
            if (claim(port, 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no free UDP+TCP port found on 127.0.0.1");
    }

    /** A free even port whose successor is free too, for an RTP/RTCP pair, in 30000-39999. */
    public static int rtpPair() {
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = 30_000 + 2 * ThreadLocalRandom.current().nextInt(4_900);
            if (claim(port, 2)) {
                return port;
            }
        }
        throw new IllegalStateException("no free RTP port pair found on 127.0.0.1");
    }

    /** Hands out {@code count} ports from {@code first} when none was handed out lately and all are free. */
    private static synchronized boolean claim(final int first, final int count) {
        for (int port = first; port < first + count; port++) {
            if (HANDED_OUT.contains(port) || !isFree(port)) {
                return false;
            }
        }
        for (int port = first; port < first + count; port++) {
            if (HANDED_OUT.size() == REMEMBERED) {
                HANDED_OUT.remove(HANDED_OUT.iterator().next());
            }
            HANDED_OUT.add(port);
        }
        return true;
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
