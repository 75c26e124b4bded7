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
import io.voxgate.benchmarks.load.sip.PcmuTone;
import io.voxgate.benchmarks.load.sip.SipCallOutcome;
import io.voxgate.benchmarks.load.sip.SipLoadClient;
import io.voxgate.core.call.CallStats;
import io.voxgate.core.jitter.JitterBufferConfig;
import io.voxgate.sip.srtp.SrtpCryptoSuite;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * {@code benchmarks/load.sh --edge sip}: places SIP/RTP calls on the gateway's SIP edge with the built-in UAC
 * ({@link SipLoadClient}), streams a PCMU tone on each, and reports per frame the round trip through the gateway
 * and the echo agent, tone frames lost beyond the gateway's counted jitter buffer late-drops, call setup (INVITE to
 * 200 OK, INVITE to first RTP), the achieved setup rate, failures by status, and the gateway's CPU, heap, direct
 * memory and GC pauses per call. Writes {@code result.json} (the Twilio run's shape where it applies, plus
 * {@code edge: "sip"}) and {@code latency.png}.
 *
 * <p>What the round trip includes: our send, the gateway's RTP receive, its jitter buffer's playout delay (by
 * design: RTP from a real trunk needs it; its configured delays are reported next to the figures), the 20 ms
 * playout tick's phase, transcoding to the agent format and back, the echo agent, the paced send tick, and our
 * receive. So it is not the gateway's processing time: that is {@code gatewayReported} (in-process).
 *
 * <p>Loss: tone frames sent, less the non-silent frames received (see
 * {@link io.voxgate.benchmarks.load.sip.SilenceDetector}), less the packets the gateway's jitter buffers counted as
 * dropped over the run: late-drops ({@code voxgate_rtp_packets_late_total}) and flushes
 * ({@code voxgate_rtp_packets_flushed_total}; while speech plays the adaptive buffer lowers its delay by dropping one
 * received frame, so a steady stream loses about one frame per call as the delay settles from its initial 40 ms
 * towards its 20 ms floor); plus every packet the gateway saw go missing ({@code voxgate_rtp_packets_lost_total}),
 * since the frame it conceals in its place repeats tone and would otherwise pass for an echo. Playout ticks the gateway
 * skipped ({@code voxgate_rtp_ticks_skipped_total}: a media loop more than three frames behind real time resynchronises
 * and drops one received frame per skipped tick) are a counted drop of CPU starvation, not of the jitter buffer: they are
 * taken off the balance too and reported apart, and a clean run has none. A frame concealed in
 * place of a late-dropped one may pass for that frame's echo too, and the counters include silence packets, so the
 * account errs towards hiding loss (by at most those counts), never towards inventing it; every figure is reported
 * apart.
 *
 * <p>With {@code --duration-seconds D}, calls are placed at the ramp rate for D seconds, a slot being skipped when
 * {@code --calls} calls are already up; the setup rate is then measured over the whole D.
 *
 * <p>Threading: {@link #run} on the control thread, which also takes the resource snapshots; one placer thread
 * calls {@link SipLoadClient#place}; calls run on the client's loops and the gateway on its own.
 */
final class SipLoadRun {
    private static final long NS_PER_S = 1_000_000_000L;
    private static final int TONE_HZ = 440;
    private static final int TONE_AMPLITUDE = 8_000;
    private static final int MAX_ERRORS_KEPT = 20;
    private static final int FRAMES_PER_SECOND = 50;
    private static final String[] RTP_COUNTERS = {"packets_received", "packets_late", "packets_lost", "packets_duplicate",
        "packets_reordered", "packets_flushed", "packets_invalid", "frames_concealed", "frames_silence", "packets_sent",
        "ticks_skipped"};

    private final LoadOptions options;
    private final PrintStream out;
    private GatewayMetrics.EdgeLatency gatewayLatencyBefore;
    private long gatewayCallsReported;
    private long gatewayFramesDropped;
    private MetricsEndpoint metrics;

    SipLoadRun(final LoadOptions options, final PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the load, writes the result files, prints the summary and returns the figures. */
    LoadResult run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        final boolean external = options.externalSipPort().isPresent();
        final int httpPort = external ? options.externalPort().orElse(8080)
            : options.gatewayPort() == 0 ? LoopbackPorts.tcp() : options.gatewayPort();
        final int sipPort = external ? options.externalSipPort().getAsInt() : LoopbackPorts.udp();
        // /metrics is served on the admin port only: the external gateway's default one, or a free one here.
        final int adminPort = external ? options.externalAdminPort() : LoopbackPorts.tcp();
        metrics = new MetricsEndpoint(adminPort);
        try (JvmResources jvm = new JvmResources();
             Gateway gateway = external ? null : startGateway(httpPort, adminPort, sipPort)) {
            final ExternalGatewayResources remote = external ? new ExternalGatewayResources(adminPort, options.externalPid()) : null;
            try (SipLoadClient client = new SipLoadClient(new InetSocketAddress("127.0.0.1", sipPort), options.simulatorThreads(),
                new PcmuTone(TONE_HZ, TONE_AMPLITUDE), srtpSuite(options.edge()))) {
                out.printf(Locale.ROOT, "load: SIP/RTP, %s, %d s each (+%d ms silence), agent %s (%s), gateway %s, SIP udp 127.0.0.1:%d, "
                        + "client %s on %d loops%n",
                    options.durationSeconds() > 0 ? "calls at " + options.rampPerSecond() + "/s for " + options.durationSeconds()
                        + " s, at most " + options.calls() + " at once" : options.calls() + " calls at " + options.rampPerSecond() + "/s",
                    options.holdSeconds(), options.tailMs(), options.agent(), options.agentFormat(), external ? "external" : "in-process",
                    sipPort, client.transport().label(), options.simulatorThreads());
                return drive(client, jvm, remote, gateway);
            }
        }
    }

    private Gateway startGateway(final int httpPort, final int adminPort, final int sipPort) {
        final String url = "http://127.0.0.1:" + httpPort;
        final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(httpPort));
        flags.put(GatewayOption.ADMIN_PORT, Integer.toString(adminPort));
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, options.agent());
        flags.put(GatewayOption.AGENT_FORMAT, options.agentFormat());
        options.recordDir().ifPresent(dir -> {
            flags.put(GatewayOption.RECORD, "all");
            flags.put(GatewayOption.RECORDING_DIR, dir.toString());
        });
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(Math.max(1_000, options.calls())));
        flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
        flags.put(GatewayOption.SIP_TRANSPORT, "udp");
        final GatewayConfig config = GatewayConfig.load(flags, null, Map.of(Secrets.TWILIO_AUTH_TOKEN, token));
        return Gateway.start(config, url, Secrets.forLocalRun(token), this::onCallReport);
    }

    private synchronized void onCallReport(final String callId, final String edge, final CallStats stats) {
        gatewayCallsReported++;
        gatewayFramesDropped += stats.framesDroppedPreConnect() + stats.framesDroppedNotConnected() + stats.framesDroppedEnded()
            + stats.framesDroppedAtEnd() + stats.framesDroppedOverflow();
    }

    private synchronized void resetGatewayReports(final Gateway gateway) {
        gatewayLatencyBefore = gateway == null ? null : gateway.metrics().latencyUs("sip");
        gatewayCallsReported = 0;
        gatewayFramesDropped = 0;
    }

    /** Calls placed by the placer thread, in order, with how many are up. */
    private static final class Placement {
        final List<CompletableFuture<SipCallOutcome>> calls = new ArrayList<>();
        final AtomicInteger up = new AtomicInteger();
        long startNs;
        long endNs;
        long slotsSkippedFull;
    }

    private Placement place(final SipLoadClient client, final int calls, final int toneFrames, final long durationNs) {
        final Placement p = new Placement();
        final int tailFrames = Math.max(1, options.tailMs() / 20);
        p.startNs = System.nanoTime();
        for (long i = 0; ; i++) {
            final long slotNs = p.startNs + i * NS_PER_S / options.rampPerSecond();
            if (durationNs > 0 ? slotNs - p.startNs >= durationNs : i >= calls) {
                break;
            }
            LoadGenerator.parkUntil(slotNs);
            if (p.up.get() >= calls) {
                p.slotsSkippedFull++;
                continue;
            }
            p.up.incrementAndGet();
            final CompletableFuture<SipCallOutcome> call = client.place(toneFrames, tailFrames);
            call.whenComplete((o, ex) -> p.up.decrementAndGet());
            p.calls.add(call);
        }
        p.endNs = System.nanoTime();
        return p;
    }

    private LoadResult drive(final SipLoadClient client, final JvmResources jvm, final ExternalGatewayResources remote,
                             final Gateway gateway) throws IOException, InterruptedException {
        if (options.warmupSeconds() > 0) {
            final int calls = Math.min(options.calls(), LoadOptions.WARMUP_CALLS);
            final Placement warm = place(client, calls, options.warmupSeconds() * FRAMES_PER_SECOND, 0);
            final List<SipCallOutcome> done = await(warm.calls, (options.warmupSeconds() + 40L) * NS_PER_S);
            awaitNoCalls(gateway);
            client.resetFigures();
            resetGatewayReports(gateway);
            out.printf(Locale.ROOT, "warm-up: %d calls of %d s, %d ok (not measured)%n", calls, options.warmupSeconds(),
                done.stream().filter(o -> o != null && o.ok()).count());
        }
        final long liveHeapBefore = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        final ResourceSnapshot before = snapshot(jvm, remote);
        final long[] rtpBefore = rtpCounters();
        final long durationNs = options.durationSeconds() * NS_PER_S;
        final Placement[] placed = new Placement[1];
        final Thread placer = new Thread(() -> placed[0] = place(client, options.calls(), options.holdSeconds() * FRAMES_PER_SECOND,
            durationNs), "sip-load-placer");
        final long startNs = System.nanoTime();
        placer.start();

        // Steady window: every call up and none ending yet (single pass), or the calls of the first hold replaced by
        // later ones (duration); one second of settling first.
        final long tailNs = options.tailMs() * 1_000_000L;
        final long holdNs = options.holdSeconds() * NS_PER_S;
        final long windowStartNs = durationNs > 0 ? startNs + holdNs + tailNs + NS_PER_S
            : startNs + (long) (options.rampSeconds() * NS_PER_S) + NS_PER_S;
        final long windowEndNs = durationNs > 0 ? startNs + durationNs - NS_PER_S / 2 : startNs + holdNs - NS_PER_S / 2;
        ResourceSnapshot windowStart = null;
        ResourceSnapshot windowEnd = null;
        long activeInWindow = 0;
        long liveHeapSteady = -1;
        if (windowEndNs - windowStartNs >= NS_PER_S) {
            LoadGenerator.parkUntil(windowStartNs);
            windowStart = snapshot(jvm, remote);
            activeInWindow = client.activeMediaCalls();
            LoadGenerator.parkUntil(windowEndNs);
            windowEnd = snapshot(jvm, remote);
            activeInWindow = (activeInWindow + client.activeMediaCalls()) / 2;
            liveHeapSteady = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        } else {
            out.println("load: no steady window (hold time not longer than the ramp plus 1.5 s): no per-call CPU or heap");
        }
        placer.join();
        final Placement p = placed[0];
        final List<SipCallOutcome> outcomes = await(p.calls, holdNs + tailNs + 40 * NS_PER_S);
        awaitNoCalls(gateway);
        final ResourceSnapshot after = snapshot(jvm, remote);
        final long liveHeapAfter = remote == null ? jvm.liveHeapBytes() : remote.liveHeapBytes();
        final long[] rtpAfter = rtpCounters();
        final long[] rtpDelta = new long[rtpAfter.length];
        for (int i = 0; i < rtpAfter.length; i++) {
            rtpDelta[i] = rtpAfter[i] < 0 || rtpBefore[i] < 0 ? -1 : rtpAfter[i] - rtpBefore[i];
        }
        final Figures f = new Figures(p, outcomes, client.roundTripUs(), client.sendLagUs(), rtpDelta, client.strayMessages());
        return report(f, jvm, gateway, before, after, windowStart, windowEnd, activeInWindow, liveHeapBefore, liveHeapSteady,
            liveHeapAfter);
    }

    /** Everything measured, for the report. */
    private record Figures(Placement placement, List<SipCallOutcome> outcomes, Histogram roundTripUs, Histogram sendLagUs,
                           long[] rtpDelta, long strayMessages) {
    }

    /** The SRTP suite the run's calls offer: none for {@code sip}, AES_CM for {@code sip-srtp}, GCM for {@code sip-srtp-gcm}. */
    private static SrtpCryptoSuite srtpSuite(final String edge) {
        switch (edge) {
            case "sip-srtp":
                return SrtpCryptoSuite.AES_CM_128_HMAC_SHA1_80;
            case "sip-srtp-gcm":
                return SrtpCryptoSuite.AEAD_AES_128_GCM;
            default:
                return null;
        }
    }

    private static List<SipCallOutcome> await(final List<CompletableFuture<SipCallOutcome>> calls, final long budgetNs)
        throws InterruptedException {
        final long deadlineNs = System.nanoTime() + budgetNs;
        final List<SipCallOutcome> outcomes = new ArrayList<>(calls.size());
        for (final CompletableFuture<SipCallOutcome> call : calls) {
            try {
                outcomes.add(call.get(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (final TimeoutException ex) {
                outcomes.add(null);
            } catch (final ExecutionException ex) {
                throw new IllegalStateException("a SIP load call completed exceptionally", ex);
            }
        }
        return outcomes;
    }

    private void awaitNoCalls(final Gateway gateway) throws InterruptedException {
        final long giveUpNs = System.nanoTime() + 10 * NS_PER_S;
        while (System.nanoTime() - giveUpNs < 0) {
            final long active = gateway != null ? gateway.registry().size()
                : MetricsEndpoint.gauge(metrics.scrape(), "voxgate_calls_active{edge=\"sip\"}");
            if (active <= 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private long[] rtpCounters() throws InterruptedException {
        final String scrape = metrics.scrape();
        final long[] values = new long[RTP_COUNTERS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = MetricsEndpoint.gauge(scrape, "voxgate_rtp_" + RTP_COUNTERS[i] + "_total");
        }
        return values;
    }

    private static ResourceSnapshot snapshot(final JvmResources jvm, final ExternalGatewayResources remote) throws InterruptedException {
        return remote == null ? jvm.snapshot() : remote.snapshot();
    }

    private LoadResult report(final Figures f, final JvmResources jvm, final Gateway gateway, final ResourceSnapshot before,
                              final ResourceSnapshot after, final ResourceSnapshot windowStart, final ResourceSnapshot windowEnd,
                              final long activeInWindow, final long liveHeapBefore, final long liveHeapSteady, final long liveHeapAfter)
        throws IOException {
        final boolean echo = "echo".equals(options.agent());
        final boolean external = gateway == null;
        final Placement p = f.placement();
        final Histogram setupUs = new Histogram(3);
        final Histogram firstRtpUs = new Histogram(3);
        final Map<String, Integer> failures = new TreeMap<>();
        final List<String> errors = new ArrayList<>();
        final List<Long> answeredAt = new ArrayList<>();
        long toneSent = 0;
        long echoed = 0;
        long lostRaw = 0;
        long unpaired = 0;
        long silent = 0;
        long overrun = 0;
        long foreign = 0;
        long retransmissions = 0;
        int ok = 0;
        int timedOut = 0;
        for (final SipCallOutcome o : f.outcomes()) {
            if (o == null) {
                timedOut++;
                failures.merge("not finished in time", 1, Integer::sum);
                continue;
            }
            toneSent += o.toneSent();
            echoed += o.toneEchoed();
            lostRaw += o.lost();
            unpaired += o.unpaired();
            silent += o.silentReceived();
            overrun += o.ringOverrun();
            foreign += o.packetsForeign();
            retransmissions += o.retransmissions();
            if (o.answeredNs() != 0) {
                setupUs.recordValue((o.answeredNs() - o.inviteNs()) / 1_000);
                answeredAt.add(o.answeredNs());
            }
            if (o.firstRtpNs() != 0) {
                firstRtpUs.recordValue(Math.max(0, o.firstRtpNs() - o.inviteNs()) / 1_000);
            }
            if (o.ok()) {
                ok++;
                continue;
            }
            final String key = o.status() >= 300 ? Integer.toString(o.status())
                : o.byeFromGateway() ? "BYE from gateway" : o.error() != null ? o.error() : "BYE answered " + o.byeStatus();
            failures.merge(key, 1, Integer::sum);
            if (errors.size() < MAX_ERRORS_KEPT) {
                errors.add((o.error() == null ? "" : o.error() + "; ") + "status " + o.status() + ", bye " + o.byeStatus()
                    + (o.byeFromGateway() ? ", gateway hung up" : "") + (o.firstRtpNs() == 0 ? ", no RTP" : ""));
            }
        }
        final long lateDrops = f.rtpDelta()[1];
        final long flushed = f.rtpDelta()[5];
        final long concealed = f.rtpDelta()[7];
        final long gatewayLost = f.rtpDelta()[2];
        final long ticksSkipped = f.rtpDelta()[10];
        final long balance = toneSent - (echoed + unpaired) - Math.max(0, lateDrops) - Math.max(0, flushed) - Math.max(0, ticksSkipped);
        final long lost = echo ? Math.max(0, balance) + Math.max(0, gatewayLost) : 0;
        final long unexplainedUnpaired = Math.max(0, unpaired - Math.max(0, concealed));

        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode json = mapper.createObjectNode();
        json.put("edge", "sip");
        final ObjectNode run = json.putObject("run");
        run.put("edge", options.edge());
        run.put("mode", external ? "external" : "in-process");
        run.put("calls", options.calls());
        run.put("rampPerSecond", options.rampPerSecond());
        run.put("durationSeconds", options.durationSeconds());
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
        callsNode.put("placed", f.outcomes().size());
        callsNode.put("ok", ok);
        callsNode.put("failed", f.outcomes().size() - ok);
        callsNode.put("timedOut", timedOut);
        callsNode.put("slotsSkippedAtMaxCalls", p.slotsSkippedFull);
        final ObjectNode byStatus = callsNode.putObject("failuresByStatus");
        failures.forEach(byStatus::put);
        final ArrayNode errorsNode = callsNode.putArray("errors");
        errors.forEach(errorsNode::add);
        callsNode.set("setupUs", ResultJson.percentiles(mapper, setupUs));
        callsNode.set("inviteToFirstRtpUs", ResultJson.percentiles(mapper, firstRtpUs));
        callsNode.put("sipRetransmissions", retransmissions);
        callsNode.put("sipStrayMessages", f.strayMessages());
        callsNode.set("setupRate", setupRate(mapper, p, answeredAt));

        final ObjectNode frames = json.putObject("frames");
        frames.put("sent", toneSent);
        frames.put("received", echoed);
        frames.put("lost", lost);
        frames.put("lostBeforeCountedDrops", lostRaw);
        frames.put("gatewayLateDrops", lateDrops);
        frames.put("gatewayFlushed", flushed);
        frames.put("gatewayConcealed", concealed);
        frames.put("gatewayLost", gatewayLost);
        frames.put("gatewayTicksSkipped", ticksSkipped);
        frames.put("accountBalance", balance);
        frames.put("unpairedBeyondConcealed", unexplainedUnpaired);
        frames.put("unpaired", unpaired);
        frames.put("silentReceived", silent);
        frames.put("ringOverrun", overrun);
        frames.put("foreignDatagrams", foreign);
        frames.put("silenceRule", "a received PCMU frame is silent when its mean |sample| is below 1/8 of the tone's peak amplitude "
            + TONE_AMPLITUDE + " (the tone's mean is 0.64 of it; the gateway's silence is 0)");
        json.set("roundTripUs", ResultJson.percentiles(mapper, f.roundTripUs()));
        json.set("generatorSendLagUs", ResultJson.percentiles(mapper, f.sendLagUs()));
        final JitterBufferConfig jb = JitterBufferConfig.defaults();
        final ObjectNode jitter = json.putObject("gatewayJitterBuffer");
        jitter.put("initialDelayMs", jb.initialDelayMs());
        jitter.put("minDelayMs", jb.minDelayMs());
        jitter.put("maxDelayMs", jb.maxDelayMs());
        jitter.put("note", "the round trip includes the gateway's jitter buffer playout delay (adaptive, starting at the initial "
            + "delay) and the phase of its 20 ms playout and send ticks, by design");
        final ObjectNode rtp = json.putObject("gatewayRtp");
        rtp.put("scope", "deltas of the gateway's voxgate_rtp_*_total counters over the measured run (-1: not readable)");
        for (int i = 0; i < RTP_COUNTERS.length; i++) {
            rtp.put(camel(RTP_COUNTERS[i]), f.rtpDelta()[i]);
        }
        if (gateway != null) {
            final ObjectNode own = json.putObject("gatewayReported");
            synchronized (this) {
                own.put("callsReported", gatewayCallsReported);
                own.put("framesDropped", gatewayFramesDropped);
                ResultJson.gatewayLatency(own, mapper, gateway.metrics().latencyUs("sip"), gatewayLatencyBefore);
            }
        }
        ResultJson.resources(json, new ResultJson.Scope(external, options.externalPid().isPresent()),
            new ResultJson.LiveHeap(liveHeapBefore, liveHeapSteady, liveHeapAfter), before, after, windowStart, windowEnd, activeInWindow);
        ResultJson.gc(json, jvm, external ? "generator JVM only (the gateway's pauses are not visible from outside)" : "whole JVM");

        mapper.writeValue(options.out().resolve("result.json").toFile(), json);
        if (f.roundTripUs().getTotalCount() > 0) {
            LatencyPlot.write(options.out().resolve("latency.png"), f.roundTripUs(), String.format(Locale.ROOT,
                "Voxgate echo round trip, SIP/RTP, %d calls, %s, jitter buffer from %d ms", f.outcomes().size(), options.agentFormat(),
                jb.initialDelayMs()));
        }
        printSummary(json);
        return new LoadResult(f.outcomes().size(), ok, toneSent, echoed, lost, 0, unexplainedUnpaired, f.roundTripUs(), setupUs, false,
            json);
    }

    private ObjectNode setupRate(final ObjectMapper mapper, final Placement p, final List<Long> answeredAt) {
        final ObjectNode node = mapper.createObjectNode();
        final double placingSeconds = Math.max(1e-3, (p.endNs - p.startNs) / (double) NS_PER_S);
        long answeredWhilePlacing = 0;
        final int buckets = (int) Math.floor(placingSeconds);
        final long[] perSecond = new long[Math.max(0, buckets)];
        for (final long at : answeredAt) {
            final long sinceNs = at - p.startNs;
            if (sinceNs >= 0 && sinceNs <= p.endNs - p.startNs) {
                answeredWhilePlacing++;
            }
            final int b = (int) (sinceNs / NS_PER_S);
            if (sinceNs >= 0 && b < perSecond.length) {
                perSecond[b]++;
            }
        }
        node.put("placingSeconds", placingSeconds);
        node.put("invitesPerSecond", p.calls.size() / placingSeconds);
        node.put("answeredPerSecond", answeredWhilePlacing / placingSeconds);
        node.put("fullSecondBuckets", perSecond.length);
        if (perSecond.length > 0) {
            long min = Long.MAX_VALUE;
            long sum = 0;
            for (final long n : perSecond) {
                min = Math.min(min, n);
                sum += n;
            }
            node.put("answeredPerSecondMin", min);
            node.put("answeredPerSecondMean", sum / (double) perSecond.length);
            final ArrayNode each = node.putArray("answeredEachSecond");
            for (final long n : perSecond) {
                each.add(n);
            }
        }
        return node;
    }

    private static String camel(final String snake) {
        final StringBuilder b = new StringBuilder(snake.length());
        boolean upper = false;
        for (final char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private void printSummary(final ObjectNode json) {
        final ObjectNode calls = (ObjectNode) json.get("calls");
        final ObjectNode frames = (ObjectNode) json.get("frames");
        final ObjectNode rt = (ObjectNode) json.get("roundTripUs");
        final ObjectNode setup = (ObjectNode) calls.get("setupUs");
        final ObjectNode firstRtp = (ObjectNode) calls.get("inviteToFirstRtpUs");
        final ObjectNode rate = (ObjectNode) calls.get("setupRate");
        final ObjectNode rtp = (ObjectNode) json.get("gatewayRtp");
        final ObjectNode jb = (ObjectNode) json.get("gatewayJitterBuffer");
        out.printf(Locale.ROOT, "machine     %d processors, load average %.2f at the end%n", Runtime.getRuntime().availableProcessors(),
            json.get("run").get("loadAverageAtEnd").asDouble());
        out.printf(Locale.ROOT, "calls       placed %d, ok %d, failed %d %s%n", calls.get("placed").asLong(), calls.get("ok").asLong(),
            calls.get("failed").asLong(), calls.get("failuresByStatus"));
        calls.get("errors").forEach(e -> out.println("            error: " + e.asText()));
        out.printf(Locale.ROOT, "setup       INVITE->200 p50 %.1f ms, p99 %.1f ms, max %.1f ms; INVITE->first RTP p50 %.1f ms, "
                + "p99 %.1f ms%n",
            setup.path("p50").asLong() / 1e3, setup.path("p99").asLong() / 1e3, setup.path("max").asLong() / 1e3,
            firstRtp.path("p50").asLong() / 1e3, firstRtp.path("p99").asLong() / 1e3);
        out.printf(Locale.ROOT, "setup rate  %.1f INVITE/s offered, %.1f answered/s over %.1f s; per 1 s bucket min %d, mean %.1f%n",
            rate.get("invitesPerSecond").asDouble(), rate.get("answeredPerSecond").asDouble(), rate.get("placingSeconds").asDouble(),
            rate.path("answeredPerSecondMin").asLong(), rate.path("answeredPerSecondMean").asDouble());
        out.printf(Locale.ROOT, "frames      tone sent %d, echoed %d + %d unpaired (%d concealed by the gateway), %d late-drops, %d "
                + "flushes, %d missing at the gateway, %d skipped ticks: lost %d beyond the gateway's counted drops (balance %d); "
                + "silent received %d%n",
            frames.get("sent").asLong(), frames.get("received").asLong(), frames.get("unpaired").asLong(),
            frames.get("gatewayConcealed").asLong(), frames.get("gatewayLateDrops").asLong(), frames.get("gatewayFlushed").asLong(),
            frames.get("gatewayLost").asLong(), frames.get("gatewayTicksSkipped").asLong(), frames.get("lost").asLong(),
            frames.get("accountBalance").asLong(),
            frames.get("silentReceived").asLong());
        out.printf(Locale.ROOT, "gateway rtp received %d, late %d, lost %d, duplicate %d, reordered %d, flushed %d, concealed %d, "
                + "sent %d%n",
            rtp.get("packetsReceived").asLong(), rtp.get("packetsLate").asLong(), rtp.get("packetsLost").asLong(),
            rtp.get("packetsDuplicate").asLong(), rtp.get("packetsReordered").asLong(), rtp.get("packetsFlushed").asLong(),
            rtp.get("framesConcealed").asLong(), rtp.get("packetsSent").asLong());
        if (rt.get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "round trip  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms over %d frames%n",
                rt.get("p50").asLong() / 1e3, rt.get("p90").asLong() / 1e3, rt.get("p99").asLong() / 1e3, rt.get("p99.9").asLong() / 1e3,
                rt.get("max").asLong() / 1e3, rt.get("count").asLong());
            out.printf(Locale.ROOT, "            includes the gateway's jitter buffer (%d ms initial, %d..%d ms adaptive) and 20 ms "
                    + "ticks%n",
                jb.get("initialDelayMs").asInt(), jb.get("minDelayMs").asInt(), jb.get("maxDelayMs").asInt());
        }
        final ObjectNode own = (ObjectNode) json.get("gatewayReported");
        if (own != null && own.get("inboundUs").get("count").asLong() > 0) {
            out.printf(Locale.ROOT, "gateway     inbound p50/p99 %d/%d us, outbound p50/p99 %d/%d us (its own figures)%n",
                own.get("inboundUs").get("p50").asLong(), own.get("inboundUs").get("p99").asLong(),
                own.get("outboundUs").get("p50").asLong(), own.get("outboundUs").get("p99").asLong());
        }
        ResultJson.printResources(out, json, "generator threads");
        out.printf(Locale.ROOT, "result      %s%n", options.out().resolve("result.json"));
    }
}
