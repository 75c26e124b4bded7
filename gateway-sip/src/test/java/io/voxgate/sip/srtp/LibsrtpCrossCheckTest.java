package io.voxgate.sip.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks our SRTP against libsrtp, an independent implementation, both ways: libsrtp protects and we unprotect,
 * we protect and libsrtp unprotects, across a sequence wrap, for RTP and RTCP. Runs libsrtp through Debian's
 * {@code python3-pylibsrtp} and skips when it is not installed.
 */
class LibsrtpCrossCheckTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int SSRC = 0x5EED_1234;
    private static final int PACKETS = 40;
    private static final int FIRST_SEQUENCE = 65_520;

    @TempDir
    static Path directory;
    private static Path script;

    @BeforeAll
    static void findLibsrtp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON);
        final Process probe = new ProcessBuilder(PYTHON, "-c", "import pylibsrtp").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
            "python3-pylibsrtp is not installed (apt-get install python3-pylibsrtp)");
        script = directory.resolve("libsrtp_peer.py");
        try (InputStream in = LibsrtpCrossCheckTest.class.getResourceAsStream("/srtp/libsrtp_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    private static List<byte[]> libsrtp(final SrtpCryptoSuite suite, final SrtpMasterKey key, final String mode,
            final List<byte[]> packets) throws IOException, InterruptedException {
        final Process process = new ProcessBuilder(PYTHON, script.toString()).redirectErrorStream(true).start();
        try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII)) {
            in.write(suite.sdesName() + " " + HexFormat.of().formatHex(java.util.Base64.getDecoder()
                .decode(key.base64())) + " " + mode + "\n");
            for (final byte[] packet : packets) {
                in.write(HexFormat.of().formatHex(packet) + "\n");
            }
        }
        final List<byte[]> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("ERR") || line.contains("Error")) {
                    throw new AssertionError("libsrtp " + mode + ": " + line);
                }
                out.add(HexFormat.of().parseHex(line));
            }
        }
        assertEquals(true, process.waitFor(60, TimeUnit.SECONDS), "libsrtp peer did not finish");
        assertEquals(packets.size(), out.size(), "libsrtp answered every packet");
        return out;
    }

    private static List<byte[]> rtpPackets() {
        final List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < PACKETS; i++) {
            packets.add(SrtpFixtures.rtp((FIRST_SEQUENCE + i) & 0xFFFF, SSRC));
        }
        return packets;
    }

    private static List<byte[]> rtcpPackets() {
        final List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            packets.add(SrtpFixtures.rtcp(SSRC, i));
        }
        return packets;
    }

    @ParameterizedTest
    @EnumSource(SrtpCryptoSuite.class)
    void shouldUnprotectWhatLibsrtpProtectsAcrossTheSequenceWrap(final SrtpCryptoSuite suite) throws Exception {
        final SrtpMasterKey key = SrtpFixtures.key(40).forSuite(suite);
        final List<byte[]> plain = rtpPackets();
        final List<byte[]> wire = libsrtp(suite, key, "protect_rtp", plain);
        final SrtpContext receiver = new SrtpContext(suite, key);
        for (int i = 0; i < plain.size(); i++) {
            final UnsafeBuffer buffer = new UnsafeBuffer(wire.get(i));
            assertEquals(172, receiver.unprotectRtp(buffer, 0, wire.get(i).length), "packet " + i);
            assertArrayEquals(plain.get(i), Arrays.copyOf(wire.get(i), 172), "packet " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpCryptoSuite.class)
    void shouldProtectWhatLibsrtpUnprotectsAcrossTheSequenceWrap(final SrtpCryptoSuite suite) throws Exception {
        final SrtpMasterKey key = SrtpFixtures.key(80).forSuite(suite);
        final List<byte[]> plain = rtpPackets();
        final SrtpContext sender = new SrtpContext(suite, key);
        final List<byte[]> wire = new ArrayList<>();
        for (final byte[] packet : plain) {
            final byte[] room = Arrays.copyOf(packet, 200);
            final int length = sender.protectRtp(new UnsafeBuffer(room), 0, packet.length);
            wire.add(Arrays.copyOf(room, length));
        }
        final List<byte[]> back = libsrtp(suite, key, "unprotect_rtp", wire);
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), back.get(i), "packet " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpCryptoSuite.class)
    void shouldExchangeSrtcpWithLibsrtpBothWays(final SrtpCryptoSuite suite) throws Exception {
        final SrtpMasterKey key = SrtpFixtures.key(120).forSuite(suite);
        final List<byte[]> plain = rtcpPackets();
        final List<byte[]> fromLibsrtp = libsrtp(suite, key, "protect_rtcp", plain);
        final SrtpContext receiver = new SrtpContext(suite, key);
        for (int i = 0; i < plain.size(); i++) {
            final byte[] packet = fromLibsrtp.get(i);
            assertEquals(32, receiver.unprotectRtcp(new UnsafeBuffer(packet), 0, packet.length), "packet " + i);
            assertArrayEquals(plain.get(i), Arrays.copyOf(packet, 32));
        }
        final SrtpContext sender = new SrtpContext(suite, key);
        final List<byte[]> ours = new ArrayList<>();
        for (final byte[] packet : plain) {
            final byte[] room = Arrays.copyOf(packet, 64);
            ours.add(Arrays.copyOf(room, sender.protectRtcp(new UnsafeBuffer(room), 0, packet.length)));
        }
        final List<byte[]> back = libsrtp(suite, key, "unprotect_rtcp", ours);
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), back.get(i), "packet " + i);
        }
    }
}
