package io.voxgate.testkit.sip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * libsrtp, an SRTP implementation independent of ours, as a test peer: Debian's {@code python3-pylibsrtp} runs the
 * script {@code /srtp/libsrtp_peer.py} over a batch of packets, protecting or unprotecting them with an SDES suite and
 * key. Tests use it to make the SRTP a real-socket peer sends and to read what the gateway sent back.
 *
 * <p>Threading: stateless; each call runs its own process (bounded at 60 s).
 */
public final class Libsrtp {
    private static final String PYTHON = "/usr/bin/python3";

    private Libsrtp() {
    }

    /** Whether python3 and pylibsrtp are installed. */
    public static boolean available() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            final Process probe = new ProcessBuilder(PYTHON, "-c", "import pylibsrtp").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (final IOException ex) {
            return false;
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code packets} protected as SRTP with {@code suite} (SDES name) and the base64 master key and salt. */
    public static List<byte[]> protectRtp(final String suite, final String keyBase64, final List<byte[]> packets) {
        return run(suite, keyBase64, "protect_rtp", packets);
    }

    /**
     * {@code packets} unprotected as SRTP; a packet libsrtp refuses (authentication, replay) is {@code null} in the
     * result, at its place.
     */
    public static List<byte[]> unprotectRtp(final String suite, final String keyBase64, final List<byte[]> packets) {
        return run(suite, keyBase64, "unprotect_rtp", packets);
    }

    private static List<byte[]> run(final String suite, final String keyBase64, final String mode, final List<byte[]> packets) {
        try {
            final Path script = Files.createTempFile("libsrtp_peer", ".py");
            try (InputStream in = Libsrtp.class.getResourceAsStream("/srtp/libsrtp_peer.py")) {
                Files.write(script, in.readAllBytes());
            }
            try {
                return run(script, suite, keyBase64, mode, packets);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (final IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (final InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while libsrtp ran", ex);
        }
    }

    private static List<byte[]> run(final Path script, final String suite, final String keyBase64, final String mode,
                                    final List<byte[]> packets) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(PYTHON, script.toString()).redirectErrorStream(true).start();
        final List<byte[]> out = new ArrayList<>();
        try {
            try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII)) {
                in.write(suite + " " + HexFormat.of().formatHex(Base64.getDecoder().decode(keyBase64)) + " " + mode + "\n");
                for (final byte[] packet : packets) {
                    in.write(HexFormat.of().formatHex(packet) + "\n");
                }
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("ERR")) {
                        out.add(null);
                    } else if (line.matches("[0-9a-f]*")) {
                        out.add(HexFormat.of().parseHex(line));
                    } else {
                        throw new IllegalStateException("libsrtp peer: " + line);
                    }
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("libsrtp peer did not finish within 60 s");
            }
        } finally {
            process.destroyForcibly();
        }
        if (out.size() != packets.size()) {
            throw new IllegalStateException("libsrtp answered " + out.size() + " of " + packets.size() + " packets");
        }
        return out;
    }
}
