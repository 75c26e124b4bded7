package io.voxgate.benchmarks.call;

import io.voxgate.app.config.GatewayConfig;
import io.voxgate.app.config.GatewayOption;
import io.voxgate.app.config.Secrets;
import io.voxgate.app.metrics.GatewayMetrics;
import io.voxgate.app.runtime.Gateway;
import io.voxgate.benchmarks.load.LoopbackPorts;
import io.voxgate.core.agent.EmbeddedAgents;
import io.voxgate.core.agent.VoiceAgentFactory;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallAdmission;
import io.voxgate.core.call.CallOpener;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSession;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.call.CallerLeg;
import io.voxgate.testkit.twilio.CallPlan;
import io.voxgate.testkit.twilio.SimulatedAudio;
import io.voxgate.testkit.twilio.SimulatedCallResult;
import io.voxgate.testkit.twilio.TwilioCallSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Retained heap per active call, by component and by class: what issue 6's "heap per active call" is made of.
 *
 * <ul>
 *   <li>{@code sessions N}: builds N {@link CallSession}s as the Twilio edge does (echo agent speaking PCM16 16 kHz,
 *       mu-law 8 kHz caller, the launcher's session settings), drives one second of audio through each, and sums the
 *       objects each component of the sessions keeps alive, before and after a {@code /metrics} scrape.</li>
 *   <li>{@code twilio N}: starts the whole gateway in-process, places N simulated Twilio calls that stay up, and
 *       walks everything the gateway object reaches (edges, event loops, channels, pipelines, sessions) with N calls
 *       up against the same walk after a warm-up call ended: the difference per call, by class.</li>
 *   <li>{@code sip N scenario.xml}: the same for N SIP calls placed by {@code sipp} with the given UAC scenario
 *       (the gateway's RTP goes to a local socket that reads nothing): jain-sip dialog and transactions, the SIP
 *       call session, its RTP channel, jitter buffer and the core call session.</li>
 * </ul>
 * Run: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Djdk.attach.allowAttachSelf=true
 * -cp benchmarks/target/benchmarks.jar io.voxgate.benchmarks.call.CallFootprint sessions 500} (or {@code twilio 200},
 * or {@code sip 100 gateway-sip/src/test/resources/sipp/uac-basic.xml}). The attach flag lets JOL size lambdas.
 *
 * <p>Threading: the {@code sessions} mode drives every call from the main thread (each call's executor runs tasks
 * inline); the {@code twilio} mode walks a running gateway, so its figures are approximate to a few objects.
 */
public final class CallFootprint {
    private static final int FRAME_BYTES = 160;
    private static final int FRAMES_DRIVEN = 50;
    private static final String[] COMPONENTS = {
        "queue", "preConnect", "stats", "callerVad", "inbound", "outbound", "proxy", "liveness", "releaseFrame",
        "drainPreConnect", "agent", "call",
    };

    private final PrintStream out;

    private CallFootprint(final PrintStream out) {
        this.out = out;
    }

    /** {@code sessions N} or {@code twilio N}. */
    public static void main(final String[] args) throws Exception {
        final String mode = args.length > 0 ? args[0] : "sessions";
        final int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        final CallFootprint footprint = new CallFootprint(System.out);
        if ("twilio".equals(mode)) {
            footprint.twilio(calls);
        } else if ("sip".equals(mode)) {
            if (args.length < 3) {
                throw new IllegalArgumentException("sip N <sipp scenario, e.g. gateway-sip/src/test/resources/sipp/uac-basic.xml>");
            }
            footprint.sip(calls, Path.of(args[2]));
            // The calls sipp left behind are still in their BYE retransmissions; nothing here needs their end.
            System.exit(0);
        } else {
            footprint.sessions(calls);
        }
    }

    private void sessions(final int count) throws ReflectiveOperationException {
        final GatewayMetrics metrics = new GatewayMetrics();
        final CallRegistry registry = new CallRegistry(count, metrics.callEndObserver());
        metrics.bind(registry);
        final CallSessionConfig config = CallSessionConfig.defaults().withBargeInVad(false);
        final VoiceAgentFactory agents = EmbeddedAgents.factory("echo", AudioFormat.PCM16_16K);
        final NanoClock clock = SystemNanoClock.INSTANCE;
        final CallerLeg leg = new SilentLeg();
        final CallOpener opener = new CallOpener(registry, agents, config, clock).forEdge("twilio", UnaryOperator.identity());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_BYTES]);
        for (int i = 0; i < FRAME_BYTES; i++) {
            frame.putByte(i, (byte) (0x80 | (i % 32)));
        }
        final List<CallSession> sessions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final CallAdmission admission = opener.open(String.format(Locale.ROOT, "CA%032d", i), Map.of(), AudioFormat.MULAW_8K,
                leg, Runnable::run, clock.nanoTime());
            if (!admission.accepted()) {
                throw new IllegalStateException("registry refused call " + i);
            }
            final CallSession session = admission.session();
            session.start(clock.nanoTime());
            sessions.add(session);
        }
        for (int f = 0; f < FRAMES_DRIVEN; f++) {
            for (final CallSession session : sessions) {
                final long nowNs = clock.nanoTime();
                session.onCallerAudio(frame, 0, FRAME_BYTES, nowNs);
                session.onTick(nowNs);
            }
        }
        out.printf(Locale.ROOT, "CallSession footprint, %d calls (echo agent pcm16/16000, mu-law caller), bytes per call%n", count);
        componentReport("before any /metrics scrape", sessions, registry, metrics, config, clock, leg, agents);
        metrics.scrape();
        componentReport("after one /metrics scrape", sessions, registry, metrics, config, clock, leg, agents);
    }

    private void componentReport(final String title, final List<CallSession> sessions, final Object... shared)
        throws ReflectiveOperationException {
        final HeapGraph graph = new HeapGraph();
        graph.stopAt(shared);
        graph.stopAt(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K, Map.of());
        // Components reach back to their session (pipeline sinks, the agent's listener): each is walked up to it.
        graph.stopAt(sessions.toArray());
        out.println("  " + title + ":");
        long sum = 0;
        for (final String name : COMPONENTS) {
            final Field field = CallSession.class.getDeclaredField(name);
            field.setAccessible(true);
            final List<Object> values = new ArrayList<>(sessions.size());
            for (final CallSession session : sessions) {
                values.add(field.get(session));
            }
            final long bytes = graph.walk(values.toArray()) / sessions.size();
            sum += bytes;
            out.printf(Locale.ROOT, "    %-16s %8d%n", name, bytes);
        }
        graph.resume(sessions.toArray());
        final long rest = graph.walk(sessions.toArray()) / sessions.size();
        out.printf(Locale.ROOT, "    %-16s %8d%n", "session+rest", rest);
        out.printf(Locale.ROOT, "    %-16s %8d (%.1f KiB)%n", "total", sum + rest, (sum + rest) / 1024.0);
        classReport(graph.bytesByClass(), Map.of(), sessions.size(), 12);
    }

    private void twilio(final int count) throws IOException, InterruptedException {
        final int port = LoopbackPorts.tcp();
        final String url = "http://127.0.0.1:" + port;
        final String token = "footprint-token";
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(port));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.AGENT_FORMAT, "pcm16/16000");
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(count + 10));
        final GatewayConfig config = GatewayConfig.load(flags, null, Map.of(Secrets.TWILIO_AUTH_TOKEN, token));
        try (Gateway gateway = Gateway.start(config, url, Secrets.forLocalRun(token));
             TwilioCallSimulator simulator = TwilioCallSimulator.builder().gateway("127.0.0.1", port).publicUrl(url)
                 .authToken(token).threads(1).strict(false).playoutBufferMs(1_000).closeTimeoutMs(10_000).build()) {
            final SimulatedAudio warm = SimulatedAudio.tone(440, 1_000, 8_000);
            awaitAll(List.of(simulator.call(CallPlan.builder().audio(warm).build())));
            awaitRegistry(gateway, 0);
            final Map<Class<?>, long[]> idle = walkGateway(gateway);
            final SimulatedAudio hold = SimulatedAudio.tone(440, 120_000, 8_000);
            final List<CompletableFuture<SimulatedCallResult>> running = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                running.add(simulator.call(CallPlan.builder().audio(hold).build()));
            }
            awaitRegistry(gateway, count);
            // Two seconds of audio on every call: buffers grow to their working size.
            TimeUnit.SECONDS.sleep(2);
            out.printf(Locale.ROOT, "Twilio call footprint, %d calls up, bytes per call (everything the gateway reaches)%n", count);
            report("before any /metrics scrape", walkGateway(gateway), idle, count);
            gateway.metrics().scrape();
            report("after one /metrics scrape", walkGateway(gateway), idle, count);
            running.forEach(c -> c.cancel(true));
        }
    }

    private void sip(final int count, final Path scenario) throws IOException, InterruptedException {
        final int httpPort = LoopbackPorts.tcp();
        final int sipPort = LoopbackPorts.tcp();
        final String url = "http://127.0.0.1:" + httpPort;
        final Map<GatewayOption, String> flags = new EnumMap<>(GatewayOption.class);
        flags.put(GatewayOption.HTTP_PORT, Integer.toString(httpPort));
        flags.put(GatewayOption.ADMIN_PORT, "0");
        flags.put(GatewayOption.SIP_PORT, Integer.toString(sipPort));
        flags.put(GatewayOption.RTP_PORTS, "41000-" + (41_000 + 2 * count + 100));
        flags.put(GatewayOption.BIND, "127.0.0.1");
        flags.put(GatewayOption.PUBLIC_URL, url);
        flags.put(GatewayOption.AGENT, "echo");
        flags.put(GatewayOption.AGENT_FORMAT, "pcm16/16000");
        flags.put(GatewayOption.MAX_CALLS, Integer.toString(count + 10));
        final String token = "footprint-token";
        final GatewayConfig config = GatewayConfig.load(flags, null, Map.of(Secrets.TWILIO_AUTH_TOKEN, token));
        try (Gateway gateway = Gateway.start(config, url, Secrets.forLocalRun(token));
             DatagramSocket rtpSink = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            runSipp(scenario, sipPort, rtpSink.getLocalPort(), 1, 1_000).waitFor(60, TimeUnit.SECONDS);
            awaitRegistry(gateway, 0);
            final Map<Class<?>, long[]> idle = walkGateway(gateway);
            final Process calls = runSipp(scenario, sipPort, rtpSink.getLocalPort(), count, 60_000);
            try {
                awaitRegistry(gateway, count);
                TimeUnit.SECONDS.sleep(2);
                out.printf(Locale.ROOT, "SIP call footprint, %d calls up, bytes per call (everything the gateway reaches)%n", count);
                report("before any /metrics scrape", walkGateway(gateway), idle, count);
            } finally {
                calls.destroy();
            }
        }
    }

    private static Process runSipp(final Path scenario, final int sipPort, final int rtpPort, final int calls, final int holdMs)
        throws IOException {
        return new ProcessBuilder("sipp", "127.0.0.1:" + sipPort, "-sf", scenario.toString(), "-t", "u1", "-i", "127.0.0.1",
            "-p", Integer.toString(LoopbackPorts.tcp()), "-m", Integer.toString(calls), "-l", Integer.toString(calls),
            "-r", "100", "-d", Integer.toString(holdMs), "-key", "rtpport", Integer.toString(rtpPort), "-nostdin")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private void report(final String title, final Map<Class<?>, long[]> loaded, final Map<Class<?>, long[]> idle, final int count) {
        out.println("  " + title + ":");
        final Map<String, Long> byArea = new HashMap<>();
        long total = 0;
        for (final Map.Entry<Class<?>, long[]> e : loaded.entrySet()) {
            final long bytes = e.getValue()[0] - idle.getOrDefault(e.getKey(), new long[2])[0];
            total += bytes;
            byArea.merge(area(e.getKey()), bytes, Long::sum);
        }
        byArea.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e ->
            out.printf(Locale.ROOT, "    %-28s %8d%n", e.getKey(), e.getValue() / count));
        out.printf(Locale.ROOT, "    %-28s %8d (%.1f KiB)%n", "total", total / count, total / count / 1024.0);
        classReport(loaded, idle, count, 25);
    }

    private void classReport(final Map<Class<?>, long[]> loaded, final Map<Class<?>, long[]> idle, final int count, final int top) {
        out.println("    largest classes (bytes, objects per call):");
        loaded.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), new long[] {
                e.getValue()[0] - idle.getOrDefault(e.getKey(), new long[2])[0],
                e.getValue()[1] - idle.getOrDefault(e.getKey(), new long[2])[1]}))
            .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
            .limit(top)
            .forEach(e -> out.printf(Locale.ROOT, "      %8d %6.1f  %s%n", e.getValue()[0] / count, (double) e.getValue()[1] / count,
                e.getKey().getName()));
    }

    private static String area(final Class<?> type) {
        final String name = type.getName();
        if (type.isArray()) {
            return "arrays " + type.getComponentType().getSimpleName() + "[]";
        }
        for (final String prefix : new String[] {"io.voxgate.core.", "io.voxgate.websocket.", "io.voxgate.app.", "io.netty.",
            "org.HdrHistogram.", "org.agrona.", "org.jctools.", "java."}) {
            if (name.startsWith(prefix)) {
                final int next = name.indexOf('.', prefix.length());
                return next < 0 ? prefix : name.substring(0, next);
            }
        }
        return "other";
    }

    private static Map<Class<?>, long[]> walkGateway(final Gateway gateway) {
        System.gc();
        final HeapGraph graph = new HeapGraph();
        graph.walk(gateway);
        return graph.bytesByClass();
    }

    private static void awaitRegistry(final Gateway gateway, final int size) throws InterruptedException {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gateway.registry().size() != size) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("registry holds " + gateway.registry().size() + " calls, expected " + size);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static void awaitAll(final List<CompletableFuture<SimulatedCallResult>> calls) {
        calls.forEach(c -> c.orTimeout(60, TimeUnit.SECONDS).join());
    }

    /** A caller's leg that plays nothing and refuses digits: the footprint is the session's, not the edge's. */
    private static final class SilentLeg implements CallerLeg {
        @Override
        public void sendToCaller(final DirectBuffer audio, final int offset, final int length, final long nowNs) {
        }

        @Override
        public void clearCallerPlayback(final long nowNs) {
        }

        @Override
        public boolean sendDigits(final String digits, final long nowNs) {
            return false;
        }

        @Override
        public void hangUp(final String reason, final long nowNs) {
        }
    }
}
