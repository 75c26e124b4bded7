package io.voxgate.benchmarks.load;

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
import io.voxgate.websocket.twilio.simulator.CallPlan;
import io.voxgate.websocket.twilio.simulator.SimulatedAudio;
import io.voxgate.websocket.twilio.simulator.SimulatedCallResult;
import io.voxgate.websocket.twilio.simulator.TwilioCallSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code benchmarks/load.sh}: places N simulated Twilio Media Streams calls on a gateway at a ramp rate, holds them,
 * and reports per frame the round trip through the gateway (echo agent), frames lost, call setup time, calls ok or
 * failed, and the gateway's CPU, heap, direct memory and GC pauses, per call where meaningful. Writes
 * {@code result.json} and {@code latency.png} to the output directory and a summary to stdout.
 *
 * <p>In-process mode (default) starts the gateway in this JVM, bound to 127.0.0.1: generator and gateway share the
 * machine, the JVM, its heap and its collector. CPU is split by thread (gateway {@code voxgate-*}, simulator
 * {@code twilio-simulator-*}, the rest being GC, JIT and this control thread); heap figures include the simulator's
 * own per-call state (its playout buffer and the recording of what each caller heard, 8 bytes per ms). With
 * {@code --external-port} the gateway runs in its own process and only its own figures are reported (heap and direct
 * memory from its {@code /metrics}, CPU from {@code /proc} with {@code --external-pid}).
 *
 * <p>Latency is recorded from the first call to the end of the steady window, where the generator forces a collection
 * to measure the live heap (on two cores even ZGC's concurrent cycle stalls the event loops for hundreds of ms); the
 * calls then run to their end and every frame still counts for loss.
 *
 * <p>Lost frames: sent and never echoed, per call, less the frames the gateway reports it still held in its paced
 * outbound queue at hang-up (the caller hangs up right after its last frame, so an echo running late by a stall's
 * excess over the outbound lead is cut off; those are reported apart). In-process, loss is also split by direction from
 * the gateway's own per-call counts, so a frame lost on a socket is told from one dropped inside.
 *
 * <p>What the round trip includes: caller-side WebSocket send, the gateway's inbound decode, transcoding and hand-off,
 * the echo agent (which takes no time), the outbound transcoding, pacing queue and send, and the caller-side receive.
 * Both event loops' scheduling delays are in it, so on a loaded shared machine it is an upper bound of the gateway's
 * share. The gateway's own per-direction figures (from its call reports) are reported next to it in-process.
 *
 * <p>Threading: {@link #run} on one control thread; calls run on the simulator's event loops, the gateway on its own.
 */
public final class LoadGenerator {
    private static final long NS_PER_S = 1_000_000_000L;
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    private static final int TONE_HZ = 440;
    private static final int TONE_AMPLITUDE = 8_000;
    private static final int MAX_ERRORS_KEPT = 20;

    private final LoadOptions options;
    private final PrintStream out;
    private GatewayMetrics.EdgeLatency gatewayLatencyBefore;
    private final Map<String, GatewayCallFigures> gatewayCalls = new ConcurrentHashMap<>();
    private long gatewayCallsReported;
    private long gatewayFramesDropped;

    /** What the gateway counted on one call when it ended (in-process only). */
    private record GatewayCallFigures(long framesFromCaller, long framesToCaller, long framesHeldAtHangUp) {
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
        Files.createDirectories(options.out());
        final boolean external = options.externalPort().isPresent();
        final int port = external ? options.externalPort().getAsInt()
            : options.gatewayPort() == 0 ? freeLoopbackPort() : options.gatewayPort();
        final String url = "http://127.0.0.1:" + port;
        final String token = external ? System.getenv(Secrets.TWILIO_AUTH_TOKEN)
            : HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try (JvmResources jvm = new JvmResources();
             Gateway gateway = external ? null : startGateway(port, url, token)) {
            final ExternalGatewayResources remote = external ? new ExternalGatewayResources(port, options.externalPid()) : null;
            final EchoLatencyProbe probe = new EchoLatencyProbe("echo".equals(options.agent()));
            try (TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", port).publicUrl(url)
                .authToken(token == null || token.isBlank() ? null : token).threads(options.simulatorThreads()).listener(probe)
                .strict(false).playoutBufferMs(1_000).closeTimeoutMs(10_000).build()) {
                return drive(simulator, probe, jvm, remote, gateway);
            }
        }
    }

    private Gateway startGateway(final int port, final String url, final String token) {
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, options.agent());
        flags.put(GatewayOption.AGENT_FORMAT, options.agentFormat());
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(Math.max(1_000, options.calls())));
        final GatewayConfig config = GatewayConfig.load(flags, null, Map.of(Secrets.TWILIO_AUTH_TOKEN, token));
        return Gateway.start(config, url, Secrets.forLocalRun(token), this::onCallReport);
    }

    private synchronized void onCallReport(final String callId, final String edge, final CallStats stats) {
        gatewayCallsReported++;
        gatewayCalls.put(callId, new GatewayCallFigures(stats.framesFromCaller(), stats.framesToCaller(),
            stats.framesDroppedAtEnd() + stats.framesDroppedEnded()));
        gatewayFramesDropped += stats.framesDroppedPreConnect() + stats.framesDroppedNotConnected() + stats.framesDroppedEnded()
            + stats.framesDroppedAtEnd() + stats.framesDroppedOverflow();
    }

    private LoadResult drive(final TwilioCallSimulator simulator, final EchoLatencyProbe probe, final JvmResources jvm,
                             final ExternalGatewayResources remote, final Gateway gateway) throws IOException, InterruptedException {
        final SimulatedAudio audio = SimulatedAudio.tone(TONE_HZ, options.holdSeconds() * 1_000, TONE_AMPLITUDE);
        out.printf(Locale.ROOT, "load: %d calls at %d/s, %d s each, agent %s (%s), gateway %s on 127.0.0.1:%d%n",
            options.calls(), options.rampPerSecond(), options.holdSeconds(), options.agent(), options.agentFormat(),
            remote == null ? "in-process" : "external", portOf(gateway, options));

        if (options.warmupSeconds() > 0) {
            warmUp(simulator, gateway);
        }
        // After the warm-up: the JIT's and Netty's one-off growth (arena chunks, caches) is not per-call cost.
        final long liveHeapBefore = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        final ResourceSnapshot before = snapshot(jvm, remote);
        final long[] countersBefore = remote == null ? null : remote.frameCounters();
        final int expectedFrames = (options.holdSeconds() * 1_000 + options.tailMs()) / 20 + 50;
        final List<CompletableFuture<SimulatedCallResult>> running = new ArrayList<>(options.calls());
        final List<EchoLatencyProbe.CallProbe> probes = new ArrayList<>(options.calls());
        final long startNs = System.nanoTime();
        for (int i = 0; i < options.calls(); i++) {
            parkUntil(startNs + i * NS_PER_S / options.rampPerSecond());
            final CallPlan plan = CallPlan.builder().audio(audio).listenAfterMs(options.tailMs()).build();
            probes.add(probe.register(plan.callSid(), System.nanoTime(), expectedFrames));
            running.add(simulator.call(plan));
        }
        final long rampEndNs = System.nanoTime();

        // Steady window: every call placed and none yet ending; one second of settling after the ramp.
        final long windowStartNs = rampEndNs + NS_PER_S;
        final long windowEndNs = startNs + options.holdSeconds() * NS_PER_S - NS_PER_S / 2;
        ResourceSnapshot windowStart = null;
        ResourceSnapshot windowEnd = null;
        long activeInWindow = 0;
        long liveHeapSteady = -1;
        if (windowEndNs - windowStartNs >= NS_PER_S) {
            parkUntil(windowStartNs);
            windowStart = snapshot(jvm, remote);
            activeInWindow = running.stream().filter(f -> !f.isDone()).count();
            parkUntil(windowEndNs);
            windowEnd = snapshot(jvm, remote);
            probe.stopRecording(System.nanoTime());
            liveHeapSteady = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        } else {
            out.println("load: no steady window (hold time not longer than the ramp plus 1.5 s): no per-call CPU or heap");
        }

        final long deadlineNs = rampEndNs + (options.holdSeconds() + 30L) * NS_PER_S + options.tailMs() * 1_000_000L;
        final List<SimulatedCallResult> results = new ArrayList<>(running.size());
        int timedOut = 0;
        for (final CompletableFuture<SimulatedCallResult> call : running) {
            try {
                results.add(call.get(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (final TimeoutException ex) {
                timedOut++;
                results.add(null);
            } catch (final ExecutionException ex) {
                throw new IllegalStateException("the simulator completed a call exceptionally", ex);
            }
        }
        awaitNoCalls(gateway);
        long[] counterDeltas = null;
        if (remote != null) {
            remote.awaitNoCalls(10_000);
            final long[] countersAfter = remote.frameCounters();
            counterDeltas = new long[countersAfter.length];
            for (int i = 0; i < countersAfter.length; i++) {
                counterDeltas[i] = countersAfter[i] < 0 || countersBefore[i] < 0 ? -1 : countersAfter[i] - countersBefore[i];
            }
        }
        final ResourceSnapshot after = snapshot(jvm, remote);
        final long liveHeapAfter = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        return report(probe, probes, results, timedOut, jvm, counterDeltas, before, after, windowStart, windowEnd, activeInWindow,
            liveHeapBefore, liveHeapSteady, liveHeapAfter, gateway);
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

    private LoadResult report(final EchoLatencyProbe probe, final List<EchoLatencyProbe.CallProbe> probes,
                              final List<SimulatedCallResult> results, final int timedOut, final JvmResources jvm,
                              final long[] counterDeltas,
                              final ResourceSnapshot before, final ResourceSnapshot after, final ResourceSnapshot windowStart,
                              final ResourceSnapshot windowEnd,
                              final long activeInWindow, final long liveHeapBefore, final long liveHeapSteady, final long liveHeapAfter,
                              final Gateway gateway) throws IOException {
        final boolean echo = "echo".equals(options.agent());
        final boolean external = gateway == null;
        long sent = 0;
        long received = 0;
        long lost = 0;
        long held = 0;
        long lostToGateway = 0;
        long lostFromGateway = 0;
        long unpaired = 0;
        long overrun = 0;
        long clamped = 0;
        int ok = 0;
        final List<String> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            final SimulatedCallResult r = results.get(i);
            final EchoLatencyProbe.CallProbe p = probes.get(i);
            if (r != null) {
                p.finish();
            }
            sent += p.framesSent();
            received += p.framesReceived();
            final GatewayCallFigures g = r == null ? null : gatewayCalls.get(r.callSid());
            if (g != null) {
                lostToGateway += Math.max(0, p.framesSent() - g.framesFromCaller());
                lostFromGateway += Math.max(0, g.framesToCaller() - p.framesReceived());
            }
            if (echo) {
                final long heldHere = g == null ? 0 : Math.min(g.framesHeldAtHangUp(), Math.max(0, p.framesSent() - p.framesReceived()));
                held += heldHere;
                lost += Math.max(0, p.framesSent() - p.framesReceived() - heldHere);
                unpaired += p.framesUnpaired();
                overrun += p.framesOverrun();
                clamped += p.latenciesClamped();
            }
            if (r != null && r.ok() && p.answered()) {
                ok++;
            } else if (errors.size() < MAX_ERRORS_KEPT) {
                errors.add(r == null ? "call did not finish in time"
                    : r.error() != null ? r.error() : "close " + r.closeCode() + " " + r.closeReason() + ", violations "
                    + r.protocolViolations() + ", answered " + p.answered());
            }
        }
        if (counterDeltas != null) {
            // External: no per-call figures from the gateway, so the split comes from its counters over the run.
            lostToGateway = counterDeltas[0] < 0 ? -1 : Math.max(0, sent - counterDeltas[0]);
            lostFromGateway = counterDeltas[1] < 0 ? -1 : Math.max(0, counterDeltas[1] - received);
            if (echo && counterDeltas[2] >= 0) {
                held = Math.min(counterDeltas[2], lost);
                lost -= held;
            }
        }
        final Histogram roundTrip = probe.roundTripUs();
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
        run.put("tailMs", options.tailMs());
        run.put("agent", options.agent());
        run.put("agentFormat", options.agentFormat());
        run.put("simulatorThreads", options.simulatorThreads());
        run.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        run.put("javaVersion", System.getProperty("java.version"));
        run.put("jvmArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        run.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        final ObjectNode callsNode = json.putObject("calls");
        callsNode.put("placed", results.size());
        callsNode.put("ok", ok);
        callsNode.put("failed", results.size() - ok);
        callsNode.put("timedOut", timedOut);
        final ArrayNode errorsNode = callsNode.putArray("errors");
        errors.forEach(errorsNode::add);
        callsNode.set("setupUs", percentiles(mapper, setup));
        final ObjectNode frames = json.putObject("frames");
        frames.put("sent", sent);
        frames.put("received", received);
        frames.put("lost", lost);
        frames.put("heldAtHangUp", held);
        frames.put("lostCallerToGateway", lostToGateway);
        frames.put("lostGatewayToCaller", lostFromGateway);
        frames.put("unpaired", unpaired);
        frames.put("ringOverrun", overrun);
        frames.put("latenciesClamped", clamped);
        json.set("roundTripUs", percentiles(mapper, roundTrip));
        json.set("roundTripAboveBacklogUs", percentiles(mapper, aboveBacklog));
        json.set("finalRoundTripPerCallUs", percentiles(mapper, finalRoundTrip));
        json.set("generatorSendLagUs", percentiles(mapper, sendLag));
        if (gateway != null) {
            final ObjectNode own = json.putObject("gatewayReported");
            synchronized (this) {
                own.put("callsReported", gatewayCallsReported);
                own.put("framesDropped", gatewayFramesDropped);
                // The node's own full-precision latency since the warm-up (or the start), as /metrics exports it.
                final GatewayMetrics.EdgeLatency now = gateway.metrics().latencyUs("twilio");
                final Histogram inboundUs = now.inboundUs();
                final Histogram outboundUs = now.outboundUs();
                if (gatewayLatencyBefore != null) {
                    inboundUs.subtract(gatewayLatencyBefore.inboundUs());
                    outboundUs.subtract(gatewayLatencyBefore.outboundUs());
                }
                own.set("inboundUs", percentiles(mapper, inboundUs));
                own.set("outboundUs", percentiles(mapper, outboundUs));
            }
        }
        final ObjectNode resources = json.putObject("resources");
        resources.put("scope", external ? "gateway process" : "whole JVM: gateway and generator");
        resources.put("liveHeapMethod", !external ? "System.gc() in this JVM"
            : options.externalPid().isPresent() ? "jcmd GC.run, then /metrics" : "/metrics heap in use (not after a collection)");
        resources.put("liveHeapBeforeBytes", liveHeapBefore);
        resources.put("liveHeapSteadyBytes", liveHeapSteady);
        resources.put("liveHeapAfterBytes", liveHeapAfter);
        resources.put("directBeforeBytes", before.directUsedBytes());
        resources.put("directAfterBytes", after.directUsedBytes());
        resources.put("activeCallsInWindow", activeInWindow);
        if (windowStart != null && activeInWindow > 0) {
            final double seconds = (windowEnd.wallNs() - windowStart.wallNs()) / (double) NS_PER_S;
            resources.put("windowSeconds", seconds);
            resources.put("directSteadyBytes", windowEnd.directUsedBytes());
            putCores(resources, "process", windowStart.processCpuNs(), windowEnd.processCpuNs(), seconds, activeInWindow);
            if (!external) {
                putCores(resources, "gatewayThreads", windowStart.gatewayThreadCpuNs(), windowEnd.gatewayThreadCpuNs(), seconds,
                    activeInWindow);
                putCores(resources, "generatorThreads", windowStart.generatorThreadCpuNs(), windowEnd.generatorThreadCpuNs(), seconds,
                    activeInWindow);
            }
            if (liveHeapSteady >= 0 && liveHeapBefore >= 0) {
                resources.put("heapPerCallBytes", (liveHeapSteady - liveHeapBefore) / activeInWindow);
            }
            if (windowEnd.directUsedBytes() >= 0 && before.directUsedBytes() >= 0) {
                resources.put("directPerCallBytes", (windowEnd.directUsedBytes() - before.directUsedBytes()) / activeInWindow);
            }
        }
        final ObjectNode gc = json.putObject("gc");
        gc.put("scope", external ? "generator JVM only (the gateway's pauses are not visible from outside)" : "whole JVM");
        final ArrayNode collectors = gc.putArray("collectors");
        jvm.collectors().forEach(collectors::add);
        gc.put("pauses", jvm.pauses());
        gc.put("pauseMaxMs", jvm.pauseMaxMs());
        gc.put("pauseTotalMs", jvm.pauseTotalMs());
        gc.put("requestedCollections", jvm.requestedCollections());

        mapper.writeValue(options.out().resolve("result.json").toFile(), json);
        if (roundTrip.getTotalCount() > 0) {
            LatencyPlot.write(options.out().resolve("latency.png"), roundTrip,
                String.format(Locale.ROOT, "Voxgate echo round trip, %d Twilio calls, %s", options.calls(), options.agentFormat()));
        }
        printSummary(json);
        return new LoadResult(results.size(), ok, sent, received, lost, held, unpaired, roundTrip, setup, json);
    }

    private static void putCores(final ObjectNode node, final String name, final long startNs, final long endNs, final double seconds,
                                 final long calls) {
        if (startNs < 0 || endNs < 0) {
            return;
        }
        final double cores = (endNs - startNs) / (double) NS_PER_S / seconds;
        node.put(name + "Cores", cores);
        node.put(name + "PercentOfCorePerCall", 100 * cores / calls);
    }

    private static ObjectNode percentiles(final ObjectMapper mapper, final Histogram h) {
        final ObjectNode node = mapper.createObjectNode();
        node.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return node;
        }
        node.put("min", h.getMinValue());
        node.put("mean", Math.round(h.getMean()));
        for (final double p : PERCENTILES) {
            node.put(p == 100 ? "max" : "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)),
                p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p));
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
        final ObjectNode res = (ObjectNode) json.get("resources");
        final ObjectNode gc = (ObjectNode) json.get("gc");
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
        if (own != null && own.get("inboundUs").get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "gateway     inbound p50/p99 %d/%d us, outbound p50/p99 %d/%d us (its own figures)%n",
                own.get("inboundUs").get("p50").asLong(), own.get("inboundUs").get("p99").asLong(),
                own.get("outboundUs").get("p50").asLong(), own.get("outboundUs").get("p99").asLong());
        }
        if (res.has("processCores")) {
            out.printf(Locale.ROOT, "cpu         %.2f cores for %d calls = %.3f %% of a core per call (%s)%n",
                res.get("processCores").asDouble(), res.get("activeCallsInWindow").asLong(),
                res.get("processPercentOfCorePerCall").asDouble(), res.get("scope").asText());
        }
        if (res.has("gatewayThreadsCores")) {
            out.printf(Locale.ROOT, "            gateway threads %.2f cores (%.3f %%/call), simulator threads %.2f cores%n",
                res.get("gatewayThreadsCores").asDouble(), res.get("gatewayThreadsPercentOfCorePerCall").asDouble(),
                res.get("generatorThreadsCores").asDouble());
        }
        if (res.has("heapPerCallBytes")) {
            out.printf(Locale.ROOT, "heap        live %.1f MiB before, %.1f MiB steady, %.1f MiB after; %.1f KiB per call%n",
                res.get("liveHeapBeforeBytes").asLong() / 1048576.0, res.get("liveHeapSteadyBytes").asLong() / 1048576.0,
                res.get("liveHeapAfterBytes").asLong() / 1048576.0, res.get("heapPerCallBytes").asLong() / 1024.0);
        }
        if (res.has("directPerCallBytes")) {
            out.printf(Locale.ROOT, "direct      %.1f MiB steady, %.1f KiB per call%n", res.get("directSteadyBytes").asLong() / 1048576.0,
                res.get("directPerCallBytes").asLong() / 1024.0);
        }
        out.printf(Locale.ROOT, "gc          %d pauses, max %d ms, total %d ms (%s)%n", gc.get("pauses").asLong(),
            gc.get("pauseMaxMs").asLong(), gc.get("pauseTotalMs").asLong(), gc.get("scope").asText());
        out.printf(Locale.ROOT, "result      %s%n", options.out().resolve("result.json"));
    }

    private static void parkUntil(final long deadlineNs) {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
