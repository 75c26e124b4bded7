package io.voxgate.app.demo;

import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.core.call.CallStats;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;

/**
 * {@code ./voxgate demo}: starts the gateway on loopback with the configured agent (parrot by default; with
 * {@code --agent vapi} a local Vapi stand-in plays the agent), places three simulated Twilio calls at once (a
 * conversation, a barge-in and DTMF), prints per call the time to first agent audio, the gateway-added latency,
 * the barge-in reaction time and lost frames, and writes what each caller heard to {@code demo-output/*.wav}.
 *
 * <p>Threading: {@link #run} on the control thread; the gateway and the simulator use their own event loops.
 */
public final class Demo {
    private static final Path OUTPUT = Path.of("demo-output");
    private static final long CALL_TIMEOUT_S = 60;
    /** A barge-in slower than this fails the demo: the caller would hear the agent talk over them. */
    private static final long BARGE_IN_LIMIT_MS = 300;

    private final GatewayConfig userConfig;
    private final PrintStream out;
    private final Map<String, CallFigures> figures = new ConcurrentHashMap<>();

    /** A demo that takes the agent and media options from {@code userConfig} and prints to {@code out}. */
    public Demo(final GatewayConfig userConfig, final PrintStream out) {
        this.userConfig = userConfig;
        this.out = out;
    }

    /** What the gateway knew of a call when it ended. */
    private static final class CallFigures {
        long framesFromCaller;
        long framesToCaller;
        long digitsToAgent;
        long bargeInPauses;
        long bargeInsResumed;
        long bargeIns;
        long audioResumedMs;
        long bargeInPausedMs;
        double inboundP50Us;
        double inboundP99Us;
        double outboundP50Us;
        double outboundP99Us;
    }

    /** Runs the demo; returns whether every call went as expected. */
    public boolean run() {
        final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        final int port;
        try {
            port = freeLoopbackPort();
            Files.createDirectories(OUTPUT);
        } catch (final IOException ex) {
            out.println("demo: cannot prepare: " + ex.getMessage());
            return false;
        }
        final String url = "http://127.0.0.1:" + port;
        final Map<String, String> env = new HashMap<>();
        env.put(Secrets.TWILIO_AUTH_TOKEN, token);
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, userConfig.agent());
        flags.put(GatewayOption.AGENT_FORMAT, userConfig.agentFormat().toString());
        flags.put(GatewayOption.OUTBOUND_LEAD_MS, Integer.toString(userConfig.outboundLeadMs()));
        flags.put(GatewayOption.BARGE_IN_VAD, Boolean.toString(userConfig.bargeInVad()));
        VapiStandIn standIn = null;
        try {
            if ("vapi".equals(userConfig.agent())) {
                standIn = VapiStandIn.builder().apiKey("demo-key").assistant("demo-assistant", StandInScript.speakThenListen())
                    .bindAddress(InetAddress.getLoopbackAddress()).port(0).start();
                flags.put(GatewayOption.VAPI_API_URL, standIn.apiUrl());
                env.put(Secrets.VAPI_API_KEY, "demo-key");
                env.put(Secrets.VAPI_ASSISTANT_ID, "demo-assistant");
            }
            final GatewayConfig config = GatewayConfig.load(flags, null, env);
            try (Gateway gateway = Gateway.start(config, url, Secrets.fromEnvironment(env), this::record);
                 TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", port).publicUrl(url)
                     .authToken(token).build()) {
                out.printf(Locale.ROOT, "Voxgate demo: gateway on %s, agent %s (%s), 3 simulated Twilio calls%n", url,
                    config.agent(), config.agentFormat());
                return runCalls(gateway, simulator);
            }
        } catch (final IOException | RuntimeException ex) {
            out.println("demo: failed: " + ex);
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (standIn != null) {
                standIn.close();
            }
        }
    }

    private boolean runCalls(final Gateway gateway, final TwilioCallSimulator simulator) throws IOException, InterruptedException {
        final SimulatedAudio question = clip("wait-question-en-us.wav");
        final SimulatedAudio objection = clip("no-not-what-i-asked-en-us-f3.wav");
        final SimulatedAudio greeting = clip("hello-can-you-hear-me-en-gb.wav");
        final List<DemoCall> calls = List.of(
            DemoCall.conversation(greeting, OUTPUT.resolve("conversation.wav")),
            DemoCall.bargeIn(question, objection, OUTPUT.resolve("barge-in.wav")),
            DemoCall.digits(question, OUTPUT.resolve("dtmf.wav")));
        final List<CompletableFuture<SimulatedCallResult>> running = new ArrayList<>();
        for (final DemoCall call : calls) {
            running.add(simulator.call(call.plan()));
        }
        boolean allOk = true;
        final List<SimulatedCallResult> results = new ArrayList<>();
        for (final CompletableFuture<SimulatedCallResult> call : running) {
            try {
                results.add(call.get(CALL_TIMEOUT_S, TimeUnit.SECONDS));
            } catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                out.println("demo: a call did not finish: " + ex);
                return false;
            }
        }
        final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gateway.registry().size() > 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        out.println();
        out.printf(Locale.ROOT, "%-13s %10s %10s %21s %21s %10s %12s %5s  %s%n", "call", "1st audio", "reply",
            "in p50/p99 (us)", "out p50/p99 (us)", "barge-in", "lost in/out", "ok", "heard");
        for (int i = 0; i < calls.size(); i++) {
            allOk &= report(calls.get(i), results.get(i));
        }
        out.println();
        out.println("first audio: from the caller's first frame; reply: from the end of the caller's first sentence");
        out.println("(\"-\" when the agent spoke before the caller finished, as echo does);");
        out.println("in/out: gateway-added latency per direction (pacing excluded), per call within 6 %;");
        out.println("barge-in: caller speech onset to Twilio clear.");
        out.println(allOk ? "demo: all calls went as expected" : "demo: some calls did not go as expected (see above)");
        return allOk;
    }

    private boolean report(final DemoCall call, final SimulatedCallResult result) {
        final CallFigures f = figures.getOrDefault(result.callSid(), new CallFigures());
        final long firstAudioMs = result.firstAudioNs() < 0 ? -1 : result.firstAudioNs() / 1_000_000;
        final long lostIn = Math.max(0, result.framesSent() - f.framesFromCaller);
        final long lostOut = Math.max(0, f.framesToCaller - result.framesReceived());
        String bargeIn = "-";
        boolean ok = result.ok() && lostIn == 0 && lostOut == 0 && firstAudioMs >= 0;
        if (call.bargeInAtMs() >= 0 && !"echo".equals(userConfig.agent())) {
            final long reactionMs = result.clearTimesNs().stream().mapToLong(t -> t / 1_000_000 - call.bargeInAtMs())
                .filter(ms -> ms >= 0).min().orElse(-1);
            bargeIn = reactionMs < 0 ? "none" : reactionMs + " ms";
            ok &= reactionMs >= 0 && reactionMs <= BARGE_IN_LIMIT_MS;
        }
        if (result.dtmfSent() > 0) {
            ok &= f.digitsToAgent == result.dtmfSent();
        }
        out.printf(Locale.ROOT, "%-13s %7d ms %7s ms %9.0f/%-11.0f %9.0f/%-11.0f %10s %5d/%-6d %5s  %s%n", call.name(),
            firstAudioMs, firstAudioMs < call.speechEndMs() ? "-" : Long.toString(firstAudioMs - call.speechEndMs()),
            f.inboundP50Us, f.inboundP99Us, f.outboundP50Us, f.outboundP99Us, bargeIn, lostIn, lostOut, ok ? "yes" : "NO",
            call.plan().recording());
        if (result.error() != null) {
            out.println("    error: " + result.error());
        }
        if (f.bargeInPauses > 0 || f.bargeIns > 0) {
            out.printf(Locale.ROOT, "    barge-in: %d paused (%d ms in all), %d resumed with %d ms of the turn kept, %d confirmed%n",
                f.bargeInPauses, f.bargeInPausedMs, f.bargeInsResumed, f.audioResumedMs, f.bargeIns);
        }
        if (result.dtmfSent() > 0) {
            out.printf(Locale.ROOT, "    DTMF: %d sent, %d reached the agent%n", result.dtmfSent(), f.digitsToAgent);
        }
        return ok;
    }

    private void record(final String callId, final String edge, final CallStats stats) {
        final AbstractHistogram inboundUs = stats.inboundLatencyUs();
        final AbstractHistogram outboundUs = stats.outboundLatencyUs();
        final CallFigures f = new CallFigures();
        f.framesFromCaller = stats.framesFromCaller();
        f.framesToCaller = stats.framesToCaller();
        f.digitsToAgent = stats.digitsToAgent();
        f.bargeInPauses = stats.bargeInPauses();
        f.bargeInsResumed = stats.bargeInsResumed();
        f.bargeIns = stats.bargeIns();
        f.audioResumedMs = stats.audioResumedMs();
        f.bargeInPausedMs = stats.bargeInPausedMs();
        f.inboundP50Us = inboundUs.getValueAtPercentile(50);
        f.inboundP99Us = inboundUs.getValueAtPercentile(99);
        f.outboundP50Us = outboundUs.getValueAtPercentile(50);
        f.outboundP99Us = outboundUs.getValueAtPercentile(99);
        figures.put(callId, f);
    }

    private static SimulatedAudio clip(final String name) throws IOException {
        final Path file = Files.createTempFile("voxgate-demo-", ".wav");
        try (InputStream in = Demo.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IOException("demo clip " + name + " is missing from the jar");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return SimulatedAudio.fromWav(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
