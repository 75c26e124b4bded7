package io.voxgate.testkit.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * baresip (Debian package {@code baresip}) as a real SIP user agent for tests, run headless: its configuration is
 * written into a directory of the test's own, its microphone is a WAV file ({@code aufile}), what it hears is
 * recorded by the {@code sndfile} module, and the call is placed with {@code -e /dial} and ended by {@code -t}
 * (baresip hangs up with a BYE when it quits). Media encryption ({@code mediaenc}) and codecs are account
 * parameters, so the same driver serves SRTP, G.722 or Opus calls.
 *
 * <p>Use: {@code Baresip.in(dir).source(wav).codecs("pcmu").mediaEncryption("srtp-mand").trust(caPem)
 * .call("sip:echo@127.0.0.1:5061;transport=tls", 6)}, or {@code Baresip.in(dir).source(wav, 16000)
 * .codecs("G722/16000/1").call("sip:echo@127.0.0.1:5060", 6)}, then read {@link Result#heard()}. No sound device is
 * involved: the player is ALSA's {@code null} device, the recording the decoder's output.
 *
 * <p>Threading: one call at a time per instance; {@link #call} blocks until baresip exits (bounded).
 */
public final class Baresip {
    private static final Path BINARY = Path.of("/usr/bin/baresip");
    private static final Path MODULES = Path.of("/usr/lib/baresip/modules");

    private final Path dir;
    private Path source;
    private int sourceRateHz = 8_000;
    private String codecs = "pcmu";
    private String mediaEncryption;
    private Path caFile;
    private int sipPort;

    private Baresip(final Path dir) {
        this.dir = dir;
    }

    /** A user agent whose configuration, logs and recordings live in {@code dir}. */
    public static Baresip in(final Path dir) {
        return new Baresip(dir);
    }

    /**
     * Whether baresip and the modules every call needs are installed, with the {@code extraModules} a test needs
     * besides (e.g. {@code srtp.so}, {@code g722.so}, {@code opus.so}).
     */
    public static boolean available(final String... extraModules) {
        return Files.isExecutable(BINARY)
            && Stream.concat(Stream.of("aufile.so", "alsa.so", "sndfile.so", "g711.so", "menu.so"), Stream.of(extraModules))
            .allMatch(m -> Files.exists(MODULES.resolve(m)));
    }

    /** The WAV file (16-bit PCM, mono, 8 kHz) baresip sends as its microphone. */
    public Baresip source(final Path wav) {
        return source(wav, 8_000);
    }

    /** The microphone: a mono 16-bit WAV at {@code rateHz}; baresip resamples it to the codec's rate. */
    public Baresip source(final Path wav, final int rateHz) {
        this.source = wav;
        this.sourceRateHz = rateHz;
        return this;
    }

    /** {@code audio_codecs}, e.g. {@code pcmu}, {@code G722/16000/1}, {@code opus/48000/2}. */
    public Baresip codecs(final String value) {
        this.codecs = value;
        return this;
    }

    /** {@code mediaenc}: {@code srtp} (offered), {@code srtp-mand} (RTP/SAVP only), or null for plain RTP. */
    public Baresip mediaEncryption(final String value) {
        this.mediaEncryption = value;
        return this;
    }

    /** PEM CA certificates for SIP over TLS ({@code sip_cafile}). */
    public Baresip trust(final Path pem) {
        this.caFile = pem;
        return this;
    }

    /** The local SIP port baresip listens on (UDP/TCP; TLS on the next one); 0 picks a free one. */
    public Baresip sipPort(final int port) {
        this.sipPort = port;
        return this;
    }

    /**
     * Dials {@code uri}, talks for as long as baresip runs ({@code seconds}), hangs up by quitting.
     *
     * @return what happened: baresip's log and the recordings of what it heard and sent
     */
    public Result call(final String uri, final int seconds) {
        try {
            Files.createDirectories(dir);
            final Path recordings = Files.createDirectories(dir.resolve("recordings"));
            final int port = sipPort > 0 ? sipPort : FreePorts.udpAndTcp();
            Files.writeString(dir.resolve("config"), config(port, recordings), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("accounts"), account(port) + "\n", StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("contacts"), "", StandardCharsets.US_ASCII);
            final Path log = dir.resolve("baresip.log");
            final Process process = new ProcessBuilder(BINARY.toString(), "-f", dir.toString(), "-e", "/dial " + uri, "-t",
                Integer.toString(seconds)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("baresip did not quit within " + (seconds + 30) + " s:\n" + Files.readString(log));
            }
            final List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(recordings)) {
                s.sorted().forEach(files::add);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), files);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while baresip ran", ex);
        }
    }

    private String config(final int port, final Path recordings) {
        final StringBuilder c = new StringBuilder();
        line(c, "poll_method", "epoll");
        line(c, "sip_listen", "127.0.0.1:" + port);
        // Loopback only: otherwise baresip puts the host's routed address in its SDP while sending from 127.0.0.1.
        line(c, "net_interface", "127.0.0.1");
        if (caFile != null) {
            line(c, "sip_cafile", caFile.toString());
        }
        line(c, "call_local_timeout", "30");
        line(c, "call_max_calls", "1");
        line(c, "audio_source", "aufile," + source);
        // The null device consumes the decoded audio at the codec's pace, as a sound card would.
        line(c, "audio_player", "alsa,null");
        line(c, "audio_alert", "alsa,null");
        line(c, "ausrc_srate", Integer.toString(sourceRateHz));
        line(c, "ausrc_channels", "1");
        line(c, "auplay_srate", Integer.toString(sourceRateHz));
        line(c, "auplay_channels", "1");
        line(c, "rtp_timeout", "0");
        line(c, "audio_buffer", "20-160");
        line(c, "rtcp_mux", "no");
        line(c, "jitter_buffer_delay", "2-10");
        line(c, "module_path", MODULES.toString());
        for (final String module : new String[] {"g711.so", "g722.so", "opus.so", "aufile.so", "alsa.so", "sndfile.so",
            "srtp.so"}) {
            if (Files.exists(MODULES.resolve(module))) {
                line(c, "module", module);
            }
        }
        line(c, "module_tmp", "account.so");
        line(c, "module_app", "menu.so");
        line(c, "snd_path", recordings.toString());
        line(c, "opus_bitrate", "32000");
        line(c, "opus_stereo", "no");
        line(c, "opus_sprop_stereo", "no");
        return c.toString();
    }

    private String account(final int port) {
        final StringBuilder a = new StringBuilder("<sip:baresip@127.0.0.1:").append(port)
            .append(caFile != null ? ";transport=tls>" : ">");
        a.append(";regint=0;audio_codecs=").append(codecs);
        if (mediaEncryption != null) {
            a.append(";mediaenc=").append(mediaEncryption);
        }
        return a.toString();
    }

    private static void line(final StringBuilder sb, final String key, final String value) {
        sb.append(key).append('\t').append(value).append('\n');
    }

    /**
     * Writes a 16-bit mono WAV file.
     *
     * @param samples PCM samples
     */
    public static void writeWav(final Path file, final short[] samples, final int sampleRateHz) {
        final ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples.length * 2)
            .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
            .putInt(sampleRateHz).putInt(sampleRateHz * 2).putShort((short) 2).putShort((short) 16)
            .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples.length * 2);
        for (final short s : samples) {
            b.putShort(s);
        }
        try {
            Files.write(file, b.array());
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The samples of a 16-bit PCM WAV file (first channel), its sample rate in {@code rate[0]} when given. */
    public static short[] readWav(final Path file, final int[] rate) {
        final ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        }
        b.position(12);
        int channels = 1;
        while (b.remaining() >= 8) {
            final byte[] id = new byte[4];
            b.get(id);
            final int size = b.getInt();
            final String name = new String(id, StandardCharsets.US_ASCII);
            if ("fmt ".equals(name)) {
                final int at = b.position();
                b.getShort();
                channels = b.getShort();
                if (rate != null) {
                    rate[0] = b.getInt();
                }
                b.position(at + size);
            } else if ("data".equals(name)) {
                final int frames = Math.min(size, b.remaining()) / 2 / channels;
                final short[] out = new short[frames];
                for (int i = 0; i < frames; i++) {
                    out[i] = b.getShort();
                    for (int c = 1; c < channels; c++) {
                        b.getShort();
                    }
                }
                return out;
            } else {
                b.position(Math.min(b.limit(), b.position() + size + (size & 1)));
            }
        }
        return new short[0];
    }

    /** What one call did. */
    public static final class Result {
        /** baresip's exit status. */
        public final int exitCode;
        /** Its console output. */
        public final String log;
        /** The sndfile recordings, sorted by name. */
        public final List<Path> recordings;

        Result(final int exitCode, final String log, final List<Path> recordings) {
            this.exitCode = exitCode;
            this.log = log;
            this.recordings = List.copyOf(recordings);
        }

        /** The recording of what baresip heard (decoded from the far end), or null when there is none. */
        public Path heard() {
            return recordings.stream().filter(p -> p.getFileName().toString().endsWith("-dec.wav")).findFirst().orElse(null);
        }

        /** A summary for assertion messages. */
        public String describe() {
            return "baresip exit " + exitCode + ", recordings " + recordings + "\n" + log;
        }
    }
}
