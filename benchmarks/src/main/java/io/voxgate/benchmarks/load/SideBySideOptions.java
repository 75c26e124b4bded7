package io.voxgate.benchmarks.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one side-by-side run does, parsed and bounded from the command line of {@code benchmarks/side-by-side.sh}.
 * The script passes the directory where it installed the seed bridge ({@code --bridge-run-dir}) and the Voxgate
 * launcher and jar; the user gives the rest. Immutable; safe on any thread.
 *
 * @param calls         calls of the measured wave, held at once once the ramp is over
 * @param rampPerSecond new calls per second
 * @param holdSeconds   seconds of audio each caller streams in the measured wave
 * @param warmupSeconds seconds each call of the unmeasured warm-up wave (up to {@value LoadOptions#WARMUP_CALLS}
 *                      calls) streams, 0 for none
 * @param agentFormat   Voxgate's agent format; {@code mulaw/8000} by default, the bridge's own (it never transcodes)
 * @param ioTransport   Voxgate's {@code --io-transport}
 * @param targets       the gateways to run, in order
 * @param bridgeDir     the seed bridge with its {@code node_modules}, outside this repository
 * @param voxgateLauncher the distribution's {@code bin/voxgate}
 * @param voxgateJar    the jar it runs
 * @param out           where the per-target results and {@code side-by-side.json}/{@code .md} go
 */
record SideBySideOptions(int calls, int rampPerSecond, int holdSeconds, int warmupSeconds, String agentFormat, String ioTransport,
                         List<Target> targets, Path bridgeDir, Path voxgateLauncher, Path voxgateJar, Path out) {

    /** The gateways a run can compare. */
    enum Target {
        /** Voxgate with {@code --agent vapi} through the Vapi stand-in (echo script) in the generator's JVM. */
        VOXGATE_VAPI("voxgate-vapi"),
        /** Voxgate with its embedded echo agent. */
        VOXGATE_ECHO("voxgate-echo"),
        /** The seed article's Node.js bridge dialling its echo peer. */
        BRIDGE("bridge");

        private final String label;

        Target(final String label) {
            this.label = label;
        }

        /** The name on the command line and in the results. */
        String label() {
            return label;
        }

        static Target of(final String label) {
            for (final Target t : values()) {
                if (t.label.equals(label.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("--targets: '" + label + "' is not one of voxgate-vapi, voxgate-echo, bridge");
        }
    }

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: benchmarks/side-by-side.sh [--bridge-dir DIR] [options]",
        "  --bridge-dir DIR        the seed bridge (server.js, echo-peer.mjs, package-lock.json); default ../shared/peers/seed-bridge;",
        "                          the script installs it with npm ci in a directory of its own and never copies it into the repository",
        "  --calls N               calls of the measured wave (1.." + LoadOptions.MAX_CALLS + ", default 100)",
        "  --ramp-per-second R     new calls per second (1.." + LoadOptions.MAX_RAMP_PER_SECOND + ", default 50)",
        "  --hold-seconds S        audio each caller streams (1..3600, default 20)",
        "  --warmup-seconds W      unmeasured warm-up wave per target (up to " + LoadOptions.WARMUP_CALLS
            + " calls of W s; 0..600, default 10)",
        "  --agent-format F        Voxgate's agent format: mulaw/8000 (default, as the bridge relays) | pcm16/16000 | pcm16/24000",
        "  --io-transport T        Voxgate's --io-transport: auto (default) | epoll | io_uring | nio",
        "  --targets LIST          comma list of voxgate-vapi, voxgate-echo, bridge (default: all three, in that order)",
        "  --out DIR               default load-results/side-by-side-<timestamp>");

    SideBySideOptions {
        check("--calls", calls, 1, LoadOptions.MAX_CALLS);
        check("--ramp-per-second", rampPerSecond, 1, LoadOptions.MAX_RAMP_PER_SECOND);
        check("--hold-seconds", holdSeconds, 1, LoadOptions.MAX_HOLD_SECONDS);
        check("--warmup-seconds", warmupSeconds, 0, 600);
        if (!List.of("mulaw/8000", "pcm16/16000", "pcm16/24000").contains(agentFormat)) {
            throw new IllegalArgumentException("--agent-format must be mulaw/8000, pcm16/16000 or pcm16/24000, was " + agentFormat);
        }
        if (!List.of("auto", "epoll", "io_uring", "nio").contains(ioTransport)) {
            throw new IllegalArgumentException("--io-transport must be auto, epoll, io_uring or nio, was " + ioTransport);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("--targets names no gateway");
        }
        targets = List.copyOf(targets);
        if (targets.contains(Target.BRIDGE) && bridgeDir == null) {
            throw new IllegalArgumentException("the bridge target needs --bridge-run-dir (side-by-side.sh passes it)");
        }
        if ((targets.contains(Target.VOXGATE_VAPI) || targets.contains(Target.VOXGATE_ECHO))
            && (voxgateLauncher == null || voxgateJar == null)) {
            throw new IllegalArgumentException("a Voxgate target needs --voxgate-launcher and --voxgate-jar (side-by-side.sh passes them)");
        }
    }

    /**
     * Parses {@code args} over the defaults.
     *
     * @throws IllegalArgumentException naming the option when it is unknown, lacks its value or is out of bounds
     */
    static SideBySideOptions parse(final String... args) {
        int calls = 100;
        int ramp = 50;
        int hold = 20;
        int warmup = 10;
        String format = "mulaw/8000";
        String io = "auto";
        List<Target> targets = List.of(Target.VOXGATE_VAPI, Target.VOXGATE_ECHO, Target.BRIDGE);
        Path bridge = null;
        Path launcher = null;
        Path jar = null;
        Path out = SideBySide.defaultOut();
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
                case "--warmup-seconds" -> warmup = number(name, value);
                case "--agent-format" -> format = value;
                case "--io-transport" -> io = value;
                case "--targets" -> {
                    final List<Target> list = new ArrayList<>();
                    for (final String t : value.split(",")) {
                        list.add(Target.of(t));
                    }
                    targets = list;
                }
                case "--bridge-run-dir" -> bridge = Path.of(value);
                case "--voxgate-launcher" -> launcher = Path.of(value);
                case "--voxgate-jar" -> jar = Path.of(value);
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new SideBySideOptions(calls, ramp, hold, warmup, format, io, targets, bridge, launcher, jar, out);
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
