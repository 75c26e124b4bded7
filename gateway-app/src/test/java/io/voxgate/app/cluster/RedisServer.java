package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A redis-server of the test's own on a free loopback port, with no persistence; optionally with passwords (the
 * default user's {@code requirepass} and an ACL user limited to the cluster's keys and channels) and TLS only
 * ({@code tls-port}, certificates given). {@link #available()} says whether the Debian package is installed (tests
 * skip without it).
 */
final class RedisServer implements AutoCloseable {
    /** The ACL user a node may log in as: the cluster's keys and channels, nothing dangerous. */
    static final String NODE_USER = "voxgate";

    private final int port;
    private final List<String> security = new ArrayList<>();
    private String adminPassword;
    private Path tlsCa;
    private Process process;

    RedisServer() {
        this.port = FreePorts.udpAndTcp();
    }

    static boolean available() {
        return PeerProgram.installed("redis-server", "--version");
    }

    /**
     * Before {@link #start}: the default user needs {@code password}, and the ACL user {@link #NODE_USER} logs in with
     * {@code nodePassword} (keys and channels {@code voxgate:*}, every command but the dangerous ones).
     */
    RedisServer withPasswords(final String password, final String nodePassword) {
        this.adminPassword = password;
        security.addAll(List.of("--requirepass", password, "--user", NODE_USER, "on", ">" + nodePassword, "~voxgate:*",
            "&voxgate:*", "+@all", "-@dangerous"));
        return this;
    }

    /** Before {@link #start}: TLS only, with this certificate and key, clients not asked for theirs. */
    RedisServer withTls(final Path certificate, final Path key, final Path ca) {
        this.tlsCa = ca;
        security.addAll(List.of("--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
            "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"));
        return this;
    }

    /** Starts the server (again, after {@link #stop}) and waits until it answers. */
    RedisServer start() {
        final List<String> cmd = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--protected-mode", "yes"));
        cmd.addAll(tlsCa == null ? List.of("--port", Integer.toString(port))
            : List.of("--port", "0", "--tls-port", Integer.toString(port)));
        cmd.addAll(security);
        final File log = new File("target/redis-" + port + ".log");
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            PeerProgram.awaitUp(process, "redis-server", log.toPath(), 10, this::answers);
        } catch (final IOException ex) {
            throw new IllegalStateException("redis-server did not start", ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redis-server started", ex);
        }
        return this;
    }

    private boolean answers() {
        try (Jedis jedis = client()) {
            return "PONG".equals(jedis.ping());
        } catch (final JedisException notYet) {
            return false;
        }
    }

    /** The URL without credentials: {@code redis://127.0.0.1:port}, or {@code rediss://} with TLS. */
    URI url() {
        return URI.create((tlsCa == null ? "redis" : "rediss") + "://127.0.0.1:" + port);
    }

    /** How the test itself reaches the server: as the default user, with its password and CA when it has them. */
    RedisEndpoint endpoint() {
        return RedisEndpoint.parse(url().toString(), adminPassword, tlsCa);
    }

    /** A new connection for the test's own reads. */
    Jedis client() {
        return RedisLink.connect(endpoint(), 2_000);
    }

    /** Kills the server at once (the cluster loses Redis). */
    void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
