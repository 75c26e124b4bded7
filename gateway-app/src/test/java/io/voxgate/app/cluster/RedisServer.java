package io.voxgate.app.cluster;

import io.voxgate.testkit.sip.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A redis-server of the test's own on a free loopback port, with no persistence; {@link #available()} says whether
 * the Debian package is installed (tests skip without it).
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private Process process;

    RedisServer() {
        this.port = FreePorts.udpAndTcp();
    }

    static boolean available() {
        try {
            final Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (final IOException ex) {
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts the server (again, after {@link #stop}) and waits until it answers PING. */
    RedisServer start() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(new File("target/redis-" + port + ".log")).start();
        } catch (final IOException ex) {
            throw new IllegalStateException("redis-server did not start", ex);
        }
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < giveUp) {
            try (Jedis jedis = client()) {
                if ("PONG".equals(jedis.ping())) {
                    return this;
                }
            } catch (final JedisException notYet) {
                pause();
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING");
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(50);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** A new connection for the test's own reads. */
    Jedis client() {
        return RedisLink.connect(url(), 2_000);
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
