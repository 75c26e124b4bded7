package io.voxgate.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voxgate.core.agent.EchoAgent;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.core.call.CallRegistry;
import io.voxgate.core.call.CallSessionConfig;
import io.voxgate.core.codec.FrameDecoder;
import io.voxgate.core.codec.FrameEncoder;
import io.voxgate.core.codec.G722Decoder;
import io.voxgate.core.codec.G722Encoder;
import io.voxgate.core.codec.OpusCodecs;
import io.voxgate.core.codec.OpusFrameEncoder;
import io.voxgate.sip.rtp.RtpTotals;
import io.voxgate.sip.sdp.CodecPreferences;
import io.voxgate.sip.sdp.RtpAudioCodec;
import io.voxgate.sip.signaling.SignalingPolicy;
import io.voxgate.testkit.sip.FreePorts;
import io.voxgate.testkit.sip.RtpPeer;
import io.voxgate.testkit.sip.Sipp;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * G.722 and Opus calls end to end: SIPp offers the codec, the gateway answers with it, the test kit's RTP peer sends a
 * 1 kHz tone encoded in it and decodes what the core echo agent sends back: the tone, at its level, on the codec's
 * payload type and RTP clock. The G.722 call's agent speaks mu-law 8 kHz, so its audio goes through the resampler
 * both ways; the Opus call's agent speaks PCM16 16 kHz, Opus' decode rate. The test's peer codes Opus with Concentus,
 * the gateway with libopus where it loads, so the call also checks the two implementations understand each other.
 * Two Opus calls lose packets on the way in: one from a sender that codes in-band FEC, whose lost frames the gateway
 * rebuilds from the packets after them, and one from a sender that does not, whose lost frames are concealed.
 */
class SipWidebandIT {
    private static final int TONE_HZ = 1_000;
    private static final int AMPLITUDE = 8_000;
    private static final int FRAMES = 100;
    /** Frames an Opus sender loses: apart, so that each one's next packet arrives. */
    private static final int[] LOST_FRAMES = {8, 13, 18, 23, 28};

    private final int sipPort = FreePorts.udpAndTcp();
    private final int rtpPort = FreePorts.rtpPair();
    private final int peerPort = FreePorts.rtpPair();
    private final Semaphore callsEnded = new Semaphore(0);
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private SipEdge edge;
    private RtpPeer peer;

    private void start(final AudioFormat agentFormat) {
        final CallRegistry registry = new CallRegistry(4, (callId, e, stats) -> callsEnded.release());
        final SignalingPolicy policy = SignalingPolicy.builder()
            .codecs(new CodecPreferences(RtpAudioCodec.parseList(RtpAudioCodec.DEFAULT_ORDER), agentFormat.sampleRateHz()))
            .build();
        edge = TestMediaLoops.edge(SipEdgeConfig.builder().bindAddress("127.0.0.1").sipPort(sipPort).rtpPorts(rtpPort, rtpPort + 3)
            .portQuarantineMs(0).sipThreads(2).policy(policy).build(), registry,
            call -> new EchoAgent(agentFormat), CallSessionConfig.defaults());
        edge.start();
    }

    @AfterEach
    void stop() {
        sender.shutdownNow();
        if (peer != null) {
            peer.close();
        }
        if (edge != null) {
            edge.stop();
        }
    }

    @Test
    void shouldEchoAG722ToneThroughAMuLawAgent() throws Exception {
        start(AudioFormat.MULAW_8K);
        peer = new RtpPeer(peerPort);
        sendTone(new G722Encoder(), 16_000, 9, 160, frame -> false);
        final Sipp.Result r = Sipp.scenario("uac-g722.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(FRAMES * 20 + 800).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(callsEnded.tryAcquire(5, TimeUnit.SECONDS), "the call ended");
        assertEchoedTone(new G722Decoder(), 9, 160, 16_000);
    }

    @Test
    void shouldEchoAnOpusToneThroughASixteenKilohertzAgent() throws Exception {
        start(AudioFormat.PCM16_16K);
        peer = new RtpPeer(peerPort);
        sendTone(OpusCodecs.concentus().encoder(48_000, OpusFrameEncoder.DEFAULT_BITRATE_BPS, true), 48_000, 111, 960,
            frame -> false);
        final Sipp.Result r = Sipp.scenario("uac-opus.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(FRAMES * 20 + 800).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(callsEnded.tryAcquire(5, TimeUnit.SECONDS), "the call ended");
        assertEchoedTone(OpusCodecs.concentus().decoder(16_000), 111, 960, 16_000);
    }

    @Test
    void shouldRebuildTheLostFramesOfAnFecSenderFromTheNextPackets() throws Exception {
        final RtpTotals totals = opusCallLosing(true);
        assertTrue(totals.framesConcealed() >= LOST_FRAMES.length, "lost frames: " + totals.framesConcealed());
        // Each lost frame's next packet carries its redundancy; one whose next packet came too late is concealed.
        assertTrue(totals.framesFecDecoded() >= LOST_FRAMES.length / 2, "rebuilt from FEC: " + totals.framesFecDecoded()
            + " of " + LOST_FRAMES.length + " lost");
    }

    @Test
    void shouldConcealAndNotCountAsFecTheLostFramesOfASenderWithoutFec() throws Exception {
        final RtpTotals totals = opusCallLosing(false);
        assertTrue(totals.framesConcealed() >= LOST_FRAMES.length, "lost frames: " + totals.framesConcealed());
        assertEquals(0, totals.framesFecDecoded(), "packets without LBRR rebuild nothing");
    }

    /**
     * An Opus call whose sender never sends the packets of {@link #LOST_FRAMES}, coded with or without in-band FEC; the
     * edge's RTP totals once it ended. The losses fall in the tone's first 600 ms, while SILK still codes it as
     * speech and so protects every frame.
     */
    private RtpTotals opusCallLosing(final boolean inbandFec) throws Exception {
        start(AudioFormat.PCM16_16K);
        peer = new RtpPeer(peerPort);
        // Coded at 16 kHz, as a wideband phone sends: at 48 kHz and 32 kbit/s Opus codes hybrid with no room for FEC.
        sendTone(OpusCodecs.concentus().encoder(16_000, OpusFrameEncoder.DEFAULT_BITRATE_BPS, inbandFec), 16_000, 111, 960,
            frame -> Arrays.binarySearch(LOST_FRAMES, frame) >= 0);
        final Sipp.Result r = Sipp.scenario("uac-opus.xml", sipPort).key("rtpport", Integer.toString(peerPort))
            .pauseMs(FRAMES * 20 + 800).run();
        assertEquals(0, r.exitCode, r.describe());
        assertTrue(callsEnded.tryAcquire(5, TimeUnit.SECONDS), "the call ended");
        return edge.rtpTotals();
    }

    /**
     * Sends {@link #FRAMES} 20 ms frames of the tone, coded by {@code encoder}, every 20 ms; the frames {@code lost}
     * names are coded (the encoder's state moves on) but never sent.
     */
    private void sendTone(final FrameEncoder encoder, final int rateHz, final int payloadType, final int timestampStep,
                          final IntPredicate lost) {
        final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", rtpPort);
        final int samples = rateHz / 50;
        final AtomicInteger tick = new AtomicInteger();
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1_500]);
        final short[] pcm = new short[samples];
        sender.scheduleAtFixedRate(() -> {
            final int i = tick.getAndIncrement();
            if (i >= FRAMES) {
                return;
            }
            for (int s = 0; s < samples; s++) {
                pcm[s] = (short) (AMPLITUDE * Math.sin(2 * Math.PI * TONE_HZ * (i * samples + s) / rateHz));
            }
            final int length = encoder.encode(pcm, 0, samples, payload, 0, payload.capacity());
            if (lost.test(i)) {
                return;
            }
            final ByteBuffer packet = ByteBuffer.allocate(12 + length);
            packet.put((byte) 0x80).put((byte) ((i == 0 ? 0x80 : 0) | payloadType)).putShort((short) i)
                .putInt(i * timestampStep).putInt(0x5EED0722).put(payload.byteArray(), 0, length);
            peer.send(gateway, packet.array());
        }, 200, 20, TimeUnit.MILLISECONDS);
    }

    /**
     * Decodes every packet the peer received, checks payload type and timestamp steps, and finds the tone in the echo: its
     * frequency within 20 Hz and its level within 3 dB of what was sent.
     */
    private void assertEchoedTone(final FrameDecoder decoder, final int payloadType, final int timestampStep,
                                  final int rateHz) {
        final List<byte[]> packets = new ArrayList<>(peer.received);
        // Half the call at least: ticks a loaded loop skips send nothing (counted), so fewer packets than frames is fine.
        assertTrue(packets.size() > FRAMES / 2, "packets received: " + packets.size());
        final int frame = rateHz / 50;
        final short[] pcm = new short[packets.size() * frame];
        int samples = 0;
        long lastTimestamp = -1;
        for (final byte[] p : packets) {
            final ByteBuffer b = ByteBuffer.wrap(p);
            final int pt = b.get(1) & 0x7F;
            assertEquals(payloadType, pt, "every packet on the negotiated payload type");
            final long timestamp = b.getInt(4) & 0xFFFF_FFFFL;
            if (lastTimestamp >= 0) {
                // Whole frames: one per packet, more where a late loop skipped ticks (RFC 3550 §5.1: the gap is kept).
                final long step = (timestamp - lastTimestamp) & 0xFFFF_FFFFL;
                assertTrue(step > 0 && step % timestampStep == 0, "RTP clock step " + step + " is not whole frames of "
                    + timestampStep);
            }
            lastTimestamp = timestamp;
            final int n = decoder.decode(new UnsafeBuffer(p), 12, p.length - 12, pcm, samples, frame);
            assertEquals(frame, n, "each packet is one 20 ms frame");
            samples += n;
        }
        // The loudest 500 ms of the echo is the tone coming back.
        final int window = rateHz / 2;
        int best = 0;
        double bestEnergy = -1;
        for (int at = 0; at + window <= samples; at += frame) {
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
        final double expected = AMPLITUDE / Math.sqrt(2);
        assertTrue(rms > expected * 0.7 && rms < expected * 1.4, "echo level " + rms + " against " + expected);
        assertEquals(TONE_HZ, dominantHz(pcm, best, window, rateHz), 20, "echoed frequency");
    }

    private static double dominantHz(final short[] pcm, final int from, final int length, final int rateHz) {
        double bestHz = 0;
        double bestPower = -1;
        for (int f = 100; f < rateHz / 2; f += 10) {
            double re = 0;
            double im = 0;
            final double w = 2 * Math.PI * f / rateHz;
            for (int i = 0; i < length; i++) {
                re += pcm[from + i] * Math.cos(w * i);
                im += pcm[from + i] * Math.sin(w * i);
            }
            if (re * re + im * im > bestPower) {
                bestPower = re * re + im * im;
                bestHz = f;
            }
        }
        return bestHz;
    }
}
