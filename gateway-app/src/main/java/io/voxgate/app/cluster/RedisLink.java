package io.voxgate.app.cluster;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A node's one connection to Redis for requests, confined to one thread of its own ({@code voxgate-cluster}): every
 * read and write of the shared state runs there, so no media loop or admin loop ever waits on Redis. The connection
 * is opened on first use and after a failure; a failure marks Redis down ({@link #up()}) until a request succeeds.
 *
 * <p>Threading: {@link #submit} and {@link #schedule} from any thread; the functions run on the link's thread with
 * the connection, which they must not keep.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    /** Connect and read deadline: Redis on a LAN answers in well under a millisecond; a second means it is gone. */
    static final int TIMEOUT_MS = 1_000;

    private final URI url;
    private final ScheduledExecutorService thread;
    private final LongAdder errors = new LongAdder();
    private Jedis connection;
    private volatile boolean up;

    /** A link to {@code url}; nothing connects until the first request. */
    public RedisLink(final URI url) {
        this.url = url;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "voxgate-cluster");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code request} with the connection on the link's thread.
     *
     * @return its result, or completed exceptionally with the {@link JedisException} (Redis down, counted) or a
     *     {@link RejectedExecutionException} once the link is closed
     */
    public <T> CompletableFuture<T> submit(final Function<Jedis, T> request) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(request.apply(connection()));
                    markUp();
                } catch (final JedisException ex) {
                    failed(ex);
                    result.completeExceptionally(ex);
                } catch (final RuntimeException ex) {
                    result.completeExceptionally(ex);
                }
            });
        } catch (final RejectedExecutionException ex) {
            result.completeExceptionally(ex);
        }
        return result;
    }

    /** Runs {@code task} on the link's thread every {@code periodMs}, starting now. */
    public void schedule(final Runnable task, final long periodMs) {
        thread.scheduleAtFixedRate(task, 0, periodMs, TimeUnit.MILLISECONDS);
    }

    private Jedis connection() {
        if (connection == null) {
            connection = connect(url, TIMEOUT_MS);
        }
        return connection;
    }

    /**
     * A new connection to {@code url} (host, port, database) speaking RESP2, with a one-second
     * connect deadline and {@code readTimeoutMs} for answers (0: wait for ever, for a subscriber).
     */
    public static Jedis connect(final URI url, final int readTimeoutMs) {
        return new Jedis(JedisURIHelper.getHostAndPort(url), DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(readTimeoutMs)
            .database(JedisURIHelper.getDBIndex(url))
            .protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false).clientName("voxgate").build());
    }

    private void markUp() {
        if (!up) {
            up = true;
            LOG.info("cluster: Redis reachable at {}:{}", url.getHost(), url.getPort());
        }
    }

    private void failed(final JedisException ex) {
        errors.increment();
        if (connection != null) {
            try {
                connection.close();
            } catch (final JedisException ignored) {
                // The connection is already broken; a new one is made on the next request.
            }
            connection = null;
        }
        if (up) {
            up = false;
            LOG.warn("cluster: Redis at {}:{} lost ({}); running calls go on, what needs the cluster is refused",
                url.getHost(), url.getPort(), ex.getMessage());
        }
    }

    /** Whether the last request reached Redis. */
    public boolean up() {
        return up;
    }

    /** Requests that failed for want of Redis. */
    public long errors() {
        return errors.sum();
    }

    /** The Redis URL (for a subscriber's own connection). */
    URI url() {
        return url;
    }

    /** Runs what was submitted before (a node's last words), closes the connection and stops, within a second. */
    @Override
    public void close() {
        try {
            thread.execute(() -> {
                if (connection != null) {
                    connection.close();
                    connection = null;
                }
            });
        } catch (final RejectedExecutionException alreadyClosed) {
            return;
        }
        thread.shutdown();
        try {
            thread.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
