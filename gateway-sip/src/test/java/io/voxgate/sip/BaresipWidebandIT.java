package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.sip.sdp.CodecPreferences;
import io.voxgate.sip.sdp.RtpAudioCodec;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.testkit.sip.Baresip;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.SelfSignedCertificate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real user agent on a secure wideband trunk: baresip calls the gateway over SIP over TLS with mandatory SRTP
 * (SDES), offering only G.722, then only Opus, plays 1 kHz tone bursts as its microphone and records what it hears;
 * the core echo agent (16 kHz) sends the caller's audio back. The call must carry SRTP, and the echo must be there and
 * clean: the loudest 200 ms of the recording carry the tone at 1 kHz within 20 Hz, within 6 dB of the level sent, with
 * everything else at least 20 dB below it. The Opus call runs the gateway's libopus codec (the one a host with
 * baresip's opus module has).
 */
class BaresipWidebandIT {
    private static final int RATE = 16_000;
    private static final int AMPLITUDE = 8_000;

    private final int sipPort = FreePorts.udpAndTcp();
    private final int tlsPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int baresipPort = FreePorts.udpAndTcp();
    private final Semaphore callsEnded = new Semaphore(0);
    private final List<String> codecs = new CopyOnWriteArrayList<>();
    private SipEdge edge;
    private SelfSignedCertificate cert;

    @TempDir
    Path dir;

    private void start() throws Exception {
        cert = SelfSignedCertificate.generate(dir);
        final CallRegistry registry = new CallRegistry(4, (callId, e, stats) -> {
            codecs.add(stats.toString());
            callsEnded.release();
        });
        final SignalingPolicy policy = SignalingPolicy.builder()
            .codecs(new CodecPreferences(RtpAudioCodec.parseList(RtpAudioCodec.DEFAULT_ORDER), RATE)).build();
        edge = TestMediaLoops.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).transports("udp,tls")
            .tls(cert.certificatePem, cert.privateKeyPem).tlsPort(tlsPort).rtpPorts(rtpPort, rtpPort + 3)
            .portQuarantineMs(0).sipThreads(2).policy(policy).build(), registry,
            call -> new EchoAgent(AudioFormat.PCM16_16K), CallSessionConfig.defaults());
        edge.start();
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.stop();
        }
    }

    @Test
    void shouldEchoBaresipCleanlyOverG722() throws Exception {
        assertCleanEcho("G722/16000/1");
    }

    @Test
    void shouldEchoBaresipCleanlyOverOpus() throws Exception {
        // baresip's opus module registers itself as opus/48000/1 here (opus_stereo no); with /2 the account named
        // no codec it had, so it offered everything and the call ran PCMU.
        assertCleanEcho("opus/48000/1");
        // baresip's opus module links the system's libopus, so the gateway's Opus ran there too, allocation-free.
        assertEquals(OpusCodecs.Implementation.LIBOPUS, OpusCodecs.system().implementation(),
            "the gateway's Opus implementation: " + OpusCodecs.system() + OpusCodecs.system().fallbackReason().orElse(""));
    }

    private void assertCleanEcho(final String codec) throws Exception {
        assumeTrue(Baresip.available("g722.so", "opus.so", "srtp.so"),
            "baresip (with g722, opus, srtp, aufile, alsa, sndfile) is not installed");
        start();
        final Baresip baresip = Baresip.in(dir.resolve("baresip")).codecs(codec).source(toneBursts(dir.resolve("tone.wav")), RATE)
            .sipPort(baresipPort).mediaEncryption("srtp-mand").trust(cert.certificatePem);
        final Baresip.Result r = baresip.call("sip:echo@127.0.0.1:" + tlsPort + ";transport=tls", 6);
        assertTrue(callsEnded.tryAcquire(10, TimeUnit.SECONDS), "the call ended; baresip said:\n" + r.log);
        assertTrue(r.log.contains("Set audio decoder: " + codec.substring(0, codec.indexOf('/')) + " "),
            "the call ran " + codec + "; baresip said:\n" + r.log);
        assertTrue(edge.rtpTotals().srtpUnprotected() > 100,
            codec + ": the call carried SRTP (" + edge.rtpTotals().srtpUnprotected() + " packets unprotected)");
        final Path heard = r.heard();
        assertNotNull(heard, "baresip recorded nothing; it said:\n" + r.log);
        final int[] format = new int[2];
        final short[] pcm = readWav(heard, format);
        final int rate = format[0];
        final int window = rate / 5;
        int best = 0;
        double bestEnergy = -1;
        for (int at = 0; at + window <= pcm.length; at += window / 4) {
            double energy = 0;
            for (int i = at; i < at + window; i++) {
                energy += (double) pcm[i] * pcm[i];
            }
            if (energy > bestEnergy) {
                bestEnergy = energy;
                best = at;
            }
        }
        final double rms = Math.sqrt(bestEnergy / window);
        final double sent = AMPLITUDE / Math.sqrt(2);
        assertTrue(rms > sent / 2 && rms < sent * 2, codec + ": echo level " + rms + " against " + sent + "\n" + r.log);
        final double[] tone = toneAndRest(pcm, best, window, rate, 1_000);
        assertEquals(1_000, tone[2], 20, codec + ": echoed frequency");
        final double cleanDb = 10 * Math.log10(tone[0] / Math.max(tone[1], 1e-9));
        System.out.printf(Locale.ROOT, "baresip over TLS + SRTP, %s: echo level %.0f against %.0f sent (%.1f dB),"
            + " %.1f Hz, tone %.1f dB over the rest, %d SRTP packets unprotected%n", codec, rms, sent,
            20 * Math.log10(rms / sent), tone[2], cleanDb, edge.rtpTotals().srtpUnprotected());
        assertTrue(cleanDb > 20, codec + ": tone " + cleanDb + " dB over the rest");
    }

    /** 5 s of a 1 kHz tone at {@link #AMPLITUDE}, 400 ms on and 400 ms off, as a mono 16 kHz WAV. */
    private static Path toneBursts(final Path wav) throws IOException {
        final int samples = RATE * 5;
        final ByteBuffer data = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        data.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + samples * 2)
            .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
            .putShort((short) 1).putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16)
            .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            final boolean on = i / (RATE * 2 / 5) % 2 == 0;
            data.putShort((short) (on ? Math.round(AMPLITUDE * Math.sin(2 * Math.PI * 1_000 * i / RATE)) : 0));
        }
        Files.write(wav, data.array());
        return wav;
    }

    /** The first channel of a 16-bit PCM WAV; {@code format} gets its rate and channel count. */
    private static short[] readWav(final Path wav, final int[] format) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 12;
        int channels = 1;
        while (at + 8 <= b.limit()) {
            final String id = new String(new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)},
                java.nio.charset.StandardCharsets.US_ASCII);
            final int size = b.getInt(at + 4);
            if ("fmt ".equals(id)) {
                channels = b.getShort(at + 10);
                format[0] = b.getInt(at + 12);
                format[1] = channels;
            } else if ("data".equals(id)) {
                final int frames = Math.min(size, b.limit() - at - 8) / 2 / channels;
                final short[] pcm = new short[frames];
                for (int i = 0; i < frames; i++) {
                    pcm[i] = b.getShort(at + 8 + i * 2 * channels);
                }
                return pcm;
            }
            at += 8 + size + (size & 1);
        }
        return new short[0];
    }

    /** Power of the strongest frequency near {@code expectedHz}, power of everything else, and that frequency. */
    private static double[] toneAndRest(final short[] pcm, final int from, final int length, final int rate,
                                        final int expectedHz) {
        double total = 0;
        for (int i = 0; i < length; i++) {
            total += (double) pcm[from + i] * pcm[from + i];
        }
        double bestPower = -1;
        double bestHz = 0;
        for (int f = expectedHz - 100; f <= expectedHz + 100; f += 5) {
            double re = 0;
            double im = 0;
            final double w = 2 * Math.PI * f / rate;
            for (int i = 0; i < length; i++) {
                re += pcm[from + i] * Math.cos(w * i);
                im += pcm[from + i] * Math.sin(w * i);
            }
            // |X(f)|^2 * 2 / N is the time-domain energy of a sinusoid at f over the window.
            final double power = (re * re + im * im) * 2 / length;
            if (power > bestPower) {
                bestPower = power;
                bestHz = f;
            }
        }
        return new double[] {bestPower, Math.max(total - bestPower, 0), bestHz};
    }
}
