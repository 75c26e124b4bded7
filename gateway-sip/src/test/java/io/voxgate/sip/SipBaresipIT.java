package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.sip.call.SipCall;
import io.voxgate.testkit.sip.Baresip;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * baresip, a real user agent, calls the edge over TLS with mandatory SRTP (SDES), plays a 1 kHz tone pattern into
 * the echo agent and records what it hears: the echo must be there at the tone's frequency and level.
 */
class SipBaresipIT {
    private static final int RATE = 8_000;
    private static final double TONE_HZ = 1_000;
    /** -12 dBFS peak. */
    private static final double AMPLITUDE = 32_767 * Math.pow(10, -12 / 20.0);

    @TempDir
    Path dir;
    private SipEdge edge;

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.stop();
        }
    }

    @Test
    void shouldEchoBaresipsTonePatternOverTlsAndSrtp() throws Exception {
        assumeTrue(Baresip.available("srtp.so"), "baresip (with aufile, alsa, sndfile, srtp) is not installed");
        final SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        final int sipPort = FreePorts.udpAndTcp();
        final int tlsPort = FreePorts.udpAndTcp();
        final int rtpPort = FreePorts.rtpPair();
        final ScriptedAgents sessions = new ScriptedAgents(4, 0, 1);
        edge = sessions.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).transports("udp,tls")
            .tls(cert.certificatePem, cert.privateKeyPem).tlsPort(tlsPort).rtpPorts(rtpPort, rtpPort + 1)
            .portQuarantineMs(0).sipThreads(2).build());
        edge.start();

        // 400 ms of tone, 200 ms of silence, six times: 3.6 s.
        final short[] pattern = new short[RATE * 36 / 10];
        for (int i = 0; i < pattern.length; i++) {
            final boolean on = i % (RATE * 6 / 10) < RATE * 4 / 10;
            pattern[i] = on ? (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * i / RATE)) : 0;
        }
        final Path source = dir.resolve("pattern.wav");
        Baresip.writeWav(source, pattern, RATE);

        final Baresip.Result r = Baresip.in(dir.resolve("baresip")).source(source).codecs("pcmu").mediaEncryption("srtp-mand")
            .trust(cert.certificatePem).call("sip:echo@127.0.0.1:" + tlsPort + ";transport=tls", 7);
        assertTrue(sessions.endedLatch.await(10, TimeUnit.SECONDS), "the call ended: " + r.describe());
        final SipCall call = sessions.opened.get(0).call;
        assertNotNull(call, r.describe());
        assertTrue(call.srtp().active(), "the call carried SRTP");
        assertTrue(call.srtp().rtpUnprotected() > 100, "SRTP packets unprotected: " + call.srtp().rtpUnprotected());
        // baresip 1.0 sends its closing RTCP BYE (with an SDES CNAME) in the clear after tearing SRTP down; being
        // unauthenticated it is refused like any forgery. Nothing else may fail.
        assertTrue(call.srtp().droppedAuthFailed() <= 1, "authentication failures: " + call.srtp().droppedAuthFailed());
        assertEquals(0, call.srtp().droppedReplayed());

        final Path heard = r.heard();
        assertNotNull(heard, "sndfile recorded what baresip heard: " + r.describe());
        final int[] rate = new int[1];
        final short[] echo = Baresip.readWav(heard, rate);
        final double[] loudest = loudestToneWindow(echo, rate[0]);
        final double toneDb = loudest[0];
        final double besideDb = loudest[1];
        System.out.printf("baresip echo over TLS+SRTP: 1 kHz at %.1f dBFS, 700 Hz at %.1f dBFS, %d SRTP packets in%n", toneDb,
            besideDb, call.srtp().rtpUnprotected());
        assertTrue(toneDb > -20 && toneDb < -6, "echoed 1 kHz at " + toneDb + " dBFS (sent at -15 dBFS RMS)");
        assertTrue(toneDb - besideDb > 20, "1 kHz dominates: " + toneDb + " dBFS against " + besideDb + " dBFS at 700 Hz");
    }

    /**
     * Over 100 ms windows, the window with the most 1 kHz energy: {its 1 kHz level, its 700 Hz level}, both as the
     * RMS in dBFS of a sine carrying that energy (Goertzel).
     */
    private static double[] loudestToneWindow(final short[] samples, final int rateHz) {
        final int window = rateHz / 10;
        double best = -200;
        double beside = -200;
        for (int start = 0; start + window <= samples.length; start += window / 2) {
            final double tone = goertzelDb(samples, start, window, TONE_HZ, rateHz);
            if (tone > best) {
                best = tone;
                beside = goertzelDb(samples, start, window, 700, rateHz);
            }
        }
        return new double[] {best, beside};
    }

    private static double goertzelDb(final short[] x, final int start, final int n, final double hz, final int rateHz) {
        final double coefficient = 2 * Math.cos(2 * Math.PI * hz / rateHz);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            final double s = x[start + i] / 32_768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        final double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        final double amplitude = 2 * Math.sqrt(Math.max(power, 1e-20)) / n;
        return 20 * Math.log10(amplitude / Math.sqrt(2));
    }
}
