package io.voxgate.app.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A node's one connection to Redis for requests, confined to one thread of its own ({@code voxgate-cluster}): every
 * read and write of the shared state runs there, so no media loop or admin loop ever waits on Redis. The connection
 * is opened on first use and after a failure; a failure marks Redis down ({@link #up()}) until a request succeeds.
 * With credentials it authenticates ({@code AUTH}, as the ACL user when one is named) and with {@code rediss://} it
 * speaks TLS, checking the server's certificate and host name; the password never reaches a log line.
 *
 * <p>Threading: {@link #submit} and {@link #schedule} from any thread; the functions run on the link's thread with
 * the connection, which they must not keep.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    /** Connect and read deadline: Redis on a LAN answers in well under a millisecond; a second means it is gone. */
    static final int TIMEOUT_MS = 1_000;
    private static final String TRUST_STORE_TYPE = "PKCS12";
    /** Guards nothing (the store holds public certificates and never leaves memory); PKCS#12 wants one. */
    private static final char[] TRUST_STORE_PASSWORD = "voxgate".toCharArray();

    private final RedisEndpoint endpoint;
    private final ScheduledExecutorService thread;
    private final LongAdder errors = new LongAdder();
    private Jedis connection;
    private volatile boolean up;

    /** A link to {@code endpoint}; nothing connects until the first request. */
    public RedisLink(final RedisEndpoint endpoint) {
        this.endpoint = endpoint;
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
            connection = connect(endpoint, TIMEOUT_MS);
        }
        return connection;
    }

    /**
     * A new connection to {@code endpoint} (host, port, database, credentials, TLS) speaking RESP2, with a one-second
     * connect deadline and {@code readTimeoutMs} for answers (0: wait for ever, for a subscriber).
     *
     * @throws JedisException when it cannot connect, the TLS handshake fails or Redis refuses the credentials
     */
    public static Jedis connect(final RedisEndpoint endpoint, final int readTimeoutMs) {
        final DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MS).socketTimeoutMillis(readTimeoutMs).database(endpoint.database())
            .protocol(RedisProtocol.RESP2).autoNegotiateProtocol(false).clientName("voxgate");
        if (endpoint.password() != null) {
            config.user(endpoint.user()).password(endpoint.password());
        }
        if (endpoint.tls()) {
            // FULL: the certificate must chain to a trusted CA and name the host of the URL (subjectAltName).
            final SslOptions.Builder tls = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
            if (endpoint.tlsCa() != null) {
                final byte[] trustStore = trustStore(endpoint);
                tls.trustStoreType(TRUST_STORE_TYPE).truststore(() -> new ByteArrayInputStream(trustStore), TRUST_STORE_PASSWORD);
            }
            config.sslOptions(tls.build());
        }
        return new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), config.build());
    }

    /**
     * The CA certificates of {@code --redis-tls-ca} as an in-memory PKCS#12 trust store (what Jedis reads); without the
     * option Jedis trusts the JVM's trust store.
     */
    private static byte[] trustStore(final RedisEndpoint endpoint) {
        try {
            final KeyStore anchors = KeyStore.getInstance(TRUST_STORE_TYPE);
            anchors.load(null, null);
            int n = 0;
            try (InputStream in = Files.newInputStream(endpoint.tlsCa())) {
                for (final Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.setCertificateEntry("ca-" + n++, c);
                }
            }
            if (n == 0) {
                throw new IllegalArgumentException("--redis-tls-ca: " + endpoint.tlsCa() + " holds no certificate");
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            anchors.store(out, TRUST_STORE_PASSWORD);
            return out.toByteArray();
        } catch (final GeneralSecurityException | IOException ex) {
            throw new IllegalArgumentException("--redis-tls-ca: cannot read " + endpoint.tlsCa() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Connects once, at start: a refusal that waiting cannot cure (wrong credentials, a certificate not trusted) is a
     * configuration error; Redis not reachable yet is not (the node starts, and the link keeps trying).
     *
     * @throws IllegalStateException naming {@code --redis-url} and what Redis or the TLS handshake said
     */
    public void checkAccess() {
        try {
            submit(Jedis::ping).get(3 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException ex) {
            final Throwable cause = ex.getCause();
            if (cause instanceof JedisAccessControlException) {
                // WRONGPASS, NOAUTH (no password given) or NOPERM (the ACL user may not do what a node does).
                throw new IllegalStateException("--redis-url: Redis at " + endpoint.address() + " refused this node ("
                    + cause.getMessage() + "); check the URL's user and the password (VOXGATE_REDIS_PASSWORD or the URL)",
                    cause);
            }
            if (causedBy(cause, SSLException.class)) {
                throw new IllegalStateException("--redis-url: TLS to Redis at " + endpoint.address() + " failed ("
                    + rootMessage(cause) + "); check --redis-tls-ca and the name in the server's certificate", cause);
            }
            LOG.warn("cluster: Redis at {} not reachable at start ({}); the node starts and keeps trying",
                endpoint.address(), rootMessage(cause));
        } catch (final TimeoutException ex) {
            LOG.warn("cluster: Redis at {} did not answer at start; the node starts and keeps trying", endpoint.address());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean causedBy(final Throwable failure, final Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(final Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private void markUp() {
        if (!up) {
            up = true;
            LOG.info("cluster: Redis reachable at {}{}", endpoint.address(), endpoint.tls() ? " (TLS)" : "");
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
            LOG.warn("cluster: Redis at {} lost ({}); running calls go on, what needs the cluster is refused",
                endpoint.address(), ex.getMessage());
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

    /** Where Redis is and how to reach it (for a subscriber's own connection). */
    RedisEndpoint endpoint() {
        return endpoint;
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
