package io.voxgate.app.runtime;

import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.core.call.CallStats;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.SimulatorListener;
import io.voxgate.testkit.twilio.TwilioApiStandIn;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The whole path on loopback: a {@link VapiStandIn} playing Vapi, a {@link Gateway} started from a {@link GatewayConfig}
 * with {@code --agent vapi} pointed at it, and a {@link TwilioCallSimulator} placing signed calls, set up the way
 * {@code ./voxgate demo --agent vapi} does.
 *
 * <p>Threading: built, used and closed on the test thread; the three parts run on their own event loops. Ownership:
 * {@link #close()} stops all three.
 */
final class TwilioVapiRig implements AutoCloseable {
    /** The assistant the stand-in knows. */
    static final String ASSISTANT = "e2e-assistant";
    /** How long a whole simulated call may take before the test fails. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    final String apiKey = "sk-e2e-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    final VapiStandIn standIn;
    final Gateway gateway;
    final TwilioCallSimulator simulator;
    /** Twilio's REST API for transfers, when the builder asked for it; else null. */
    final TwilioApiStandIn twilioApi;
    /** The account the gateway and {@link #twilioApi} share. */
    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    private final Map<String, CompletableFuture<EndedCall>> ended = new ConcurrentHashMap<>();

    /** What the gateway counted for a call when it left the registry. */
    record EndedCall(long framesFromCaller, long framesToAgent, long framesFromAgent, long framesToCaller) {
    }

    private TwilioVapiRig(final Builder b) throws IOException, InterruptedException {
        standIn = VapiStandIn.builder().apiKey(apiKey).assistant(ASSISTANT, b.script)
            .bindAddress(InetAddress.getLoopbackAddress()).port(0).start();
        final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        twilioApi = b.twilioApi ? new TwilioApiStandIn(ACCOUNT_SID, token) : null;
        try {
            final int port = freeLoopbackPort();
            final String url = "http://127.0.0.1:" + port;
            final Map<String, String> env = new HashMap<>();
            env.put(Secrets.TWILIO_AUTH_TOKEN, token);
            env.put(Secrets.VAPI_API_KEY, b.wrongKey ? apiKey + "-revoked" : apiKey);
            env.put(Secrets.VAPI_ASSISTANT_ID, b.assistantId);
            final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
            flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
            flags.put(GatewayOption.ADMIN_PORT, "0");
            flags.put(GatewayOption.BIND, "127.0.0.1");
            flags.put(GatewayOption.PUBLIC_URL, url);
            flags.put(GatewayOption.AGENT, "vapi");
            flags.put(GatewayOption.VAPI_API_URL, standIn.apiUrl());
            flags.put(GatewayOption.AGENT_FORMAT, b.agentFormat);
            flags.put(GatewayOption.BARGE_IN_VAD, Boolean.toString(b.bargeInVad));
            if (twilioApi != null) {
                env.put(Secrets.TWILIO_ACCOUNT_SID, ACCOUNT_SID);
                flags.put(GatewayOption.TWILIO_API_URL, twilioApi.baseUrl());
            }
            flags.putAll(b.flags);
            gateway = Gateway.start(GatewayConfig.load(flags, null, env), url, Secrets.fromEnvironment(env), this::onCallEnded);
            simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", port).publicUrl(url).authToken(token)
                .listener(b.listener).build();
        } catch (final RuntimeException ex) {
            standIn.close();
            if (twilioApi != null) {
                twilioApi.close();
            }
            throw ex;
        }
    }

    /** A rig whose stand-in runs {@code script} for {@link #ASSISTANT}. */
    static Builder with(final StandInScript script) {
        return new Builder(script);
    }

    /** Places {@code plan} and waits for it to finish. */
    SimulatedCallResult call(final CallPlan plan) throws InterruptedException, ExecutionException, TimeoutException {
        return simulator.call(plan).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the gateway reported {@code callSid} ended (it has then left the registry). */
    EndedCall awaitEnded(final String callSid) throws InterruptedException, ExecutionException, TimeoutException {
        return future(callSid).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onCallEnded(final String callId, final String edge, final CallStats stats) {
        future(callId).complete(new EndedCall(stats.framesFromCaller(), stats.framesToAgent(), stats.framesFromAgent(),
            stats.framesToCaller()));
    }

    private CompletableFuture<EndedCall> future(final String callId) {
        return ended.computeIfAbsent(callId, id -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        try {
            simulator.close();
            gateway.close();
        } finally {
            standIn.close();
            if (twilioApi != null) {
                twilioApi.close();
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Options of one rig; not thread-safe. */
    static final class Builder {
        private final StandInScript script;
        private String agentFormat = "mulaw/8000";
        private String assistantId = ASSISTANT;
        private boolean wrongKey;
        private boolean bargeInVad = true;
        private SimulatorListener listener = SimulatorListener.NONE;
        private boolean twilioApi;
        private final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);

        private Builder(final StandInScript script) {
            this.script = script;
        }

        /** {@code --agent-format}. */
        Builder agentFormat(final String format) {
            this.agentFormat = format;
            return this;
        }

        /** The gateway asks for an assistant the stand-in does not know. */
        Builder unknownAssistant() {
            this.assistantId = "no-such-assistant";
            return this;
        }

        /** The gateway holds a key the stand-in refuses. */
        Builder wrongKey() {
            this.wrongKey = true;
            return this;
        }

        /**
         * {@code --barge-in-vad}: an echoing agent speaks whenever the caller does, so the gateway's own VAD would take
         * every caller sound for a barge-in; tests of byte-exact echo turn it off.
         */
        Builder bargeInVad(final boolean on) {
            this.bargeInVad = on;
            return this;
        }

        /** Per-frame hooks of the simulated caller. */
        Builder listener(final SimulatorListener hooks) {
            this.listener = hooks;
            return this;
        }

        /** A stand-in of Twilio's REST API ({@link #twilioApi}) and the account to reach it: Twilio calls can be transferred. */
        Builder twilioApi() {
            this.twilioApi = true;
            return this;
        }

        /** Sets {@code option} for the gateway. */
        Builder flag(final GatewayOption option, final String value) {
            flags.put(option, value);
            return this;
        }

        TwilioVapiRig start() throws IOException, InterruptedException {
            return new TwilioVapiRig(this);
        }
    }
}
