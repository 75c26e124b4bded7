package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs SIPp (a real SIP peer we did not write) as a subprocess on loopback with a scenario from the test
 * resources, bounded by {@code -m}, {@code -timeout}/{@code -timeout_error} and a hard process deadline.
 * Skips the test with a clear message when {@code sipp} is not installed (CI installs it).
 */
public final class Sipp {
    private final String scenario;
    private final String target;
    private String transport = "u1";
    private int calls = 1;
    private int concurrency = 1;
    private int ratePerSecond = 10;
    private int durationMs = 1000;
    private int timeoutSeconds = 30;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<String> extra = new ArrayList<>();

    private Sipp(final String scenario, final String target) {
        this.scenario = scenario;
        this.target = target;
    }

    /** A run of scenario {@code /sipp/<name>} against {@code 127.0.0.1:port}; skips when sipp is missing. */
    public static Sipp scenario(final String name, final int port) {
        Assumptions.assumeTrue(available(), "sipp is not installed (apt-get install sip-tester); CI runs these tests");
        return new Sipp(name, "127.0.0.1:" + port);
    }

    /** Whether a {@code sipp} binary runs. */
    public static boolean available() {
        try {
            final Process p = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (final IOException ex) {
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIPp transport: {@code u1} (UDP) or {@code t1} (TCP). */
    public Sipp transport(final String value) {
        this.transport = value;
        return this;
    }

    /** Total calls ({@code -m}). */
    public Sipp calls(final int value) {
        this.calls = value;
        return this;
    }

    /** Simultaneous calls ({@code -l}). */
    public Sipp concurrency(final int value) {
        this.concurrency = value;
        return this;
    }

    /** Call rate per second ({@code -r}). */
    public Sipp rate(final int value) {
        this.ratePerSecond = value;
        return this;
    }

    /** Length of a scenario's default {@code <pause/>} ({@code -d}). */
    public Sipp pauseMs(final int value) {
        this.durationMs = value;
        return this;
    }

    /** Global timeout ({@code -timeout}, failing the run). */
    public Sipp timeoutSeconds(final int value) {
        this.timeoutSeconds = value;
        return this;
    }

    /** A scenario keyword ({@code -key name value}, used as {@code [name]}). */
    public Sipp key(final String name, final String value) {
        keys.put(name, value);
        return this;
    }

    /** Extra raw arguments. */
    public Sipp args(final String... values) {
        extra.addAll(List.of(values));
        return this;
    }

    /** Runs to completion and returns what happened. */
    public Result run() {
        try {
            final Path dir = Files.createTempDirectory("voxgate-sipp");
            final Path file = dir.resolve(scenario);
            try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
                if (in == null) {
                    throw new IllegalArgumentException("no SIPp scenario " + scenario);
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            final List<String> cmd = new ArrayList<>(List.of("sipp", target, "-sf", file.toString(),
                "-t", transport, "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.udpAndTcp()),
                "-m", Integer.toString(calls), "-l", Integer.toString(concurrency), "-r", Integer.toString(ratePerSecond),
                "-d", Integer.toString(durationMs), "-timeout", timeoutSeconds + "s", "-timeout_error", "-nostdin",
                "-trace_err", "-error_file", dir.resolve("errors.log").toString(),
                "-trace_stat", "-stf", dir.resolve("stat.csv").toString(),
                "-trace_msg", "-message_file", dir.resolve("messages.log").toString(),
                "-recv_timeout", "10000", "-max_recv_loops", "10000"));
            for (final Map.Entry<String, String> k : keys.entrySet()) {
                cmd.add("-key");
                cmd.add(k.getKey());
                cmd.add(k.getValue());
            }
            cmd.addAll(extra);
            final Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            final boolean finished = process.waitFor(timeoutSeconds + 15L, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            return new Result(finished ? process.exitValue() : -100, read(dir.resolve("errors.log")),
                read(dir.resolve("messages.log")), read(dir.resolve("stat.csv")), read(dir.resolve("stdout.log")));
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while SIPp ran", ex);
        }
    }

    private static String read(final Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /** The outcome of a run. */
    public static final class Result {
        /** SIPp exit code: 0 when every call succeeded, 1 when some failed, -100 when killed at the deadline. */
        public final int exitCode;
        /** Unexpected messages SIPp logged. */
        public final String errors;
        /** Every message sent and received. */
        public final String messages;
        /** The statistics CSV. */
        public final String statistics;
        /** SIPp's console output. */
        public final String output;

        Result(final int exitCode, final String errors, final String messages, final String statistics, final String output) {
            this.exitCode = exitCode;
            this.errors = errors;
            this.messages = messages;
            this.statistics = statistics;
            this.output = output;
        }

        /** The value of statistics column {@code name} in the last row (e.g. {@code SuccessfulCall(C)}). */
        public long statistic(final String name) {
            final String[] lines = statistics.strip().split("\n");
            if (lines.length < 2) {
                return -1;
            }
            final String[] header = lines[0].split(";");
            final String[] last = lines[lines.length - 1].split(";");
            for (int i = 0; i < header.length && i < last.length; i++) {
                if (header[i].trim().equals(name)) {
                    return Long.parseLong(last[i].trim());
                }
            }
            return -1;
        }

        /** A summary for assertion messages. */
        public String describe() {
            return "sipp exit " + exitCode + "\nerrors:\n" + tail(errors) + "\noutput:\n" + tail(output) + "\nmessages:\n"
                + tail(messages);
        }

        private static String tail(final String s) {
            return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
        }
    }
}
