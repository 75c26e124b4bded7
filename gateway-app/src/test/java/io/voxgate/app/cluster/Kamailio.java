package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kamailio started by the test from the shipped deploy/kamailio/kamailio.cfg, with its four site values (listen
 * addresses, dispatcher list, probe interval) rewritten for loopback; {@link #available()} says whether the Debian
 * package is installed.
 */
final class Kamailio implements AutoCloseable {
    static final Path SHIPPED = Path.of("../deploy/kamailio/kamailio.cfg");

    private final int port = FreePorts.udpAndTcp();
    private Process process;

    static boolean available() {
        return PeerProgram.installed("kamailio", "-v");
    }

    /** Starts Kamailio in front of the nodes' SIP ports and waits until its UDP port is bound. */
    Kamailio start(final List<Integer> nodeSipPorts, final int pingIntervalSeconds) throws IOException, InterruptedException {
        final Path dir = Files.createDirectories(Path.of("target/kamailio-" + port));
        final Path list = dir.resolve("dispatcher.list");
        Files.writeString(list, nodeSipPorts.stream().map(p -> "1 sip:127.0.0.1:" + p).collect(Collectors.joining("\n", "", "\n")),
            StandardCharsets.UTF_8);
        final String config = Files.readString(SHIPPED, StandardCharsets.UTF_8)
            .replace("!LISTEN_UDP!udp:10.0.0.10:5060!g", "!LISTEN_UDP!udp:127.0.0.1:" + port + "!g")
            .replace("!LISTEN_TCP!tcp:10.0.0.10:5060!g", "!LISTEN_TCP!tcp:127.0.0.1:" + port + "!g")
            .replace("!DISPATCHER_LIST!/etc/kamailio/dispatcher.list!g", "!DISPATCHER_LIST!" + list.toAbsolutePath() + "!g")
            .replace("!PING_INTERVAL!2!g", "!PING_INTERVAL!" + pingIntervalSeconds + "!g");
        final Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, config, StandardCharsets.UTF_8);
        final Path log = dir.resolve("kamailio.log");
        process = new ProcessBuilder("kamailio", "-f", cfg.toAbsolutePath().toString(), "-DD", "-E", "-n", "2",
            "-P", dir.resolve("kamailio.pid").toAbsolutePath().toString(), "-Y", dir.toAbsolutePath().toString(),
            "-w", dir.toAbsolutePath().toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerProgram.awaitUp(process, "kamailio", log, 10, this::bound);
        return this;
    }

    /** Whether Kamailio has bound its UDP port (this test can no longer bind it). */
    private boolean bound() {
        try {
            new DatagramSocket(port, InetAddress.getLoopbackAddress()).close();
            return false;
        } catch (final SocketException taken) {
            return true;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        if (process != null) {
            PeerProgram.stop(process);
        }
    }
}
