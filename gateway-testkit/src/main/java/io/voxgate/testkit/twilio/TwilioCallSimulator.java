package io.voxgate.testkit.twilio;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.voxgate.websocket.http.EventLoopTransport;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Twilio that places calls against a Voxgate gateway the way Twilio does, for {@code ./voxgate demo},
 * the load generator and tests.
 *
 * <p>Per call: POSTs the voice webhook with Twilio's form parameters, signed with the auth token over the public URL;
 * parses the TwiML as XML; opens the {@code <Stream url>} (signing that {@code wss://} URL and naming its host in
 * {@code Host}, while connecting to the gateway's real address, with {@code ws://} or, through a TLS proxy,
 * {@link Builder#tls}); sends {@code connected}, {@code start} (with the TwiML's
 * {@code <Parameter>}s as {@code customParameters}), then one 20 ms {@code media} message per 20 ms in real time on
 * absolute deadlines (no drift), silence once the caller's audio is over, {@code dtmf} at its planned times, and
 * {@code stop}. It plays what the gateway sends at real time (8 bytes per ms) from a bounded buffer, echoes each
 * {@code mark} once the audio before it has played (at once when nothing is buffered, and all of them on
 * {@code clear}), honours {@code clear}, and records what the caller heard, with silence where nothing played (unless
 * {@link Builder#recordAudio} is off).
 *
 * <p>Many calls run at once on one event loop group (each call confined to one loop). Their media goes out from one
 * periodic task per loop ({@link MediaSendWheel}: 1 ms slots, each call sending on its slot every 20 ms), each call's
 * messages of one slot flushed together. Threading: {@link #call} may
 * be called from any thread; results complete on event loops. Lifecycle: {@link #close()} shuts down the event
 * loops this simulator created (not a group passed in).
 */
public final class TwilioCallSimulator implements AutoCloseable {
    /** Default playout buffer: 10 s of audio, far beyond what a paced gateway keeps queued. */
    public static final int DEFAULT_PLAYOUT_BUFFER_MS = 10_000;
    /** Default wait for the gateway's close after {@code stop} (or for its hang-up when the caller does not). */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 5_000;
    /** Send slots per 20 ms frame: a call's first frame leaves at most 1 ms after its {@code start}. */
    private static final int SLOTS_PER_FRAME = 20;

    private final InetSocketAddress gateway;
    private final URI publicUrl;
    private final Map<String, SimulatedCall> live = new ConcurrentHashMap<>();
    private final TwilioRequestSigner signer;
    private final String accountSid;
    private final EventLoopTransport transport;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final SimulatorListener listener;
    private final boolean strict;
    private final int playoutBufferMs;
    private final long closeTimeoutMs;
    private final boolean recordAudio;
    private final SslContext tls;
    private final Map<EventLoop, MediaSendTicker> tickers = new ConcurrentHashMap<>();

    private TwilioCallSimulator(final Builder b) {
        this.gateway = b.gateway;
        this.publicUrl = b.publicUrl;
        this.signer = b.authToken == null ? null : new TwilioRequestSigner(b.authToken);
        this.accountSid = b.accountSid;
        this.ownsGroup = b.group == null;
        this.transport = ownsGroup ? EventLoopTransport.detect() : b.transport;
        this.group = ownsGroup ? transport.newGroup(b.threads, "twilio-simulator") : b.group;
        this.listener = b.listener;
        this.strict = b.strict;
        this.playoutBufferMs = b.playoutBufferMs;
        this.closeTimeoutMs = b.closeTimeoutMs;
        this.recordAudio = b.recordAudio;
        this.tls = b.tls;
    }

    /** A builder; {@link Builder#gateway} and {@link Builder#publicUrl} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Places one call; the future completes when the call is over (never exceptionally: failures are in the result). */
    public CompletableFuture<SimulatedCallResult> call(final CallPlan plan) {
        final SimulatedCall call = new SimulatedCall(this, plan, group.next());
        live.put(plan.callSid(), call);
        call.result().whenComplete((r, e) -> live.remove(plan.callSid(), call));
        call.start();
        return call.result();
    }

    /**
     * Ends call {@code callSid}'s stream the way Twilio does when the call is given new TwiML (a REST update):
     * {@code stop}, then the WebSocket closes.
     *
     * @return false when no such call is streaming
     */
    public boolean endStream(final String callSid) {
        final SimulatedCall call = live.get(callSid);
        if (call == null) {
            return false;
        }
        call.endStreamAsTwilio();
        return true;
    }

    InetSocketAddress gateway() {
        return gateway;
    }

    URI publicUrl() {
        return publicUrl;
    }

    TwilioRequestSigner signer() {
        return signer;
    }

    String accountSid() {
        return accountSid;
    }

    EventLoopTransport transport() {
        return transport;
    }

    SimulatorListener listener() {
        return listener;
    }

    boolean strict() {
        return strict;
    }

    int playoutBufferMs() {
        return playoutBufferMs;
    }

    long closeTimeoutMs() {
        return closeTimeoutMs;
    }

    boolean recordAudio() {
        return recordAudio;
    }

    SslContext tls() {
        return tls;
    }

    /** The send schedule of {@code loop}'s calls (made on first use; used on that loop only). */
    MediaSendTicker ticker(final EventLoop loop) {
        return tickers.computeIfAbsent(loop, l -> new MediaSendTicker(l, new MediaSendWheel(SimulatedCall.FRAME_NS, SLOTS_PER_FRAME)));
    }

    @Override
    public void close() {
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Configures a {@link TwilioCallSimulator}; not thread-safe. */
    public static final class Builder {
        private InetSocketAddress gateway;
        private URI publicUrl;
        private String authToken;
        private String accountSid = CallPlan.randomSid("AC");
        private EventLoopTransport transport;
        private EventLoopGroup group;
        private int threads = 1;
        private SimulatorListener listener = SimulatorListener.NONE;
        private boolean strict = true;
        private int playoutBufferMs = DEFAULT_PLAYOUT_BUFFER_MS;
        private long closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS;
        private boolean recordAudio = true;
        private SslContext tls;

        private Builder() {
        }

        /** Where the gateway really listens, e.g. {@code 127.0.0.1:8080}. */
        public Builder gateway(final String host, final int port) {
            this.gateway = InetSocketAddress.createUnresolved(Objects.requireNonNull(host, "host"), port);
            return this;
        }

        /** The public URL the gateway was configured with; the webhook URL Twilio would sign is built from it. */
        public Builder publicUrl(final String url) {
            this.publicUrl = URI.create(Objects.requireNonNull(url, "publicUrl"));
            return this;
        }

        /** The auth token to sign with; {@code null} sends no signatures at all. */
        public Builder authToken(final String token) {
            this.authToken = token;
            return this;
        }

        /** The AccountSid put in requests and {@code start} (default random). */
        public Builder accountSid(final String sid) {
            this.accountSid = Objects.requireNonNull(sid, "accountSid");
            return this;
        }

        /** Runs calls on {@code group} (of {@code transport}), owned by the caller. */
        public Builder eventLoops(final EventLoopTransport loopTransport, final EventLoopGroup loops) {
            this.transport = Objects.requireNonNull(loopTransport, "transport");
            this.group = Objects.requireNonNull(loops, "group");
            return this;
        }

        /** Loop threads when the simulator makes its own group (default 1). */
        public Builder threads(final int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + count);
            }
            this.threads = count;
            return this;
        }

        /** Per-frame hooks. */
        public Builder listener(final SimulatorListener hooks) {
            this.listener = Objects.requireNonNull(hooks, "listener");
            return this;
        }

        /**
         * Whether every gateway message is also checked field by field with a JSON library (default on; load runs may
         * turn it off to spare CPU).
         */
        public Builder strict(final boolean check) {
            this.strict = check;
            return this;
        }

        /** Playout buffer size in ms of audio. */
        public Builder playoutBufferMs(final int ms) {
            if (ms < 100) {
                throw new IllegalArgumentException("playoutBufferMs must be >= 100, was " + ms);
            }
            this.playoutBufferMs = ms;
            return this;
        }

        /** Wait for the gateway's close after {@code stop}. */
        public Builder closeTimeoutMs(final long ms) {
            if (ms < 1) {
                throw new IllegalArgumentException("closeTimeoutMs must be positive, was " + ms);
            }
            this.closeTimeoutMs = ms;
            return this;
        }

        /**
         * Whether each call keeps what its caller heard and received ({@link SimulatedCallResult#heard()},
         * {@link SimulatedCallResult#received()}, {@link CallPlan#recording()}; default on). Off, both are empty and
         * a call keeps only its playout counters (marks are still echoed when their audio has played): what a load
         * run wants, 16 bytes per ms of call less heap and no per-byte copying.
         */
        public Builder recordAudio(final boolean record) {
            this.recordAudio = record;
            return this;
        }

        /**
         * Speaks TLS to the gateway address (a TLS proxy in front of the gateway, as Twilio reaches it) with
         * {@code client}, a client context that trusts the proxy's certificate; default: plain TCP.
         */
        public Builder tls(final SslContext client) {
            this.tls = Objects.requireNonNull(client, "tls");
            return this;
        }

        /** The simulator. */
        public TwilioCallSimulator build() {
            if (gateway == null || publicUrl == null) {
                throw new IllegalArgumentException("the simulator needs the gateway address and its public URL");
            }
            return new TwilioCallSimulator(this);
        }
    }
}
