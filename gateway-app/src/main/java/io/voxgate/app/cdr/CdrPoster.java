package io.voxgate.app.cdr;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each call detail record to {@code --cdr-url}, signed with HMAC-SHA256 under {@code VOXGATE_CDR_SECRET}:
 * header {@value #SIGNATURE_HEADER}: {@code t=UNIX_SECONDS,v1=HEX}, where HEX is the HMAC of
 * {@code UNIX_SECONDS + "." + body}; the receiver recomputes it and refuses a stale {@code t} (replays).
 *
 * <p>Records arrive through a bounded queue ({@link #offer} never waits: a full queue drops the record, counted) and
 * leave from a sender thread of their own, one request at a time with a connect and a response deadline. A record
 * whose POST fails (no answer, or a status other than 2xx) is counted and not retried: the CDR file is the durable
 * copy.
 *
 * <p>Threading: {@link #offer} from the CDR writer's thread; the counters from any thread; {@link #close} once from
 * the control thread.
 */
public final class CdrPoster implements AutoCloseable {
    /** The signature header. */
    public static final String SIGNATURE_HEADER = "X-Voxgate-Signature";
    /** Records waiting to be posted; a burst of ends while the receiver is slow for a few seconds. */
    public static final int QUEUE_RECORDS = 1_024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CdrPoster.class);
    private static final byte[] STOP = new byte[0];

    private final URI url;
    private final byte[] secret;
    private final LongSupplier epochSeconds;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_RECORDS);
    private final HttpClient client;
    private final Thread sender;
    private final AtomicLong recordsPosted = new AtomicLong();
    private final AtomicLong recordsDropped = new AtomicLong();
    private final AtomicLong postsFailed = new AtomicLong();

    /**
     * A poster whose thread starts at once.
     *
     * @param url          the {@code --cdr-url} (checked by {@link #checkUrl})
     * @param secret       the HMAC key
     * @param epochSeconds the wall clock for {@code t=}
     */
    public CdrPoster(final URI url, final byte[] secret, final LongSupplier epochSeconds) {
        this.url = checkUrl(url);
        this.secret = secret.clone();
        this.epochSeconds = epochSeconds;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new Thread(this::run, "voxgate-cdr-post");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * {@code url} when it may carry records: https, or http to a loopback host only (records name callers).
     *
     * @throws IllegalArgumentException naming {@code --cdr-url} otherwise
     */
    public static URI checkUrl(final URI url) {
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("--cdr-url: '" + url + "' must be an https:// URL with a host");
        }
        if ("http".equals(scheme) && !isLoopback(url.getHost())) {
            throw new IllegalArgumentException("--cdr-url: '" + url + "' must use https (records name callers); "
                + "http only to a loopback address");
        }
        return url;
    }

    private static boolean isLoopback(final String host) {
        final String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if ("localhost".equalsIgnoreCase(literal)) {
            return true;
        }
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (final UnknownHostException ex) {
            return false;
        }
    }

    /**
     * The signature header's value for {@code body} sent at {@code epochSeconds}.
     *
     * @return {@code t=SECONDS,v1=HEX}
     */
    public static String sign(final byte[] secret, final long epochSeconds, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (final NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

    /** Queues one record (JSON, no trailing newline); drops and counts it when the queue is full. */
    public void offer(final byte[] record) {
        if (!queue.offer(record)) {
            recordsDropped.incrementAndGet();
        }
    }

    private void run() {
        while (true) {
            final byte[] record;
            try {
                record = queue.take();
            } catch (final InterruptedException ex) {
                return;
            }
            if (record == STOP) {
                return;
            }
            post(record);
        }
    }

    private void post(final byte[] record) {
        final HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, sign(secret, epochSeconds.getAsLong(), record))
            .POST(HttpRequest.BodyPublishers.ofByteArray(record)).build();
        try {
            final int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                recordsPosted.incrementAndGet();
            } else {
                failed("status " + status);
            }
        } catch (final IOException ex) {
            failed(ex.getClass().getSimpleName() + " " + ex.getMessage());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            failed("interrupted");
        }
    }

    private void failed(final String why) {
        if (postsFailed.getAndIncrement() == 0) {
            LOG.warn("CDR: POST to --cdr-url failed: {} (further failures are only counted)", why);
        }
    }

    /** Records the receiver accepted (2xx). */
    public long recordsPosted() {
        return recordsPosted.get();
    }

    /** Records dropped because the queue was full (the receiver is slower than calls end). */
    public long recordsDropped() {
        return recordsDropped.get();
    }

    /** Records whose POST failed (no answer in time, connection refused, a status other than 2xx). */
    public long postsFailed() {
        return postsFailed.get();
    }

    /** Posts what is queued (for up to the response deadline), then stops the sender. */
    @Override
    public void close() {
        try {
            if (!queue.offer(STOP, RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                sender.interrupt();
            }
            sender.join(RESPONSE_TIMEOUT.toMillis());
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
        }
    }
}
