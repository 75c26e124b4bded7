package io.voxgate.websocket.twilio.rest;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import io.voxgate.core.transfer.TransferRequest;
import io.voxgate.core.transfer.TransferState;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfers Twilio calls through the Calls REST API: {@code POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json}
 * with {@code Twiml=} the {@code <Dial>} of {@link TransferTwiml}, sent by the Twilio Java SDK with the account SID
 * ({@code TWILIO_ACCOUNT_SID}) and the auth token. Twilio then leaves the call's {@code <Connect><Stream>}, ends the
 * media stream ({@code stop}) and dials the target.
 *
 * <p>The SDK blocks, so requests run on a pool of their own ({@value #THREADS} threads, {@value #QUEUE} waiting),
 * never on an event loop; a full queue refuses the transfer at once. Each request waits at most 5 s for a pooled connection and 10 s
 * for its answer, and is not retried: a call update is not idempotent in effect (a retried {@code <Dial>} after a lost answer
 * would dial twice), so a timeout is reported as such.
 *
 * <p>Threading: {@link #dial} from any thread; the future completes on the pool's thread. Counters safe on any thread.
 */
public final class TwilioCallUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioCallUpdates.class);
    /** The base URL the SDK talks to unless told otherwise. */
    public static final URI DEFAULT_API_URL = URI.create("https://api.twilio.com");
    private static final int THREADS = 2;
    private static final int QUEUE = 64;

    /** How one update went: the transfer state it leads to and why, in a few safe words. */
    public record Outcome(TransferState state, String detail) {
    }

    private final String accountSid;
    private final TwilioRestClient client;
    private final ThreadPoolExecutor pool;
    private final LongAdder updatesSent = new LongAdder();
    private final LongAdder updatesFailed = new LongAdder();

    /**
     * Updates for {@code accountSid} with {@code authToken}, at {@code apiUrl} ({@link #DEFAULT_API_URL} in production).
     *
     * @throws IllegalArgumentException when the account SID is not {@code AC} and 32 hex digits or the token is empty
     */
    public TwilioCallUpdates(final String accountSid, final String authToken, final URI apiUrl) {
        if (accountSid == null || !accountSid.matches("AC[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits");
        }
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("the Twilio auth token is required for transfers");
        }
        this.accountSid = accountSid;
        final HttpClient network = new NetworkHttpClient(RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.ofSeconds(5))
            .setResponseTimeout(Timeout.ofSeconds(10))
            .build());
        final HttpClient http = DEFAULT_API_URL.equals(Objects.requireNonNull(apiUrl, "apiUrl")) ? network
            : new RedirectingHttpClient(network, apiUrl);
        this.client = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid).httpClient(http).build();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            final Thread t = new Thread(r, "voxgate-twilio-rest");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Gives call {@code callSid} the TwiML that dials {@code request}'s target. The outcome: {@code ACCEPTED} when
     * Twilio took the update (2xx); {@code REFUSED} with Twilio's status and code when it answered an error;
     * {@code TIMED_OUT} when it did not answer in time or could not be reached; {@code NOT_POSSIBLE} when the queue
     * is full.
     */
    public CompletableFuture<Outcome> dial(final String callSid, final TransferRequest request) {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        try {
            pool.execute(() -> outcome.complete(update(callSid, request)));
        } catch (final RejectedExecutionException ex) {
            updatesFailed.increment();
            outcome.complete(new Outcome(TransferState.NOT_POSSIBLE, "too many Twilio API requests waiting"));
        }
        return outcome;
    }

    private Outcome update(final String callSid, final TransferRequest request) {
        updatesSent.increment();
        try {
            Call.updater(accountSid, callSid).setTwiml(TransferTwiml.of(request)).update(client);
            return new Outcome(TransferState.ACCEPTED, "Twilio updated the call");
        } catch (final ApiConnectionException ex) {
            updatesFailed.increment();
            LOG.info("Twilio call {}: update for {} got no answer: {}", callSid, request.id(), ex.getMessage());
            return new Outcome(TransferState.TIMED_OUT, "Twilio API unreachable or too slow");
        } catch (final ApiException ex) {
            updatesFailed.increment();
            LOG.info("Twilio call {}: update for {} refused: HTTP {} code {}", callSid, request.id(), ex.getStatusCode(),
                ex.getCode());
            return new Outcome(TransferState.REFUSED, "Twilio API " + ex.getStatusCode()
                + (ex.getCode() == null ? "" : " code " + ex.getCode()));
        } catch (final RuntimeException ex) {
            updatesFailed.increment();
            LOG.warn("Twilio call {}: update for {} failed: {}", callSid, request.id(), ex.toString());
            return new Outcome(TransferState.FAILED, "Twilio API request failed");
        }
    }

    /** Updates sent to Twilio. */
    public long updatesSent() {
        return updatesSent.sum();
    }

    /** Updates that did not succeed (refused, unanswered, failed, or never sent for a full queue). */
    public long updatesFailed() {
        return updatesFailed.sum();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
