package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.metrics.GatewayMetrics;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.core.call.CallStats;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code benchmarks/load.sh}: places N simulated Twilio Media Streams calls on a gateway at a ramp rate, holds them,
 * and reports per frame the round trip through the gateway (echo agent), the gateway-added latency per direction,
 * frames lost, call setup time, calls ok or failed, barge-in reaction (parrot agent), and the gateway's CPU, heap,
 * direct memory and GC pauses, per call where meaningful. With {@code --duration-seconds} it keeps N calls up for
 * that long, replacing each call that ends (at most at the ramp rate), and judges whether memory stayed flat (a soak).
 * Writes {@code result.json}, {@code latency.png} and {@code memory.png} to the output directory and a summary to stdout.
 *
 * <p>In-process mode (default) starts the gateway in this JVM, bound to 127.0.0.1: generator and gateway share the
 * machine, the JVM, its heap and its collector. CPU is split by thread (gateway {@code voxgate-*}, simulator
 * {@code twilio-simulator-*}, the rest being GC, JIT and this control thread); heap figures include the simulator's
 * own per-call state (a few KiB: it counts playout rather than recording what each caller heard). With
 * {@code --external-port} the gateway runs in its own process and only its own figures are reported (heap and direct
 * memory from its {@code /metrics}, CPU and RSS from {@code /proc} with {@code --external-pid}, GC pauses from its log
 * with {@code --external-gc-log}).
 *
 * <p>Latency is recorded from the first call to the end of the steady window, where the generator forces a collection
 * to measure the live heap (on two cores even ZGC's concurrent cycle stalls the event loops for hundreds of ms); the
 * calls then run to their end and every frame still counts for loss (see {@link CallTally}).
 *
 * <p>What the round trip includes: caller-side WebSocket send, the gateway's inbound decode, transcoding and hand-off,
 * the echo agent (which takes no time; with {@code --agent vapi} the Vapi stand-in's loopback WebSocket hop instead),
 * the outbound transcoding, pacing queue and send, and the caller-side receive. Both event loops' scheduling delays are
 * in it, so on a loaded shared machine it is an upper bound of the gateway's share. The gateway-added latency per
 * direction (the round trip less the agent's own time, as the gateway measures it on each frame) comes from its call
 * reports in-process and from its {@code /metrics} summaries in external mode.
 *
 * <p>Threading: {@link #run} on one control thread; calls run on the simulator's event loops, the gateway on its own,
 * the memory samples on the {@link SoakMonitor}'s thread.
 */
public final class LoadGenerator {
    private static final long NS_PER_S = 1_000_000_000L;
    private static final int TONE_HZ = 440;
    private static final int TONE_AMPLITUDE = 8_000;
    private static final String VAPI_KEY = "load-key";
    private static final String VAPI_ASSISTANT = "load-assistant";

    private final LoadOptions options;
    private final PrintStream out;
    private GatewayMetrics.EdgeLatency gatewayLatencyBefore;
    private final Map<String, CallTally.GatewayCallFigures> gatewayCalls = new ConcurrentHashMap<>();
    private long gatewayCallsReported;
    private long gatewayFramesDropped;
    private long gatewayBargeInPauses;
    private long gatewayBargeInsResumed;
    private long gatewayBargeIns;
    private long gatewayAudioResumedMs;

    /** A call's result as the simulator completed it, queued for the control thread. */
    private record Completion(String callSid, EchoLatencyProbe.CallProbe probe, SimulatedCallResult result, Throwable failure) {
    }

    LoadGenerator(final LoadOptions options, final PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Entry point; exit status 0 when every call went through cleanly, 1 when not, 2 on bad options. */
    public static void main(final String[] args) throws IOException, InterruptedException {
        if (args.length == 1 && "--help".equals(args[0])) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        final LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (final IllegalArgumentException ex) {
            System.err.println("load: " + ex.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        final LoadResult result = new LoadGenerator(options, System.out).run();
        System.exit(result.clean() ? 0 : 1);
    }

    /** Runs the load, writes the result files, prints the summary and returns the figures. */
    LoadResult run() throws IOException, InterruptedException {
        if (options.sipEdge()) {
            return new SipLoadRun(options, out).run();
        }
        Files.createDirectories(options.out());
        final boolean external = options.externalPort().isPresent();
        final int port = external ? options.externalPort().getAsInt()
            : options.gatewayPort() == 0 ? LoopbackPorts.tcp() : options.gatewayPort();
        final String url = "http://127.0.0.1:" + port;
        final String token = external ? System.getenv(Secrets.TWILIO_AUTH_TOKEN)
            : HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (VapiStandIn standIn = "vapi".equals(options.agent()) ? startStandIn() : null;
             JvmResources jvm = new JvmResources();
             Gateway gateway = external ? null : startGateway(port, url, token, standIn)) {
            if (external && standIn != null) {
                out.printf(Locale.ROOT, "load: Vapi stand-in (echo) on %s; the gateway needs: VAPI_API_KEY=%s VAPI_ASSISTANT_ID=%s "
                    + "./voxgate run --agent vapi --vapi-api-url %s --barge-in-vad false ... (start it after this line when "
                    + "--vapi-port was not given)%n", standIn.apiUrl(), VAPI_KEY, VAPI_ASSISTANT, standIn.apiUrl());
            }
            final ExternalGatewayResources remote = external ? new ExternalGatewayResources(options.externalAdminPort(),
                options.externalPid()) : null;
            final EchoLatencyProbe probe = new EchoLatencyProbe(options.echoes());
            final BargeInProbe bargeIns = new BargeInProbe();
            try (TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", port).publicUrl(url)
                .authToken(token == null || token.isBlank() ? null : token).threads(options.simulatorThreads())
                .listener(options.bargeInFraction() > 0 ? new ListenerTee(probe, bargeIns) : probe)
                .strict(false).recordAudio(false).playoutBufferMs(1_000).closeTimeoutMs(10_000).build();
                 SoakMonitor monitor = new SoakMonitor(remote != null ? remote::soakSample
                     : seconds -> jvm.soakSample(seconds, gateway.registry().size()))) {
                return drive(simulator, probe, bargeIns, monitor, jvm, remote, gateway);
            }
        }
    }

    /**
     * The Vapi stand-in with its echo script on loopback: every binary frame back at once, so latency and loss are
     * measured as with the echo agent, plus the stand-in's WebSocket hop.
     */
    private VapiStandIn startStandIn() throws InterruptedException {
        return VapiStandIn.builder().apiKey(VAPI_KEY).assistant(VAPI_ASSISTANT, StandInScript.echo())
            .bindAddress(InetAddress.getLoopbackAddress()).port(options.vapiPort()).start();
    }

    private Gateway startGateway(final int port, final String url, final String token, final VapiStandIn standIn) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, options.agent());
        flags.put(GatewayOption.AGENT_FORMAT, options.agentFormat());
        options.recordDir().ifPresent(dir -> {
            flags.put(GatewayOption.RECORD, "all");
            flags.put(GatewayOption.RECORDING_DIR, dir.toString());
        });
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(Math.max(1_000, options.calls())));
        // Every simulated call comes from 127.0.0.1: one stream connection each, plus its webhook request while it opens.
        final int connections = Math.max(4_096, 2 * options.calls() + 64);
        flags.put(GatewayOption.MAX_CONNECTIONS, Integer.toString(connections));
        flags.put(GatewayOption.MAX_CONNECTIONS_PER_SOURCE, Integer.toString(connections));
        final Map<String, String> env = new HashMap<>();
        env.put(Secrets.TWILIO_AUTH_TOKEN, token);
        if (standIn != null) {
            flags.put(GatewayOption.VAPI_API_URL, standIn.apiUrl());
            // The stand-in echoes the caller's tone: the gateway's own VAD would take the echo for the caller talking over
            // the agent and clear it, which is a barge-in test, not a latency one.
            flags.put(GatewayOption.BARGE_IN_VAD, "false");
            env.put(Secrets.VAPI_API_KEY, VAPI_KEY);
            env.put(Secrets.VAPI_ASSISTANT_ID, VAPI_ASSISTANT);
        }
        final GatewayConfig config = GatewayConfig.load(flags, null, env);
        return Gateway.start(config, url, Secrets.fromEnvironment(env), this::onCallReport);
    }

    private synchronized void onCallReport(final String callId, final String edge, final CallStats stats) {
        gatewayCallsReported++;
        // Held at hang-up: queued for paced playout, or (Vapi) sent to the agent and not yet echoed back by it.
        gatewayCalls.put(callId, new CallTally.GatewayCallFigures(stats.framesFromCaller(), stats.framesToCaller(),
            stats.framesDroppedAtEnd() + stats.framesDroppedEnded() + Math.max(0, stats.framesToAgent() - stats.framesFromAgent())));
        gatewayBargeInPauses += stats.bargeInPauses();
        gatewayBargeInsResumed += stats.bargeInsResumed();
        gatewayBargeIns += stats.bargeIns();
        gatewayAudioResumedMs += stats.audioResumedMs();
        gatewayFramesDropped += stats.framesDroppedPreConnect() + stats.framesDroppedNotConnected() + stats.framesDroppedEnded()
            + stats.framesDroppedAtEnd() + stats.framesDroppedOverflow();
    }

    /** What the run measured besides the per-call tally, gathered by {@link #drive} for {@link #report}. */
    private static final class Measured {
        private ResourceSnapshot before;
        private ResourceSnapshot after;
        private ResourceSnapshot windowStart;
        private ResourceSnapshot windowEnd;
        private long activeInWindow;
        private long liveHeapBefore = -1;
        private long liveHeapSteady = -1;
        private long liveHeapAfter = -1;
        private long[] counterDeltas;
        private double[][] latencyBefore;
        private double[][] latencyAfter;
        private GcLogPauses gatewayGcLog;
        private String gatewayGcLogError;
        private int timedOut;
        private long bargeInCalls;
        private long registryAtEnd = -1;
        private double runSeconds;
        private List<SoakSample> samples = List.of();
    }

    private LoadResult drive(final TwilioCallSimulator simulator, final EchoLatencyProbe probe, final BargeInProbe bargeIns,
                             final SoakMonitor monitor, final JvmResources jvm, final ExternalGatewayResources remote,
                             final Gateway gateway) throws IOException, InterruptedException {
        final SimulatedAudio audio = SimulatedAudio.tone(TONE_HZ, options.holdSeconds() * 1_000, TONE_AMPLITUDE);
        final BargeInScript script = options.bargeInFraction() > 0 ? new BargeInScript(options.holdSeconds() * 1_000) : null;
        out.printf(Locale.ROOT, "load: %d calls at %d/s, %d s each%s, agent %s (%s)%s, gateway %s on 127.0.0.1:%d%n",
            options.calls(), options.rampPerSecond(), options.holdSeconds(),
            options.sustained() ? ", kept up for " + options.durationSeconds() + " s" : "", options.agent(), options.agentFormat(),
            script == null ? "" : String.format(Locale.ROOT, ", %.0f %% of the calls talk over the parrot %d times (half of them"
                + " backchannels)", 100 * options.bargeInFraction(), script.talkOvers()),
            remote == null ? "in-process" : "external", portOf(gateway, options));

        if (options.warmupSeconds() > 0) {
            warmUp(simulator, gateway);
        }
        final Measured m = new Measured();
        // After the warm-up: the JIT's and Netty's one-off growth (arena chunks, caches) is not per-call cost.
        m.liveHeapBefore = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        m.before = snapshot(jvm, remote);
        final long[] countersBefore = remote == null ? null : remote.frameCounters();
        m.latencyBefore = remote == null ? null : remote.latencySummaries();
        long gcLogFrom = 0;
        if (options.externalGcLog().isPresent()) {
            gcLogFrom = GcLogPauses.lengthOf(options.externalGcLog().get());
        }
        final int expectedFrames = (options.holdSeconds() * 1_000 + options.tailMs()) / 20 + 50;
        final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
        final Deque<CallTally.EndedCall> awaitingGateway = new ArrayDeque<>();
        final CallTally tally = new CallTally(options.echoes());
        final long rampGapNs = NS_PER_S / options.rampPerSecond();
        final long startNs = System.nanoTime();
        monitor.start(startNs);
        long placed = 0;
        long active = 0;
        for (int i = 0; i < options.calls(); i++) {
            parkUntil(startNs + i * rampGapNs);
            m.bargeInCalls += place(simulator, probe, bargeIns, audio, script, expectedFrames, placed++, m.bargeInCalls, completions);
            active++;
        }
        final long rampEndNs = System.nanoTime();
        final long placeUntilNs = startNs + options.durationSeconds() * NS_PER_S;
        long nextPlaceNs = rampEndNs + rampGapNs;

        // Steady window: every call placed and, in one wave, none yet ending; one second of settling after the ramp.
        final long windowStartNs = rampEndNs + NS_PER_S;
        final long windowEndNs = startNs + Math.max(options.holdSeconds(), options.durationSeconds()) * NS_PER_S - NS_PER_S / 2;
        final boolean window = windowEndNs - windowStartNs >= NS_PER_S;
        if (!window) {
            out.println("load: no steady window (hold time not longer than the ramp plus 1.5 s): no per-call CPU or heap");
        }
        final long deadlineNs = Math.max(rampEndNs, placeUntilNs) + (options.holdSeconds() + 30L) * NS_PER_S
            + options.tailMs() * 1_000_000L;
        while (active > 0) {
            final long now = System.nanoTime();
            if (now - deadlineNs >= 0) {
                break;
            }
            if (window && m.windowStart == null && now - windowStartNs >= 0) {
                m.windowStart = snapshot(jvm, remote);
                m.activeInWindow = active;
            }
            if (window && m.windowStart != null && m.windowEnd == null && now - windowEndNs >= 0) {
                m.windowEnd = snapshot(jvm, remote);
                probe.stopRecording(System.nanoTime());
                m.liveHeapSteady = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
            }
            long wakeNs = deadlineNs;
            if (window && m.windowEnd == null) {
                wakeNs = m.windowStart == null ? windowStartNs : windowEndNs;
            }
            final Completion c = completions.poll(Math.max(0, Math.min(wakeNs - now, 200_000_000L)), TimeUnit.NANOSECONDS);
            if (c != null) {
                active--;
                awaitingGateway.add(ended(c, probe, bargeIns));
                if (System.nanoTime() - placeUntilNs < 0) {
                    parkUntil(nextPlaceNs);
                    m.bargeInCalls += place(simulator, probe, bargeIns, audio, script, expectedFrames, placed++, m.bargeInCalls,
                        completions);
                    active++;
                    nextPlaceNs = System.nanoTime() + rampGapNs;
                }
            }
            tallyReported(awaitingGateway, tally, gateway, false);
        }
        m.timedOut = (int) active;
        tally.timedOut(active);
        awaitNoCalls(gateway);
        tallyReported(awaitingGateway, tally, gateway, true);
        if (remote != null) {
            remote.awaitNoCalls(10_000);
            final long[] countersAfter = remote.frameCounters();
            m.counterDeltas = new long[countersAfter.length];
            for (int i = 0; i < countersAfter.length; i++) {
                m.counterDeltas[i] = countersAfter[i] < 0 || countersBefore[i] < 0 ? -1 : countersAfter[i] - countersBefore[i];
            }
            tally.applyGatewayCounters(m.counterDeltas);
            m.latencyAfter = remote.latencySummaries();
        }
        m.runSeconds = (System.nanoTime() - startNs) / 1e9;
        m.registryAtEnd = remote == null ? gateway.registry().size() : remote.activeCalls();
        monitor.stop();
        m.samples = monitor.samples();
        m.after = snapshot(jvm, remote);
        m.liveHeapAfter = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        if (options.externalGcLog().isPresent()) {
            try {
                m.gatewayGcLog = GcLogPauses.read(options.externalGcLog().get(), gcLogFrom);
            } catch (final IOException ex) {
                m.gatewayGcLogError = ex.toString();
            }
        }
        return report(probe, bargeIns, tally, jvm, m, gateway);
    }

    /** Places one call; returns 1 when it is a barge-in call. The {@code index}-th call barges in to keep the share even. */
    private int place(final TwilioCallSimulator simulator, final EchoLatencyProbe probe, final BargeInProbe bargeIns,
                      final SimulatedAudio audio, final BargeInScript script, final int expectedFrames, final long index,
                      final long bargeInsSoFar, final BlockingQueue<Completion> completions) {
        final boolean bargeIn = script != null && bargeInsSoFar < Math.round(options.bargeInFraction() * (index + 1));
        final CallPlan plan = CallPlan.builder().audio(bargeIn ? script.audio() : audio).listenAfterMs(options.tailMs()).build();
        final EchoLatencyProbe.CallProbe callProbe = probe.register(plan.callSid(), System.nanoTime(), expectedFrames);
        if (bargeIn) {
            bargeIns.register(plan.callSid(), script);
        }
        simulator.call(plan).whenComplete((r, ex) -> completions.add(new Completion(plan.callSid(), callProbe, r, ex)));
        return bargeIn ? 1 : 0;
    }

    /** Reduces a finished call to its figures and forgets its per-frame state. */
    private static CallTally.EndedCall ended(final Completion c, final EchoLatencyProbe probe, final BargeInProbe bargeIns) {
        if (c.failure() != null) {
            throw new IllegalStateException("the simulator completed a call exceptionally", c.failure());
        }
        final EchoLatencyProbe.CallProbe p = c.probe();
        p.finish();
        probe.unregister(c.callSid());
        bargeIns.unregister(c.callSid());
        final SimulatedCallResult r = c.result();
        final boolean ok = r.ok() && p.answered();
        final String error = ok ? null : r.error() != null ? r.error() : "close " + r.closeCode() + " " + r.closeReason()
            + ", violations " + r.protocolViolations() + ", answered " + p.answered();
        return new CallTally.EndedCall(c.callSid(), ok, error, p.framesSent(), p.framesReceived(), p.framesUnpaired(), p.framesOverrun(),
            p.latenciesClamped());
    }

    /**
     * Tallies the ended calls whose gateway report is in (in-process: it comes from the gateway's own thread, usually a
     * moment after the caller's result); external mode has none, so at once. With {@code all}, tallies every one left.
     */
    private void tallyReported(final Deque<CallTally.EndedCall> awaiting, final CallTally tally, final Gateway gateway, final boolean all) {
        for (final Iterator<CallTally.EndedCall> it = awaiting.iterator(); it.hasNext();) {
            final CallTally.EndedCall call = it.next();
            final CallTally.GatewayCallFigures figures = gateway == null ? null : gatewayCalls.remove(call.callSid());
            if (gateway == null || figures != null || all) {
                tally.add(call, figures);
                it.remove();
            }
        }
    }

    /**
     * Unmeasured calls first, so the JIT has compiled the media path (and the simulator's) before the run: a cold JVM
     * stalls its event loops for tens of ms while it compiles, and every stall longer than the outbound lead stays in
     * the calls of that loop as pacing backlog. Their frames are not probed and the gateway's figures are reset after.
     */
    private void warmUp(final TwilioCallSimulator simulator, final Gateway gateway) throws InterruptedException {
        final int calls = Math.min(options.calls(), LoadOptions.WARMUP_CALLS);
        final SimulatedAudio audio = SimulatedAudio.tone(TONE_HZ, options.warmupSeconds() * 1_000, TONE_AMPLITUDE);
        final List<CompletableFuture<SimulatedCallResult>> running = new ArrayList<>(calls);
        final long startNs = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            parkUntil(startNs + i * NS_PER_S / options.rampPerSecond());
            running.add(simulator.call(CallPlan.builder().audio(audio).listenAfterMs(options.tailMs()).build()));
        }
        int ok = 0;
        final long deadlineNs = System.nanoTime() + (options.warmupSeconds() + 30L) * NS_PER_S;
        for (final CompletableFuture<SimulatedCallResult> call : running) {
            try {
                ok += call.get(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS).ok() ? 1 : 0;
            } catch (final TimeoutException ex) {
                break;
            } catch (final ExecutionException ex) {
                throw new IllegalStateException("the simulator completed a call exceptionally", ex);
            }
        }
        awaitNoCalls(gateway);
        synchronized (this) {
            gatewayCalls.clear();
            gatewayCallsReported = 0;
            gatewayFramesDropped = 0;
            gatewayLatencyBefore = gateway == null ? null : gateway.metrics().latencyUs("twilio");
        }
        out.printf(Locale.ROOT, "warm-up: %d calls of %d s, %d ok (not measured)%n", calls, options.warmupSeconds(), ok);
    }

    private static void awaitNoCalls(final Gateway gateway) {
        if (gateway != null) {
            final long giveUpNs = System.nanoTime() + 10 * NS_PER_S;
            while (gateway.registry().size() > 0 && System.nanoTime() - giveUpNs < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private static int portOf(final Gateway gateway, final LoadOptions options) {
        return gateway != null ? gateway.httpPort() : options.externalPort().orElse(0);
    }

    private static ResourceSnapshot snapshot(final JvmResources jvm, final ExternalGatewayResources remote) throws InterruptedException {
        return remote == null ? jvm.snapshot() : remote.snapshot();
    }

    private LoadResult report(final EchoLatencyProbe probe, final BargeInProbe bargeIns, final CallTally t, final JvmResources jvm,
                              final Measured m, final Gateway gateway) throws IOException {
        final boolean external = gateway == null;
        final Histogram roundTrip = probe.roundTripUs();
        final Histogram heard = probe.heardUs();
        final Histogram setup = probe.setupUs();
        final Histogram sendLag = probe.sendLagUs();
        final Histogram finalRoundTrip = probe.finalRoundTripUs();
        final Histogram aboveBacklog = probe.aboveBacklogUs();

        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode json = mapper.createObjectNode();
        final ObjectNode run = json.putObject("run");
        run.put("mode", external ? "external" : "in-process");
        run.put("calls", options.calls());
        run.put("rampPerSecond", options.rampPerSecond());
        run.put("holdSeconds", options.holdSeconds());
        run.put("durationSeconds", options.durationSeconds());
        run.put("runSeconds", m.runSeconds);
        run.put("tailMs", options.tailMs());
        run.put("agent", options.agent());
        if ("vapi".equals(options.agent())) {
            run.put("agentNote", "Vapi stand-in (echo script) in the generator's JVM on loopback: the round trip includes its "
                + "WebSocket hop both ways, and its CPU and heap count with the generator's");
        }
        run.put("agentFormat", options.agentFormat());
        run.put("bargeInFraction", options.bargeInFraction());
        run.put("simulatorThreads", options.simulatorThreads());
        run.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        run.put("javaVersion", System.getProperty("java.version"));
        run.put("jvmArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        run.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        final ObjectNode callsNode = json.putObject("calls");
        callsNode.put("placed", t.calls());
        callsNode.put("ok", t.ok());
        callsNode.put("failed", t.calls() - t.ok());
        callsNode.put("timedOut", m.timedOut);
        callsNode.put("leftOpenAfterStop", t.leftOpen());
        final ArrayNode errorsNode = callsNode.putArray("errors");
        t.errors().forEach(errorsNode::add);
        callsNode.set("setupUs", ResultJson.percentiles(mapper, setup));
        final ObjectNode frames = json.putObject("frames");
        frames.put("sent", t.sent());
        frames.put("received", t.received());
        frames.put("lost", t.lost());
        frames.put("heldAtHangUp", t.held());
        frames.put("lostCallerToGateway", t.lostToGateway());
        frames.put("lostGatewayToCaller", t.lostFromGateway());
        frames.put("unpaired", t.unpaired());
        frames.put("ringOverrun", t.overrun());
        frames.put("latenciesClamped", t.clamped());
        json.set("roundTripUs", ResultJson.percentiles(mapper, roundTrip));
        json.set("heardUs", ResultJson.percentiles(mapper, heard));
        json.set("roundTripAboveBacklogUs", ResultJson.percentiles(mapper, aboveBacklog));
        json.set("finalRoundTripPerCallUs", ResultJson.percentiles(mapper, finalRoundTrip));
        json.set("generatorSendLagUs", ResultJson.percentiles(mapper, sendLag));
        final ObjectNode own = json.putObject("gatewayReported");
        if (gateway != null) {
            own.put("source", "the gateway's node-wide latency recorders (HdrHistogram, µs, as /metrics exports them), differenced over the"
                + " measured run");
            synchronized (this) {
                own.put("callsReported", gatewayCallsReported);
                own.put("framesDropped", gatewayFramesDropped);
                ResultJson.gatewayLatency(own, mapper, gateway.metrics().latencyUs("twilio"), gatewayLatencyBefore);
            }
        } else if (m.latencyBefore != null && m.latencyAfter != null) {
            own.put("source", "the gateway's /metrics summaries voxgate_gateway_latency_{inbound,outbound}_seconds: count and mean"
                + " are this run's (differenced); the quantiles are over every call the gateway ended since it started (it exports"
                + " quantiles, not buckets, so they cannot be differenced)");
            own.set("inboundUs", externalLatency(mapper, m.latencyBefore[0], m.latencyAfter[0]));
            own.set("outboundUs", externalLatency(mapper, m.latencyBefore[1], m.latencyAfter[1]));
        }
        if (m.bargeInCalls > 0) {
            final ObjectNode barge = json.putObject("bargeIn");
            barge.put("calls", m.bargeInCalls);
            barge.put("method", "speech onset (the caller's first interrupting frame sent) to Twilio clear received, and to the"
                + " last frame of the interrupted turn received; tones " + BargeInScript.INTO_REPLAY_MS + " ms into the parrot's replay");
            barge.put("bargeIns", bargeIns.bargeIns());
            barge.put("withoutClear", bargeIns.withoutClear());
            barge.put("notOverReplay", bargeIns.notOverReplay());
            barge.set("onsetToClearUs", ResultJson.percentiles(mapper, bargeIns.clearUs()));
            barge.set("onsetToOldTurnEndUs", ResultJson.percentiles(mapper, bargeIns.oldTurnEndUs()));
            final ObjectNode back = barge.putObject("backchannels");
            back.put("method", "a " + BargeInScript.BACKCHANNEL_MS + " ms mm-hm at -20 dBFS " + BargeInScript.INTO_REPLAY_MS
                + " ms into the parrot's replay; heard = bytes received in its part of the cycle less what each clear dropped"
                + " (Twilio's buffer modelled at real time), over the replay's " + BargeInScript.REPLAY_MS + " ms, per mille");
            back.put("count", bargeIns.backchannels());
            back.put("paused", bargeIns.backchannelsCleared());
            back.put("resumed", bargeIns.backchannelsResumed());
            back.set("onsetToClearUs", ResultJson.percentiles(mapper, bargeIns.backchannelClearUs()));
            back.set("heardPerMille", ResultJson.percentiles(mapper, bargeIns.backchannelHeardPerMille()));
            if (gateway != null) {
                synchronized (this) {
                    final ObjectNode reported = barge.putObject("gatewayReported");
                    reported.put("pauses", gatewayBargeInPauses);
                    reported.put("resumed", gatewayBargeInsResumed);
                    reported.put("confirmed", gatewayBargeIns);
                    reported.put("audioResumedMs", gatewayAudioResumedMs);
                }
            }
        }
        ResultJson.resources(json, new ResultJson.Scope(external, options.externalPid().isPresent()),
            new ResultJson.LiveHeap(m.liveHeapBefore, m.liveHeapSteady, m.liveHeapAfter), m.before, m.after, m.windowStart, m.windowEnd,
            m.activeInWindow);
        final ObjectNode soak = json.putObject("soak");
        soak.put("sampleIntervalSeconds", SoakMonitor.INTERVAL_SECONDS);
        soak.put("registryAtEnd", m.registryAtEnd);
        SoakVerdict verdict = null;
        if (options.sustained()) {
            verdict = SoakVerdict.judge(m.samples, options.durationSeconds(), t.calls() / Math.max(1e-9, m.runSeconds / 60),
                m.registryAtEnd);
            soak.set("flatness", verdict.toJson(mapper));
        }
        final ArrayNode series = soak.putArray("samples");
        for (final SoakSample s : m.samples) {
            final ObjectNode n = series.addObject();
            n.put("seconds", Math.round(s.seconds() * 10) / 10.0);
            n.put("activeCalls", s.activeCalls());
            n.put("heapUsedBytes", s.heapUsedBytes());
            n.put("heapAfterGcBytes", s.heapAfterGcBytes());
            n.put("directUsedBytes", s.directUsedBytes());
            n.put("rssBytes", s.rssBytes());
        }
        ResultJson.gc(json, jvm, external ? "generator JVM only (the gateway's are under gatewayGc)" : "whole JVM");
        if (external) {
            final ObjectNode gatewayGc = json.putObject("gatewayGc");
            if (m.gatewayGcLog != null) {
                gatewayGc.put("source", options.externalGcLog().get() + " (lines appended during the run, forced collections included)");
                gatewayGc.put("pauses", m.gatewayGcLog.pauses());
                gatewayGc.put("pauseMaxMs", m.gatewayGcLog.maxMs());
                gatewayGc.put("pauseTotalMs", m.gatewayGcLog.totalMs());
                gatewayGc.put("pausesOver1Ms", m.gatewayGcLog.over1Ms());
                gatewayGc.put("pausesOver5Ms", m.gatewayGcLog.over5Ms());
            } else {
                gatewayGc.put("source", m.gatewayGcLogError != null ? "unreadable: " + m.gatewayGcLogError
                    : "not visible: give --external-gc-log FILE and start the gateway with VOXGATE_JAVA_OPTS='-Xlog:gc*:file=FILE'");
            }
        }

        mapper.writeValue(options.out().resolve("result.json").toFile(), json);
        if (roundTrip.getTotalCount() > 0) {
            LatencyPlot.write(options.out().resolve("latency.png"), roundTrip,
                String.format(Locale.ROOT, "Voxgate echo round trip, %d Twilio calls, %s", options.calls(), options.agentFormat()));
        }
        if (!m.samples.isEmpty()) {
            MemoryPlot.write(options.out().resolve("memory.png"), m.samples, String.format(Locale.ROOT,
                "Voxgate memory, %d Twilio calls of %d s%s, %s", options.calls(), options.holdSeconds(),
                options.sustained() ? " kept up " + options.durationSeconds() + " s" : "", external ? "external gateway" : "in-process"));
        }
        printSummary(json);
        return new LoadResult((int) t.calls(), (int) t.ok(), t.sent(), t.received(), t.lost(), t.held(), t.unpaired(), roundTrip, setup,
            verdict != null && verdict.failed(), json);
    }

    /** Count and mean of this run from differenced summaries, and the gateway's lifetime quantiles, in µs. */
    private static ObjectNode externalLatency(final ObjectMapper mapper, final double[] before, final double[] after) {
        final ObjectNode node = mapper.createObjectNode();
        final double count = after[0] - before[0];
        node.put("count", Double.isNaN(count) ? -1 : Math.round(count));
        if (count > 0) {
            node.put("mean", Math.round((after[1] - before[1]) / count * 1e6));
        }
        final String[] names = {"p50", "p90", "p99", "p99.9"};
        for (int i = 0; i < names.length; i++) {
            if (!Double.isNaN(after[2 + i])) {
                node.put(names[i] + "SinceStart", Math.round(after[2 + i] * 1e6));
            }
        }
        return node;
    }

    private void printSummary(final ObjectNode json) {
        out.printf(Locale.ROOT, "machine     %d processors, load average %.2f at the end%n", Runtime.getRuntime().availableProcessors(),
            json.get("run").get("loadAverageAtEnd").asDouble());
        final ObjectNode calls = (ObjectNode) json.get("calls");
        final ObjectNode frames = (ObjectNode) json.get("frames");
        final ObjectNode rt = (ObjectNode) json.get("roundTripUs");
        final ObjectNode setup = (ObjectNode) calls.get("setupUs");
        out.printf(Locale.ROOT, "calls       placed %d, ok %d, failed %d%n", calls.get("placed").asLong(), calls.get("ok").asLong(),
            calls.get("failed").asLong());
        calls.get("errors").forEach(e -> out.println("            error: " + e.asText()));
        out.printf(Locale.ROOT, "setup       p50 %.1f ms, p99 %.1f ms (webhook POST to first echoed media)%n",
            setup.path("p50").asLong() / 1e3, setup.path("p99").asLong() / 1e3);
        out.printf(Locale.ROOT, "frames      sent %d, received %d, lost %d, unpaired %d, still queued for paced playout at hang-up %d%n",
            frames.get("sent").asLong(), frames.get("received").asLong(), frames.get("lost").asLong(), frames.get("unpaired").asLong(),
            frames.get("heldAtHangUp").asLong());
        if (rt.get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "round trip  p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms over %d frames%n",
                rt.get("p50").asLong() / 1e3, rt.get("p99").asLong() / 1e3, rt.get("p99.9").asLong() / 1e3,
                rt.get("max").asLong() / 1e3, rt.get("count").asLong());
        }
        final ObjectNode asHeard = (ObjectNode) json.get("heardUs");
        if (asHeard.get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "as heard    p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (sent to played at the caller's"
                + " real-time playout)%n", asHeard.get("p50").asLong() / 1e3, asHeard.get("p99").asLong() / 1e3,
                asHeard.get("p99.9").asLong() / 1e3, asHeard.get("max").asLong() / 1e3);
        }
        final ObjectNode above = (ObjectNode) json.get("roundTripAboveBacklogUs");
        if (above.get("count").asLong() > 0) {
            out.printf(Locale.ROOT,
                "  - backlog p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (round trip less its call's pacing backlog)%n",
                above.get("p50").asLong() / 1e3, above.get("p99").asLong() / 1e3, above.get("p99.9").asLong() / 1e3,
                above.get("max").asLong() / 1e3);
        }
        final ObjectNode lag = (ObjectNode) json.get("generatorSendLagUs");
        final ObjectNode last = (ObjectNode) json.get("finalRoundTripPerCallUs");
        if (last.get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "last frame  p50 %.2f ms, p99 %.2f ms, max %.2f ms (per call: pacing backlog at the end)%n",
                last.get("p50").asLong() / 1e3, last.get("p99").asLong() / 1e3, last.get("max").asLong() / 1e3);
        }
        if (lag.get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "send lag    p50 %.2f ms, p99 %.2f ms, max %.2f ms (generator behind its 20 ms schedule)%n",
                lag.get("p50").asLong() / 1e3, lag.get("p99").asLong() / 1e3, lag.get("max").asLong() / 1e3);
        }
        final ObjectNode own = (ObjectNode) json.get("gatewayReported");
        for (final String direction : new String[] {"inbound", "outbound"}) {
            final ObjectNode d = (ObjectNode) own.get(direction + "Us");
            if (d == null || d.path("count").asLong() <= 0) {
                continue;
            }
            if (d.has("p50")) {
                out.printf(Locale.ROOT, "%-11s p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms over %d frames (gateway-added, %s)%n",
                    direction, d.get("p50").asLong() / 1e3, d.get("p99").asLong() / 1e3, d.get("p99.9").asLong() / 1e3,
                    d.get("max").asLong() / 1e3, d.get("count").asLong(), "inbound".equals(direction) ? "caller to agent"
                        : "agent to caller, pacing excluded");
            } else {
                out.printf(Locale.ROOT, "%-11s mean %.3f ms over %d frames this run; since the gateway started p50 %.3f ms, p99 %.3f ms,"
                    + " p99.9 %.3f ms (gateway-added, its /metrics)%n", direction, d.path("mean").asLong() / 1e3, d.get("count").asLong(),
                    d.path("p50SinceStart").asLong() / 1e3, d.path("p99SinceStart").asLong() / 1e3,
                    d.path("p99.9SinceStart").asLong() / 1e3);
            }
        }
        final ObjectNode barge = (ObjectNode) json.get("bargeIn");
        if (barge != null) {
            final ObjectNode clear = (ObjectNode) barge.get("onsetToClearUs");
            final ObjectNode end = (ObjectNode) barge.get("onsetToOldTurnEndUs");
            out.printf(Locale.ROOT, "barge-in    %d over the replay on %d calls, %d without a clear, %d found the parrot silent%n",
                barge.get("bargeIns").asLong(), barge.get("calls").asLong(), barge.get("withoutClear").asLong(),
                barge.get("notOverReplay").asLong());
            if (clear.get("count").asLong() > 0) {
                out.printf(Locale.ROOT, "            onset to clear p50 %.1f ms, p99 %.1f ms, max %.1f ms; to the old turn's last frame"
                    + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", clear.get("p50").asLong() / 1e3, clear.get("p99").asLong() / 1e3,
                    clear.get("max").asLong() / 1e3, end.path("p50").asLong() / 1e3, end.path("p99").asLong() / 1e3,
                    end.path("max").asLong() / 1e3);
            }
            final ObjectNode back = (ObjectNode) barge.get("backchannels");
            final ObjectNode backClear = (ObjectNode) back.get("onsetToClearUs");
            final ObjectNode heard = (ObjectNode) back.get("heardPerMille");
            out.printf(Locale.ROOT, "backchannel %d over the replay, %d paused, %d resumed; onset to clear p50 %.1f ms, p99 %.1f ms;"
                + " replay heard p50 %.1f %%, min %.1f %%, max %.1f %%%n", back.get("count").asLong(), back.get("paused").asLong(),
                back.get("resumed").asLong(), backClear.path("p50").asLong() / 1e3, backClear.path("p99").asLong() / 1e3,
                heard.path("p50").asLong() / 10.0, heard.path("min").asLong() / 10.0, heard.path("max").asLong() / 10.0);
            final ObjectNode reported = (ObjectNode) barge.get("gatewayReported");
            if (reported != null) {
                out.printf(Locale.ROOT, "            gateway: %d pauses, %d resumed (%d ms of turns kept), %d barge-ins confirmed%n",
                    reported.get("pauses").asLong(), reported.get("resumed").asLong(), reported.get("audioResumedMs").asLong(),
                    reported.get("confirmed").asLong());
            }
        }
        ResultJson.printResources(out, json, "simulator threads");
        final ObjectNode gatewayGc = (ObjectNode) json.get("gatewayGc");
        if (gatewayGc != null && gatewayGc.has("pauses")) {
            out.printf(Locale.ROOT, "gateway gc  %d pauses, max %.3f ms, total %.1f ms, %d over 1 ms, %d over 5 ms (its GC log)%n",
                gatewayGc.get("pauses").asLong(), gatewayGc.get("pauseMaxMs").asDouble(), gatewayGc.get("pauseTotalMs").asDouble(),
                gatewayGc.get("pausesOver1Ms").asLong(), gatewayGc.get("pausesOver5Ms").asLong());
        } else if (gatewayGc != null) {
            out.println("gateway gc  " + gatewayGc.get("source").asText());
        }
        final ObjectNode soak = (ObjectNode) json.get("soak");
        final ObjectNode flat = (ObjectNode) soak.get("flatness");
        if (flat != null) {
            out.printf(Locale.ROOT, "soak        %s: %s%n", flat.get("verdict").asText().toUpperCase(Locale.ROOT),
                flat.get("reason").asText());
            out.printf(Locale.ROOT, "            heap after GC %s KiB/min (limit %d), direct %s KiB/min (limit %d) over the second half;"
                + " heap after GC first/last minute %.1f/%.1f MiB; registry at the end %d%n",
                kib(flat.get("heapAfterGcSlopeBytesPerMin")), flat.get("thresholds").get("heapSlopeLimitBytesPerMin").asLong() / 1_024,
                kib(flat.get("directSlopeBytesPerMin")), flat.get("thresholds").get("directSlopeLimitBytesPerMin").asLong() / 1_024,
                flat.get("heapAfterGcFirstMinuteMeanBytes").asLong() / 1048576.0,
                flat.get("heapAfterGcLastMinuteMeanBytes").asLong() / 1048576.0,
                flat.get("registryAtEnd").asLong());
        } else {
            out.printf(Locale.ROOT, "registry    %d calls left at the end; %d memory samples%n", soak.get("registryAtEnd").asLong(),
                soak.get("samples").size());
        }
        out.printf(Locale.ROOT, "result      %s%n", options.out().resolve("result.json"));
    }

    private static String kib(final JsonNode bytes) {
        return bytes == null || bytes.isNull() ? "?" : String.format(Locale.ROOT, "%.1f", bytes.asDouble() / 1_024);
    }

    /** Parks the calling thread until {@code deadlineNs} ({@code System.nanoTime}); returns at once when it has passed. */
    static void parkUntil(final long deadlineNs) {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
