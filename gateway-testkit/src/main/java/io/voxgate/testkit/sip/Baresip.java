package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs baresip (a real SIP user agent, Debian package {@code baresip}) headless as a subprocess on loopback: it dials
 * one URI with one audio codec, plays a WAV file as its microphone ({@code aufile}), records what it hears
 * ({@code sndfile}, the decoder's output as WAV), and quits after a fixed time, hanging up. No sound device is needed:
 * the player is ALSA's {@code null} device. Skips the test with a clear message when {@code baresip} is not installed.
 *
 * <p>Threading: one run at a time per instance, from the test thread. Every run is bounded by {@code -t} and a hard
 * process deadline.
 */
public final class Baresip {
    private static final String MODULES = "/usr/lib/baresip/modules";

    private final Path dir;
    private String codec = "PCMU/8000/1";
    private int sourceRateHz = 8_000;
    private Path source;
    private int seconds = 6;
    private int sipPort;

    private Baresip(final Path dir) {
        this.dir = dir;
    }

    /** A user agent whose configuration, log and recordings live in {@code dir}; skips when baresip is missing. */
    public static Baresip in(final Path dir) {
        Assumptions.assumeTrue(available(), "baresip is not installed (apt-get install baresip); CI runs these tests");
        return new Baresip(dir);
    }

    /** Whether a {@code baresip} binary runs. */
    public static boolean available() {
        try {
            final Process p = new ProcessBuilder("baresip", "-h").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && Files.isDirectory(Path.of(MODULES));
        } catch (final IOException ex) {
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The one audio codec offered, as baresip names it: {@code G722/16000/1}, {@code opus/48000/2}, {@code PCMU/8000/1}. */
    public Baresip codec(final String value) {
        this.codec = value;
        return this;
    }

    /** The microphone: a mono 16-bit WAV at {@code rateHz} (baresip resamples it to the codec's rate). */
    public Baresip source(final Path wav, final int rateHz) {
        this.source = wav;
        this.sourceRateHz = rateHz;
        return this;
    }

    /** How long baresip runs before it hangs up and quits. */
    public Baresip seconds(final int value) {
        this.seconds = value;
        return this;
    }

    /** The local SIP port baresip listens on (on 127.0.0.1). */
    public Baresip sipPort(final int value) {
        this.sipPort = value;
        return this;
    }

    /**
     * Dials {@code uri}, waits for baresip to quit and returns what it left behind.
     *
     * @throws IllegalStateException when no source was set or baresip outlives its deadline
     */
    public Result dial(final String uri) throws IOException, InterruptedException {
        if (source == null) {
            throw new IllegalStateException("set a source WAV first");
        }
        final Path recordings = Files.createDirectories(dir.resolve("recordings"));
        Files.writeString(dir.resolve("config"), String.join("\n",
            "poll_method\t\tepoll",
            "sip_listen\t\t127.0.0.1:" + sipPort,
            // Media from the loopback address too: otherwise baresip picks the host's default interface for RTP.
            "net_interface\t\t127.0.0.1",
            "audio_player\t\talsa,null",
            "audio_alert\t\talsa,null",
            "audio_source\t\taufile," + source.toAbsolutePath(),
            "ausrc_srate\t\t" + sourceRateHz,
            "ausrc_channels\t\t1",
            "auplay_srate\t\t" + sourceRateHz,
            "auplay_channels\t\t1",
            "audio_buffer\t\t20-160",
            "rtp_timeout\t\t0",
            "jitter_buffer_delay\t2-10",
            "module_path\t\t" + MODULES,
            "module\t\t\tg711.so",
            "module\t\t\tg722.so",
            "module\t\t\topus.so",
            "module\t\t\taufile.so",
            "module\t\t\talsa.so",
            "module\t\t\tsndfile.so",
            "module_tmp\t\taccount.so",
            "module_app\t\tmenu.so",
            "snd_path\t\t" + recordings.toAbsolutePath(),
            "opus_bitrate\t\t32000",
            "opus_stereo\t\tno",
            "opus_sprop_stereo\tno",
            ""), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("accounts"), "<sip:baresip@127.0.0.1:" + sipPort + ">;regint=0;audio_codecs=" + codec
            + "\n", StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("contacts"), "", StandardCharsets.US_ASCII);
        final Path log = dir.resolve("baresip.log");
        final Process p = new ProcessBuilder(List.of("baresip", "-f", dir.toAbsolutePath().toString(), "-e", "/dial " + uri,
            "-t", Integer.toString(seconds))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds + 20L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("baresip did not quit within " + (seconds + 20) + " s; log: " + log);
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), recordings);
    }

    /** What one baresip run left: its exit code, its log and the WAV files it recorded. */
    public static final class Result {
        /** The process exit code. */
        public final int exitCode;
        /** Everything baresip printed. */
        public final String log;
        private final Path recordings;

        Result(final int exitCode, final String log, final Path recordings) {
            this.exitCode = exitCode;
            this.log = log;
            this.recordings = recordings;
        }

        /** The recording of what baresip heard (sndfile's decoder-side dump), or null when there is none. */
        public Path heard() {
            try (Stream<Path> files = Files.list(recordings)) {
                return files.filter(f -> f.getFileName().toString().endsWith("-dec.wav")).findFirst().orElse(null);
            } catch (final IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
