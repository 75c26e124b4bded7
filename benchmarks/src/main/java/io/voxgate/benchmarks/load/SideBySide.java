package io.voxgate.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voxgate.testkit.vapi.StandInScript;
import io.voxgate.testkit.vapi.VapiStandIn;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code benchmarks/side-by-side.sh}: the same simulated Twilio calls, in one invocation, against gateway processes
 * started one after the other on loopback: Voxgate with {@code --agent vapi} (through the Vapi stand-in, which runs
 * in this JVM), Voxgate with {@code --agent echo}, and the seed article's Node.js bridge with its echo peer (started
 * from its own directory, never copied into this repository). For each gateway process it reports CPU per call (user
 * and system apart, from {@code /proc/<pid>/stat}), frames lost, per-frame latency as heard (the caller's playout
 * time, {@link EchoLatencyProbe#heardUs}), peak and final RSS, and then Voxgate's figures over the bridge's.
 *
 * <p>Each target first gets an unmeasured warm-up wave (both runtimes compile their hot code), then the measured
 * wave; CPU is the difference of the process's {@code utime} and {@code stime} across the measured wave only, so it
 * holds the calls' setup, media and hang-up and nothing of the warm-up. Per call it is given as a share of one core:
 * CPU seconds over call seconds (calls times the seconds of audio each streams). The far ends (the stand-in, the echo
 * peer) and this generator are not counted: only the gateway processes are compared.
 *
 * <p>Threading: one control thread.
 */
public final class SideBySide {
    /** USER_HZ on every mainstream Linux build; /proc reports CPU time in these ticks. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final int UTIME_FIELD = 13;
    private static final long START_TIMEOUT_MS = 90_000;
    private static final String VAPI_KEY = "load-key";
    private static final String VAPI_ASSISTANT = "load-assistant";

    private final SideBySideOptions options;
    private final PrintStream out;

    SideBySide(final SideBySideOptions options, final PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Entry point; exit status 0 when every target ran every call cleanly, 1 when not, 2 on bad options. */
    public static void main(final String[] args) throws IOException, InterruptedException {
        if (args.length == 1 && "--help".equals(args[0])) {
            System.out.println(SideBySideOptions.USAGE);
            return;
        }
        final SideBySideOptions options;
        try {
            options = SideBySideOptions.parse(args);
        } catch (final IllegalArgumentException ex) {
            System.err.println("side-by-side: " + ex.getMessage());
            System.err.println(SideBySideOptions.USAGE);
            System.exit(2);
            return;
        }
        final List<TargetFigures> figures = new SideBySide(options, System.out).run();
        System.exit(figures.stream().allMatch(TargetFigures::clean) ? 0 : 1);
    }

    /** Runs every target in turn, writes {@code side-by-side.json} and {@code side-by-side.md}, prints the table. */
    List<TargetFigures> run() throws IOException, InterruptedException {
        Files.createDirectories(options.out());
        final List<TargetFigures> all = new ArrayList<>();
        for (final SideBySideOptions.Target target : options.targets()) {
            all.add(measure(target));
        }
        final String table = SideBySideTable.markdown(all, options);
        Files.writeString(options.out().resolve("side-by-side.md"), table, StandardCharsets.UTF_8);
        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode json = mapper.createObjectNode();
        json.put("calls", options.calls());
        json.put("holdSeconds", options.holdSeconds());
        json.put("rampPerSecond", options.rampPerSecond());
        json.put("agentFormat", options.agentFormat());
        json.put("ioTransport", options.ioTransport());
        json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        json.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        final ArrayNode targets = json.putArray("targets");
        all.forEach(f -> targets.add(f.toJson(mapper)));
        mapper.writeValue(options.out().resolve("side-by-side.json").toFile(), json);
        out.println();
        out.print(table);
        out.println("result      " + options.out().resolve("side-by-side.json"));
        return all;
    }

    private TargetFigures measure(final SideBySideOptions.Target target) throws IOException, InterruptedException {
        final Path dir = options.out().resolve(target.label());
        Files.createDirectories(dir);
        final int httpPort = LoopbackPorts.tcp();
        // The bridge has no admin listener: a free port nobody listens on makes its /metrics read empty (figures -1).
        final int adminPort = LoopbackPorts.tcp();
        final int vapiPort = target == SideBySideOptions.Target.VOXGATE_VAPI ? LoopbackPorts.tcp() : 0;
        final List<Process> started = new ArrayList<>();
        // One stand-in for both waves: a gateway's kept-alive API connections to a stand-in that went away would
        // make its first creates of the next wave wait out their 2.5 s deadline.
        try (VapiStandIn standIn = vapiPort == 0 ? null : VapiStandIn.builder().apiKey(VAPI_KEY)
            .assistant(VAPI_ASSISTANT, StandInScript.echo()).bindAddress(InetAddress.getLoopbackAddress()).port(vapiPort).start()) {
            final Process gateway = startGateway(target, dir, httpPort, adminPort, standIn == null ? null : standIn.apiUrl(),
                started);
            awaitListening(gateway, httpPort, target);
            out.printf(Locale.ROOT, "side-by-side: %s is pid %d on 127.0.0.1:%d%n", target.label(), gateway.pid(), httpPort);
            if (options.warmupSeconds() > 0) {
                final LoadResult warm = load(dir.resolve("warm-up"), Math.min(options.calls(), LoadOptions.WARMUP_CALLS),
                    options.warmupSeconds(), httpPort, adminPort);
                out.printf(Locale.ROOT, "side-by-side: %s warm-up: %d of %d calls ok (not measured)%n", target.label(),
                    warm.callsOk(), warm.callsPlaced());
            }
            final long[] cpuBefore = cpuTicks(gateway.pid());
            final long generatorCpuBefore = generatorCpuNs();
            final long startNs = System.nanoTime();
            final LoadResult result = load(dir.resolve("measured"), options.calls(), options.holdSeconds(), httpPort,
                adminPort);
            final double wallSeconds = (System.nanoTime() - startNs) / 1e9;
            final long[] cpuAfter = cpuTicks(gateway.pid());
            final long generatorCpuNs = generatorCpuNs() - generatorCpuBefore;
            final long[] memory = memory(gateway.pid());
            final int completed = result.callsOk() + result.json().path("calls").path("leftOpenAfterStop").asInt(0);
            return new TargetFigures(target.label(), result.callsPlaced(), completed, result.framesSent(), result.framesLost(),
                result.framesUnpaired(), percentile(result, "heardUs", "p50"), percentile(result, "heardUs", "p99"),
                percentile(result, "roundTripUs", "p50"), percentile(result, "roundTripUs", "p99"),
                seconds(cpuAfter[0] - cpuBefore[0]), seconds(cpuAfter[1] - cpuBefore[1]),
                (double) result.callsPlaced() * options.holdSeconds(), memory[0], memory[1], wallSeconds, generatorCpuNs / 1e9);
        } finally {
            for (final Process p : started) {
                stop(p);
            }
        }
    }

    private Process startGateway(final SideBySideOptions.Target target, final Path dir, final int httpPort, final int adminPort,
                                 final String vapiApiUrl, final List<Process> started) throws IOException {
        if (target == SideBySideOptions.Target.BRIDGE) {
            final int peerPort = LoopbackPorts.tcp();
            final ProcessBuilder peer = new ProcessBuilder("node", "echo-peer.mjs", Integer.toString(peerPort))
                .directory(options.bridgeDir().toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("echo-peer.log").toFile());
            started.add(peer.start());
            final ProcessBuilder bridge = new ProcessBuilder("node", "server.js").directory(options.bridgeDir().toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile());
            final Map<String, String> env = bridge.environment();
            env.put("PORT", Integer.toString(httpPort));
            env.put("HOST", "127.0.0.1");
            env.put("VAPI_WS_URL", "ws://127.0.0.1:" + peerPort + "/ws");
            env.put("VAPI_API_KEY", "any");
            env.put("VAPI_ASSISTANT_ID", "any");
            final Process p = bridge.start();
            started.add(0, p);
            return p;
        }
        final List<String> command = new ArrayList<>(List.of(options.voxgateLauncher().toString(), "run",
            "--insecure-no-signature", "--public-url", "http://127.0.0.1:" + httpPort, "--http-port", Integer.toString(httpPort),
            "--admin-port", Integer.toString(adminPort), "--bind", "127.0.0.1", "--agent-format", options.agentFormat(),
            "--max-calls", Integer.toString(Math.max(1_000, options.calls())), "--io-transport", options.ioTransport(),
            "--drain-timeout", "0",
            // Every simulated call comes from 127.0.0.1: a stream plus its webhook and status connections, where a
            // real node sees calls spread over Twilio's media servers (the default per-source cap is 256).
            "--max-connections-per-source", Integer.toString(Math.max(256, 3 * options.calls())),
            "--max-connections", Integer.toString(Math.max(4_096, 4 * options.calls()))));
        final ProcessBuilder voxgate = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve("gateway.log").toFile());
        final Map<String, String> env = voxgate.environment();
        env.put("VOXGATE_JAR", options.voxgateJar().toString());
        if (target == SideBySideOptions.Target.VOXGATE_VAPI) {
            // The stand-in echoes the caller's tone: the gateway's VAD would take the echo for a barge-in (see LoadGenerator).
            command.addAll(List.of("--agent", "vapi", "--vapi-api-url", vapiApiUrl, "--barge-in-vad", "false"));
            env.put("VAPI_API_KEY", VAPI_KEY);
            env.put("VAPI_ASSISTANT_ID", VAPI_ASSISTANT);
        } else {
            command.addAll(List.of("--agent", "echo"));
        }
        voxgate.command(command);
        final Process p = voxgate.start();
        started.add(0, p);
        return p;
    }

    private LoadResult load(final Path dir, final int calls, final int holdSeconds, final int httpPort,
                            final int adminPort) throws IOException, InterruptedException {
        final List<String> args = new ArrayList<>(List.of("--calls", Integer.toString(calls), "--ramp-per-second",
            Integer.toString(options.rampPerSecond()), "--hold-seconds", Integer.toString(holdSeconds), "--warmup-seconds", "0",
            "--agent-format", options.agentFormat(), "--out", dir.toString(), "--external-port", Integer.toString(httpPort),
            "--external-admin-port", Integer.toString(adminPort)));
        // The gateway's agent is what differs; the generator pairs echoed frames the same way for all (its stand-in
        // for the Vapi target runs in measure, across both waves).
        args.addAll(List.of("--agent", "echo"));
        return new LoadGenerator(LoadOptions.parse(args.toArray(String[]::new)), out).run();
    }

    /** Waits until {@code port} accepts a connection; fails when the process exits first or the wait runs out. */
    private static void awaitListening(final Process process, final int port, final SideBySideOptions.Target target)
        throws InterruptedException {
        final long giveUpNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - giveUpNs < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(target.label() + " exited with " + process.exitValue() + " before it listened (see its"
                    + " gateway.log)");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (final IOException ex) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException(target.label() + " did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT_MS + " ms");
    }

    private static void stop(final Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code [utime, stime]} of process {@code pid} in clock ticks, from {@code /proc/<pid>/stat}. */
    static long[] cpuTicks(final long pid) throws IOException {
        return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** {@code [utime, stime]} from the text of a {@code /proc/<pid>/stat} file. */
    static long[] parseStat(final String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        final int utime = UTIME_FIELD - 2;
        return new long[] {Long.parseLong(fields[utime]), Long.parseLong(fields[utime + 1])};
    }

    /** {@code [peak RSS, RSS now]} of process {@code pid} in bytes ({@code VmHWM}, {@code VmRSS}), -1 where unreadable. */
    private static long[] memory(final long pid) {
        final long[] out = {-1, -1};
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    out[0] = kibToBytes(line.substring("VmHWM:".length()));
                } else if (line.startsWith("VmRSS:")) {
                    out[1] = kibToBytes(line.substring("VmRSS:".length()));
                }
            }
        } catch (final IOException | NumberFormatException ex) {
            return out;
        }
        return out;
    }

    private static long kibToBytes(final String text) {
        return Long.parseLong(text.replace("kB", "").trim()) * 1_024;
    }

    private static double seconds(final long ticks) {
        return ticks / (double) CLOCK_TICKS_PER_SECOND;
    }

    private static long generatorCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long percentile(final LoadResult result, final String histogram, final String name) {
        return result.json().path(histogram).path(name).asLong(-1);
    }

    /** The default output directory, {@code load-results/side-by-side-<timestamp>}. */
    static Path defaultOut() {
        return Path.of("load-results", "side-by-side-"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    /**
     * One target's figures from its measured wave.
     *
     * @param userCpuSeconds   the gateway process's user CPU over the measured wave
     * @param systemCpuSeconds its system (kernel) CPU over the measured wave
     * @param callsOk          calls whose audio went both ways and ended cleanly, counting as clean a stream the gateway
 *                         left open after {@code stop} (the bridge never closes it; the simulator gives up after 10 s)
 * @param callSeconds      calls times the seconds of audio each streamed: the denominator of CPU per call
     */
    record TargetFigures(String target, int calls, int callsOk, long framesSent, long framesLost, long framesUnpaired,
                         long heardP50Us, long heardP99Us, long roundTripP50Us, long roundTripP99Us, double userCpuSeconds,
                         double systemCpuSeconds, double callSeconds, long peakRssBytes, long rssBytes, double wallSeconds,
                         double generatorCpuSeconds) {

        /** User CPU per call as a percentage of one core. */
        double userPercentPerCall() {
            return callSeconds <= 0 ? Double.NaN : 100 * userCpuSeconds / callSeconds;
        }

        /** System CPU per call as a percentage of one core. */
        double systemPercentPerCall() {
            return callSeconds <= 0 ? Double.NaN : 100 * systemCpuSeconds / callSeconds;
        }

        /** User and system CPU per call as a percentage of one core. */
        double totalPercentPerCall() {
            return userPercentPerCall() + systemPercentPerCall();
        }

        /** Whether every call went through with no frame lost or unpaired. */
        boolean clean() {
            return callsOk == calls && framesLost == 0 && framesUnpaired == 0;
        }

        ObjectNode toJson(final ObjectMapper mapper) {
            final ObjectNode n = mapper.createObjectNode();
            n.put("target", target);
            n.put("calls", calls);
            n.put("callsOk", callsOk);
            n.put("framesSent", framesSent);
            n.put("framesLost", framesLost);
            n.put("framesUnpaired", framesUnpaired);
            n.put("heardP50Us", heardP50Us);
            n.put("heardP99Us", heardP99Us);
            n.put("roundTripP50Us", roundTripP50Us);
            n.put("roundTripP99Us", roundTripP99Us);
            n.put("userCpuSeconds", userCpuSeconds);
            n.put("systemCpuSeconds", systemCpuSeconds);
            n.put("callSeconds", callSeconds);
            n.put("userPercentOfACorePerCall", userPercentPerCall());
            n.put("systemPercentOfACorePerCall", systemPercentPerCall());
            n.put("peakRssBytes", peakRssBytes);
            n.put("rssBytesAtEnd", rssBytes);
            n.put("wallSeconds", wallSeconds);
            n.put("generatorCpuSeconds", generatorCpuSeconds);
            return n;
        }
    }

    /** Keeps the insertion order of rows for the table. */
    static Map<String, TargetFigures> byTarget(final List<TargetFigures> figures) {
        final Map<String, TargetFigures> out = new LinkedHashMap<>();
        figures.forEach(f -> out.put(f.target(), f));
        return out;
    }
}
