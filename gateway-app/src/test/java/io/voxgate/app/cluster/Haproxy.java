package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy started by the test ({@code haproxy -db}, in the foreground, as the test's user) from the shipped
 * deploy/haproxy/haproxy.cfg with only its site values rewritten: the listen address, the nodes' addresses, the
 * certificate, the stats socket and the log target. The file's logic (ACLs, health checks, retries, timeouts) runs as
 * shipped, so a broken shipped file fails the test. {@link #available()} says whether the Debian package is installed.
 */
final class Haproxy implements AutoCloseable {
    static final Path SHIPPED = Path.of("../deploy/haproxy/haproxy.cfg");
    /** The shipped servers' addresses, in the order of the nodes given to {@link #start}. */
    static final List<String> SHIPPED_SERVERS = List.of("10.0.0.11:8080", "10.0.0.12:8080", "10.0.0.13:8080");

    private final int port = FreePorts.udpAndTcp();
    private final Path dir;
    private Process process;

    Haproxy() throws IOException {
        this.dir = Files.createDirectories(Path.of("target/haproxy-" + port).toAbsolutePath());
    }

    static boolean available() {
        return PeerProgram.installed("haproxy", "-v");
    }

    /**
     * Starts HAProxy on 127.0.0.1:{@link #port()} with {@code certificatePem} (certificate and key), in front of the
     * given HTTP ports in place of the shipped servers (a port nobody listens on stands for a node that is down), and
     * waits until its stats socket answers.
     */
    Haproxy start(final List<Integer> serverPorts, final Path certificatePem) throws IOException, InterruptedException {
        if (serverPorts.size() != SHIPPED_SERVERS.size()) {
            throw new IllegalArgumentException("the shipped file names " + SHIPPED_SERVERS.size() + " servers");
        }
        String config = Files.readString(SHIPPED, StandardCharsets.UTF_8);
        config = replace(config, "bind :443 ", "bind 127.0.0.1:" + port + " ");
        config = replace(config, "/etc/haproxy/voxgate.pem", certificatePem.toAbsolutePath().toString());
        config = replace(config, "/run/haproxy/admin.sock", socket().toString());
        config = replace(config, "log /dev/log local0", "log stderr format short local0");
        for (int i = 0; i < serverPorts.size(); i++) {
            config = replace(config, SHIPPED_SERVERS.get(i), "127.0.0.1:" + serverPorts.get(i));
        }
        final Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config, StandardCharsets.UTF_8);
        process = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString(), "-p", dir.resolve("haproxy.pid").toString())
            .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "haproxy.log")).start();
        PeerProgram.awaitUp(process, "haproxy", dir.resolve("haproxy.log"), 10, this::answers);
        return this;
    }

    /** Whether the stats socket answers (its file appears just before HAProxy accepts on it). */
    private boolean answers() {
        try {
            return Files.exists(socket()) && !command("show info").isEmpty();
        } catch (final IOException notYet) {
            return false;
        }
    }

    /** Every text the shipped file must contain once at least: a missing one means the file changed under the test. */
    private static String replace(final String config, final String shipped, final String local) {
        if (!config.contains(shipped)) {
            throw new IllegalStateException("the shipped haproxy.cfg no longer contains '" + shipped + "'");
        }
        return config.replace(shipped, local);
    }

    private Path socket() {
        return dir.resolve("admin.sock");
    }

    /** Sends one command to the stats socket and returns its whole answer. */
    String command(final String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            final ByteArrayOutputStream answer = new ByteArrayOutputStream();
            final ByteBuffer buffer = ByteBuffer.allocate(16_384);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }

    /**
     * The state of each server of {@code backend} as "show stat" reports it (UP, DOWN, "UP 1/2" while rising...), by
     * server name.
     */
    Map<String, String> serverStates(final String backend) throws IOException {
        return column(backend, "status");
    }

    /** One numeric column of "show stat" for each server of {@code backend} (e.g. stot: requests sent to it). */
    Map<String, Long> serverCounters(final String backend, final String field) throws IOException {
        final Map<String, Long> out = new HashMap<>();
        column(backend, field).forEach((server, value) -> out.put(server, value.isEmpty() ? 0 : Long.parseLong(value)));
        return out;
    }

    /** One column of "show stat" for the backend's row itself (e.g. wretr, wredis). */
    long backendCounter(final String backend, final String field) throws IOException {
        final String value = column(backend, field).getOrDefault("BACKEND", "");
        return value.isEmpty() ? 0 : Long.parseLong(value);
    }

    private Map<String, String> column(final String backend, final String field) throws IOException {
        final String[] lines = command("show stat").split("\n");
        final List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
        final int proxy = header.indexOf("pxname");
        final int server = header.indexOf("svname");
        final int wanted = header.indexOf(field);
        if (wanted < 0) {
            throw new IllegalArgumentException("show stat has no field " + field);
        }
        final Map<String, String> out = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            final String[] cells = lines[i].split(",", -1);
            if (cells.length > wanted && backend.equals(cells[proxy])) {
                out.put(cells[server], cells[wanted]);
            }
        }
        return out;
    }

    int port() {
        return port;
    }

    /** A loopback port nobody listens on (a node that is down). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            PeerProgram.stop(process);
        }
    }
}
