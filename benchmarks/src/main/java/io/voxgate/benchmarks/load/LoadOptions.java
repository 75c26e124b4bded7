package io.voxgate.benchmarks.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What one load run does, parsed and bounded from the command line of {@code benchmarks/load.sh}.
 *
 * <p>Every count and duration has an upper bound so a typo cannot start an unbounded run; the gateway is always
 * reached on 127.0.0.1. Immutable; safe on any thread.
 *
 * @param calls            calls placed, and held at once once the ramp is over
 * @param rampPerSecond    new calls per second during the ramp
 * @param holdSeconds      how long each caller streams audio
 * @param tailMs           how long each caller keeps listening (streaming silence) after its audio, so the echo drains
 * @param warmupSeconds    length of an unmeasured warm-up (up to {@value #WARMUP_CALLS} calls) before the run, 0 for none
 * @param agent            {@code echo} (latency and loss are measured) or {@code parrot}
 * @param agentFormat      the agent's format; {@code pcm16/16000} makes every frame go through transcoding both ways
 * @param out              where {@code result.json} and the plot go
 * @param gatewayPort      port of the in-process gateway (0: any free port)
 * @param externalPort     port of a gateway already running on 127.0.0.1, when set
 * @param externalPid      process id of that gateway, for its CPU time from {@code /proc} (Linux), when set
 * @param simulatorThreads event loop threads of the call simulator (or of the SIP client with {@code --edge sip})
 * @param edge             {@code twilio} (Media Streams over WebSocket) or {@code sip} (SIP over UDP plus RTP)
 * @param durationSeconds  0: place {@code calls} calls once; otherwise place calls at the ramp rate for this long,
 *                         ended calls being replaced, with at most {@code calls} at once
 * @param externalSipPort  SIP port of a gateway already running on 127.0.0.1, when set ({@code --edge sip})
 */
record LoadOptions(int calls, int rampPerSecond, int holdSeconds, int tailMs, int warmupSeconds, String agent, String agentFormat, Path out,
                   int gatewayPort, OptionalInt externalPort, OptionalInt externalPid, int simulatorThreads, String edge,
                   int durationSeconds, OptionalInt externalSipPort) {
    static final int MAX_CALLS = 5_000;
    static final int MAX_RAMP_PER_SECOND = 1_000;
    static final int MAX_HOLD_SECONDS = 3_600;
    /** Calls of the warm-up: enough to get the media path compiled by the JIT, few enough to start in a second. */
    static final int WARMUP_CALLS = 50;
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: benchmarks/load.sh [options]",
        "  --calls N               concurrent calls (1.." + MAX_CALLS + ", default 50)",
        "  --ramp-per-second R     new calls per second (1.." + MAX_RAMP_PER_SECOND + ", default 50)",
        "  --hold-seconds S        audio each caller streams (1.." + MAX_HOLD_SECONDS + ", default 20)",
        "  --tail-ms T             silence each caller streams after its audio (100..10000, default 1000)",
        "  --warmup-seconds W     unmeasured warm-up calls (up to " + WARMUP_CALLS + ") held W s first (0..600, default 10)",
        "  --agent echo|parrot     default echo (latency and loss are measured with echo only)",
        "  --agent-format F        mulaw/8000 | pcm16/16000 (default, transcodes both ways) | pcm16/24000",
        "  --out DIR               default load-results/<timestamp>",
        "  --gateway-port P        port of the in-process gateway (default: a free port)",
        "  --external-port P       drive a gateway already running on 127.0.0.1:P instead",
        "                          (./voxgate run --insecure-no-signature --public-url http://127.0.0.1:P --agent echo;",
        "                          set TWILIO_AUTH_TOKEN to sign instead)",
        "  --external-pid PID      that gateway's process id, for its CPU time (Linux /proc)",
        "  --simulator-threads T   event loops of the call simulator or SIP client (1..64, default: available processors)",
        "  --edge twilio|sip       Twilio Media Streams calls (default) or SIP/RTP calls (UDP, PCMU, echo pairing by energy)",
        "  --duration-seconds D    place calls at the ramp rate for D s, replacing ended calls, at most --calls at once",
        "                          (0..3600, default 0: place --calls calls once)",
        "  --external-sip-port P   with --edge sip: drive a gateway already running on 127.0.0.1 with --sip-port P",
        "                          (./voxgate run --insecure-no-signature --public-url http://127.0.0.1:8080 --agent echo",
        "                          --sip-port P; --external-port is its HTTP port for /metrics, default 8080)");

    LoadOptions {
        check("--calls", calls, 1, MAX_CALLS);
        check("--ramp-per-second", rampPerSecond, 1, MAX_RAMP_PER_SECOND);
        check("--hold-seconds", holdSeconds, 1, MAX_HOLD_SECONDS);
        check("--tail-ms", tailMs, 100, 10_000);
        check("--warmup-seconds", warmupSeconds, 0, 600);
        check("--gateway-port", gatewayPort, 0, 65_535);
        check("--simulator-threads", simulatorThreads, 1, 64);
        if (!"echo".equals(agent) && !"parrot".equals(agent)) {
            throw new IllegalArgumentException("--agent must be echo or parrot, was " + agent);
        }
        if (!"mulaw/8000".equals(agentFormat) && !"pcm16/16000".equals(agentFormat) && !"pcm16/24000".equals(agentFormat)) {
            throw new IllegalArgumentException("--agent-format must be mulaw/8000, pcm16/16000 or pcm16/24000, was " + agentFormat);
        }
        if (!"twilio".equals(edge) && !"sip".equals(edge)) {
            throw new IllegalArgumentException("--edge must be twilio or sip, was " + edge);
        }
        check("--duration-seconds", durationSeconds, 0, MAX_HOLD_SECONDS);
        externalSipPort.ifPresent(p -> check("--external-sip-port", p, 1, 65_535));
        externalPort.ifPresent(p -> check("--external-port", p, 1, 65_535));
        externalPid.ifPresent(p -> check("--external-pid", p, 1, Integer.MAX_VALUE));
    }

    /** The defaults: 50 echo calls through pcm16/16000, 50 new per second, 20 s each. */
    static LoadOptions defaults() {
        return new LoadOptions(50, 50, 20, 1_000, 10, "echo", "pcm16/16000", defaultOut(), 0, OptionalInt.empty(),
            OptionalInt.empty(), Math.max(1, Runtime.getRuntime().availableProcessors()), "twilio", 0, OptionalInt.empty());
    }

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the option when it is unknown, lacks its value or is out of bounds
     */
    static LoadOptions parse(final String... args) {
        final LoadOptions d = defaults();
        int calls = d.calls;
        int ramp = d.rampPerSecond;
        int hold = d.holdSeconds;
        int tail = d.tailMs;
        int warmup = d.warmupSeconds;
        String agent = d.agent;
        String format = d.agentFormat;
        Path out = d.out;
        int port = d.gatewayPort;
        OptionalInt externalPort = d.externalPort;
        OptionalInt externalPid = d.externalPid;
        int threads = d.simulatorThreads;
        String edge = d.edge;
        int duration = d.durationSeconds;
        OptionalInt externalSipPort = d.externalSipPort;
        for (int i = 0; i < args.length; i++) {
            final String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value (or is unknown)");
            }
            final String value = args[++i];
            switch (name) {
                case "--calls" -> calls = number(name, value);
                case "--ramp-per-second" -> ramp = number(name, value);
                case "--hold-seconds" -> hold = number(name, value);
                case "--tail-ms" -> tail = number(name, value);
                case "--warmup-seconds" -> warmup = number(name, value);
                case "--agent" -> agent = value;
                case "--agent-format" -> format = value;
                case "--out" -> out = Path.of(value);
                case "--gateway-port" -> port = number(name, value);
                case "--external-port" -> externalPort = OptionalInt.of(number(name, value));
                case "--external-pid" -> externalPid = OptionalInt.of(number(name, value));
                case "--simulator-threads" -> threads = number(name, value);
                case "--edge" -> edge = value;
                case "--duration-seconds" -> duration = number(name, value);
                case "--external-sip-port" -> externalSipPort = OptionalInt.of(number(name, value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LoadOptions(calls, ramp, hold, tail, warmup, agent, format, out, port, externalPort, externalPid, threads, edge,
            duration, externalSipPort);
    }

    /** Seconds the ramp takes to place every call. */
    double rampSeconds() {
        return (calls - 1) / (double) rampPerSecond;
    }

    private static Path defaultOut() {
        return Path.of("load-results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    private static int number(final String name, final String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", ex);
        }
    }

    private static void check(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }
}
