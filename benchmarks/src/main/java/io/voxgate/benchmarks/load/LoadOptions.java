package io.voxgate.benchmarks.load;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
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
 * @param agent            {@code echo} or {@code vapi} (the stand-in echoing; latency and loss are measured), or {@code parrot}
 * @param agentFormat      the agent's format; {@code pcm16/16000} makes every frame go through transcoding both ways
 * @param out              where {@code result.json} and the plot go
 * @param gatewayPort      port of the in-process gateway (0: any free port)
 * @param externalPort     port of a gateway already running on 127.0.0.1, when set
 * @param externalPid      process id of that gateway, for its CPU time from {@code /proc} (Linux), when set
 * @param simulatorThreads event loop threads of the call simulator (or of the SIP client with {@code --edge sip})
 * @param durationSeconds  total time during which every ended call is replaced (ramp-limited), so {@code calls} stay up;
 *                         0 for one wave of {@code calls} calls
 * @param bargeInFraction  share of the calls (0..1) that barge in on the parrot's replay, in cycles, instead of
 *                         streaming one tone; needs {@code --agent parrot}
 * @param externalGcLog    the external gateway's GC log ({@code -Xlog:gc*:file=...}), read for its pauses, when set
 * @param vapiPort         port of the Vapi stand-in this generator starts for {@code --agent vapi} (0: any free port)
 * @param edge             {@code twilio} (Media Streams over WebSocket) or {@code sip} (SIP over UDP plus RTP)
 * @param externalSipPort  SIP port of a gateway already running on 127.0.0.1, when set ({@code --edge sip})
 * @param externalAdminPort admin port (its {@code /metrics}) of that external gateway; 9090, its default, unless given
 * @param recordDir        when set, the in-process gateway records every call ({@code --record all}) into it
 */
record LoadOptions(int calls, int rampPerSecond, int holdSeconds, int tailMs, int warmupSeconds, String agent, String agentFormat, Path out,
                   int gatewayPort, OptionalInt externalPort, OptionalInt externalPid, int simulatorThreads, int durationSeconds,
                   double bargeInFraction, Optional<Path> externalGcLog, int vapiPort, String edge, OptionalInt externalSipPort,
                   int externalAdminPort, Optional<Path> recordDir) {
    static final int MAX_CALLS = 5_000;
    static final int MAX_RAMP_PER_SECOND = 1_000;
    static final int MAX_HOLD_SECONDS = 3_600;
    static final int MAX_DURATION_SECONDS = 3_600;
    /** Calls of the warm-up: enough to get the media path compiled by the JIT, few enough to start in a second. */
    static final int WARMUP_CALLS = 50;
    /** An external gateway's admin port when none is given: the gateway's own default. */
    static final int DEFAULT_ADMIN_PORT = 9090;
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: benchmarks/load.sh [options]",
        "  --calls N               concurrent calls (1.." + MAX_CALLS + ", default 50)",
        "  --ramp-per-second R     new calls per second (1.." + MAX_RAMP_PER_SECOND + ", default 50)",
        "  --hold-seconds S        audio each caller streams (1.." + MAX_HOLD_SECONDS + ", default 20)",
        "  --tail-ms T             silence each caller streams after its audio (100..10000, default 1000)",
        "  --warmup-seconds W      unmeasured warm-up calls (up to " + WARMUP_CALLS + ") held W s first (0..600, default 10)",
        "  --duration-seconds D    keep --calls up for D s, replacing each call that ends at the ramp rate",
        "                          (0.." + MAX_DURATION_SECONDS + ", default 0: one wave);",
        "                          a soak: --hold-seconds 60 --duration-seconds 600",
        "                          (memory sampled every 10 s either way: result.json soak, memory.png)",
        "  --agent echo|parrot|vapi default echo (latency and loss are measured with echo and vapi only); vapi starts",
        "                          the Vapi stand-in (echo) on 127.0.0.1 and the latency includes its hop",
        "  --vapi-port P           port of that stand-in (default: a free port; give one for an external gateway)",
        "  --barge-in              every call barges in on the parrot's replay (needs --agent parrot)",
        "  --barge-in-calls F      the share F (0..1) of the calls that do (default 0)",
        "  --agent-format F        mulaw/8000 | pcm16/16000 (default, transcodes both ways) | pcm16/24000",
        "  --out DIR               default load-results/<timestamp>",
        "  --gateway-port P        port of the in-process gateway (default: a free port)",
        "  --external-port P       drive a gateway already running on 127.0.0.1:P instead",
        "                          (./voxgate run --insecure-no-signature --public-url http://127.0.0.1:P --agent echo;",
        "                          set TWILIO_AUTH_TOKEN to sign instead)",
        "  --external-pid PID      that gateway's process id, for its CPU time and RSS (Linux /proc)",
        "  --external-gc-log FILE  that gateway's GC log, for its pauses (start it with",
        "                          VOXGATE_JAVA_OPTS='-Xlog:gc*:file=FILE'; only what the run appends is read)",
        "  --simulator-threads T   event loops of the call simulator or SIP client (1..64, default: available processors)",
        "  --edge twilio|sip|sip-srtp|sip-srtp-gcm  Twilio Media Streams calls (default) or SIP/RTP calls (UDP, PCMU,",
        "                          echo pairing by energy); sip-srtp offers RTP/SAVP and carries SRTP both ways",
        "                          (AES_CM_128_HMAC_SHA1_80), sip-srtp-gcm the same with AEAD_AES_128_GCM",
        "  --external-sip-port P   with --edge sip: drive a gateway already running on 127.0.0.1 with --sip-port P",
        "                          (./voxgate run --insecure-no-signature --public-url http://127.0.0.1:8080 --agent echo",
        "                          --sip-port P; --external-port is its HTTP port, default 8080;",
        "                          /metrics is read from its admin port 9090)",
        "  --external-admin-port P the external gateway's --admin-port, where its /metrics is read (default 9090)",
        "  --record-dir DIR        the in-process gateway records every call into DIR (--record all): recording's cost");

    LoadOptions {
        check("--calls", calls, 1, MAX_CALLS);
        check("--ramp-per-second", rampPerSecond, 1, MAX_RAMP_PER_SECOND);
        check("--hold-seconds", holdSeconds, 1, MAX_HOLD_SECONDS);
        check("--tail-ms", tailMs, 100, 10_000);
        check("--warmup-seconds", warmupSeconds, 0, 600);
        check("--gateway-port", gatewayPort, 0, 65_535);
        check("--simulator-threads", simulatorThreads, 1, 64);
        check("--duration-seconds", durationSeconds, 0, MAX_DURATION_SECONDS);
        check("--vapi-port", vapiPort, 0, 65_535);
        if (!"echo".equals(agent) && !"parrot".equals(agent) && !"vapi".equals(agent)) {
            throw new IllegalArgumentException("--agent must be echo, parrot or vapi, was " + agent);
        }
        if (!(bargeInFraction >= 0 && bargeInFraction <= 1)) {
            throw new IllegalArgumentException("--barge-in-calls must be in 0..1, was " + bargeInFraction);
        }
        if (bargeInFraction > 0 && !"parrot".equals(agent)) {
            throw new IllegalArgumentException("--barge-in needs --agent parrot (the agent that replays and can be interrupted), was "
                + agent);
        }
        if (!"mulaw/8000".equals(agentFormat) && !"pcm16/16000".equals(agentFormat) && !"pcm16/24000".equals(agentFormat)) {
            throw new IllegalArgumentException("--agent-format must be mulaw/8000, pcm16/16000 or pcm16/24000, was " + agentFormat);
        }
        if (!"twilio".equals(edge) && !"sip".equals(edge) && !"sip-srtp".equals(edge) && !"sip-srtp-gcm".equals(edge)) {
            throw new IllegalArgumentException("--edge must be twilio, sip, sip-srtp or sip-srtp-gcm, was " + edge);
        }
        if (!"twilio".equals(edge) && (bargeInFraction > 0 || "vapi".equals(agent))) {
            throw new IllegalArgumentException("--edge sip runs the echo or parrot agent without --barge-in; --barge-in and --agent vapi"
                + " are measured on the Twilio edge");
        }
        externalSipPort.ifPresent(p -> check("--external-sip-port", p, 1, 65_535));
        externalPort.ifPresent(p -> check("--external-port", p, 1, 65_535));
        externalPid.ifPresent(p -> check("--external-pid", p, 1, Integer.MAX_VALUE));
        check("--external-admin-port", externalAdminPort, 1, 65_535);
    }

    /** Options whose external gateway, if any, serves {@code /metrics} on the default admin port; nothing recorded. */
    LoadOptions(final int calls, final int rampPerSecond, final int holdSeconds, final int tailMs, final int warmupSeconds,
                final String agent, final String agentFormat, final Path out, final int gatewayPort, final OptionalInt externalPort,
                final OptionalInt externalPid, final int simulatorThreads, final int durationSeconds, final double bargeInFraction,
                final Optional<Path> externalGcLog, final int vapiPort, final String edge, final OptionalInt externalSipPort) {
        this(calls, rampPerSecond, holdSeconds, tailMs, warmupSeconds, agent, agentFormat, out, gatewayPort, externalPort, externalPid,
            simulatorThreads, durationSeconds, bargeInFraction, externalGcLog, vapiPort, edge, externalSipPort, DEFAULT_ADMIN_PORT,
            Optional.empty());
    }

    /** The defaults: 50 echo calls through pcm16/16000, 50 new per second, 20 s each. */
    static LoadOptions defaults() {
        return new LoadOptions(50, 50, 20, 1_000, 10, "echo", "pcm16/16000", defaultOut(), 0, OptionalInt.empty(),
            OptionalInt.empty(), Math.max(1, Runtime.getRuntime().availableProcessors()), 0, 0, Optional.empty(), 0, "twilio",
            OptionalInt.empty(), DEFAULT_ADMIN_PORT, Optional.empty());
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
        int duration = d.durationSeconds;
        double bargeIn = d.bargeInFraction;
        Optional<Path> gcLog = d.externalGcLog;
        int vapiPort = d.vapiPort;
        String edge = d.edge;
        OptionalInt externalSipPort = d.externalSipPort;
        int externalAdminPort = d.externalAdminPort;
        Optional<Path> recordDir = d.recordDir;
        for (int i = 0; i < args.length; i++) {
            final String name = args[i];
            if ("--barge-in".equals(name)) {
                bargeIn = 1;
                continue;
            }
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
                case "--duration-seconds" -> duration = number(name, value);
                case "--barge-in-calls" -> bargeIn = fraction(name, value);
                case "--external-gc-log" -> gcLog = Optional.of(Path.of(value));
                case "--vapi-port" -> vapiPort = number(name, value);
                case "--edge" -> edge = value;
                case "--external-sip-port" -> externalSipPort = OptionalInt.of(number(name, value));
                case "--external-admin-port" -> externalAdminPort = number(name, value);
                case "--record-dir" -> recordDir = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LoadOptions(calls, ramp, hold, tail, warmup, agent, format, out, port, externalPort, externalPid, threads, duration,
            bargeIn, gcLog, vapiPort, edge, externalSipPort, externalAdminPort, recordDir);
    }

    /** Seconds the ramp takes to place every call. */
    double rampSeconds() {
        return (calls - 1) / (double) rampPerSecond;
    }

    /** Whether the run keeps the calls up for {@link #durationSeconds} rather than placing one wave. */
    boolean sustained() {
        return durationSeconds > 0;
    }

    /** Whether the agent returns every frame at once, so sent and received frames pair up for latency and loss. */
    boolean echoes() {
        return "echo".equals(agent) || "vapi".equals(agent);
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

    private static double fraction(final String name, final String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (final NumberFormatException ex) {
            throw new IllegalArgumentException(name + " must be a number in 0..1, was '" + value + "'", ex);
        }
    }

    private static void check(final String name, final long value, final long min, final long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", was " + value);
        }
    }

    /** Whether the run drives the SIP edge ({@code --edge sip} or {@code sip-srtp}). */
    public boolean sipEdge() {
        return edge.startsWith("sip");
    }
}
